"""Resolve-identities stage: mentions across documents -> entities, relations -> facts.

Two mentions are one entity when they share a coarse type (the four
organisation classes are one) and an *identity name*:

* the mention's normalised name (places: the division's full name, so 江西
  and 江西省 meet; organisations: 省总工会 already expanded to 江西省总工会);
* its surface form, unless that form only means something in context (a
  province-relative 省… name), so a short name written alone in one article
  (某某) meets the same short name tied to the full name in another;
* for contests named under a brand, the brand itself when nothing but
  place, year, edition and generic words surround it (2023年江西省“天工杯”
  劳动和技能竞赛, “天工杯”竞赛 and “天工杯” are one contest; “天工杯”长江大保护
  项目职工职业技能竞赛 is another).

Clusters are closed transitively (union-find). Facts keep one piece of
evidence per sentence; a fact whose ends do not fit the relation's domain
and range, or whose ends are one entity, is dropped.
"""
from __future__ import annotations

import re
from collections import Counter, defaultdict
from dataclasses import dataclass
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


@dataclass
class Resolution:
    entities: dict[tuple[str, str], Entity]   # identity key -> entity
    facts: list[Fact]
    documents: list[DocumentExtraction]

    def entity_of(self, doc_id: str, mention: Mention) -> Entity:
        return self.entities[self._index[(doc_id, mention.start, mention.end, mention.label)]]

    _index: dict


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
        self.generic_tail = re.compile("^(?:" + alternation(spec["generic_fillers"]) + ")*(?:"
                                       + alternation(spec["cores"]) + ")?(?:" + alternation(spec["tails"]) + ")?$")

    def names(self, m: Mention) -> set[str]:
        ctype = coarse_type(m.label)
        out = {m.name}
        surface = display_name(m)
        clean = clean_name(surface)
        if ctype != "Place" and not clean.startswith(("省", "市", "县", "区")):
            out.add(clean)
        if m.label == "Competition":
            out = {self.contest_key(surface), self.contest_key(m.name)}
        elif m.label == "Event":
            out |= {self.ceremony_key(surface)}
        elif m.label == "Enterprise":
            out |= {self.without_legal_form(n) for n in out}
        return {n for n in out if n}

    def without_legal_form(self, name: str) -> str:
        """某某光学公司 and 某某光学 are one company; the legal form is not part of its identity."""
        for form in self.legal:
            if name.endswith(form) and len(name) - len(form) >= 2:
                return name[: -len(form)]
        return name

    def ceremony_key(self, name: str) -> str:
        """A contest's ceremony is named after the contest: one key for every name of it
        (“天工杯”启动仪式, 江西省“天工杯”劳动和技能竞赛启动仪式)."""
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


def display_name(m: Mention) -> str:
    """The surface form as a label: folded text, leading year dropped, ends trimmed."""
    return YEAR_PREFIX.sub("", m.text).strip(" ,、")


def resolve(docs: Iterable[DocumentExtraction]) -> Resolution:
    docs = sorted(docs, key=lambda d: (d.sha256, d.name))
    ids = IdentityNames()
    uf = _UnionFind()
    mention_keys: list[tuple[str, Mention, tuple[str, str]]] = []
    for d in docs:
        for m in d.mentions:
            ct = coarse_type(m.label)
            names = sorted(ids.names(m))
            first = (ct, names[0])
            for n in names[1:]:
                uf.union(first, (ct, n))
            mention_keys.append((d.doc_id, m, first))
    clusters: dict[tuple[str, str], list[tuple[str, Mention]]] = defaultdict(list)
    for doc_id, m, key in mention_keys:
        clusters[uf.find(key)].append((doc_id, m))
    entities: dict[tuple[str, str], Entity] = {}
    index: dict = {}
    for root, members in clusters.items():
        ent = _entity(root[0], members, ids)
        entities[ent.key] = ent
        for doc_id, m in members:
            index[(doc_id, m.start, m.end, m.label)] = ent.key
    facts = _facts(docs, entities, index)
    res = Resolution(entities=entities, facts=facts, documents=docs, _index=index)
    return res


def _entity(ctype: str, members: list[tuple[str, Mention]], ids: IdentityNames) -> Entity:
    members.sort(key=lambda dm: (dm[0], dm[1].start, dm[1].end, dm[1].label))
    votes = Counter(m.label for _, m in members)
    label = sorted(votes, key=lambda t: (-votes[t], _TYPE_PRIORITY.index(t)))[0]
    surfaces = {display_name(m) for _, m in members}
    names = {m.name for _, m in members}
    if ctype == "Place":
        key_name = min(names, key=lambda n: (-len(n), n))
    elif label == "Competition":
        key_name = min({ids.contest_key(display_name(m)) for _, m in members}, key=lambda n: (len(n), n))
    else:
        key_name = min(names, key=lambda n: (-len(clean_name(n)), n))
    all_names = surfaces | {n for n in names if n not in {clean_name(s) for s in surfaces}}
    display = min(all_names, key=lambda n: (-len(clean_name(n)), n))
    aliases = {n for n in all_names if clean_name(n) != clean_name(display)}
    editions = sorted({m.edition for _, m in members if m.edition})
    return Entity(key=(ctype, key_name), label=label, name=display, aliases=aliases,
                  mentions=members, edition=editions[0] if editions else None)


def _facts(docs, entities, index) -> list[Fact]:
    best: dict[tuple, Fact] = {}
    for d in docs:
        for r in d.relations:
            s = index[(d.doc_id, r.subject.start, r.subject.end, r.subject.label)]
            o = index[(d.doc_id, r.object.start, r.object.end, r.object.label)]
            if s == o:
                continue
            dom, rng = DOMAIN_RANGE[r.predicate]
            if entities[s].label not in dom or entities[o].label not in rng:
                continue
            by = None
            if r.conferred_by is not None:
                by = index.get((d.doc_id, r.conferred_by.start, r.conferred_by.end, r.conferred_by.label))
            fact = Fact(s, r.predicate, o, d.doc_id, r.start, r.end, r.rule, r.confidence, r.year, by)
            k = (s, r.predicate, o, d.doc_id, r.start)
            old = best.get(k)
            if old is None or (fact.confidence, -len(fact.rule), fact.year or 0) > \
                    (old.confidence, -len(old.rule), old.year or 0):
                best[k] = fact
    return sorted(best.values())
