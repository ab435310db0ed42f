"""``kg_mention_resolver``: choose mentions among candidates, in the article's context.

It reads ``doc._.kg_candidates`` and writes the final ``doc._.kg_mentions``
(and ``doc.spans["kg_entities"]`` for spaCy tools):

* people are vetted and spread (:mod:`kg.pipeline.people`);
* overlaps: a longer, surer candidate wins over one it crosses; nesting is
  kept, because it carries structure (the place at the head of an
  organisation's name, the parent organisation of a plant);
* organisations: 省总工会 is the union of the province the article is
  about (``home_province``, set in config.cfg, when the article does not
  say); a company's short
  name is a mention of it wherever the article uses it
  (:mod:`kg.pipeline.aliases`).
"""
from __future__ import annotations

import bisect
import re
from collections import Counter

from spacy.language import Language
from spacy.tokens import Doc, SpanGroup

from kg.model import MENTION_ORDER, ORG_TYPES, Mention
from kg.pipeline import aliases, people
from kg.pipeline import gazetteer as gz
from kg.pipeline.data import DataComponent, alternation, dictionary_entries
from kg.pipeline.index import MentionIndex
from kg.pipeline.organizations import FULL_LEGAL_FORMS
from kg.pipeline.scanning import CJK, candidates

if not Doc.has_extension("kg_mentions"):
    Doc.set_extension("kg_mentions", default=())
if not Doc.has_extension("kg_province"):
    Doc.set_extension("kg_province", default=None)


@Language.factory("kg_mention_resolver", assigns=["doc._.kg_mentions", "doc._.kg_province", "doc.spans"],
                  requires=["doc._.kg_text", "doc._.kg_candidates"], default_config={"home_province": ""})
def make_mention_resolver(nlp: Language, name: str, home_province: str):
    return MentionResolver(nlp, name, home_province)


class MentionResolver(DataComponent):
    resources = tuple(dict.fromkeys((*gz.RESOURCES, *people.RESOURCES, *aliases.RESOURCES,
                                     "lexicons/org_abbreviations.json", "lexicons/org_suffixes.json",
                                     "lexicons/mention_grammar.json", "lexicons/org_grammar.json",
                                     "lexicons/place_suffixes.json")))

    def __init__(self, nlp: Language, name: str = "kg_mention_resolver", home_province: str = ""):
        super().__init__(nlp, name)
        self.home_province_form = home_province

    def setup(self, data) -> None:
        self.gazetteer = gz.gazetteer(data)
        self.home_province = self.gazetteer.canonical(self.home_province_form)
        self.people = people.PersonNames(data, self.gazetteer)
        self.aliases = aliases.Aliases(data, self.gazetteer)
        self.abbrev = data.table("org_abbreviations")
        variants = self.abbrev["name_variants"]
        self.variants = (re.compile(alternation(variants)), variants)
        grammar = data.table("mention_grammar")
        self.performance_after = re.compile(grammar["performance_after"])
        self.performance_before = tuple(grammar["performance_before"])
        self.relative_exceptions = tuple(grammar["province_relative_exceptions"])
        self.studio_suffixes = tuple(sorted(grammar["studio_suffixes"], key=len, reverse=True))
        self.specialty = re.compile(f"[{CJK}]+\\Z")
        self.list_boundaries = grammar["list_boundaries"]
        self.titled_rules = frozenset(grammar["titled_name_rules"])
        self.place_joiners = tuple(grammar["place_joiners"])
        self.brand_after_name = "”" + data.table("competitions")["brand_marker"]  # “某某”杯: a contest's brand
        self.host_stop = re.compile(alternation(grammar["host_stop_words"]))
        self.host_name = re.compile(f"^[{CJK}A-Za-z0-9]+\\Z")
        self.locative = re.compile(alternation(data.table("place_suffixes")["locatives"]) + "\\Z")
        suffixes = data.table("org_suffixes")
        self.units = tuple(sorted(suffixes["units"], key=len, reverse=True))
        self.org_suffixes = tuple(sorted({x for k in ORG_TYPES for x in suffixes[k]}, key=len, reverse=True))
        org_grammar = data.table("org_grammar")
        self.independent_heads = tuple(org_grammar["division_heads"] + org_grammar["levels"])
        self.group_heads = tuple(org_grammar["group_heads"])
        self.committee_departments = tuple(org_grammar["committee_departments"])
        self.committee_ends = tuple(org_grammar["committee_ends"])
        self.ownership_words = tuple(org_grammar["ownership_words"])
        self.province_level_words = tuple(self.abbrev["province_level_words"])

    def process(self, doc: Doc) -> Doc:
        text = doc._.kg_text
        cands = sorted(set(candidates(doc)), key=MENTION_ORDER)
        province = self._province(cands)
        doc._.kg_province = province
        found_people = people.surest_per_start([c for c in cands if c.label == "Person"])
        in_people = MentionIndex(found_people)
        cands = _after_honours([c for c in cands if not self._short_place_in_name(c, in_people)])
        bodies = self._provincial_bodies(cands)
        places = _PlaceContext(cands, self.gazetteer)
        others = [self._expand_org(c, self._local_province(c, bodies, province)) for c in cands if c.label != "Person"
                  and self._place_ok(text, c, places) and self.people.studio_ok(c) and self._title_ok(text, c)]
        kept = choose(others)
        kept = choose(kept + self._parents(text, kept) + self._committees(kept))
        kept = choose(self._unit_chains(kept))
        kept = drop_inside_titles(kept)
        named = MentionIndex(kept)
        found_people = [p for p in found_people if not people.crosses_named(p, named, titled=p.rule in self.titled_rules)
                        and not text.startswith(self.brand_after_name, p.end)]
        titled = MentionIndex([p for p in found_people if p.rule in self.titled_rules])
        found_people = self.people.spread(text, found_people, kept)
        repeated = MentionIndex([p for p in found_people if p.rule == people.REPEAT_RULE])
        kept = [k for k in kept if not self._short_place_in_name(k, repeated) and not self._place_in_name(k, titled)]
        kept = choose(kept + found_people)
        kept = choose(kept + self._studios(text, kept))
        kept = choose(kept + self._hosts_in_lists(text, kept))
        kept = drop_inside_titles(kept)
        declared = self.aliases.declared_aliases(text, kept)
        kept = [self.aliases.with_declared_head(m, declared) for m in kept]
        kept = self.aliases.company_unions(kept, declared)
        kept = self.aliases.short_names(text, kept, declared)
        kept = self.aliases.suffix_aliases(sorted(set(kept), key=MENTION_ORDER))
        doc._.kg_mentions = tuple(kept)
        group = []
        for m in kept:
            span = doc.char_span(m.start, m.end, label=m.label, alignment_mode="expand")
            if span is not None:
                span.id_ = m.rule
                span.kb_id_ = m.name
                group.append(span)
        doc.spans["kg_entities"] = SpanGroup(doc, name="kg_entities", spans=group)
        return doc

    def _province(self, cands: list[Mention]) -> str:
        """The province the article is about: the one its place names point to most."""
        votes: Counter[str] = Counter()
        g = self.gazetteer
        forms = [c.text for c in cands if c.label == "Place"]
        sure = {codes[0] for codes in (g.by_form.get(f, ()) for f in forms) if len(codes) == 1}
        for form in forms:
            codes = g.by_form.get(form, ())
            if len(codes) > 1:  # 新城区 of 西安 or of 呼和浩特: the one under a place the article names
                codes = [code for code in codes if sure.intersection(g.ancestors(code))][:1] or codes[:1]
            for code in codes[:1]:
                for k in [code, *g.ancestors(code)]:
                    d = g.divisions.get(k)
                    if d is not None and d.level == "province":
                        votes[d.name] += 1
        if votes:
            top = max(votes.values())
            best = sorted(n for n, v in votes.items() if v == top)
            return self.home_province if self.home_province in best else best[0]
        return self.home_province

    def _provincial_bodies(self, cands: list[Mention]) -> list[tuple[int, str]]:
        """(offset, province) of each union or government body named with its province in full
        (某某省总工会, 某某省委): the strongest sign of which province a later 省总工会 means."""
        prefix = self.abbrev["province_relative_prefix"]
        out = []
        for c in cands:
            if c.label in ("TradeUnion", "GovernmentBody") and not c.text.startswith(prefix):
                for n in range(2, 9):
                    code = self.gazetteer.by_form.get(c.text[:n], ())
                    if code and self.gazetteer.divisions[code[0]].level == "province":
                        out.append((c.start, self.gazetteer.divisions[code[0]].name))
                        break
        return sorted(out)

    def _local_province(self, m: Mention, bodies: list[tuple[int, str]], default: str) -> str:
        """A page carries stories from several provinces: 省总工会 is the province whose body
        was last named in full before it, else the article's province."""
        if m.label not in ORG_TYPES or not m.text.startswith(self.abbrev["province_relative_prefix"]):
            return default
        i = bisect.bisect_left(bodies, (m.start, ""))
        return bodies[i - 1][1] if i else default

    @staticmethod
    def _place_in_name(c: Mention, titled: MentionIndex) -> bool:
        """A place in the given name of a person named after a title (长江 in 副主席韩长江) is the name's."""
        return c.label == "Place" and any(p.start < c.start and c.end <= p.end for p in titled.overlapping(c.start, c.end))

    def _short_place_in_name(self, c: Mention, found_people: MentionIndex) -> bool:
        """A place's short form inside a person's name is part of the name (文山 in 李文山)."""
        if c.label != "Place" or c.text == c.name:
            return False
        return any(p.start < c.start and c.end <= p.end for p in found_people.overlapping(c.start, c.end))

    def _place_ok(self, text: str, m: Mention, places: "_PlaceContext") -> bool:
        """A county-level short form or a former district names a place only inside a
        longer name, right after a division that contains it, or where a place is expected
        (after 在, in a list of places) in an article that names its province or prefecture;
        alone it is too often a common word (资源, 振兴, 篇章贡献)."""
        if m.label != "Place" or m.rule != "place.gazetteer":
            return True
        g = self.gazetteer
        level = g.level(m.text)
        if m.text == m.name or level not in ("county", "former-district"):
            return True
        if len(m.text) >= 3 and m.text[-1] in _DIVISION_WORDS:
            return places.region_written(m.text)  # 田阳县 (now 田阳区): written as a division, no common word
        if any(g.contains(c.text, m.text) for c in places.ending_at.get(m.start, ())):
            return True
        inside = any(c is not m and c.label != "Person" and c.start <= m.start and m.end <= c.end
                     and (c.start, c.end) != (m.start, m.end) and not self._in_suffix(m, c)
                     for c in places.all.overlapping(m.start, m.end))
        expected = (self.locative.search(text, max(0, m.start - 3), m.start) is not None
                    or self._listed_with_place(text, m, places)) and not _verb_or_adjective(m.text)
        return (inside or expected) and places.region_written(m.text)

    def _in_suffix(self, m: Mention, org: Mention) -> bool:
        """The short form lies in the generic part of an organisation's name (资源 in
        人力资源和社会保障厅), not in the name that makes it a particular one."""
        if org.label not in ORG_TYPES:
            return False
        suffix = next((s for s in self.org_suffixes if org.text.endswith(s)), "")
        return m.start >= org.end - len(suffix)

    def _listed_with_place(self, text: str, m: Mention, places: "_PlaceContext") -> bool:
        """The short form stands in a list (甲、乙、丙) or a route (甲至乙高速公路) whose other items
        are places too."""
        before, after = text[m.start - 1:m.start], text[m.end:m.end + 1]
        if before not in self.place_joiners and after not in self.place_joiners:
            return False
        return any(c is not m for c in places.ending_at.get(m.start - 1, ())) or \
            any(c is not m for c in places.starting_at.get(m.end + 1, ()))

    def _title_ok(self, text: str, m: Mention) -> bool:
        """A title in 《》 is a Document unless it names a performance (《…》在某地精彩上演)."""
        if m.label != "Document":
            return True
        before = text[max(0, m.start - 3):m.start]
        return not (self.performance_after.match(text[m.end:m.end + 12]) or before.endswith(self.performance_before))

    def _parents(self, text: str, kept: list[Mention]) -> list[Mention]:
        """The parent at the head of a unit's name: 某某石化 in 某某石化九江分公司 (the unit's
        own place, 九江, ends the parent's name)."""
        out = []
        index = MentionIndex(kept)
        for m in kept:
            if m.label not in ORG_TYPES or not m.text.endswith(self.units):
                continue
            inner = [k for k in index.within(m.start, m.end) if k is not m]
            if any(k.label in ORG_TYPES and k.start == m.start for k in inner):
                continue
            places = sorted((k for k in inner if k.label == "Place" and k.start >= m.start + 2), key=lambda k: k.start)
            if not places:
                continue
            parent = text[m.start:places[0].start]
            if parent in self.gazetteer.by_form or len(parent) < 2 or self._ownership_only(parent):
                continue
            out.append(Mention(m.start, places[0].start, "Enterprise", parent, parent, "org.parent_before_place", 0.75))
        return out

    def _committees(self, kept: list[Mention]) -> list[Mention]:
        """The party committee at the head of its department's name (某市委 in 某市委组织部)."""
        out = []
        for m in kept:
            if m.label != "GovernmentBody":
                continue
            dept = next((d for d in self.committee_departments if m.text.endswith(d)), None)
            head = m.text[:-len(dept)] if dept else ""
            if head.endswith(self.committee_ends) and len(head) >= 2:
                out.append(Mention(m.start, m.start + len(head), m.label, head, head, "org.committee_of_department", 0.75))
        return out

    def _ownership_only(self, name: str) -> bool:
        """全资子公司, 控股公司: how the unit after it is held, not a parent's name."""
        while name.startswith(self.ownership_words):
            name = name[len(next(w for w in self.ownership_words if name.startswith(w))):]
        return name in self.units or name in self.org_suffixes

    def _studios(self, text: str, kept: list[Mention]) -> list[Mention]:
        """Studios named after their leader (张三创新工作室), with the host organisation written
        before the leader when there is one (某局张三创新工作室): the host becomes an
        organisation mention if no rule found it."""
        out = []
        starts = {m.start: m for m in kept}
        org_ending = {m.end: m for m in sorted(kept, key=lambda m: (-m.start, m.end)) if m.label in ORG_TYPES}
        for p in (m for m in kept if m.label == "Person"):
            suffix, end = self._studio_end(text, p.end)
            if suffix is None:
                continue
            host = org_ending.get(p.start)
            if host is None:
                lo = max(0, p.start - 12)
                cut = max(text.rfind(ch, lo, p.start) for ch in self.list_boundaries)
                name = text[cut + 1:p.start] if cut >= lo else ""
                if 2 <= len(name) <= 10 and self.host_name.match(name) and cut + 1 not in starts \
                        and not self.people.holds_a_function_word(name) and not self.host_stop.search(name) \
                        and not any(m.start <= cut + 1 < m.end for m in kept):
                    host = Mention(cut + 1, p.start, "Enterprise", name, name, "org.studio_host", 0.7)
                    out.append(host)
            start = host.start if host is not None else p.start
            out.append(Mention(start, end, "Studio", text[start:end], text[start:end], "studio.leader_name", 0.8))
        return out

    def _studio_end(self, text: str, at: int) -> tuple[str | None, int]:
        """The studio suffix right after a leader's name, or after the studio's specialty (某某数控
        创新工作室: two to six characters with no function word in them; a verb may be one: 焊接技能工作室)."""
        for gap in range(0, 7):
            if gap == 1:
                continue
            specialty = text[at:at + gap]
            if gap and (not self.specialty.match(specialty)
                        or self.people.holds_a_function_word(specialty, people.GRAMMAR_TAGS)):
                break
            suffix = next((s for s in self.studio_suffixes if text.startswith(s, at + gap)), None)
            if suffix is not None:
                return suffix, at + gap + len(suffix)
        return None, at

    def _hosts_in_lists(self, text: str, kept: list[Mention]) -> list[Mention]:
        """In a list of people each with their employer (甲公司的张三、乙某的李四), what stands
        where the employer stands is an organisation too (乙某: a short name with no suffix)."""
        out = []
        ends = {m.end: m for m in kept}
        for p in (m for m in kept if m.label == "Person"):
            if text[p.start - 1:p.start] != "的":
                continue
            sep = text.rfind("、", max(0, p.start - 12), p.start - 1)
            if sep < 0:
                continue
            name = text[sep + 1:p.start - 1]
            before = ends.get(sep)
            if before is None or before.label != "Person" or text[before.start - 1:before.start] != "的":
                continue
            employer = ends.get(before.start - 1)
            if employer is None or employer.label not in ORG_TYPES:
                continue
            if 2 <= len(name) <= 8 and self.host_name.match(name) and not self.people.holds_a_function_word(name) \
                    and not any(m.start < p.start - 1 and sep < m.end for m in kept):
                out.append(Mention(sep + 1, p.start - 1, "Enterprise", name, name, "org.listed_employer", 0.7))
        return out

    def _unit_chains(self, kept: list[Mention]) -> list[Mention]:
        """An organisation named right after another, with nothing between, is its unit, and
        its full name runs from the first (某某部某某流域管理局, 某市公安局某某派出所); a name
        that starts with a division or level word stands on its own (…工委省直机关工会)."""
        orgs = {m.start: m for m in kept if m.label in ORG_TYPES}
        out = list(kept)
        for a in sorted((m for m in kept if m.label in ORG_TYPES), key=lambda m: m.start):
            b = orgs.get(a.end)
            if b is None or b.text.startswith(self.independent_heads):
                continue
            name = b.name if self._subsidiary_of_group(a, b) or self._own_company_of_owner(a, b) else a.name + b.name
            unit = Mention(a.start, b.end, b.label, a.text + b.text, name, "org.unit_chain",
                           min(a.confidence, b.confidence))
            out = [m for m in out if m is not b] + [unit]
            orgs[a.start] = unit if a.start not in orgs or orgs[a.start] is a else orgs[a.start]
            orgs[b.start] = unit
        return out

    def _subsidiary_of_group(self, a: Mention, b: Mention) -> bool:
        """A company named after a group and its own province or prefecture (某某集团|某省某某有限公司)
        is named on its own: the group is its parent, not the head of its name."""
        return b.label == "Enterprise" and a.text.endswith(self.group_heads) and any(
            self.gazetteer.level(b.text[:n]) in ("province", "prefecture") for n in range(2, 8) if b.text[:n] in self.gazetteer.by_form)

    def _own_company_of_owner(self, a: Mention, b: Mention) -> bool:
        """A company with a name of its own written after its owner's full name
        (某某股份有限公司|某某公司) is named on its own; a branch (分公司) or one named by its place
        (某某有限公司|南昌供电公司) is named from its owner."""
        return b.label == "Enterprise" and a.label == "Enterprise" and a.text.endswith(FULL_LEGAL_FORMS) \
            and len(b.text) <= 8 and _OWN_COMPANY.fullmatch(b.text) is not None \
            and not any(b.text[:n] in self.gazetteer.by_form for n in range(2, 8))

    def _expand_org(self, m: Mention, province: str) -> Mention:
        if m.label not in ORG_TYPES:
            return m
        pattern, variants = self.variants
        name = pattern.sub(lambda v: variants[v.group()], self.abbrev["national"].get(m.name, m.name))
        term = _TERM.match(name)
        if term and term.group(1).endswith(self.org_suffixes):
            name = term.group(1)  # 某省某某工会第五届委员会: the union in its fifth term, not a body of its own
        if name in self.abbrev["province_forms"] and province.endswith(self.province_level_words):
            name = self.abbrev["province_forms"][name].format(province=province)
        elif name.startswith(self.abbrev["province_relative_prefix"]) and not name.startswith(self.relative_exceptions):
            name = province + name[1:] if province.endswith(self.province_level_words) else province + name
        if name == m.name:
            return m
        return Mention(m.start, m.end, m.label, m.text, name, m.rule, m.confidence)


#: a body's committee for one term (某某工会第五届委员会), which is the body itself
_TERM = re.compile(r"^(.+?)第[一二三四五六七八九十百零\d]+届(?:委员会|理事会|常务委员会)$")


def _verb_or_adjective(word: str) -> bool:
    """jieba's dictionary has the word as a frequent verb or adjective (在振兴发展中: no place)."""
    freq, tag = dictionary_entries().get(word, (0, ""))
    return freq >= 100 and tag in ("v", "vn", "vd", "a", "ad", "an")


#: the last character of a division's name written with a shorter or former suffix (延边州, 田阳县)
_DIVISION_WORDS = frozenset("县州旗")


class _PlaceContext:
    """The article's candidates as a short form's vetting asks about them: which places end or
    start at an offset, what overlaps a span, and which regions the article names."""

    def __init__(self, cands: list[Mention], gazetteer):
        self.gazetteer = gazetteer
        self.all = MentionIndex(cands)
        self.ending_at: dict[int, list[Mention]] = {}
        self.starting_at: dict[int, list[Mention]] = {}
        self.forms_by_code: dict[str, set[str]] = {}
        for c in cands:
            if c.label != "Place":
                continue
            self.ending_at.setdefault(c.end, []).append(c)
            self.starting_at.setdefault(c.start, []).append(c)
            for code in gazetteer.by_form.get(c.text, ())[:1]:
                self.forms_by_code.setdefault(code, set()).add(c.text)

    def region_written(self, form: str) -> bool:
        """The article also names the province or prefecture the short form's county lies in, or
        the county itself in full (某某市 somewhere, 某某职业学院 elsewhere)."""
        g = self.gazetteer
        codes = g.by_form.get(form, ())
        regions = {a for code in codes for a in g.ancestors(code)} | set(codes[:1])
        return any(self.forms_by_code.get(r, set()) - {form} for r in regions)


def _after_honours(cands: list[Mention]) -> list[Mention]:
    """An organisation found from an honour written before it (某市劳动模范某区某小学教师某某) starts
    at the place after the honour: the honour is the person's, not part of the school's name."""
    honours = {c.start: c for c in cands if c.label == "Award"}
    place_starts = {c.start for c in cands if c.label == "Place"}
    out = []
    for c in cands:
        a = honours.get(c.start) if c.label in ORG_TYPES else None
        if a is not None and a.end in place_starts and c.end - a.end >= 4 and c.text.startswith(a.text):
            rest = c.text[len(a.text):]
            c = Mention(a.end, c.end, c.label, rest, c.name[len(a.text):] if c.name.startswith(a.text) else rest,
                        c.rule, c.confidence, c.year, c.edition)
        out.append(c)
    return sorted(set(out), key=MENTION_ORDER)


_OWN_COMPANY = re.compile(f"[{CJK}]{{2,6}}(?<![分子总])公司")


#: names that, written inside a longer name of these kinds, are part of that name, not mentions
_TITLE_LIKE = {"Document": ("Award", "Competition", "Event", "Program"),
               "Enterprise": ("Competition", "Event"), "TradeUnion": ("Competition", "Event"),
               "GovernmentBody": ("Competition", "Event"), "Institution": ("Competition", "Event"),
               "Award": ("Competition", "Award", "Studio"), "Person": ("Person",)}


def _inside_a_title(m: Mention, kept: list[Mention]) -> bool:
    """An honour inside a document's title (《关于表彰…工人先锋号的决定》), a contest inside a
    committee's or an honour's name (某区劳动竞赛委员会, 某省劳动竞赛先进个人)."""
    return any(m.label in _TITLE_LIKE.get(k.label, ()) and k.start <= m.start and m.end <= k.end
               and (k.start, k.end) != (m.start, m.end) for k in kept)


#: kinds whose name nested in a longer one of the same kind with the same end is that name
#: cut short at its start (巴特尔 inside 苏和巴特尔, 巴特尔工作室 inside 苏和巴特尔工作室)
_CUT_AT_START = ("Person", "Studio")
_SERIES = "——"  # what joins a series' name to one of its contests (kg_honours reads it from competitions.json)


def choose(cands: list[Mention]) -> list[Mention]:
    """Keep the longest, surest candidates; a candidate crossing a kept one is dropped,
    one nested inside a kept one stays (it carries structure: the place in a name, the
    parent of a unit), unless it is the same kind of whole name cut short at the same
    start (…新春第一课 inside …新春第一课活动) or a person or studio cut short at the same
    end (see ``_CUT_AT_START``). Same span, two labels: the surer wins.

    Kept mentions are looked up by position (a sorted list of starts, searched back no
    further than the longest candidate), so choosing is not quadratic in a document's length."""
    order = sorted(cands, key=lambda m: (-(m.end - m.start), -m.confidence, m.start, m.label, m.rule))
    longest = max((m.end - m.start for m in cands), default=0)
    starts: list[int] = []
    kept_by_start: list[Mention] = []
    spans: set[tuple[int, int]] = set()
    for m in order:
        if (m.start, m.end) in spans:
            continue
        lo = bisect.bisect_left(starts, m.start - longest)
        hi = bisect.bisect_left(starts, m.end)
        near = kept_by_start[lo:hi]
        if any(k.start < m.end and m.start < k.end and not (k.start <= m.start and m.end <= k.end) for k in near):
            continue
        if m.label in aliases.WHOLE_NAMES and any(k.label == m.label and k.start == m.start
                                                  and not k.text[len(m.text):].startswith(_SERIES) for k in near):
            continue
        if m.label in _CUT_AT_START and any(k.label == m.label and k.end == m.end for k in near):
            continue
        i = bisect.bisect_right(starts, m.start)
        starts.insert(i, m.start)
        kept_by_start.insert(i, m)
        spans.add((m.start, m.end))
    return sorted(kept_by_start, key=MENTION_ORDER)


def drop_inside_titles(kept: list[Mention]) -> list[Mention]:
    """The mentions that are not part of a longer name (see :func:`_inside_a_title`), found by
    position: only names that start at most the longest name's length before can hold one."""
    ordered = sorted(kept, key=lambda m: m.start)
    starts = [m.start for m in ordered]
    longest = max((m.end - m.start for m in kept), default=0)
    out = []
    for m in kept:
        lo = bisect.bisect_left(starts, m.start - longest)
        hi = bisect.bisect_right(starts, m.start)
        if not _inside_a_title(m, ordered[lo:hi]):
            out.append(m)
    return out
