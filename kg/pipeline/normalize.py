"""Normalise stage: fold character variants so rules see one spelling.

The fold is one character to one character, so the folded text has the
document's length and every offset found in it is an offset in the document.
The folded text is ``doc._.kg_text``; token ``norm_`` is not touched (rules
run over the string, which is what makes them fast).
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

DEFAULT_TABLE = Path(__file__).parent / "normalization.json"
MARKS = "⟦⟧"  # reserved for relation templates; never left in the text

if not Doc.has_extension("kg_text"):
    Doc.set_extension("kg_text", default=None)


@lru_cache(maxsize=8)
def load_fold_table(path: Path | str = DEFAULT_TABLE) -> dict[int, str]:
    spec = json.loads(Path(path).read_text(encoding="utf-8"))
    fold: dict[int, str] = {}
    if spec.get("fold_fullwidth_ascii", True):
        fold.update({cp: chr(cp - 0xFEE0) for cp in range(0xFF01, 0xFF5F)})
    for src, dst in spec.get("map", {}).items():
        if len(src) != 1 or len(dst) != 1:
            raise ValueError(f"{path}: fold must map one character to one character: {src!r} -> {dst!r}")
        fold[ord(src)] = dst
    for mark in MARKS:
        fold[ord(mark)] = " "
    return fold


def fold_text(text: str, table: dict[int, str]) -> str:
    folded = text.translate(table)
    assert len(folded) == len(text)
    return folded


@Language.factory("kg_normalizer", default_config={"table": str(DEFAULT_TABLE)})
def make_normalizer(nlp: Language, name: str, table: str):
    return Normalizer(load_fold_table(table))


class Normalizer:
    def __init__(self, table: dict[int, str]):
        self.table = table

    def __call__(self, doc: Doc) -> Doc:
        text = doc._.kg_raw_text if Doc.has_extension("kg_raw_text") and doc._.kg_raw_text is not None else doc.text
        doc._.kg_text = fold_text(text, self.table)
        return doc
