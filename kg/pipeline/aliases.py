"""The other names an article gives the things it names.

A company's short name (某某 for 某某汽车股份有限公司), a short name the
article declares (以下简称“某某”), a unit named after a declared short name,
and a quoted short form that ends a longer name of the same kind: each is a
mention of the full name wherever the article uses it.
"""
from __future__ import annotations

import bisect
import dataclasses
import re

from kg.model import ORG_TYPES, Mention
from kg.pipeline.data import alternation, find_words
from kg.pipeline.index import MentionIndex

RESOURCES = ("lexicons/legal_forms.txt", "lexicons/industry_words.txt", "lexicons/mention_grammar.json",
             "lexicons/competitions.json", "lexicons/org_suffixes.json")
#: a meeting named by its session alone (第三次会员代表大会, 第五届职工代表大会)
_SESSION = re.compile(r"第[一二三四五六七八九十百零\d]+[届次]")
#: the Party's congress or plenary session by its ordinal alone (二十大 after 党的二十大)
_PARTY_SESSION = re.compile(r"(?:十|二十)[一二三四五六七八九]?(?:大|届[一二三四五六七八九]中全会)\Z")
#: kinds of name that are one whole name: a shorter one at the same start is that name cut short
WHOLE_NAMES = ("Event", "Program", "Competition", "Award", "Document", "Studio")


class Aliases:
    def __init__(self, data, gazetteer):
        grammar = data.table("mention_grammar")
        self.gazetteer = gazetteer
        self.declared = re.compile(grammar["declared_alias"])
        self.legal = tuple(sorted(data.words("legal_forms"), key=len, reverse=True))
        self.industry = re.compile(alternation(data.words("industry_words")) + "\\Z")
        self.limited = re.compile("有限(?:责任)?公司\\Z")
        self.group_head = re.compile("(.+集团)(?:控股)?(?:股份有限公司|有限责任公司|有限公司)\\Z")
        self.level_head = re.compile("^" + alternation(grammar["level_heads"]))
        self.group_words = tuple(grammar["group_words"])
        self.union_word = grammar["company_union_suffix"]
        self.city_head = grammar["city_head"]
        suffixes = data.table("org_suffixes")
        self.unit_suffixes = tuple(sorted(set(suffixes["units"]) | set(suffixes["units_only"]) | set(suffixes["Enterprise"])
                                          | set(suffixes["Institution"]), key=len, reverse=True))
        self.name_suffixes = tuple(w for k in ORG_TYPES for w in suffixes[k] if len(w) > 1) + self.unit_suffixes
        contests = data.table("competitions")
        self.series_fillers = tuple(sorted(contests["generic_fillers"], key=len, reverse=True))
        self.series_cores = frozenset(contests["cores"])
        self.brand = re.compile(f"“[^“”]{{1,8}}{re.escape(data.table('competitions')['brand_marker'])}”")

    def declared_aliases(self, text: str, kept: list[Mention]) -> dict[str, Mention]:
        """Short names an article declares: 某某重型机械股份有限公司(以下简称“某某重工”)."""
        out = {}
        ends = {m.end: m for m in kept if m.label in ORG_TYPES}
        for hit in self.declared.finditer(text):
            full = ends.get(hit.start())
            if full is not None:
                out[hit.group(1)] = full
        return out

    @staticmethod
    def with_declared_head(m: Mention, declared: dict[str, Mention]) -> Mention:
        """A unit named after the declared short name is the full name's unit (某某重工铸造分厂), a
        contest or event named after it is the full name's (集团公司第六届职工技能大赛), and the
        short name itself, found by its suffix (某某集团), is the full name."""
        if m.label not in ORG_TYPES and m.label not in ("Competition", "Event"):
            return m
        for short, full in declared.items():
            if m.name.startswith(short) and len(m.name) > len(short):
                return dataclasses.replace(m, name=full.name + m.name[len(short):])
            if m.name == short and m.label == full.label and m.start >= full.end:
                return dataclasses.replace(m, name=full.name)  # found by its suffix: 某某集团
        return m

    def short_names(self, text: str, kept: list[Mention], declared: dict[str, Mention]) -> list[Mention]:
        """``kept`` with the short names of the enterprises named in full (某某汽车股份有限公司 -> 某某,
        某某公司), and the short names an article declares; a short form the suffix grammar found as
        a name of its own (某某公司) is the full name's."""
        forms = self.company_forms(kept, declared)
        group_heads = self.group_heads(kept)
        for head, m in group_heads.items():
            forms.setdefault(head, m)
        for unit, m in self.unit_parts(kept):
            forms.setdefault(unit, m)
        if not forms:
            return kept
        out = []
        renamed: dict[Mention, Mention] = {}
        taken = MentionIndex(kept)
        for s, e in find_words(text, forms):
            inside = taken.overlapping(s, e)
            full = forms[text[s:e]]
            same = [k for k in inside if (k.start, k.end) == (s, e) and k.label == "Enterprise" and k.name == k.text]
            if same and len(inside) == 1 and full.name != same[0].name:
                renamed[same[0]] = dataclasses.replace(same[0], name=full.name)
                continue
            if inside and (any(not (k.label in ORG_TYPES and k.start == s and k.end > e) for k in inside)
                           or not self._heads_a_unit(text, e)):
                continue  # a name already found there, unless it is a unit the short name heads (某某线路一班)
            out.append(Mention(s, e, full.label, text[s:e], full.name, "org.short_name", 0.75))
        for k in kept:
            full = group_heads.get(k.text)
            if full is not None and k.label == "Enterprise" and k.name == k.text and full.name != k.name:
                renamed.setdefault(k, dataclasses.replace(k, name=full.name))
        return [renamed.get(k, k) for k in kept] + out

    def group_heads(self, kept: list[Mention]) -> dict[str, Mention]:
        """某某集团 for 某某集团有限公司 or 某某集团控股有限公司: the group's name without its legal form,
        written inside the full name or on its own, is that company, not a parent of it."""
        out: dict[str, Mention] = {}
        for m in kept:
            head = self.group_head.match(m.name) if m.label == "Enterprise" else None
            if head and len(head.group(1)) > 2:
                out.setdefault(head.group(1), m)
        return out

    def company_forms(self, kept: list[Mention], declared: dict[str, Mention]) -> dict[str, Mention]:
        """Each short form of the first enterprise named in full that has it, or of a longer name
        that starts with that one's (某某 for 某省某某集团有限公司, not for the 某省某某集团 its name
        starts with)."""
        forms: dict[str, Mention] = dict(declared)
        for m in kept:
            if m.label == "Enterprise":
                for short in self.short_forms(m.name):
                    first = forms.setdefault(short, m)
                    if short not in declared and len(m.name) > len(first.name) and m.name.startswith(first.name):
                        forms[short] = m
        return forms

    def company_unions(self, kept: list[Mention], declared: dict[str, Mention]) -> list[Mention]:
        """A company's union named after the company's short name is the union of the company
        named in full: 某某集团工会 and 某某工会 after 某省某某集团有限公司(工会) are
        某省某某集团有限公司工会 (a group word the full name has may come between: 某某集团工会
        after 某某集团有限责任公司 declared as “某某”). A short name two companies share names
        neither one's union, unless one company's name is the other's written out in full."""
        unions = [m for m in kept if m.label == "TradeUnion" and m.text.endswith(self.union_word)]
        if not unions:
            return kept
        names: dict[str, set[str]] = {}
        for m in kept:
            if m.label == "Enterprise":
                for short in self.short_forms(m.name):
                    names.setdefault(short, set()).add(m.name)
        for m in unions:
            head = m.name[: -len(self.union_word)]
            if head.endswith(self.legal):
                for short in self.short_forms(head):
                    names.setdefault(short, set()).add(head)
        full_names = {short: m.name for short, m in declared.items()}
        for short, candidates in names.items():
            longest = max(sorted(candidates), key=len)
            if all(_in_order(name, longest) for name in candidates):
                full_names.setdefault(short, longest)
        out = []
        for m in kept:
            if m in unions:
                head = m.text[: -len(self.union_word)]
                for word in ("", *self.group_words):
                    full = full_names.get(head[: len(head) - len(word)]) if head.endswith(word) else None
                    if full is not None and full != head and (not word or word in full):
                        m = dataclasses.replace(m, name=full + self.union_word)
                        break
            out.append(m)
        return out

    def _heads_a_unit(self, text: str, end: int) -> bool:
        """What follows a short name inside a longer name is a unit's own name, not the rest of
        the company's legal form (某某|有限公司) or of a suffix it starts (某市总|工会, 某某分|公司)."""
        return not text.startswith(self.legal, end) \
            and not any(len(suffix) > n and text.startswith(suffix, end - n) for n in (1, 2) for suffix in self.name_suffixes)

    def unit_parts(self, kept: list[Mention]):
        """A unit named in full after its parent (某某集团有限公司临港总装厂) is later named by its
        own part alone (临港总装厂): ``(own part, unit)`` for each such unit, the part at least
        four characters long and ending as a unit's, a company's or an institution's name does."""
        index = MentionIndex(kept)
        for m in kept:
            if m.label not in ORG_TYPES:
                continue
            heads = [k for k in index.within(m.start, m.end)
                     if k.label in ORG_TYPES and k.start == m.start and k.end < m.end]
            if not heads:
                continue
            part = m.text[max(heads, key=lambda k: k.end).end - m.start:]
            if len(part) >= 4 and part.endswith(self.unit_suffixes) and not part.startswith(self.unit_suffixes):
                yield part, m

    def short_forms(self, name: str) -> list[str]:
        """某市某某精密模具有限公司 -> 某某精密模具, 某某精密 (an industry word cut), and, for a limited
        company, 某某精密模具公司 and 某某精密公司."""
        out = []
        base = name
        for form in self.legal:
            if base.endswith(form) and len(base) > len(form) + 1:
                base = base[: -len(form)]
                break
        else:
            return out
        limited = self.limited.search(name) is not None
        for n in range(min(len(base) - 2, 8), 1, -1):
            if base[:n] in self.gazetteer.by_form:
                base = base[n:]
                break
        if len(base) >= 2:
            out += [base, base + "公司"] if limited else [base]
        ind = self.industry.search(base)
        if ind and len(base) - len(ind.group()) >= 2:
            out += [base[: ind.start()], base[: ind.start()] + "公司"] if limited else [base[: ind.start()]]
        return out

    def suffix_aliases(self, kept: list[Mention]) -> list[Mention]:
        """A quoted short form that ends a longer name of the same kind in the article is that
        thing: “1269”行动计划 after 某某产业链现代化建设“1269”行动计划."""
        by_text_end = _EndingIndex((k for k in kept if k.label in _NAMED_BY_TAIL), lambda k: k.text)
        by_name_end = _EndingIndex((k for k in kept if k.label in ("TradeUnion", "GovernmentBody")), lambda k: k.name,
                                   every=True)
        by_head: dict[tuple[str, str], dict[str, list[Mention]]] = {}
        for k in sorted(kept, key=lambda k: (k.start, k.end)):
            if k.label in ORG_TYPES:
                places = by_head.setdefault((k.label, k.text[:2]), {}).setdefault(k.text, [])
                if len(places) < 2:
                    places.append(k)
        contests = [k for k in kept if k.label == "Competition"]
        by_unbranded: dict[str, set[str]] = {}
        for k in contests:
            if self.brand.search(k.text):
                by_unbranded.setdefault(self.brand.sub("", k.text), set()).add(k.name)
        unbranded = {text: next(iter(names)) for text, names in by_unbranded.items() if len(names) == 1}
        out = []
        for m in kept:
            tail = None
            if m.label in ("Event", "Program") and m.text.startswith(("“", "《")):
                tail = m.text
            elif m.label == "Event" and (_SESSION.match(m.text) or _PARTY_SESSION.match(m.text)):
                tail = m.text  # 第三次会员代表大会 after 某某公司工会第三次会员代表大会
            elif m.label in ("Enterprise", "Institution") and len(m.text) >= 4:
                tail = m.text
            elif m.label == "Competition" and "“" not in m.text and m.text in unbranded:
                m = dataclasses.replace(m, name=unbranded[m.text])  # 某市第五届职工技能大赛: the brand left out
            elif m.label == "Competition" and "“" not in m.text:
                tail = self.level_head.sub("", m.text)
            elif m.label == "Competition" and m.text.startswith("“") and not self.brand.search(m.text):
                tail = m.text  # “建功某地”劳动竞赛 after 某工程“建功某地”劳动竞赛
            elif m.label == "Competition" and self.brand.search(m.text):
                brand = self.brand.search(m.text).group()
                longer = [k for k in contests if brand in k.text and len(k.text) > len(m.text)
                          and not (k.start <= m.start and m.end <= k.end)]
                series = not m.text.startswith(brand) and self._series_name(m.text[m.text.index(brand) + len(brand):])
                if len({k.name for k in longer}) == 1 and not self.brand.fullmatch(m.text) and not series:
                    m = Mention(m.start, m.end, m.label, m.text, longer[0].name, m.rule, m.confidence, m.year, m.edition)
            elif m.label in ("TradeUnion", "GovernmentBody") and len(m.name) >= 4:
                ending = by_name_end.ending_by_name(m.label, m.name)
                m = self.with_place_qualified(m, ending)
                m = self.with_parent_qualified(m, ending)
            if tail:
                maybe = by_text_end.ending(m.label, tail)
                if m.label in ORG_TYPES:
                    maybe = maybe + [k for text_, places in by_head.get((m.label, m.text[:2]), {}).items()
                                     if abbreviates(m.text, text_, self.group_words) for k in places]
                longer = [k for k in maybe if len(k.text) > len(m.text) and not (k.start <= m.start and m.end <= k.end)]
                if longer:
                    full = min(longer, key=lambda k: (k.start, k.end))
                    m = Mention(m.start, m.end, m.label, m.text, full.name, m.rule, m.confidence, m.year, m.edition)
            out.append(m)
        return out

    def _series_name(self, after_brand: str) -> bool:
        """What follows a brand is only the name of its series (某省“某杯”劳动和技能竞赛, 职工职业技能
        竞赛): written after its own place, level or edition, the contest is the series itself, not a
        shorter form of one contest of it (某项目竞赛). A bare 竞赛 or 大赛 is a short form, and so is
        a name that opens with the brand (“某杯”技能竞赛)."""
        rest = after_brand
        while rest.startswith(self.series_fillers):
            rest = rest[len(next(f for f in self.series_fillers if rest.startswith(f))):]
        return len(after_brand) > 2 and rest in self.series_cores

    def with_place_qualified(self, m: Mention, ending: dict[str, list[Mention]]) -> Mention:
        """A body named without the places the article names it with elsewhere is that body:
        南海区总工会 after 佛山市南海区总工会, 市总工会 after 某某市总工会 (the nearest before,
        else the first after; a prefecture's before a county-level city's). ``ending``: the article's bodies whose names end with ``m``'s,
        by name, each in text order."""
        before, after = None, None
        qualified = {name: places for name, places in ending.items()
                     if len(name) > len(m.name) and self.places_only(name[: -len(m.name)])}
        if m.name.startswith(self.city_head):
            cities = {name: places for name, places in qualified.items()
                      if not self.ends_with_county(name[: -len(m.name)])}
            qualified = cities or qualified
        for name, places in qualified.items():
            i = bisect.bisect_right([k.end for k in places], m.start)
            if i and (before is None or places[i - 1].start > before.start):
                before = places[i - 1]
            later = next((k for k in places[i:] if not (k.start <= m.start and m.end <= k.end)), None)
            if later is not None and (after is None or later.start < after.start):
                after = later
        full = before or after
        if full is None:
            return m
        return Mention(m.start, m.end, m.label, m.text, full.name, m.rule, m.confidence, m.year, m.edition)

    def with_parent_qualified(self, m: Mention, ending: dict[str, list[Mention]]) -> Mention:
        """A unit's union named without the unit's parent is the union the article names in full:
        第一客运分公司工会 after 某某集团有限公司第一客运分公司工会, when the unions that end so are
        one union's names (each the longest written short)."""
        head = m.name[: -len(self.union_word)] if m.name.endswith(self.union_word) else ""
        if not head.endswith(self.unit_suffixes):
            return m
        longer = [name for name, places in ending.items() if len(name) > len(m.name)
                  and any(not (k.start <= m.start and m.end <= k.end) for k in places)]
        if not longer:
            return m
        full = max(sorted(longer), key=len)
        if not all(_in_order(name, full) for name in longer):
            return m
        return dataclasses.replace(m, name=full)

    def ends_with_county(self, prefix: str) -> bool:
        """The prefix of places ends with a county-level one (武安, not 河北省邯郸 or 北京)."""
        for n in range(min(len(prefix), 10), 1, -1):
            codes = self.gazetteer.by_form.get(prefix[-n:])
            if codes:
                return all(self.gazetteer.divisions[c].level == "county" for c in codes)
        return False

    def places_only(self, prefix: str, parts: int = 3) -> bool:
        """The prefix is one to three place names written one after another (佛山市, 三门峡, 某省某市)."""
        if not prefix:
            return True
        return parts > 0 and any(prefix[:n] in self.gazetteer.by_form and self.places_only(prefix[n:], parts - 1)
                                 for n in range(min(len(prefix), 10), 1, -1))


#: the kinds of name whose shorter forms end the full one (see :meth:`Aliases.suffix_aliases`)
_NAMED_BY_TAIL = ("Event", "Program", "Enterprise", "Institution", "Competition")


class _EndingIndex:
    """Mentions by label and every ending of a name of theirs: which longer names end with
    this one, without comparing every pair of mentions in a long article. A name written
    many times is kept at its first two places and, with ``every``, at all of them."""

    def __init__(self, mentions, name_of, every: bool = False):
        self.table: dict[tuple[str, str], dict[str, list[Mention]]] = {}
        for k in sorted(mentions, key=lambda k: (k.start, k.end)):
            name = name_of(k)
            for i in range(len(name) - 1):
                places = self.table.setdefault((k.label, name[i:]), {}).setdefault(name, [])
                if every or len(places) < 2:
                    places.append(k)

    def ending(self, label: str, tail: str) -> list[Mention]:
        return [k for places in self.table.get((label, tail), {}).values() for k in places]

    def ending_by_name(self, label: str, tail: str) -> dict[str, list[Mention]]:
        return self.table.get((label, tail), {})


def _in_order(short: str, full: str) -> bool:
    chars = iter(full)
    return all(ch in chars for ch in short)


def abbreviates(short: str, full: str, group_words: tuple[str, ...] = ()) -> bool:
    """某某公交集团第一客运分公司工会 abbreviates 某某公共交通控股(集团)有限公司第一客运分公司工会:
    same start, same ending (at least three characters), and the short form's characters in
    order in the full one."""
    if short[:2] != full[:2] or len(short) < 6:
        return False
    if any(w in full and w not in short for w in group_words):
        return False  # 某某有限公司 and 某某集团有限公司 are a company and its group
    common_end = 0
    while common_end < min(len(short), len(full)) and short[-1 - common_end] == full[-1 - common_end]:
        common_end += 1
    if common_end < 3:
        return False
    return _in_order(short, full)
