"""Run the pipeline over documents: SourceDocument in, DocumentExtraction out.

The result holds no spaCy objects, so it can cross process boundaries and
be cached; this is the only module that touches ``Doc``. Offsets in the
record refer to the document's text as decoded from its file, and sentences
are quoted from that text: the pipeline works on a normalised copy
(:mod:`kg.pipeline.chars`, :mod:`kg.pipeline.normalize`), whose offsets are
mapped back here.
"""
from __future__ import annotations

from dataclasses import replace
from typing import TYPE_CHECKING, Iterable, Iterator

if TYPE_CHECKING:
    from spacy.language import Language

from kg.model import DocumentExtraction, Mention, Relation, Sentence
from kg.pipeline import shared_nlp
from kg.read import SourceDocument


def extract(doc: SourceDocument, nlp: "Language | None" = None) -> DocumentExtraction:
    nlp = nlp or shared_nlp()
    return _to_record(doc, nlp(doc.text))


def extract_all(docs: Iterable[SourceDocument], nlp: "Language | None" = None) -> Iterator[DocumentExtraction]:
    nlp = nlp or shared_nlp()
    for doc in docs:
        yield _to_record(doc, nlp(doc.text))


class _SourceOffsets:
    """Offsets of the pipeline's text mapped to the source text."""

    def __init__(self, source: str, starts: list[int] | None):
        self.source, self.starts = source, starts

    def start(self, i: int) -> int:
        return i if self.starts is None else self.starts[i]

    def end(self, i: int) -> int:
        return i if self.starts is None else self.starts[i]

    def sentence(self, s: Sentence) -> Sentence:
        a, b = self.start(s.start), self.end(s.end)
        return Sentence(a, b, self.source[a:b])

    def mention(self, m: Mention) -> Mention:
        if self.starts is None:
            return m
        return replace(m, start=self.start(m.start), end=self.end(m.end))

    def relation(self, r: Relation) -> Relation:
        if self.starts is None:
            return r
        return replace(r, subject=self.mention(r.subject), object=self.mention(r.object),
                       start=self.start(r.start), end=self.end(r.end),
                       conferred_by=self.mention(r.conferred_by) if r.conferred_by else None)


def _to_record(src: SourceDocument, doc) -> DocumentExtraction:
    at = _SourceOffsets(src.text, doc._.kg_source_offsets)
    return DocumentExtraction(
        name=src.name, sha256=src.sha256, encoding=src.encoding, title=src.title,
        text_length=len(src.text), sentences=tuple(at.sentence(s) for s in doc._.kg_sentences),
        mentions=tuple(at.mention(m) for m in doc._.kg_mentions),
        relations=tuple(at.relation(r) for r in doc._.kg_relations),
        passages=tuple(at.sentence(s) for s in doc._.kg_passages))
