"""``kg_normalizer``: fold character variants so rules see one spelling.

The fold is one character to one character (full-width ASCII to ASCII, the
dashes, dots and spaces of ``normalization.json`` to one each), so every
offset found in the folded text ``doc._.kg_text`` is an offset in
``doc.text``. Token ``norm_`` is not touched: rules run over the string,
which is what makes them fast.

An article written in traditional characters (某省總工會) is also folded
to simplified ones, character for character, so that the word lists and rules,
all simplified, read it; ``doc._.kg_restore`` then maps each simplified
character back to the traditional one the article wrote, and names are given
as written. Only an article with at least ``traditional_share`` of its Han
characters in the table is folded: some characters of the table (乾, 於, 鍾)
are also simplified ones, which a simplified article keeps.
"""
from __future__ import annotations

import json
import re
from functools import lru_cache
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from kg.pipeline.data import DataComponent

DEFAULT_TABLE = Path(__file__).parent / "normalization.json"
MARKS = "⟦⟧"  # reserved for relation templates; never left in the text

if not Doc.has_extension("kg_text"):
    Doc.set_extension("kg_text", default=None)
if not Doc.has_extension("kg_restore"):
    Doc.set_extension("kg_restore", default=None)
_HAN = re.compile("[\u4e00-\u9fff]")
_FEWEST_TRADITIONAL = 5
_SAMPLE = 512


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


@Language.factory("kg_normalizer", assigns=["doc._.kg_text", "doc._.kg_restore"], default_config={})
def make_normalizer(nlp: Language, name: str):
    return Normalizer(nlp, name)


class Normalizer(DataComponent):
    resources = ("normalization.json", "lexicons/traditional_characters.tsv")

    def setup(self, data) -> None:
        self.table = fold_table(data.texts["normalization.json"])
        self.share = float(json.loads(data.texts["normalization.json"]).get("traditional_share", 0.1))
        simplified = {row[0]: row[1] for row in data.rows("traditional_characters") if len(row) == 2}
        bad = next((k for k, v in simplified.items() if len(k) != 1 or len(v) != 1), None)
        if bad is not None:
            raise ValueError(f"lexicons/traditional_characters.tsv: one character for one character, not {bad!r}")
        self.simplify = str.maketrans(simplified)
        self.traditional = frozenset(simplified)

    def process(self, doc: Doc) -> Doc:
        text = doc._.kg_layout_text if doc.has_extension("kg_layout_text") and doc._.kg_layout_text is not None \
            else doc.text
        doc._.kg_restore = None
        if self._traditional(text):
            simple = text.translate(self.simplify)
            written: dict[str, dict[str, int]] = {}
            for was, now in zip(text, simple):
                if was != now:
                    counts = written.setdefault(now, {})
                    counts[was] = counts.get(was, 0) + 1
            doc._.kg_restore = {now: max(sorted(counts), key=counts.get) for now, counts in written.items()}
            text = simple
        doc._.kg_text = fold_text(text, self.table)
        return doc

    def _traditional(self, text: str) -> bool:
        """At least ``share`` of the Han characters, and more than a few, are traditional forms
        (a simplified line may hold two: 乾县, 於某某)."""
        if not self.traditional.intersection(text[:_SAMPLE]):  # an article in traditional characters shows it early
            return False
        hits = sum(text.count(ch) for ch in self.traditional.intersection(text))
        return hits >= _FEWEST_TRADITIONAL and hits >= self.share * len(_HAN.findall(text))
