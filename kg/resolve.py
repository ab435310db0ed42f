"""Identity resolution: mentions across documents -> entities, relations -> facts.

Two mentions are one entity when they share a coarse type (the four
organisation classes are one) and an *identity name*:

* the mention's normalised name (places: the division's full name, so a
  province's short and full names meet; organisations: a province-relative
  省总工会 already expanded to the province's full body name);
* its surface form, unless that form only means something in context (a
  province-relative 省… name), so a short name written alone in one article
  (某某) meets the same short name tied to the full name in another;
* for contests named under a brand, the brand itself when nothing but
  place, year, edition and generic words surround it (2023年某某省“天工杯”
  劳动和技能竞赛, “天工杯”竞赛 and “天工杯” are one contest; “天工杯”长江大保护
  项目职工职业技能竞赛 is another).

The corpus-wide part is an :class:`IdentityIndex`, fed one document at a
time (a build streams through it; in memory it is the same index fed every
document): per identity name a union-find link, where the name was first
seen, the votes for each class and the distinct forms of its mentions, so it
grows with the number of distinct names, not of mentions. Its clusters
become an :class:`EntityTable`. Facts are then made per document
(:func:`document_facts`): one piece of evidence per sentence; a fact whose
ends do not fit the relation's domain and range, or whose ends are one
entity, is dropped.
"""
from __future__ import annotations

import re
from collections import Counter
from dataclasses import dataclass, field
from typing import Iterable

from kg.model import ORG_TYPES, DocumentExtraction, Entity, Fact, Mention, coarse_type
from kg.names import EDITION, YEAR_PREFIX, clean_name
from kg.pipeline.data import alternation, packaged
from kg.pipeline.gazetteer import packaged_gazetteer

DOMAIN_RANGE: dict[str, tuple[tuple[str, ...], tuple[str, ...]]] = {
    "worksFor": (("Person",), ORG_TYPES),
    "receivedAward": (("Person", *ORG_TYPES), ("Award",)),
    "participatedIn": (("Person", *ORG_TYPES), ("Competition", "Event")),
    "locatedIn": ((*ORG_TYPES, "Place", "Studio"), ("Place",)),
    "heldIn": (("Competition", "Event"), ("Place",)),
    "organizedBy": (("Competition", "Event", "Program"), ORG_TYPES),
    "subOrganizationOf": (ORG_TYPES, ORG_TYPES),
    "leads": (("Person",), ("Studio",)),
    "partOf": (("Competition", "Event"), ("Competition", "Event", "Program")),
}
_CEREMONY = re.compile(r"(?:启动仪式|开幕式|闭幕式|颁奖典礼|颁奖仪式|仪式)$")
_TYPE_PRIORITY = ("Person", "Enterprise", "TradeUnion", "GovernmentBody", "Institution", "Place",
                  "Award", "Competition", "Event", "Studio", "Program", "Document")
#: names that only mean something relative to a province, city or county named elsewhere
_RELATIVE = ("省", "市", "县", "区")

Key = tuple[str, str]


class _UnionFind:
    def __init__(self):
        self.parent: dict = {}

    def find(self, x):
        self.parent.setdefault(x, x)
        while self.parent[x] != x:
            self.parent[x] = self.parent[self.parent[x]]
            x = self.parent[x]
        return x

    def union(self, a, b):
        ra, rb = self.find(a), self.find(b)
        if ra != rb:
            self.parent[max(ra, rb)] = min(ra, rb)


class IdentityNames:
    """The names by which a mention may meet mentions of the same thing."""

    def __init__(self):
        spec = packaged().table("competitions")
        self.gazetteer = packaged_gazetteer()
        self.brand = re.compile(r"“([^“”]{1,8}杯)”")
        self.legal = tuple(sorted(packaged().words("legal_forms"), key=len, reverse=True))
        self._first: dict[tuple, Key] = {}
        self._sorted: dict[tuple, tuple[str, ...]] = {}
        self.generic_tail = re.compile("^(?:" + alternation(spec["generic_fillers"]) + ")*(?:"
                                       + alternation(spec["cores"]) + ")?(?:" + alternation(spec["tails"]) + ")?$")

    def names(self, m: Mention) -> set[str]:
        ctype = coarse_type(m.label)
        out = {m.name}
        surface = display_form(m.text)
        clean = clean_name(surface)
        if ctype != "Place" and not clean.startswith(_RELATIVE):
            out.add(clean)
        if m.label == "Competition":
            out = {self.contest_key(surface), self.contest_key(m.name)}
        elif m.label == "Event":
            out |= {self.ceremony_key(surface)}
        elif m.label == "Enterprise":
            out |= {self.without_legal_form(n) for n in out}
        return {n for n in out if n}

    def sorted_names(self, m: Mention) -> tuple[str, ...]:
        """:meth:`names`, sorted (memoised like :meth:`first`)."""
        memo_key = (m.label, m.name, m.text)
        found = self._sorted.get(memo_key)
        if found is None:
            if len(self._sorted) >= 1 << 18:
                self._sorted.clear()
            found = self._sorted[memo_key] = tuple(sorted(self.names(m)))
        return found

    def first(self, m: Mention) -> Key:
        """The identity name an :class:`EntityTable` files the mention under (memoised: the same
        name recurs in many documents, and it depends on the label, name and surface form alone)."""
        memo_key = (m.label, m.name, m.text)
        found = self._first.get(memo_key)
        if found is None:
            if len(self._first) >= 1 << 18:
                self._first.clear()
            found = self._first[memo_key] = (coarse_type(m.label), self.sorted_names(m)[0])
        return found

    def without_legal_form(self, name: str) -> str:
        """某某光学公司 and 某某光学 are one company; the legal form is not part of its identity."""
        for form in self.legal:
            if name.endswith(form) and len(name) - len(form) >= 2:
                return name[: -len(form)]
        return name

    def ceremony_key(self, name: str) -> str:
        """A contest's ceremony is named after the contest: one key for every name of it
        (“天工杯”启动仪式, 某某省“天工杯”劳动和技能竞赛启动仪式)."""
        name = YEAR_PREFIX.sub("", name)
        m = _CEREMONY.search(name)
        if not m or not self.brand.search(name[: m.start()]):
            return clean_name(name)
        return self.contest_key(name[: m.start()]) + m.group()

    def contest_key(self, name: str) -> str:
        name = EDITION.sub("", YEAR_PREFIX.sub("", name))
        b = self.brand.search(name)
        if not b:
            return name
        head, tail = name[: b.start()], name[b.end():]
        if (not head or head in self.gazetteer.by_form or head[:-1] in self.gazetteer.by_form) \
                and self.generic_tail.match(tail):
            return b.group(1)
        return name


def display_form(text: str) -> str:
    """A surface form as a label: folded text, leading year dropped, ends trimmed."""
    return YEAR_PREFIX.sub("", text).strip(" ,、")


def identity_summary(record: DocumentExtraction, ids: IdentityNames) -> list[tuple]:
    """What the index reads of a document's mentions: ``(label, text, name, edition, sorted
    identity names, how many mentions)`` for each distinct mention, in the order they first occur.

    Small and plain, so a worker process computes it and the building process
    never needs the record itself; a name said five times in a document is one row, so the
    building process, which reads the rows while the workers extract, does a fifth of the work."""
    rows: dict[tuple, int] = {}
    for m in record.mentions:
        row = (m.label, m.text, m.name, m.edition, ids.sorted_names(m))
        rows[row] = rows.get(row, 0) + 1
    return [(*row, n) for row, n in rows.items()]


@dataclass
class EntityTable:
    """The resolved entities, and which entity each mention's first identity name belongs to."""

    entities: dict[Key, Entity]
    key_of: dict[Key, Key]                          # first identity name -> entity key
    aliases: dict[Key, list[str]] = field(default_factory=dict)   # entity key -> owl:sameAs alias names

    @property
    def label_of(self) -> dict[Key, str]:
        return {k: e.label for k, e in self.entities.items()}


class IdentityIndex:
    """The corpus-wide part of identity resolution, fed one document at a time."""

    def __init__(self):
        self.uf = _UnionFind()
        self.first_seen: dict[Key, tuple] = {}
        self.votes: dict[Key, dict[str, int]] = {}   # class -> how many mentions
        self.forms: dict[Key, dict] = {}

    def add(self, order: tuple[str, str], summary: list[tuple]) -> None:
        """One document's :func:`identity_summary`; ``order`` is ``(sha256, file name)``, which
        fixes which cluster comes first whatever order the documents arrive in."""
        for i, (label, text, name, edition, names, count) in enumerate(summary):
            ct = coarse_type(label)
            first = (ct, names[0])
            for n in names[1:]:
                self.uf.union(first, (ct, n))
            votes = self.votes.get(first)
            if votes is None:
                self.first_seen[first] = (order, i)
                votes = self.votes[first] = {}
                self.forms[first] = {}
            elif (order, i) < self.first_seen[first]:
                self.first_seen[first] = (order, i)
            votes[label] = votes.get(label, 0) + count
            self.forms[first][(text, name, edition)] = None

    def entities(self, ids: IdentityNames) -> EntityTable:
        clusters: dict = {}
        for first in self.first_seen:
            clusters.setdefault(self.uf.find(first), []).append(first)
        ordered = sorted(clusters.items(), key=lambda kv: min(self.first_seen[f] for f in kv[1]))
        entities: dict[Key, Entity] = {}
        key_of: dict[Key, Key] = {}
        for root, firsts in ordered:
            votes: Counter = Counter()
            forms: dict = {}
            for f in firsts:
                votes.update(self.votes[f])
                forms.update(self.forms[f])
            ent = make_entity(root[0], votes, forms, ids)
            entities[ent.key] = ent
            for f in firsts:
                key_of[f] = ent.key
        return EntityTable(entities, key_of, alias_names(entities))


def make_entity(ctype: str, votes: Counter, forms: Iterable[tuple[str, str, str | None]],
                ids: IdentityNames) -> Entity:
    """One cluster's entity: its class by vote, its key, display name, aliases and edition,
    from the class votes and the distinct ``(surface, name, edition)`` of its mentions."""
    forms = list(forms)
    label = sorted(votes, key=lambda t: (-votes[t], _TYPE_PRIORITY.index(t)))[0]
    surfaces = {display_form(text) for text, _, _ in forms}
    names = {name for _, name, _ in forms}
    if ctype == "Place":
        key_name = min(names, key=lambda n: (-len(n), n))
    elif label == "Competition":
        key_name = min({ids.contest_key(s) for s in surfaces}, key=lambda n: (len(n), n))
    else:
        key_name = min(names, key=lambda n: (-len(clean_name(n)), n))
    all_names = surfaces | {n for n in names if n not in {clean_name(s) for s in surfaces}}
    display = min(all_names, key=lambda n: (-len(clean_name(n)), n))
    aliases = {n for n in all_names if clean_name(n) != clean_name(display)}
    editions = sorted({e for _, _, e in forms if e})
    return Entity(key=(ctype, key_name), label=label, name=display, aliases=aliases,
                  edition=editions[0] if editions else None)


def alias_names(entities: dict[Key, Entity]) -> dict[Key, list[str]]:
    """For each entity, the other names that get an ``owl:sameAs`` alias IRI: names only it
    is known by. A province-relative name (省总工会) is no identity of its own and may name
    several bodies; one alias IRI for two entities would make them one under OWL."""
    claims: dict[Key, set] = {}
    for key, ent in entities.items():
        for name in {clean_name(n) for n in (ent.name, *ent.aliases)} - {key[1]}:
            if not name.startswith((*_RELATIVE, "州")):
                claims.setdefault((key[0], name), set()).add(key)
    out: dict[Key, list[str]] = {}
    for (ctype, name), keys in claims.items():
        if len(keys) == 1 and (ctype, name) not in entities:
            out.setdefault(next(iter(keys)), []).append(name)
    return {k: sorted(v) for k, v in out.items()}


def mention_keys(d: DocumentExtraction, key_of: dict[Key, Key], ids: IdentityNames) -> dict[tuple, Key]:
    """Each mention of ``d``, as ``(start, end, label)``, to its entity's key."""
    return {(m.start, m.end, m.label): key_of[ids.first(m)] for m in d.mentions}


def document_facts(d: DocumentExtraction, keys: dict[tuple, Key], label_of: dict[Key, str]) -> list[Fact]:
    """The facts of one document: its relations between resolved entities, one piece of
    evidence per subject, predicate, object and sentence (the most confident rule wins)."""
    best: dict[tuple, Fact] = {}
    for r in d.relations:
        s = keys[(r.subject.start, r.subject.end, r.subject.label)]
        o = keys[(r.object.start, r.object.end, r.object.label)]
        if s == o:
            continue
        dom, rng = DOMAIN_RANGE[r.predicate]
        if label_of[s] not in dom or label_of[o] not in rng:
            continue
        by = None
        if r.conferred_by is not None:
            by = keys.get((r.conferred_by.start, r.conferred_by.end, r.conferred_by.label))
        fact = Fact(s, r.predicate, o, d.doc_id, r.start, r.end, r.rule, r.confidence, r.year, by)
        k = (s, r.predicate, o, r.start)
        old = best.get(k)
        if old is None or (fact.confidence, -len(fact.rule), fact.year or 0) > \
                (old.confidence, -len(old.rule), old.year or 0):
            best[k] = fact
    return sorted(best.values())
