"""Plain records that flow between stages.

Extraction produces :class:`DocumentExtraction` per article; identity
resolution turns many of them into :class:`Entity` and :class:`Fact`. They are
plain dataclasses (picklable, comparable) so documents can be extracted in
worker processes, cached, or shipped to a cluster without spaCy objects.
"""
from __future__ import annotations

import bisect
import operator
from dataclasses import dataclass, field, fields

ORG_TYPES = ("Enterprise", "TradeUnion", "GovernmentBody", "Institution")
CORE_TYPES = ("Person", *ORG_TYPES, "Place", "Award", "Competition")
EXTENDED_TYPES = ("Studio", "Event", "Program", "Document")
ENTITY_TYPES = CORE_TYPES + EXTENDED_TYPES
CORE_RELATIONS = ("worksFor", "receivedAward", "participatedIn", "locatedIn", "heldIn",
                  "organizedBy", "subOrganizationOf")
EXTENDED_RELATIONS = ("leads", "partOf")
RELATIONS = CORE_RELATIONS + EXTENDED_RELATIONS


def coarse_type(label: str) -> str:
    """The type an entity is identified by: the four organisation classes are one."""
    return "Organization" if label in ORG_TYPES else label


@dataclass(frozen=True, order=True)
class Mention:
    """A span of the document text naming an entity.

    ``name`` is the normalised name the span stands for (quotes, years and
    spacing removed, short forms expanded where the rules know the full one);
    ``text`` is the surface form as written.
    """

    start: int
    end: int
    label: str
    text: str
    name: str
    rule: str
    confidence: float = 1.0
    year: int | None = None
    edition: str | None = None

    @property
    def key(self) -> tuple[str, str]:
        return (coarse_type(self.label), self.name)


#: the order of :class:`Mention` (its fields in turn) as a sort key: the same order, computed in C
#: rather than by the dataclass's generated comparisons (a tenth of the resolver's time)
MENTION_ORDER = operator.attrgetter(*(f.name for f in fields(Mention)))


@dataclass(frozen=True, order=True)
class Relation:
    """A relation between two mentions, with the evidence span that supports it."""

    subject: Mention
    predicate: str
    object: Mention
    start: int
    end: int
    rule: str
    confidence: float = 1.0
    year: int | None = None
    conferred_by: Mention | None = None


@dataclass(frozen=True, order=True)
class Sentence:
    start: int
    end: int
    text: str


@dataclass(frozen=True)
class DocumentExtraction:
    """All a single article yields: its identity, sentences, mentions and relations."""

    name: str
    sha256: str
    encoding: str
    title: str
    text_length: int
    sentences: tuple[Sentence, ...]
    mentions: tuple[Mention, ...]
    relations: tuple[Relation, ...]
    passages: tuple[Sentence, ...] = ()

    @property
    def doc_id(self) -> str:
        return self.sha256[:16]

    def evidence_span(self, start: int, end: int) -> Sentence:
        """The sentence, or the passage of sentences, that a relation's evidence spans."""
        for s in self.passages:
            if (s.start, s.end) == (start, end):
                return s
        s = self.sentence_at(start)
        if (s.start, s.end) != (start, end):
            raise ValueError(f"{self.name}: no evidence span {start}-{end}")
        return s

    def sentence_at(self, start: int, starts: list[int] | None = None) -> Sentence:
        """The sentence that contains offset ``start``.

        Sentences come in text order, so a binary search finds it (over ``starts``, the
        sentences' start offsets, when a caller looking up many offsets made that list once);
        the scan below only runs for an offset outside every sentence.
        """
        i = (bisect.bisect_right(starts, start) if starts is not None
             else bisect.bisect_right(self.sentences, start, key=_start)) - 1
        if i >= 0 and start < self.sentences[i].end and (i == 0 or start >= self.sentences[i - 1].end):
            return self.sentences[i]
        for s in self.sentences:
            if s.start <= start < s.end:
                return s
        raise ValueError(f"{self.name}: no sentence at offset {start}")


def _start(s: Sentence) -> int:
    return s.start


@dataclass
class Entity:
    """One real-world thing after identity resolution across documents."""

    key: tuple[str, str]
    label: str
    name: str
    aliases: set[str] = field(default_factory=set)
    edition: str | None = None


@dataclass(frozen=True, order=True)
class Fact:
    """A resolved relation triple with one piece of evidence."""

    subject: tuple[str, str]
    predicate: str
    object: tuple[str, str]
    doc_id: str
    start: int
    end: int
    rule: str
    confidence: float
    year: int | None = None
    conferred_by: tuple[str, str] | None = None
