"""``kg_name_structure``: relations that the nesting of names states.

The place at the head of an organisation's name (樟树某某公司 → 樟树), a parent
organisation at the head of a unit's name (某某大学某某研究中心 → 某某大学), the
leader at the head of a studio's name, a contest inside an event's name, and
chains of divisions (吉安市青原区 → 青原区 in 吉安市). Their rule ids start
with ``structure.``: the graph marks them as inferred from a name.
"""
from __future__ import annotations

from spacy.language import Language
from spacy.tokens import Doc

from kg.model import ORG_TYPES, Mention, Relation, Sentence
from kg.pipeline import gazetteer as gz
from kg.pipeline.data import DataComponent
from kg.pipeline.index import MentionIndex

if not Doc.has_extension("kg_relations"):
    Doc.set_extension("kg_relations", default=())


@Language.factory("kg_name_structure", assigns=["doc._.kg_relations"],
                  requires=["doc._.kg_sentences", "doc._.kg_mentions"], default_config={})
def make_name_structure(nlp: Language, name: str):
    return NameStructure(nlp, name)


class NameStructure(DataComponent):
    resources = (*gz.RESOURCES, "lexicons/legal_forms.txt", "lexicons/relation_grammar.json",
                 "lexicons/org_suffixes.json")

    def setup(self, data) -> None:
        self.gazetteer = gz.gazetteer(data)
        self.legal = tuple(data.words("legal_forms"))
        self.qualifier_opens = tuple(data.table("relation_grammar")["parenthesis_open"])
        suffixes = data.table("org_suffixes")
        self.departments = tuple(suffixes["whole_units"])
        self.site_units = tuple(suffixes["units_of_the_site"])
        self.sited_units = tuple(suffixes["units_with_a_site"])

    def process(self, doc: Doc) -> Doc:
        index = MentionIndex(doc._.kg_mentions)
        found = list(doc._.kg_relations)
        for sent in doc._.kg_sentences:
            found.extend(self._relations(sent, index.within(sent.start, sent.end)))
        doc._.kg_relations = tuple(sorted(set(found)))
        return doc

    def _has_a_site(self, unit: Mention) -> bool:
        """A branch or a site (某公司宜宾分公司, 某局某中心, 某公司某项目部) is located where its name
        begins; a department (某医院骨科), or a company's workshop or team (某公司焊接车间), is part of
        its parent's site."""
        name = unit.text
        if name.endswith(self.departments):
            return False
        return unit.label != "Enterprise" or not name.endswith(self.site_units) or name.endswith(self.sited_units)

    def _relations(self, sent: Sentence, inside: list[Mention]):
        g = self.gazetteer
        for outer in inside:
            for inner in inside:
                if inner is outer or not (outer.start <= inner.start and inner.end <= outer.end):
                    continue
                if (inner.start, inner.end) == (outer.start, outer.end):
                    continue
                if outer.label in ORG_TYPES and inner.label == "Place":
                    if g.level(inner.text) == "country" or outer.text != outer.name \
                            and outer.text.endswith(outer.name) and inner.end <= outer.end - len(outer.name):
                        continue  # 某市某某股份有限公司某某公司: the owner's place, not the named company's
                    direct = _direct_places(inside, outer)
                    where = _where(direct, g)
                    if inner is where or inner is _head_before_bare(direct, where, outer, g) \
                            or inner.start == outer.start \
                            and _direct_parent(inside, outer) is not None and self._has_a_site(outer):
                        yield Relation(outer, "locatedIn", inner, sent.start, sent.end,
                                       "structure.place_in_org_name", 0.8)
                elif outer.label in ORG_TYPES and inner.label in ORG_TYPES and inner.start == outer.start:
                    if inner is not _direct_parent(inside, outer):
                        continue  # 甲局乙中心丙中心 is a unit of 甲局乙中心, which is one of 甲局
                    rest = outer.text[len(inner.text):]
                    if rest and rest not in self.legal and not rest.startswith(self.qualifier_opens):
                        yield Relation(outer, "subOrganizationOf", inner, sent.start, sent.end,
                                       "structure.parent_in_unit_name", 0.85)
                elif outer.label == "Studio" and inner.label == "Person" and inner is _leader(inside, outer):
                    yield Relation(inner, "leads", outer, sent.start, sent.end,
                                   "structure.person_in_studio_name", 0.9)
                elif outer.label == "Competition" and inner.label == "Competition" and inner.start == outer.start:
                    yield Relation(outer, "partOf", inner, sent.start, sent.end,
                                   "structure.contest_in_series_name", 0.8)
                elif outer.label == "Event" and inner.label == "Competition":
                    yield Relation(outer, "partOf", inner, sent.start, sent.end,
                                   "structure.contest_in_event_name", 0.8)
                elif outer.label == "Place" and inner.label == "Place" and inner.start == outer.start:
                    yield Relation(outer, "locatedIn", inner, sent.start, sent.end,
                                   "structure.place_in_place_name", 0.8)
        places = sorted((m for m in inside if m.label == "Place"), key=lambda m: m.start)
        for a, b in zip(places, places[1:]):
            if b.start == a.end and (g.contains(a.text, b.text) or b.rule == "place.locality"):
                yield Relation(b, "locatedIn", a, sent.start, sent.end, "structure.division_chain", 0.9)


def _leader(inside: list[Mention], studio: Mention) -> Mention | None:
    """The person a studio is named after: the last one written in its name."""
    people = [m for m in inside if m.label == "Person" and studio.start <= m.start and m.end <= studio.end]
    return people[-1] if people else None


def _direct_parent(inside: list[Mention], outer: Mention) -> Mention | None:
    """The longest organisation name nested at the head of ``outer``'s name."""
    heads = [m for m in inside if m.label in ORG_TYPES and m.start == outer.start and m.end < outer.end]
    return max(heads, key=lambda m: (m.end, m.label)) if heads else None


#: places the gazetteer knows as natural features: no organisation is located in a mountain or a river
FEATURES = ("mountain", "river", "lake")


def _where(places: list[Mention | None], gazetteer) -> Mention | None:
    """The place an organisation's name says it is in: the last division written in it (商洛 of
    商洛秦岭新材料公司, where 秦岭 is the brand's mountain); a feature only where no division is."""
    divisions = [p for p in places if p is not None and gazetteer.level(p.text) not in FEATURES]
    return divisions[-1] if divisions else places[-1]


def _head_before_bare(places: list[Mention | None], where: Mention | None, outer: Mention,
                      gazetteer) -> Mention | None:
    """The place at the head of a name whose last place is written bare (沈阳|铁西|精工公司,
    广西|柳江|职业技术学院): a bare district or a feature there is as often the name's brand as
    its address, so the head names the place too; a chain written in full (某县某镇服务站) is
    where the last division says."""
    if where is None or where.start == outer.start or where.text == where.name:
        return None
    head = places[0]
    if head is None or head.start != outer.start or gazetteer.level(head.text) in FEATURES:
        return None
    return head


def _direct_places(inside: list[Mention], outer: Mention) -> list[Mention]:
    """Places written in an organisation's name but not in a parent's name nested in it."""
    nested_orgs = [m for m in inside if m.label in ORG_TYPES and m is not outer
                   and outer.start <= m.start and m.end <= outer.end and m.end - m.start < outer.end - outer.start]
    return sorted((m for m in inside if m.label == "Place" and outer.start <= m.start and m.end <= outer.end
                   and not any(o.start <= m.start and m.end <= o.end for o in nested_orgs)),
                  key=lambda m: m.start) or [None]
