"""How names are compared: quotes, spaces and a leading year are not part of a name.

Shared by extraction, identity resolution and RDF building, and free of spaCy so
that tools reading graphs import fast.
"""
from __future__ import annotations

import re

YEAR_PREFIX = re.compile(r"^(?:(?:19|20)\d{2}(?:-(?:19|20)?\d{2})?年度?的?)")
EDITION = re.compile(r"第[一二三四五六七八九十百零\d]+届|首届")
QUOTES = "“”‘’「」『』\"'《》〈〉"
_QUOTE_TABLE = str.maketrans("", "", QUOTES + " ")


def clean_name(text: str) -> str:
    """A name as identity sees it: no quotes or spaces, no leading year."""
    return YEAR_PREFIX.sub("", text.translate(_QUOTE_TABLE))
