"""Run the pipeline over documents: SourceDocument in, DocumentExtraction out.

The result holds no spaCy objects, so it can cross process boundaries and
be cached; this is the only module that touches ``Doc``.
"""
from __future__ import annotations

from typing import Iterable, Iterator

from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from spacy.language import Language

from kg.model import DocumentExtraction
from kg.pipeline import shared_nlp
from kg.read import SourceDocument


def extract(doc: SourceDocument, nlp: "Language | None" = None) -> DocumentExtraction:
    nlp = nlp or shared_nlp()
    return _to_record(doc, nlp(doc.text))


def extract_all(docs: Iterable[SourceDocument], nlp: "Language | None" = None) -> Iterator[DocumentExtraction]:
    nlp = nlp or shared_nlp()
    for doc in docs:
        yield _to_record(doc, nlp(doc.text))


def _to_record(src: SourceDocument, doc) -> DocumentExtraction:
    return DocumentExtraction(
        name=src.name, sha256=src.sha256, encoding=src.encoding, title=src.title,
        text_length=len(src.text), sentences=tuple(doc._.kg_sentences),
        mentions=tuple(doc._.kg_mentions), relations=tuple(doc._.kg_relations),
        passages=tuple(doc._.kg_passages))
