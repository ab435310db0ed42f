"""Choose mentions among candidates, and find the mentions that context implies.

``kg_mention_resolver`` reads ``doc._.kg_candidates`` and writes the final
``doc._.kg_mentions`` (and ``doc.spans["kg_entities"]`` for spaCy tools):

* people: guards against common words and against spans that belong to a
  place or organisation; a name confirmed once is a mention wherever else
  it is written, and so is a name listed beside it (王树军、刘伯鸣);
* overlaps: a longer, surer candidate wins over one it crosses; nesting is
  kept, because it carries structure (the place at the head of an
  organisation's name, the parent organisation of a plant);
* organisations: 省总工会 is the union of the province the article is
  about; a company's short name (某某 for 某某汽车股份有限公司) is a
  mention of it wherever the article uses it.
"""
from __future__ import annotations

import re
from collections import Counter

from spacy.language import Language
from spacy.tokens import Doc, SpanGroup

from kg.model import ORG_TYPES, Mention
from kg.pipeline.entities import CJK, _macros, candidates
from kg.pipeline.lexicon import alternation, common_words, table, words
from kg.pipeline.places import load_gazetteer

if not Doc.has_extension("kg_mentions"):
    Doc.set_extension("kg_mentions", default=())
if not Doc.has_extension("kg_province"):
    Doc.set_extension("kg_province", default=None)

_DECLARED = re.compile(r"\((?:以下简称|以下称|下称|简称)[::]?[“\"]?([^”\")\n]{2,12})[”\"]?\)")
_OPEN_ENDED = {"person.after_title", "person.org_de", "person.team_or_studio"}
_NAME_END_WORDS = set("说在是和与及等的也还就将把被对从向为带到又都已")
_ANONYMISED = re.compile(r"(?:某+|师傅|女士|先生|大姐|大哥|阿姨|老师|同学|夫妇|一家)$")
_STUDIO_REST = re.compile(r"^(?:劳模|技能大师|职工|工匠)?(?:创新)?工作[室站]$")
_NOT_IN_GIVEN_NAME = set("的了在是和与及等对把被从为这那个们年月日说时到将就也都还并又")


@Language.factory("kg_mention_resolver", default_config={"home_province": "江西"})
def make_mention_resolver(nlp: Language, name: str, home_province: str):
    return MentionResolver(home_province)


class MentionResolver:
    def __init__(self, home_province: str):
        self.gazetteer = load_gazetteer()
        self.home_province = self.gazetteer.canonical(home_province)
        self.person_stop = tuple(words("person_stop"))
        self.abbrev = table("org_abbreviations")
        macros = _macros()
        self.name_re = re.compile(f"{macros['SURNAME']}[{CJK}]{{1,2}}$")
        self.list_right = re.compile(f"、({macros['SURNAME']}{macros['GIVEN']}){macros['RB']}")
        self.list_left = re.compile(f"(?:^|[,、:\\s“])({macros['SURNAME']}[{CJK}]{{1,2}})、$")
        self.legal = tuple(sorted(words("legal_forms"), key=len, reverse=True))
        self.verb_tail = tuple(words("person_verb_tail"))
        self.common = common_words()
        self.frequent_surnames = set(list(w for w in words("surnames") if len(w) == 1)[:200])
        self.titles = re.compile(alternation([w for w in words("person_left_context") + words("person_right_title")
                                              if len(w) >= 2]))
        self.units = tuple(sorted(table("org_suffixes")["units"], key=len, reverse=True))
        self.industry = re.compile(alternation(words("industry_words")) + "$")

    def __call__(self, doc: Doc) -> Doc:
        text = doc._.kg_text
        cands = sorted(set(candidates(doc)))
        province = self._province(cands)
        doc._.kg_province = province
        people = _surest_per_start([p for p in (self._name_length(text, c) for c in cands if c.label == "Person")
                                    if self._person_ok(p)])
        bodies = self._provincial_bodies(cands)
        others = [self._expand_org(c, self._local_province(c, bodies, province)) for c in cands if c.label != "Person"
                  and self._place_ok(c, cands) and self._studio_ok(c) and _title_ok(text, c)]
        kept = _choose(others)
        kept = _choose(kept + self._parents(text, kept))
        people = [p for p in people if not _crosses_named(p, kept)]
        people = self._spread_people(text, people, kept)
        kept = _choose(kept + people)
        declared = self._declared_aliases(text, kept)
        kept = [self._with_declared_head(m, declared) for m in kept]
        kept += self._short_names(text, kept, declared)
        kept = _suffix_aliases(sorted(set(kept)))
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

    # --- context
    def _province(self, cands: list[Mention]) -> str:
        """The province the article is about: the one its place names point to most."""
        votes: Counter[str] = Counter()
        g = self.gazetteer
        for c in cands:
            if c.label != "Place":
                continue
            for code in g.by_form.get(c.text, ())[:1]:
                chain = [code, *g.ancestors(code)]
                for k in chain:
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
        (湖北省总工会, 江西省委): the strongest sign of which province a later 省总工会 means."""
        out = []
        for c in cands:
            if c.label in ("TradeUnion", "GovernmentBody") and not c.text.startswith("省"):
                for n in range(2, 9):
                    code = self.gazetteer.by_form.get(c.text[:n], ())
                    if code and self.gazetteer.divisions[code[0]].level == "province":
                        out.append((c.start, self.gazetteer.divisions[code[0]].name))
                        break
        return sorted(out)

    @staticmethod
    def _local_province(m: Mention, bodies: list[tuple[int, str]], default: str) -> str:
        """A page carries stories from several provinces: 省总工会 is the province whose body
        was last named in full before it, else the article's province."""
        if m.label not in ORG_TYPES or not m.text.startswith("省"):
            return default
        before = [p for start, p in bodies if start < m.start]
        return before[-1] if before else default

    # --- people
    def _person_ok(self, m: Mention) -> bool:
        name = m.text
        if not name:
            return False
        if "·" in name:
            return not self.titles.search(name) and not name.startswith(tuple("的和与及在是"))
        if not self.name_re.match(name) or name.startswith(self.person_stop):
            return False
        if name in self.gazetteer.by_form or name.endswith(self.verb_tail) or name in self.common:
            return False
        if _ANONYMISED.search(name) or self.titles.search(name, 1):
            return False
        return not (set(name[1:]) & _NOT_IN_GIVEN_NAME)

    def _name_length(self, text: str, m: Mention) -> Mention:
        """Where a name found by its left context ends: two or three characters. The third
        is not the name's when it starts a word with what follows (张三|发表) or is a
        function word (马艳|说); a 'name' whose first two characters are a word is no name."""
        if "·" in m.text:
            head, _, last = m.text.rpartition("·")
            cut = next((i for i, ch in enumerate(last) if ch in _NAME_END_WORDS and ch != "都"), len(last))
            if cut < len(last):
                name = head + "·" + last[:cut]
                return Mention(m.start, m.start + len(name), "Person", name, name, m.rule, m.confidence)
            return m
        if m.rule not in _OPEN_ENDED:
            return m
        name = m.text
        surname = 2 if len(name) == 4 else 1
        if len(name) - surname == 2:
            third, nxt = name[-1], text[m.end:m.end + 1]
            if third in _NAME_END_WORDS or third + nxt in self.common or text[m.end - 1:m.end + 2] in self.common:
                name = name[:-1]
        if surname == 1 and (len(name) == 3 and name[:2] in self.common or name[0] in "和与及或跟同"
                             or len(name) == 2 and name[0] not in self.frequent_surnames):
            return Mention(m.start, m.start, "Person", "", "", m.rule)
        return Mention(m.start, m.start + len(name), "Person", name, name, m.rule, m.confidence)

    def _studio_ok(self, m: Mention) -> bool:
        """A studio is named after a person: 张某某工作站, not 劳模创新工作室."""
        if m.label != "Studio":
            return True
        for n in (4, 3, 2):
            head, rest = m.text[:n], m.text[n:]
            if _STUDIO_REST.match(rest) and self._person_ok(Mention(m.start, m.start + n, "Person", head, head, m.rule)):
                return True
        return False

    def _place_ok(self, m: Mention, cands: list[Mention]) -> bool:
        """A county-level short form (樟树, 信州) or a former district (湾里) names a place only
        inside a longer name or right after a division that contains it; alone it is too
        often a common word (资源, 振兴, 章贡 in 篇章贡献)."""
        if m.label != "Place" or m.rule != "place.gazetteer":
            return True
        g = self.gazetteer
        level = g.level(m.text)
        if m.text == m.name or level not in ("county", "former-district"):
            return True
        for c in cands:
            if c.label == "Place" and c.end == m.start and g.contains(c.text, m.text):
                return True
        inside = any(c is not m and c.label != "Person" and c.start <= m.start and m.end <= c.end
                     and (c.start, c.end) != (m.start, m.end) for c in cands)
        return inside and self._region_written(m.text, cands)

    def _region_written(self, form: str, cands: list[Mention]) -> bool:
        """The article also names the province or prefecture the short form's county lies in
        (樟树 in a Jiangxi article, not 万华 in a Shandong one)."""
        g = self.gazetteer
        regions = {a for code in g.by_form.get(form, ()) for a in g.ancestors(code)}
        return any(c.label == "Place" and c.text != form and set(g.by_form.get(c.text, ())[:1]) & regions
                   for c in cands)

    def _parents(self, text: str, kept: list[Mention]) -> list[Mention]:
        """The parent at the head of a unit's name: 某某石化 in 某某石化九江分公司 (the unit's
        own place, 九江, ends the parent's name)."""
        out = []
        for m in kept:
            if m.label not in ORG_TYPES or not m.text.endswith(self.units):
                continue
            inner = [k for k in kept if k is not m and m.start <= k.start and k.end <= m.end]
            if any(k.label in ORG_TYPES and k.start == m.start for k in inner):
                continue
            places = sorted((k for k in inner if k.label == "Place" and k.start >= m.start + 2), key=lambda k: k.start)
            if not places:
                continue
            parent = text[m.start:places[0].start]
            if parent in self.gazetteer.by_form or len(parent) < 2:
                continue
            out.append(Mention(m.start, places[0].start, "Enterprise", parent, parent, "org.parent_before_place", 0.75))
        return out

    def _spread_people(self, text: str, people: list[Mention], kept: list[Mention]) -> list[Mention]:
        names = {p.text for p in people}
        grown = True
        while grown:
            grown = False
            for p in list(people):
                for m in self.list_right.finditer(text, p.end, min(len(text), p.end + 6)):
                    if m.start() != p.end:
                        break
                    cand = Mention(m.start(1), m.end(1), "Person", m.group(1), m.group(1), "person.list", 0.8)
                    if cand.text not in names and self._person_ok(cand):
                        names.add(cand.text)
                        people.append(cand)
                        grown = True
                left = self.list_left.search(text, max(0, p.start - 5), p.start)
                if left:
                    cand = Mention(left.start(1), left.end(1), "Person", left.group(1), left.group(1),
                                   "person.list", 0.8)
                    if cand.text not in names and self._person_ok(cand):
                        names.add(cand.text)
                        people.append(cand)
                        grown = True
        out = list(people)
        if names:
            pattern = re.compile(alternation(names))
            for m in pattern.finditer(text):
                out.append(Mention(m.start(), m.end(), "Person", m.group(), m.group(), "person.repeat", 0.75))
        return [p for p in out if not _crosses_named(p, kept)]

    # --- organisations
    def _expand_org(self, m: Mention, province: str) -> Mention:
        if m.label not in ORG_TYPES:
            return m
        name = self.abbrev["national"].get(m.name, m.name)
        if name.startswith(self.abbrev["province_relative_prefix"]) and not name.startswith("省市"):
            prov = province
            name = prov + name[1:] if prov.endswith("省") else prov + name
        if name == m.name:
            return m
        return Mention(m.start, m.end, m.label, m.text, name, m.rule, m.confidence)

    @staticmethod
    def _declared_aliases(text: str, kept: list[Mention]) -> dict[str, Mention]:
        """Short names an article declares: 某某重型机械股份有限公司(以下简称“某某重工”)."""
        out = {}
        ends = {m.end: m for m in kept if m.label in ORG_TYPES}
        for hit in _DECLARED.finditer(text):
            full = ends.get(hit.start())
            if full is not None:
                out[hit.group(1)] = full
        return out

    @staticmethod
    def _with_declared_head(m: Mention, declared: dict[str, Mention]) -> Mention:
        """A unit named after the declared short name is the full name's unit (某某重工铸造分厂)."""
        if m.label not in ORG_TYPES:
            return m
        for short, full in declared.items():
            if m.text.startswith(short) and len(m.text) > len(short):
                return Mention(m.start, m.end, m.label, m.text, full.name + m.text[len(short):], m.rule,
                               m.confidence)
        return m

    def _short_names(self, text: str, kept: list[Mention], declared: dict[str, Mention]) -> list[Mention]:
        """Short names of the enterprises named in full (某某汽车股份有限公司 -> 某某), and the
        short names an article declares."""
        forms: dict[str, Mention] = dict(declared)
        for m in kept:
            if m.label != "Enterprise":
                continue
            for short in self.short_forms(m.name):
                forms.setdefault(short, m)
        if not forms:
            return []
        out = []
        taken = [(k.start, k.end) for k in kept]
        for hit in re.finditer(alternation(forms), text):
            s, e = hit.span()
            if any(a <= s and e <= b or s < b and a < e for a, b in taken):
                continue
            full = forms[hit.group()]
            out.append(Mention(s, e, full.label, hit.group(), full.name, "org.short_name", 0.75))
        return out

    def short_forms(self, name: str) -> list[str]:
        out = []
        base = name
        for form in self.legal:
            if base.endswith(form) and len(base) > len(form) + 1:
                base = base[: -len(form)]
                break
        else:
            return out
        for n in range(min(len(base) - 2, 8), 1, -1):
            if base[:n] in self.gazetteer.by_form:
                base = base[n:]
                break
        if len(base) >= 2:
            out.append(base)
        ind = self.industry.search(base)
        if ind and len(base) - len(ind.group()) >= 2:
            out.append(base[: ind.start()])
        return out


_PERFORMANCE = re.compile(r"^[^。\n]{0,3}(?:演出|上演|首演|巡演|公演)")


def _title_ok(text: str, m: Mention) -> bool:
    """A title in 《》 is a Document unless it names a performance (《…》在南昌精彩上演)."""
    if m.label != "Document":
        return True
    before = text[max(0, m.start - 3):m.start]
    return not (_PERFORMANCE.match(text[m.end:m.end + 12]) or before.endswith(("剧", "晚会", "歌曲", "——")))


def _surest_per_start(people: list[Mention]) -> list[Mention]:
    """Of the names found at one place by several person rules, the surest (then the longest)."""
    best: dict[int, Mention] = {}
    for p in people:
        old = best.get(p.start)
        if old is None or (p.confidence, p.end - p.start) > (old.confidence, old.end - old.start):
            best[p.start] = p
    return sorted(best.values())


def _crosses_named(p: Mention, kept: list[Mention]) -> bool:
    """A person span that overlaps a place, organisation, award or contest (but is not
    nested in a studio, event, document or programme name) is not a person."""
    for k in kept:
        if k.start < p.end and p.start < k.end:
            if k.label in ("Studio", "Event", "Document", "Program") and k.start <= p.start and p.end <= k.end:
                continue
            if k.label == "Person":
                continue
            return True
    return False


_LEVEL_HEAD = re.compile("^(?:全国|全省|全市|中国|世界)")
_WHOLE_NAMES = ("Event", "Program", "Competition", "Award", "Document", "Studio")


def _suffix_aliases(kept: list[Mention]) -> list[Mention]:
    """A quoted short form that ends a longer name of the same kind in the article is that
    thing: “1269”行动计划 after 制造业重点产业链现代化建设“1269”行动计划."""
    out = []
    for m in kept:
        tail = None
        if m.label in ("Event", "Program") and m.text.startswith(("“", "《")):
            tail = m.text
        elif m.label in ("Enterprise", "Institution") and len(m.text) >= 4:
            tail = m.text
        elif m.label == "Competition" and "“" not in m.text:
            tail = _LEVEL_HEAD.sub("", m.text)
        if tail:
            longer = [k for k in kept if k.label == m.label and len(k.text) > len(m.text)
                      and (k.text.endswith(tail) or m.label in ORG_TYPES and _abbreviates(m.text, k.text))
                      and not (k.start <= m.start and m.end <= k.end)]
            if longer:
                full = min(longer, key=lambda k: (k.start, k.end))
                m = Mention(m.start, m.end, m.label, m.text, full.name, m.rule, m.confidence, m.year, m.edition)
        out.append(m)
    return out


def _abbreviates(short: str, full: str) -> bool:
    """北京公交集团第一客运分公司工会 abbreviates 北京公共交通控股(集团)有限公司第一客运分公司工会:
    same start, same ending (at least three characters), and the short form's characters in
    order in the full one."""
    if short[:2] != full[:2] or len(short) < 6:
        return False
    common_end = 0
    while common_end < len(short) and short[-1 - common_end] == full[-1 - common_end]:
        common_end += 1
    if common_end < 3:
        return False
    chars = iter(full)
    return all(ch in chars for ch in short)


def _choose(cands: list[Mention]) -> list[Mention]:
    """Keep the longest, surest candidates; a candidate crossing a kept one is dropped,
    one nested inside a kept one stays (it carries structure: the place in a name, the
    parent of a unit), unless it is the same kind of whole name cut short at the same
    start (…新春第一课 inside …新春第一课活动). Same span, two labels: the surer wins."""
    order = sorted(cands, key=lambda m: (-(m.end - m.start), -m.confidence, m.start, m.label, m.rule))
    kept: list[Mention] = []
    spans: dict[tuple[int, int], Mention] = {}
    for m in order:
        if (m.start, m.end) in spans:
            continue
        if any(k.start < m.end and m.start < k.end and not (k.start <= m.start and m.end <= k.end)
               for k in kept):
            continue
        if m.label in _WHOLE_NAMES and any(k.label == m.label and k.start == m.start for k in kept):
            continue
        kept.append(m)
        spans[(m.start, m.end)] = m
    return sorted(kept)
