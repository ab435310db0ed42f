"""Sentence stage: split at sentence-final punctuation and at line ends.

News pages put headlines, captions and list rows on lines of their own, so a
line end always ends a sentence; within a line, 。！？ (and ; when
configured) do, with closing quotes kept on the sentence they close.
"""
from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from kg.model import Sentence

if not Doc.has_extension("kg_sentences"):
    Doc.set_extension("kg_sentences", default=())


@Language.factory("kg_sentencizer", assigns=["doc._.kg_sentences"], requires=["doc._.kg_text"], default_config={"enders": "。!?", "closers": "”’\"')》"})
def make_sentencizer(nlp: Language, name: str, enders: str, closers: str):
    return Sentencizer(enders, closers)


class Sentencizer:
    def __init__(self, enders: str, closers: str):
        e, c = re.escape(enders), re.escape(closers)
        self.pattern = re.compile(rf"[^\n{e}]*(?:[{e}]+[{c}]*|(?=\n)|$)")

    def __call__(self, doc: Doc) -> Doc:
        doc._.kg_sentences = tuple(split_sentences(doc._.kg_text or doc.text, self.pattern))
        return doc


def split_sentences(text: str, pattern: re.Pattern) -> list[Sentence]:
    out = []
    for m in pattern.finditer(text):
        start, end = m.start(), m.end()
        while start < end and text[start].isspace():
            start += 1
        while end > start and text[end - 1].isspace():
            end -= 1
        if end > start:
            out.append(Sentence(start, end, text[start:end]))
    return out
