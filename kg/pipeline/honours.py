"""``kg_honours``: award and contest names from their core.

An award is a core (劳动模范, 五一劳动奖章 … ``awards.json``) qualified by a
level, place, region or brand before it; a prize grade (一等奖) names an
award with the contest or campaign before it. A contest is a core
(技能竞赛, 大赛 … ``competitions.json``) with a level or place before it, or
a brand in quotes (“某某杯”).
"""
from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from kg.model import Mention
from kg.names import EDITION, YEAR_PREFIX, clean_name
from kg.pipeline import gazetteer as gz
from kg.pipeline.data import DataComponent, alternation
from kg.pipeline.scanning import CJK, NAME_CHAR, NAME_CHARS, LeftScanner, candidates, place_positions, year_before


@Language.factory("kg_honours", assigns=["doc._.kg_candidates"],
                  requires=["doc._.kg_text", "doc._.kg_candidates"], default_config={"max_len": 40})
def make_honours(nlp: Language, name: str, max_len: int):
    return HonourGrammar(nlp, name, max_len)


#: a year written between a contest's place and the rest of its name (某县2021年职工技能大赛)
_YEAR_BEFORE = re.compile(r"(?:19|20)\d{2}年度?\Z")
#: a year in parentheses after a listed honour (某市劳动模范（2019年）)
_YEAR_AFTER = re.compile(r"[(（](?:19|20)\d{2}年度?[)）]\s*\Z")


#: what ends a studio's name (a quoted one without a place or level before it is the studio's)
_STUDIO_WORDS = ("工作室", "工作站")


class HonourGrammar(DataComponent):
    resources = (*gz.RESOURCES, "lexicons/awards.json", "lexicons/competitions.json",
                 "lexicons/name_left_stop.txt", "lexicons/mention_grammar.json")

    def __init__(self, nlp: Language, name: str = "kg_honours", max_len: int = 40):
        super().__init__(nlp, name)
        self.max_len = max_len

    def setup(self, data) -> None:
        a = self.awards = data.table("awards")
        c = self.contests = data.table("competitions")
        self.gazetteer = gz.gazetteer(data)
        self.scan = LeftScanner(data.words("name_left_stop"), self.max_len, NAME_CHARS + "“”‘’\"'", stop_at_year=True)
        cores = a["self_qualified"] + a["needs_level"] + a["national_only"] + list(a["abbreviations"])
        self.quoted_inside = {core.replace(part, f"“{part}”"): core
                              for core in cores for part in a["quoted_parts"] if part in core}
        self.award_core = re.compile("“?" + alternation(cores + list(self.quoted_inside)) + "”?")
        self.national_only = set(a["national_only"])
        self.prize = re.compile(alternation(a["prizes"]))
        self.self_qualified = set(a["self_qualified"])
        self.levels = tuple(a["levels"])
        self.regions = tuple(a["regions"])
        self.modifier_use = re.compile(a["modifier_use"])
        self.name_tails = tuple(a["name_tails"])
        self.quoted_name_tails = tuple(a["quoted_name_tails"])
        self.full_place_only = frozenset(a["full_place_only"])
        self.full_place_suffixes = a["full_place_suffix_chars"]
        self.industry_qualifier = re.compile(f"(?<![{CJK}])?[{CJK}]{{2,8}}?{a['industry_qualifier']}"
                                             f"(?=[^{a['industry_qualifier'][0]}]*$)")
        self.craftsman = a["craftsman_core"]
        self.craftsman_self_named = tuple(a["craftsman_self_named"])
        self.national_heads = tuple(a["national_heads"])
        self.division_chars = a["division_chars"]
        self.contest_core = re.compile(alternation(c["cores"]) + "(?:" + alternation(c["tails"]) + ")?")
        self.brand = re.compile(f"“([^“”]{{1,8}}{re.escape(c['brand_marker'])})”")
        self.theme = re.compile(f"“[^“”]{{{c['theme_length'][0]},{c['theme_length'][1]}}}”"
                                f"(?=[{CJK}]{{0,{c['theme_field_length']}}}(?:{alternation(c['cores'])})\\Z)")
        self.contest_levels = tuple(c["levels"])
        self.counted = re.compile(c["counted"])
        self.classed = re.compile(c["classed"])
        self.contest_industry = c["industry_word"]
        self.bare_level = re.compile("^" + alternation(self.contest_levels + self.levels) + f"{c['level_suffix']}?")
        self.generic_contests = set(c["generic_names"])
        self.determiner = re.compile("^" + alternation(c["determiners"]))
        self.contest_tail = re.compile("(?:" + alternation(c["tails"]) + ")\\Z")
        self.contest_names_joiner = c["names_joiner"]
        self.core_end = re.compile(alternation(c["cores"]) + "\\Z")
        self.trade_round = re.compile("(.*(?:" + alternation(c["cores"]) + f"))[{CJK}]{{2,8}}?(?:" + alternation(c["trade_markers"])
                                      + ")?(?:" + alternation(c["trade_tails"]) + ")\\Z")
        self.series_joiner = c["series_joiner"]
        self.contest_joiners = frozenset(c["field_joiners"])
        self.branded_list = re.compile(f"“[^“”]{{1,8}}{re.escape(c['brand_marker'])}”(?:[{CJK}A-Za-z0-9]{{1,12}}、)+"
                                       f"[{CJK}A-Za-z0-9]{{1,12}}?" + alternation(c["cores"]))
        self.heads = re.compile(alternation(a["heads"]) + f"(?![{a['head_not_before']}])")
        self.grade_words = tuple(a["grade_words"])
        self.counted_qualifiers = tuple(a["counted_qualifiers"])
        self.declared_alias = re.compile(data.table("mention_grammar")["declared_alias"])
        self.head_scan = LeftScanner(data.words("name_left_stop"), 16, NAME_CHARS + "·", stop_at_year=True)
        verbs = alternation(a["conferral_verbs"])
        self.conferred_title = re.compile(f"{verbs}(?:了)?[^“”。,;!?\n]{{0,6}}?“([^“”\n]{{2,24}})”"
                                          f"|“([^“”\n]{{2,24}})”(?={alternation(a['title_markers'])})")
        self.award_list = re.compile(f"{alternation(a['list_verbs'])}(?:了)?((?:[^、。,;!?\n]{{2,24}}、)+"
                                     f"[^、。,;!?\n]{{2,24}}?){alternation(a['list_ends'])}")
        self.bare_categories = set(a["needs_level"]) | set(a["national_only"])
        self.award_verb_before = re.compile(verbs + "\\Z")
        self.inner_stop = re.compile(alternation(a["inner_stops"]) + "|[\\d一二三四五六七八九十百千万两几]+[家个名位项批届]")
        self.quoted_head = re.compile(f"“([^“”\\n]{{2,24}}{alternation(a['quoted_prize_heads'])})”")

    def process(self, doc: Doc) -> Doc:
        text = doc._.kg_text
        out = candidates(doc)
        protected = place_positions(out, self.gazetteer)
        out.extend(self._awards(text, protected))
        out.extend(self._headed_awards(text, protected))
        out.extend(self._titles(text))
        out.extend(self._listed_awards(text))
        place_ends = {c.end: c.start for c in out if c.label == "Place"}
        contests = self._series(text, list(self._contests(text, protected, place_ends)))
        out.extend(contests + list(self._listed_trades_again(text, contests)))
        return doc

    def _awards(self, text: str, protected: frozenset[int] = frozenset()):
        abbreviations = self.awards["abbreviations"]
        for m in self._award_cores(text):
            core = m.group().strip("“”")
            opened, closed = m.group().startswith("“"), m.group().endswith("”")
            if m.group() in self.quoted_inside:  # 全国“五一”劳动奖章
                core, opened, closed = self.quoted_inside[m.group()], False, False
            start, end = m.start() + opened, m.end() - closed
            written_level = core.startswith(self.levels)
            crafts = core.endswith(self.craftsman)
            qual_start = start if written_level else self._qualifier_start(text, start, crafts)
            if qual_start is None:
                if core not in self.self_qualified:
                    continue
                qual_start = start
            if crafts and core not in self.craftsman_self_named and qual_start == start:
                continue
            if core in self.full_place_only and not written_level \
                    and (start == 0 or text[start - 1] not in self.full_place_suffixes):
                continue
            if core in self.national_only and not text.startswith(self.national_heads, qual_start):
                continue
            if self.modifier_use.match(text, end + closed):
                continue
            tail = next((t for t in self.name_tails if text.startswith(t, end)), None) if not closed else None
            if not tail and opened and not closed:
                tail = next((t for t in self.quoted_name_tails if text.startswith(t + "”", end)), None)
            if tail:
                end += len(tail)
            if qual_start < start and opened and closed:
                end += 1
            surface = text[qual_start:end]
            name = clean_name(surface)
            name = abbreviations.get(name, name)
            for short, full in abbreviations.items():
                if name.endswith(short) and name != short:
                    name = name[: -len(short)] + full
            yield Mention(qual_start, end, "Award", surface, name, "award.qualified", 0.9)
        for m in self.prize.finditer(text):
            start = self.scan(text, m.start(), protected)
            surface = text[start:m.end()].lstrip("“”")
            start = m.end() - len(surface)
            name = clean_name(surface)
            if len(name) - len(m.group()) < 4 or not self._place_or_level_at(name, 0):
                continue
            yield Mention(start, m.end(), "Award", surface, name, "award.prize", 0.8,
                          year=year_before(text, start))

    def _award_cores(self, text: str):
        """Every honour core in the text; where one starts inside a shorter core written before
        it (市劳模 in 某市劳模和工匠人才创新工作室), the longer one is found too."""
        pos = 0
        while (m := self.award_core.search(text, pos)) is not None:
            yield m
            longer = self.award_core.match(text, m.start() + 1)
            if longer is not None and longer.end() > m.end():
                yield longer
                pos = longer.end()
            else:
                pos = m.end()

    def _headed_awards(self, text: str, protected: frozenset[int]):
        """An honour whose qualifier starts its name some characters before its head word
        (某市十佳女职工建功立业标兵, 国家级某某突出贡献奖, 某省卓越技师)."""
        for m in self.heads.finditer(text):
            start = self.head_scan(text, m.start(), protected)
            lead = self._qualifier_at(text, start, m.start())
            if lead is None:
                continue
            name_start, qualifier_end = lead
            if m.group() == "技师" and text[qualifier_end:m.start()].endswith(self.grade_words):
                continue
            if m.start() - qualifier_end < 1 and m.group() in self.bare_categories:
                continue  # a bare category after a place is the core grammar's (award.qualified)
            if self.inner_stop.search(text, qualifier_end, m.start()) or self.modifier_use.match(text, m.end()):
                continue
            quote = text.rfind("“", max(0, name_start - 4), name_start)
            if quote >= 0 and "”" not in text[quote:name_start] and text.startswith("”", m.end()):
                name_start = quote + 1  # “最美某省人·最美工匠”: the quotes hold the whole name
            surface = text[name_start:m.end()]
            name = clean_name(surface)
            if len(name) < 4:
                continue
            yield Mention(name_start, m.end(), "Award", surface, name, "award.headed", 0.8,
                          year=year_before(text, name_start))

    def _qualifier_at(self, text: str, start: int, end: int) -> tuple[int, int] | None:
        """Where an honour's qualifier begins at or just after ``start`` (before ``end``) and
        where it ends: a place, a level or region word, a counted qualifier (十大)."""
        for i in range(start, min(end, start + 3)):
            for n in range(8, 1, -1):
                if i + n <= end and text[i:i + n] in self.gazetteer.by_form:
                    j = i + n
                    if j < end and text[j] in self.awards["division_suffix_chars"]:
                        j += 1
                    return i, j
            for word in self.levels + self.regions + self.counted_qualifiers:
                if text.startswith(word, i) and i + len(word) < end:
                    return i, i + len(word)
            if text[i] in self.division_chars and (i == 0 or not NAME_CHAR.match(text[i - 1])
                                                   or self.award_verb_before.search(text, max(0, i - 4), i)):
                return i, i + 1
        return None

    def _titles(self, text: str):
        """A quoted title conferred (被授予“…”, “…”称号) that names an honour: it holds a head
        word or a qualifier, and is no contest, campaign or bare category."""
        for m in [*self.conferred_title.finditer(text), *self.quoted_head.finditer(text)]:
            group = next(g for g in range(1, (m.re.groups or 0) + 1) if m.group(g))
            title = m.group(group)
            start, end = m.start(group), m.end(group)
            inner = clean_name(title)
            if inner in self.bare_categories or self.contest_core.search(inner) or self.brand.search(f"“{inner}”"):
                continue
            lead = self._qualifier_at(title, 0, len(title))
            qualified = lead is not None
            if not (self.heads.search(inner) or qualified):
                continue
            if inner.endswith(_STUDIO_WORDS) and not (qualified and lead[0] == 0):
                continue  # 荣获“某某劳模工匠创新工作室”: the studio's new name, not an honour
            lead = self._qualifier_before(text, start - 1)
            surface_start = lead if lead is not None else start
            surface = text[surface_start:end + (1 if lead is not None else 0)]
            yield Mention(surface_start, end + (1 if lead is not None else 0), "Award", surface,
                          clean_name(surface), "award.title", 0.8, year=year_before(text, surface_start))

    def _qualifier_before(self, text: str, quote: int) -> int | None:
        """A place or counted qualifier written right before an opening quote (十大“…”)."""
        for word in self.counted_qualifiers + self.levels:
            if text.startswith(word, quote - len(word)):
                return quote - len(word)
        for n in range(8, 1, -1):
            if quote - n >= 0 and text[quote - n:quote] in self.gazetteer.by_form:
                return quote - n
            if quote - n >= 0 and text[quote - n:quote - 1] in self.gazetteer.by_form \
                    and text[quote - 1] in self.awards["division_suffix_chars"]:
                return quote - n
        return None

    def _listed_awards(self, text: str):
        """Every item of a list of honours (先后获得甲、乙、丙等荣誉称号)."""
        for m in self.award_list.finditer(text):
            pos = m.start(1)
            for item in m.group(1).split("、"):
                a, b = pos, pos + len(item)
                year = _YEAR_AFTER.search(text, a, b)
                if year:
                    b = year.start()  # 某市劳动模范（2019年）: the year is the receipt's, not the name's
                while a < b and text[a] in "“”\"' ":
                    a += 1
                while b > a and text[b - 1] in "“”\"' ":
                    b -= 1
                name = clean_name(text[a:b])
                if 3 <= len(name) <= 24 and not self.contest_core.search(name):
                    yield Mention(a, b, "Award", text[a:b], name, "award.listed", 0.75)
                pos += len(item) + 1

    def _qualifier_start(self, text: str, start: int, regions: bool = False) -> int | None:
        """Start of the level, place or region written right before a core, if any."""
        pos = start
        if pos > 0 and text[pos - 1] == "“":
            pos -= 1
        industry = self.industry_qualifier.search(text, max(0, pos - 12), pos)
        if industry and industry.end() == pos:
            head = self._qualifier_start(text, industry.start(), regions)
            return head if head is not None else industry.start()
        for n in range(8, 1, -1):
            form = text[pos - n:pos] if pos - n >= 0 else ""
            if form in self.gazetteer.by_form:
                return pos - n
            if form and form[-1] in self.awards["division_suffix_chars"] and form[:-1] in self.gazetteer.by_form:
                return pos - n
        for level in self.levels + (self.regions if regions else ()):
            if text.startswith(level, pos - len(level)) and pos - len(level) >= 0:
                head = pos - len(level)
                if len(level) == 1 and head > 0 and NAME_CHAR.match(text[head - 1]):
                    continue
                for n in range(8, 1, -1):  # 某市某某工匠: a place before a region
                    if head - n >= 0 and text[head - n:head] in self.gazetteer.by_form:
                        return head - n
                return head
        if pos > 0 and text[pos - 1] in self.division_chars and (
                pos < 2 or not NAME_CHAR.match(text[pos - 2]) or text[pos - 2] in self.awards["words_before_division"]
                or self.award_verb_before.search(text, max(0, pos - 5), pos - 1)):
            return pos - 1
        return None

    def _late_level_start(self, surface: str) -> int:
        """Where a contest name really starts when the scan took a verb or two before its level
        or place (对标全国职工职业技能大赛): the first level word or place in its first characters,
        never inside the quotes a name starts with (“建功某地”重点项目劳动竞赛)."""
        if self._place_or_level_at(clean_name(surface), 0) or self.brand.match(surface) \
                or EDITION.match(surface):
            return 0
        for i in range(1, min(4, len(surface) - 2)):
            if surface.count("“", 0, i) > surface.count("”", 0, i):
                break
            if surface[i:].startswith(self.levels + self.contest_levels) or self._place_or_level_at(surface, i):
                return i
        return 0

    def _after_declared_alias(self, text: str, start: int, end: int) -> tuple[int, str]:
        """A contest named after a company whose short name the article declares on the way
        (某某集团有限公司(以下简称“某某集团”)第十二届职工技能运动会) starts after the declaration,
        and is named after the short name: ``(start, short name)``, or ``(start, "")``."""
        last = None
        for last in self.declared_alias.finditer(text, start, end):
            pass
        return (last.end(), last.group(1)) if last else (start, "")

    def _joined_start(self, text: str, start: int, protected: frozenset[int]) -> int:
        """A contest's name may join two fields with 和 (某市港口和交通重点工程劳动竞赛): where the
        scan stopped at the joiner and what follows has no place or level, the name starts before
        the joiner when a place or level heads the field there."""
        if start < 2 or text[start - 1] not in self.contest_joiners or self._place_or_level_at(text[start:], 0):
            return start
        before = self.scan(text, start - 1, protected)
        field = text[before:start - 1]
        if not 2 <= len(field) <= 12 or not self._place_or_level_at(field, 0) and not self._late_level_start(field):
            return start
        return before

    def _slogan_end(self, surface: str) -> int:
        """Where a contest's name starts after a slogan in quotes written before it (“某某同心
        技能报国”某地第四届职业技能大赛): after the quotes, when a place or level heads what follows
        (perhaps after an edition) and the quotes hold no brand (“某某杯”某省职工技能大赛 is the
        brand's)."""
        cut = surface.rfind("”") + 1
        if not cut or self.brand.search(surface):
            return 0
        rest = surface[cut:]
        head = EDITION.match(rest)
        return cut if self._place_or_level_at(rest[head.end():] if head else rest, 0) else 0

    def _place_or_level_at(self, name: str, i: int) -> bool:
        if name.startswith(self.levels + self.contest_levels):
            return True
        return any(name[i:i + n] in self.gazetteer.by_form for n in range(2, 9))

    def _listed_trades_again(self, text: str, contests: list[Mention]):
        """A contest named by its brand and listed trades (“某杯”甲工、乙工技能大赛) is named again
        by the trades alone (本次甲工、乙工技能大赛)."""
        for c in (m for m in contests if m.rule == "competition.branded_list"):
            tail = c.text[c.text.index("”") + 1:]
            pos = 0
            while (hit := text.find(tail, pos)) >= 0:
                pos = hit + len(tail)
                if not (c.start <= hit < c.end):
                    yield Mention(hit, hit + len(tail), "Competition", tail, c.name, "competition.trades_again", 0.75)

    def _series(self, text: str, contests: list[Mention]) -> list[Mention]:
        """某市职工技能大赛——“某杯”某工技能大赛 is one contest, part of the series named first:
        the second name alone is that contest's name cut short."""
        by_start = {m.start: m for m in contests}
        out = list(contests)
        for a in contests:
            b = by_start.get(a.end + len(self.series_joiner))
            if b is None or text[a.end:b.start] != self.series_joiner:
                continue
            surface = text[a.start:b.end]
            out = [m for m in out if m is not b]
            out.append(Mention(a.start, b.end, "Competition", surface, clean_name(surface), "competition.series_item",
                               0.8, year=a.year or b.year, edition=b.edition or a.edition))
        return out

    def _contests(self, text: str, protected: frozenset[int] = frozenset(), place_ends: dict[int, int] | None = None):
        seen_brand_spans = set()
        declared = tuple({d.group(1) for d in self.declared_alias.finditer(text)})  # 以下简称“集团公司”
        for m in self.contest_core.finditer(text):
            start = self._joined_start(text, self.scan(text, m.start(), protected), protected)
            start, short = self._after_declared_alias(text, start, m.start())
            inner_year = _YEAR_BEFORE.search(text, max(0, start - 7), start)
            if inner_year and place_ends and inner_year.start() in place_ends:
                start = place_ends[inner_year.start()]  # 某县2021年“某某”技能大赛: the place heads the name
            else:
                inner_year = None
            surface = text[start:m.end()]
            if surface.startswith("”"):
                surface = surface[1:]
                start += 1
            count = self.counted.match(surface)
            if count:
                surface = surface[count.end():]
                start += count.end()
            determiner = self.determiner.match(surface)
            if determiner:
                surface = surface[determiner.end():]
                start += determiner.end()
            lead = YEAR_PREFIX.match(surface)
            if lead:
                surface = surface[lead.end():]
                start += lead.end()
            late = self._late_level_start(surface)
            if late:
                surface = surface[late:]
                start += late
            slogan = self._slogan_end(surface)
            if slogan:
                surface = surface[slogan:]
                start += slogan
            name = short + clean_name(surface.replace(inner_year.group(), "", 1) if inner_year else surface)
            brand = self.brand.search(surface) or self.theme.search(surface)
            bare = self.bare_level.sub("", name)
            if name in self.generic_contests or len(name) <= len(m.group()) \
                    or bare in self.generic_contests or self.counted.match(bare) or self.classed.match(bare):
                continue
            head = EDITION.match(name)
            if not brand and not self._place_or_level_at(name[head.end():] if head else name, 0) \
                    and self.contest_industry not in name \
                    and not any(name.startswith(d) and EDITION.match(name, len(d)) for d in declared) \
                    and not (head and len(name) - head.end() > len(m.group())):
                continue  # 集团公司第六届职工技能大赛, 第二届职工技能运动会: an edition names it too
            edition = EDITION.search(name)
            if brand and brand.re is self.brand:
                seen_brand_spans.add((start + brand.start(), start + brand.end()))
            first, joiner, _ = name.partition(self.contest_names_joiner)
            if joiner and self.core_end.search(self.contest_tail.sub("", first)) and len(first) > len(m.group()):
                name = first  # 某市第三届职工技能大赛暨“某杯”焊工竞赛: one contest, by its first name
            final_of = self.contest_tail.sub("", name)
            if final_of != name and len(final_of) > len(m.group()) and self.core_end.search(final_of):
                name = final_of
            trade = self.trade_round.match(name)
            if trade and self.bare_level.sub("", trade.group(1)) not in self.generic_contests:
                name = trade.group(1)  # 某市职工技能大赛数控车工比赛: the contest's round for one trade
            yield Mention(start, m.end(), "Competition", surface, name, "competition.grammar", 0.85,
                          year=int((lead or inner_year).group()[:4]) if lead or inner_year else year_before(text, start),
                          edition=edition.group() if edition else None)
        for m in self.branded_list.finditer(text):
            start = m.start()
            head = EDITION.search(text, max(0, start - 3), start)
            if head and head.end() == start:
                start = head.start()
            seen_brand_spans.add((m.start(), m.start() + m.group().index("”") + 1))
            surface = text[start:m.end()]
            yield Mention(start, m.end(), "Competition", surface, clean_name(surface), "competition.branded_list", 0.8,
                          year=year_before(text, start))
        for m in self.brand.finditer(text):
            if any(s <= m.start() and m.end() <= e for s, e in seen_brand_spans):
                continue
            yield Mention(m.start(), m.end(), "Competition", m.group(), clean_name(m.group()),
                          "competition.brand", 0.8)
