"""Run the pipeline over documents: SourceDocument in, DocumentExtraction out.

The result holds no spaCy objects, so it can cross process boundaries and
be cached; this is the only module that touches ``Doc``. Offsets in the
record refer to the document's text as decoded from its file, and sentences
are quoted from that text: the pipeline works on a normalised copy
(:mod:`kg.pipeline.chars`, :mod:`kg.pipeline.normalize`), whose offsets are
mapped back here.

A document longer than the pipeline takes at once (spaCy's
``nlp.max_length``, 1,000,000 characters) is run in pieces of at most
:data:`PIECE_CHARS`, cut after a line break (else after a sentence's end)
and put back together with every offset moved by its piece's start, so the
record is one document's, its offsets and quotes exact. Such a file is an
archive's dump of many articles, not one article: what the rules link only
within one text (a short name to the full name earlier on) is not linked
across two pieces.
"""
from __future__ import annotations

import unicodedata
from dataclasses import replace
from typing import TYPE_CHECKING, Iterable, Iterator

if TYPE_CHECKING:
    from spacy.language import Language

from kg.model import DocumentExtraction, Mention, Relation, Sentence
from kg.pipeline import shared_nlp
from kg.read import SourceDocument


#: most characters of one piece of a document longer than ``nlp.max_length``
PIECE_CHARS = 100_000
_SENTENCE_ENDS = "。！？!?；;"


def extract(doc: SourceDocument, nlp: "Language | None" = None) -> DocumentExtraction:
    nlp = nlp or shared_nlp()
    if len(doc.text) <= nlp.max_length:
        return _to_record(doc, [(0, nlp(doc.text))])
    return _to_record(doc, ((start, nlp(doc.text[start:end]))
                            for start, end in pieces(doc.text, min(PIECE_CHARS, nlp.max_length))))


def extract_all(docs: Iterable[SourceDocument], nlp: "Language | None" = None) -> Iterator[DocumentExtraction]:
    nlp = nlp or shared_nlp()
    for doc in docs:
        yield extract(doc, nlp)


def pieces(text: str, limit: int) -> list[tuple[int, int]]:
    """``(start, end)`` of consecutive pieces of ``text``, each at most ``limit`` characters,
    cut after the last line break in a piece's second half, else after the last sentence
    end there, else at the limit (never inside a CR LF or before a combining mark)."""
    out: list[tuple[int, int]] = []
    start, n = 0, len(text)
    while n - start > limit:
        lo, hi = start + limit // 2, start + limit
        cut = text.rfind("\n", lo, hi) + 1
        if cut <= 0:
            cut = max(text.rfind(ch, lo, hi) for ch in _SENTENCE_ENDS) + 1
        if cut <= 0:
            cut = hi
            while cut > lo and (unicodedata.combining(text[cut]) or text[cut - 1:cut + 1] == "\r\n"):
                cut -= 1
        out.append((start, cut))
        start = cut
    out.append((start, n))
    return out


class _SourceOffsets:
    """Offsets of the pipeline's text (of the piece at ``shift``) mapped to the source text."""

    def __init__(self, source: str, starts: list[int] | None, shift: int = 0):
        self.source, self.starts, self.shift = source, starts, shift
        self.identity = starts is None and shift == 0

    def start(self, i: int) -> int:
        return self.shift + (i if self.starts is None else self.starts[i])

    end = start

    def sentence(self, s: Sentence) -> Sentence:
        a, b = self.start(s.start), self.end(s.end)
        return Sentence(a, b, self.source[a:b])

    def mention(self, m: Mention) -> Mention:
        if self.identity:
            return m
        return replace(m, start=self.start(m.start), end=self.end(m.end))

    def relation(self, r: Relation) -> Relation:
        if self.identity:
            return r
        return replace(r, subject=self.mention(r.subject), object=self.mention(r.object),
                       start=self.start(r.start), end=self.end(r.end),
                       conferred_by=self.mention(r.conferred_by) if r.conferred_by else None)


class _AsWritten:
    """Names in the characters the article wrote: an article in traditional characters is read
    folded to simplified ones (``kg_normalizer``), and its names are given back unfolded."""

    def __init__(self, restore: dict[str, str] | None):
        self.table = str.maketrans(restore) if restore else None

    def mention(self, m: Mention) -> Mention:
        if self.table is None:
            return m
        return replace(m, text=m.text.translate(self.table), name=m.name.translate(self.table))

    def relation(self, r: Relation) -> Relation:
        if self.table is None:
            return r
        return replace(r, subject=self.mention(r.subject), object=self.mention(r.object),
                       conferred_by=self.mention(r.conferred_by) if r.conferred_by else None)


def _to_record(src: SourceDocument, parts: Iterable[tuple[int, "object"]]) -> DocumentExtraction:
    """The record of ``src`` from its pipeline ``Doc`` (or the Docs of its pieces, by start)."""
    sentences: list[Sentence] = []
    mentions: list[Mention] = []
    relations: list[Relation] = []
    passages: list[Sentence] = []
    for shift, doc in parts:
        at = _SourceOffsets(src.text, doc._.kg_source_offsets, shift)
        written = _AsWritten(doc._.kg_restore)
        sentences += (at.sentence(s) for s in doc._.kg_sentences)
        mentions += (written.mention(at.mention(m)) for m in doc._.kg_mentions)
        relations += (written.relation(at.relation(r)) for r in doc._.kg_relations)
        passages += (at.sentence(s) for s in doc._.kg_passages)
    return DocumentExtraction(
        name=src.name, sha256=src.sha256, encoding=src.encoding, title=src.title,
        text_length=len(src.text), sentences=tuple(sentences), mentions=tuple(mentions),
        relations=tuple(relations), passages=tuple(passages))
