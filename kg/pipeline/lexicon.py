"""Closed-class word lists kept as data files beside the code.

Rule files refer to them as ``{LEX:name}`` macros, so a rule says *which*
list it needs and the list itself can grow without touching a pattern.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

LEXICON_DIR = Path(__file__).parent / "lexicons"
PATTERN_DIR = Path(__file__).parent / "patterns"


@lru_cache(maxsize=None)
def words(name: str) -> tuple[str, ...]:
    """A ``.txt`` list: one or more whitespace-separated words per line, ``#`` comments."""
    out: list[str] = []
    for line in (LEXICON_DIR / f"{name}.txt").read_text(encoding="utf-8").splitlines():
        line = line.split("#", 1)[0] if line.lstrip().startswith("#") else line
        out.extend(line.split())
    return tuple(dict.fromkeys(out))


@lru_cache(maxsize=None)
def table(name: str) -> dict:
    return json.loads((LEXICON_DIR / f"{name}.json").read_text(encoding="utf-8"))


def alternation(items) -> str:
    """A regex alternation of literal words, longest first (so 欧阳 beats 欧)."""
    return "(?:" + "|".join(re.escape(w) for w in sorted(set(items), key=lambda w: (-len(w), w))) + ")"


def read_jsonl(path: Path) -> list[dict]:
    rows = []
    for n, line in enumerate(path.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip() and not line.lstrip().startswith("//"):
            try:
                rows.append(json.loads(line))
            except json.JSONDecodeError as err:
                raise ValueError(f"{path}:{n}: not a JSON object: {err}") from None
    return rows


@lru_cache(maxsize=1)
def common_words() -> frozenset[str]:
    """Two- and three-character words of jieba's dictionary that are not person names.

    jieba ships a 349k-word dictionary with part-of-speech tags (MIT licence,
    no download); we read it as data, not to segment: a context rule's
    candidate name that is an ordinary word (信仰, 支持, 成长) is no name.
    """
    import importlib.util

    path = Path(importlib.util.find_spec("jieba").origin).parent / "dict.txt"
    return frozenset(_COMMON_WORD.findall(path.read_text(encoding="utf-8")))


_COMMON_WORD = re.compile(r"^(\S{2,3}) \d+ (?!nr)\S+$", re.M)
