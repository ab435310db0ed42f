"""``kg_normalizer``: fold character variants so rules see one spelling.

The fold is one character to one character (full-width ASCII to ASCII, the
dashes, dots and spaces of ``normalization.json`` to one each), so every
offset found in the folded text ``doc._.kg_text`` is an offset in
``doc.text``. Token ``norm_`` is not touched: rules run over the string,
which is what makes them fast.
"""
from __future__ import annotations

import json
from functools import lru_cache
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from kg.pipeline.data import DataComponent

DEFAULT_TABLE = Path(__file__).parent / "normalization.json"
MARKS = "⟦⟧"  # reserved for relation templates; never left in the text

if not Doc.has_extension("kg_text"):
    Doc.set_extension("kg_text", default=None)


def load_fold_table(path: Path | str = DEFAULT_TABLE) -> dict[int, str]:
    return fold_table(Path(path).read_text(encoding="utf-8"))


@lru_cache(maxsize=8)
def fold_table(spec_text: str) -> dict[int, str]:
    spec = json.loads(spec_text)
    path = "normalization.json"
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


@Language.factory("kg_normalizer", assigns=["doc._.kg_text"], default_config={})
def make_normalizer(nlp: Language, name: str):
    return Normalizer(nlp, name)


class Normalizer(DataComponent):
    resources = ("normalization.json",)

    def setup(self, data) -> None:
        self.table = fold_table(data.texts["normalization.json"])

    def process(self, doc: Doc) -> Doc:
        text = doc._.kg_layout_text if doc.has_extension("kg_layout_text") and doc._.kg_layout_text is not None \
            else doc.text
        doc._.kg_text = fold_text(text, self.table)
        return doc
