"""Find-entities stage: candidate mentions from gazetteers and name grammars.

Four components, each writing candidates to ``doc._.kg_candidates``:

* ``kg_places`` — a spaCy ``PhraseMatcher`` over the administrative divisions
  (:mod:`kg.pipeline.places`), with a hierarchy guard: in 信州朝阳产业园 the
  朝阳 after 信州 is no place because no 朝阳 lies inside 信州.
* ``kg_organizations`` — the name-suffix grammar (``org_suffixes.json``):
  a suffix (有限公司, 总工会, 大学, 厅 …) and the name characters before it
  back to a stop word (``org_left_stop.txt``).
* ``kg_honours`` — award and contest names: a core (劳动模范, 技能竞赛 …)
  qualified by a level, place, region or brand (``awards.json``,
  ``competitions.json``).
* ``kg_entity_rules`` — regular-expression rules kept in
  ``patterns/entity_rules.jsonl`` (people in context, documents, studios,
  events, programmes), with ``{LEX:…}`` macros naming word lists.

:mod:`kg.pipeline.resolve_mentions` then turns candidates into mentions.
"""
from __future__ import annotations

import re
from functools import lru_cache
from pathlib import Path

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from kg.model import Mention
from kg.names import EDITION, YEAR_PREFIX, clean_name  # noqa: F401  (re-exported)
from kg.pipeline.lexicon import LEXICON_DIR, PATTERN_DIR, alternation, common_words, read_jsonl, table, words
from kg.pipeline.places import load_gazetteer

if not Doc.has_extension("kg_candidates"):
    Doc.set_extension("kg_candidates", default=None)

CJK = "\u4e00-\u9fff"
NAME_CHARS = f"{CJK}A-Za-z0-9()·&"
_NAME_CHAR = re.compile(f"[{NAME_CHARS}]")


_INDUSTRY_QUALIFIER = re.compile(f"(?<![{CJK}])?[{CJK}]{{2,8}}?行业(?=[^行]*$)")
_MODIFIER_USE = re.compile(r"(?:和[^,。、\n]{0,6})?(?:创新)?工作室|学院|学校|协会|联盟|基地|中心|培训|杯")
_CLASSED = re.compile(r"^[一二三四五六七八九十]+类")
_GENERIC_HOLDER = re.compile("(?:单位|企业|承包方|建设方)(?=[^单企]*$)")
_LOCALITY_HEAD = re.compile(f"^[{CJK}]{{2,3}}(?:镇|乡|街道)$")
_LOCATIVE = re.compile(r"(?:在|到|深入|走进|来到|位于|扎根|地处|前往|赴)$")
_FUNCTION_CHARS = set("有在到进是为与和及向对从由被把让将")
_COUNTED = re.compile(r"^[\d一二三四五六七八九十百千万两几多数余]+[场项次个类]")
_AREA_HEAD = re.compile(f"^[{CJK}]{{2,8}}$")
_YEAR_BEFORE = re.compile(r"((?:19|20)\d{2})年度?的?$")


def year_before(text: str, start: int) -> int | None:
    """The year written right before a name (2023年江西省…), which the name does not keep."""
    m = _YEAR_BEFORE.search(text, max(0, start - 8), start)
    return int(m.group(1)) if m else None


def place_positions(cands: list[Mention]) -> frozenset[int]:
    """Character positions inside place names found so far: a stop word there (都 in 成都,
    和 in 共和镇) does not end a name. A county's short form does not protect (从江 in
    从江苏省…): alone it is too often an accident of two words meeting."""
    g = load_gazetteer()
    return frozenset(i for c in cands if c.label == "Place" and not (
        c.text != c.name and g.level(c.text) in ("county", "former-district"))
        for i in range(c.start, c.end))


def candidates(doc: Doc) -> list[Mention]:
    if doc._.kg_candidates is None:
        doc._.kg_candidates = []
    return doc._.kg_candidates


class LeftScanner:
    """Where a name that ends at a suffix begins: back over name characters, and
    after the last stop word in that stretch (stop words inside quotes or 《》 do
    not count: 《劳模与一线职工朋友们》 is one title)."""

    def __init__(self, stops: tuple[str, ...], max_len: int, chars: str = NAME_CHARS,
                 stop_at_year: bool = False, quoted_head: bool = False):
        self.quoted_head = quoted_head
        pattern = alternation(stops)
        if stop_at_year:
            pattern = f"(?:{pattern}|(?:19|20)\\d{{2}}年度?的?|\\d{{1,2}}月\\d{{1,2}}日)"
        else:
            pattern = f"(?:{pattern}|\\d{{1,2}}月\\d{{1,2}}日)"
        self.stop = re.compile(pattern)
        self.chars = re.compile(f"[{chars}]+$")
        self.max_len = max_len

    def __call__(self, text: str, end: int, protected: frozenset[int] = frozenset()) -> int:
        lo = max(0, end - self.max_len)
        m = self.chars.search(text, lo, end)
        if not m:
            return end
        start = m.start()
        quoted = _quoted_positions(text, start, end)
        first_quote = min((i for i in range(start, end) if text[i] in "“《"), default=end) \
            if self.quoted_head else end
        last = None
        for s in self.stop.finditer(text, start, end):
            if s.start() not in quoted and s.start() < first_quote and s.start() not in protected:
                last = s
        start = last.end() if last else start
        open_quote = text.rfind("“", start, end)
        if open_quote >= 0 and text.find("”", open_quote, end) < 0:
            start = open_quote + 1
        depth = 0
        for i in range(end - 1, start - 1, -1):
            if text[i] == ")":
                depth += 1
            elif text[i] == "(":
                if depth == 0:
                    return i + 1
                depth -= 1
        return start


def _quoted_positions(text: str, start: int, end: int) -> set[int]:
    inside: set[int] = set()
    depth = 0
    for i in range(start, end):
        ch = text[i]
        if ch in "“《‘":
            depth += 1
        elif ch in "”》’":
            depth = max(0, depth - 1)
        elif depth:
            inside.add(i)
    return inside


# --------------------------------------------------------------------------- places

@Language.factory("kg_places", default_config={})
def make_places(nlp: Language, name: str):
    return PlaceMatcher(nlp)


class PlaceMatcher:
    def __init__(self, nlp: Language):
        self.gazetteer = load_gazetteer()
        spec = table("place_suffixes")
        self.parks = re.compile(alternation(spec["parks"]))
        self.localities = re.compile(alternation(spec["localities"]))
        self.generic = set(spec["generic"])
        self.scan = LeftScanner(words("name_left_stop"), 12)
        self.common = common_words()
        self.matcher = PhraseMatcher(nlp.vocab, attr="ORTH")
        forms = sorted(self.gazetteer.by_form)
        self.matcher.add("Place", list(nlp.tokenizer.pipe(forms)))

    def __call__(self, doc: Doc) -> Doc:
        text = doc._.kg_text
        found = []
        for _, s, e in self.matcher(doc):
            span = doc[s:e]
            found.append((span.start_char, span.end_char, span.text))
        found.sort(key=lambda t: (t[0], -(t[1] - t[0])))
        kept: list[tuple[int, int, str]] = []
        for start, end, form in found:
            if kept and start < kept[-1][1]:
                continue  # longest match at the leftmost position wins
            if kept and start == kept[-1][1] and not self._may_follow(kept[-1][2], form):
                continue  # 信州朝阳: 朝阳 is not inside 信州
            kept.append((start, end, form))
        out = candidates(doc)
        for start, end, form in kept:
            out.append(Mention(start, end, "Place", form, self.gazetteer.canonical(form),
                               "place.gazetteer", 0.9))
        out.extend(self._named_areas(text, kept))
        return doc

    def _named_areas(self, text: str, kept: list[tuple[int, int, str]]):
        ends = {e: (s, f) for s, e, f in kept}
        spans = {(s, e) for s, e, _ in kept}
        for m in self.parks.finditer(text):
            start = self.scan(text, m.start())
            head = text[start:m.start()]
            if any(e == m.end() for _, e in spans):
                continue
            if not _AREA_HEAD.match(head) or head in self.generic or head.endswith(("工业", "产业", "科技")) \
                    or (head in self.common and head not in self.gazetteer.by_form) \
                    or (start, m.end()) in spans:
                continue
            if any(s < start < e for s, e in spans):
                continue
            yield Mention(start, m.end(), "Place", text[start:m.end()], text[start:m.end()], "place.named_area", 0.8)
        prev_locality = -1
        for m in self.localities.finditer(text):
            start = self.scan(text, m.start())
            pos, chained = start, False
            while pos in {s for s, _ in spans}:
                nxt = next(e for s, e in sorted(spans) if s == pos)
                pos, chained = nxt, True
            head = text[pos:m.start()]
            inner = self.localities.search(head)
            while inner and inner.end() < len(head):
                pos, chained = pos + inner.end(), True
                head = text[pos:m.start()]
                inner = self.localities.search(head)
            if not 2 <= len(head) <= 4 or head in self.generic:
                continue
            if not (chained and (pos in ends or text[pos - 1:pos] in "道镇乡")):
                if head[:2] in self.common and head not in self.gazetteer.by_form and len(head) > 2:
                    continue
                if not _LOCATIVE.search(text, max(0, pos - 3), pos) \
                        and not (text[m.end():m.end() + 1] == "、" or text[pos - 1:pos] == "、" and prev_locality == pos - 1):
                    continue
            prev_locality = m.end()
            yield Mention(pos, m.end(), "Place", text[pos:m.end()], text[pos:m.end()], "place.locality", 0.8)

    def _may_follow(self, prev: str, form: str) -> bool:
        g = self.gazetteer
        if g.level(form) not in ("prefecture", "county", "former-district"):
            return True
        return g.contains(prev, form) or form == g.canonical(form) and g.level(form) == "prefecture"


# ------------------------------------------------------------------- organisations

@Language.factory("kg_organizations", default_config={"max_len": 30})
def make_organizations(nlp: Language, name: str, max_len: int):
    return OrganizationGrammar(max_len)


class OrganizationGrammar:
    def __init__(self, max_len: int):
        spec = table("org_suffixes")
        self.suffix_type = {}
        for label in ("Enterprise", "TradeUnion", "GovernmentBody", "Institution"):
            for suffix in spec[label]:
                self.suffix_type.setdefault(suffix, label)
        self.suffixes = re.compile(alternation(self.suffix_type))
        self.scan = LeftScanner(words("org_left_stop"), max_len)
        self.generic = tuple(sorted(words("org_generic_prefix"), key=len, reverse=True))
        self.counted = re.compile(r"^[\d一二三四五六七八九十百千万两几多数]+[家个所名批]")
        self.gazetteer = load_gazetteer()
        self.list_items = re.compile(
            rf"((?:[{CJK}A-Za-z0-9]{{2,10}}、)+[{CJK}A-Za-z0-9]{{2,10}})等(?:\d+家|多家|一批)?(?:企业|公司)")
        self.industry = re.compile(alternation(words("industry_words")) + "$")
        self.levels = ("中华全国", "全国", "中国", "中央", "国家", "中共")
        self.regions = tuple(table("awards")["regions"])
        self.units_only = re.compile(alternation(spec["units_only"]) + "(?![长子次底会车])")
        self.org_end = re.compile(alternation([x for k in ("Enterprise", "Institution") for x in spec[k]]) + "$")
        self.counted_inside = re.compile(r"[一两几数\d]+[所家个]")
        national = [line.split("\t") for line in (LEXICON_DIR / "national_bodies.tsv").read_text(encoding="utf-8")
                    .splitlines() if line and not line.startswith("#")]
        self.national_type = {name: cls for name, cls in national}
        self.national = re.compile(alternation(self.national_type))
        self.other_body = re.compile(".*(?:总工会|工会|委员会|党委)")
        self.gov_head = re.compile("^(?:委|政府|人大|政协|纪委)")
        self.common = common_words()

    def __call__(self, doc: Doc) -> Doc:
        text = doc._.kg_text
        out = candidates(doc)
        protected = place_positions(out)
        ends: set[int] = set()
        for m in self.national.finditer(text):
            if text[m.end() - 1:m.end() + 1] in self.common or text[m.start():m.end() + 1] in self.common:
                continue
            out.append(Mention(m.start(), m.end(), self.national_type[m.group()], m.group(), m.group(),
                               "org.national_body", 0.95))
            ends.add(m.end())
        for m in self.units_only.finditer(text):
            start = self.scan(text, m.start(), protected)
            head = text[start:m.start()]
            if self.suffixes.search(head[:-1] if head else head) and _balanced(text[start:m.end()]):
                ends.add(m.end())
                out.append(Mention(start, m.end(), "Enterprise", text[start:m.end()], text[start:m.end()],
                                   "org.unit_of_named_org", 0.8))
        for m in self.suffixes.finditer(text):
            suffix = m.group()
            end = m.end()
            if end in ends:
                continue
            start = self.scan(text, m.start(), protected)
            name = text[start:end]
            prefix = text[start:m.start()]
            label = self.suffix_type[suffix]
            if "工会" in prefix and suffix == "委员会":
                label = "TradeUnion"
            if suffix in ("党委", "党组", "纪委") and self.org_end.search(prefix):
                continue
            if label in ("Enterprise", "Institution"):
                inner = self.other_body.search(prefix)
                if inner and len(prefix) - inner.end() >= 2:
                    start += inner.end()
                    prefix = prefix[inner.end():]
            if label == "Enterprise":
                lead = self._place_after_lead(prefix)
                generic = _GENERIC_HOLDER.search(prefix)
                if generic and any(prefix[generic.end():generic.end() + n] in self.gazetteer.by_form
                                   for n in range(2, 8)):
                    lead = max(lead, generic.end())
                start += lead
                prefix = prefix[lead:]
            if label != "Enterprise":
                anchor = self._anchor(prefix, suffix)
                if anchor is None:
                    continue
                start += anchor
                prefix = prefix[anchor:]
            name = text[start:end]
            if not _balanced(name) or not self._named(prefix, suffix):
                continue
            ends.add(end)
            out.append(Mention(start, end, label, name, name, f"org.suffix.{label}", 0.85))
        for m in self.list_items.finditer(text):
            first_end = m.start(1) + m.group(1).index("、")
            pos = self.scan(text, first_end)
            for item in text[pos:m.end(1)].split("、"):
                if self._is_short_name(item):
                    out.append(Mention(pos, pos + len(item), "Enterprise", item, item,
                                       "org.list_before_enterprises", 0.8))
                pos += len(item) + 1
        return doc

    def _anchor(self, prefix: str, suffix: str) -> int | None:
        """Where a union's, government body's or institution's name starts: at the first place,
        level word (全国, 中华全国 …) or province-relative 省 in what precedes the suffix, or at
        an enterprise's name (首钢矿业工会); no such start, no named body (守护工会, 健全党委)."""
        if not prefix:
            return 0 if suffix[0] in "省市县区" else None
        for i in range(len(prefix)):
            rest = prefix[i:]
            if rest[0] in _FUNCTION_CHARS:
                continue
            if rest.startswith(self.levels + self.regions) or rest in ("省", "市", "县", "区", "州", "自治州", "自治区", "盟"):
                return i
            if _LOCALITY_HEAD.match(rest):
                return i
            if i == 0 and rest[0] == "省" and not rest.startswith("省级"):
                return i
            if rest[0] in "省市县区" and self.gov_head.match(rest[1:]) and (i == 0 or not self._in_word(prefix, i)):
                return i
            if any(rest[:n] in self.gazetteer.by_form for n in range(2, min(len(rest), 8) + 1)):
                return i
        if self.suffix_type[suffix] == "TradeUnion" and self.industry.search(prefix):
            return self.scan_brand(prefix)
        return None

    def _place_after_lead(self, prefix: str) -> int:
        """A company name written right after a verb (有伊犁天山…, 进入德阳市…) starts at its place."""
        for i in (1, 2):
            lead = prefix[:i]
            if len(prefix) > i + 1 and any(prefix[i:i + n] in self.gazetteer.by_form for n in range(2, 8)) \
                    and (lead in self.common or lead in _FUNCTION_CHARS) and lead not in self.gazetteer.by_form:
                return i
        return 0

    def _in_word(self, prefix: str, i: int) -> bool:
        return prefix[i - 1:i + 1] in self.common

    def scan_brand(self, prefix: str) -> int | None:
        m = re.search(f"[{CJK}]{{1,6}}?" + self.industry.pattern, prefix)
        return m.start() if m and m.start() == 0 else None

    def _named(self, prefix: str, suffix: str) -> bool:
        if len(prefix) < 2:
            return (prefix in ("省", "") and suffix in ("总工会", "委", "省委")) or prefix == "" and suffix[0] in "省市县区"
        if self.counted.match(prefix) or self.counted_inside.search(prefix):
            return False
        if any(prefix == g or prefix.endswith(g) and len(prefix) <= len(g) + 3 for g in self.generic):
            return False
        if len(suffix) == 1 and not self._starts_with_place_or_level(prefix):
            return False
        return True

    def _starts_with_place_or_level(self, prefix: str) -> bool:
        if prefix[0] in "省市县区" or prefix.startswith(("国家", "中国", "中央", "中华", "全国")):
            return True
        return any(prefix[:n] in self.gazetteer.by_form for n in range(2, min(len(prefix), 8) + 1))

    def _is_short_name(self, item: str) -> bool:
        return item not in self.gazetteer.by_form and not self.counted.match(item) and \
            not any(item.endswith(g) for g in ("企业", "单位", "公司"))


# ---------------------------------------------------------- awards and contests

@Language.factory("kg_honours", default_config={"max_len": 40})
def make_honours(nlp: Language, name: str, max_len: int):
    return HonourGrammar(max_len)


class HonourGrammar:
    def __init__(self, max_len: int):
        self.awards = table("awards")
        self.contests = table("competitions")
        self.gazetteer = load_gazetteer()
        self.scan = LeftScanner(words("name_left_stop"), max_len, NAME_CHARS + "“”‘’\"'", stop_at_year=True)
        self.award_core = re.compile(
            "“?" + alternation(self.awards["self_qualified"] + self.awards["needs_level"]
                               + self.awards["national_only"] + list(self.awards["abbreviations"])) + "”?")
        self.national_only = set(self.awards["national_only"])
        self.prize = re.compile(alternation(self.awards["prizes"]))
        self.self_qualified = set(self.awards["self_qualified"])
        self.levels = tuple(self.awards["levels"])
        self.regions = tuple(self.awards["regions"])
        self.contest_core = re.compile(alternation(self.contests["cores"]) + "(?:"
                                       + alternation(self.contests["tails"]) + ")?")
        self.brand = re.compile(r"“([^“”]{1,8}杯)”")
        self.contest_levels = tuple(self.contests["levels"])

    def __call__(self, doc: Doc) -> Doc:
        text = doc._.kg_text
        out = candidates(doc)
        protected = place_positions(out)
        out.extend(self._awards(text, protected))
        out.extend(self._contests(text, protected))
        return doc

    # an award: qualifier + core
    def _awards(self, text: str, protected: frozenset[int] = frozenset()):
        for m in self.award_core.finditer(text):
            core = m.group().strip("“”")
            opened, closed = m.group().startswith("“"), m.group().endswith("”")
            start, end = m.start() + opened, m.end() - closed
            written_level = core.startswith(self.levels)
            qual_start = start if written_level else self._qualifier_start(text, start, core.endswith("工匠"))
            if qual_start is None:
                if core not in self.self_qualified:
                    continue
                qual_start = start
            if core.endswith("工匠") and core != "大国工匠" and qual_start == start:
                continue
            if core in self.national_only and not text.startswith(("全国", "中华全国"), qual_start):
                continue
            if _MODIFIER_USE.match(text, end + closed):
                continue
            if qual_start < start and opened and closed:
                end += 1
            surface = text[qual_start:end]
            name = clean_name(surface)
            name = self.awards["abbreviations"].get(name, name)
            for short, full in self.awards["abbreviations"].items():
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

    def _qualifier_start(self, text: str, start: int, regions: bool = False) -> int | None:
        """Start of the level, place or region written right before a core, if any."""
        pos = start
        if pos > 0 and text[pos - 1] == "“":
            pos -= 1
        industry = _INDUSTRY_QUALIFIER.search(text, max(0, pos - 12), pos)
        if industry and industry.end() == pos:
            head = self._qualifier_start(text, industry.start(), regions)
            return head if head is not None else industry.start()
        for n in range(8, 1, -1):
            form = text[pos - n:pos] if pos - n >= 0 else ""
            if form in self.gazetteer.by_form:
                return pos - n
            if form and form[-1] in "省市县区" and form[:-1] in self.gazetteer.by_form:
                return pos - n
        for level in self.levels + (self.regions if regions else ()):
            if text.startswith(level, pos - len(level)) and pos - len(level) >= 0:
                head = pos - len(level)
                if len(level) == 1 and head > 0 and _NAME_CHAR.match(text[head - 1]):
                    continue
                for n in range(8, 1, -1):  # 吉安市庐陵工匠: a place before a region
                    if head - n >= 0 and text[head - n:head] in self.gazetteer.by_form:
                        return head - n
                return head
        if pos > 0 and text[pos - 1] in "省市县" and (pos < 2 or not _NAME_CHAR.match(text[pos - 2])):
            return pos - 1
        return None

    def _place_or_level_at(self, name: str, i: int) -> bool:
        if name.startswith(self.levels + self.contest_levels):
            return True
        return any(name[i:i + n] in self.gazetteer.by_form for n in range(2, 9))

    # a contest: [level|place] [“brand”] filler core [tail]
    def _contests(self, text: str, protected: frozenset[int] = frozenset()):
        seen_brand_spans = set()
        for m in self.contest_core.finditer(text):
            start = self.scan(text, m.start(), protected)
            surface = text[start:m.end()]
            if surface.startswith("”"):
                surface = surface[1:]
                start += 1
            count = _COUNTED.match(surface)
            if count:
                surface = surface[count.end():]
                start += count.end()
            lead = YEAR_PREFIX.match(surface)
            if lead:
                surface = surface[lead.end():]
                start += lead.end()
            name = clean_name(surface)
            brand = self.brand.search(surface)
            bare = re.sub("^(?:" + "|".join(self.contest_levels + self.levels) + ")级?", "", name)
            if name in self.contests["generic_names"] or len(name) <= len(m.group()) \
                    or bare in self.contests["generic_names"] or _COUNTED.match(bare) or _CLASSED.match(bare):
                continue
            if not brand and not self._place_or_level_at(name, 0) and "行业" not in name:
                continue
            edition = EDITION.search(name)
            if brand:
                seen_brand_spans.add((start + brand.start(), start + brand.end()))
            yield Mention(start, m.end(), "Competition", surface, name, "competition.grammar", 0.85,
                          year=int(lead.group()[:4]) if lead else year_before(text, start),
                          edition=edition.group() if edition else None)
        for m in self.brand.finditer(text):
            if any(s <= m.start() and m.end() <= e for s, e in seen_brand_spans):
                continue
            yield Mention(m.start(), m.end(), "Competition", m.group(), clean_name(m.group()),
                          "competition.brand", 0.8)


# --------------------------------------------------------------- pattern rules

@Language.factory("kg_entity_rules", default_config={"patterns": str(PATTERN_DIR / "entity_rules.jsonl")})
def make_entity_rules(nlp: Language, name: str, patterns: str):
    return EntityRules(Path(patterns))


@lru_cache(maxsize=None)
def _macros() -> dict[str, str]:
    surnames = words("surnames")
    right = words("person_right_context")
    return {
        "SURNAME": alternation(surnames),
        "GIVEN": f"[{CJK}]{{1,2}}",
        "RB": "(?=[、,。;:!?()“”\"\\s·]|" + alternation(right) + "|$)",
        "RB2": "(?=[、,。;:!?()“”\"\\s]|" + alternation([w for w in right if len(w) > 1]) + "|$)",
        "CJK": CJK,
        "NAMECHARS": NAME_CHARS,
        "ORG_SUFFIX": alternation([s for v in (table("org_suffixes")[k] for k in
                                               ("Enterprise", "TradeUnion", "GovernmentBody",
                                                "Institution", "units_only")) for s in v]),
    }


def expand_macros(pattern: str) -> str:
    macros = _macros()

    def sub(m: re.Match) -> str:
        key = m.group(1)
        if key.startswith("LEX:"):
            return alternation(words(key[4:]))
        if key in macros:
            return macros[key]
        raise KeyError(f"unknown macro {{{key}}} in pattern {pattern!r}")

    return re.sub(r"\{([A-Z][A-Z_0-9]*(?::[a-z_]+)?)\}", sub, pattern)


class EntityRules:
    """Rules from a JSONL file, of two kinds.

    ``regex`` (default): {"id", "label", "pattern", "group", "confidence", "split"}.
    ``suffix``: a name grammar — {"suffixes": [...], "stops": list name, "max_len",
    "require": regex the name must match, "reject": regex it must not}: the
    name ends with a suffix and starts after the last stop word before it.
    """

    def __init__(self, path: Path):
        self.rules = []
        for row in read_jsonl(path):
            try:
                self.rules.append(self._compile(row))
            except (re.error, KeyError) as err:
                raise ValueError(f"{path}: rule {row.get('id')}: {err}") from None

    @staticmethod
    def _compile(row: dict) -> dict:
        rule = {"id": row["id"], "label": row["label"], "kind": row.get("kind", "regex"),
                "confidence": float(row.get("confidence", 0.8)), "split": row.get("split"),
                "group": row.get("group", "name")}
        if rule["kind"] == "suffix":
            rule["regex"] = re.compile(alternation(row["suffixes"]))
            stops = row.get("stops", "name_left_stop")
            stop_words = tuple(w for name in ([stops] if isinstance(stops, str) else stops) for w in words(name))
            rule["scan"] = LeftScanner(stop_words, int(row.get("max_len", 30)), NAME_CHARS + "“”‘’《》—",
                                       quoted_head=bool(row.get("quoted_head")))
            rule["require"] = re.compile(expand_macros(row["require"])) if row.get("require") else None
            rule["reject"] = re.compile(expand_macros(row["reject"])) if row.get("reject") else None
        else:
            rule["regex"] = re.compile(expand_macros(row["pattern"]), re.M)
        return rule

    def __call__(self, doc: Doc) -> Doc:
        text = doc._.kg_text
        out = candidates(doc)
        for rule in self.rules:
            matches = self._suffix(text, rule) if rule["kind"] == "suffix" else self._regex(text, rule)
            for start, end in matches:
                surface = text[start:end]
                out.append(Mention(start, end, rule["label"], surface, clean_name(surface), rule["id"],
                                   rule["confidence"]))
        return doc

    @staticmethod
    def _regex(text: str, rule: dict):
        for m in rule["regex"].finditer(text):
            start, end = m.span(rule["group"])
            if start < 0 or end <= start:
                continue
            if not rule["split"]:
                yield start, end
                continue
            last = start
            for sep in re.finditer(rule["split"], text[start:end]):
                if start + sep.start() > last:
                    yield last, start + sep.start()
                last = start + sep.end()
            if last < end:
                yield last, end

    @staticmethod
    def _suffix(text: str, rule: dict):
        for m in rule["regex"].finditer(text):
            start = rule["scan"](text, m.start())
            while start < m.start() and text[start] in "”’》—":
                start += 1
            end = m.end()
            if end < len(text) and text[end] == "”" and text.count("“", start, end) > text.count("”", start, end):
                end += 1
            close = text.rfind(")", start, m.start())
            if close >= 0 and rule["label"] in ("Event", "Program"):
                start = close + 1
            if text[start] in "“《" and end - start > 2 and text[end - 1] in "”》" and _balanced(text[start + 1:end - 1]):
                start, end = start + 1, end - 1
            name = text[start:end]
            if start == m.start() or not _balanced(name):
                continue
            if rule["require"] and not rule["require"].search(name):
                continue
            if rule["reject"] and rule["reject"].search(name):
                continue
            yield start, end


def _balanced(name: str) -> bool:
    return all(name.count(a) == name.count(b) for a, b in ("()", "“”", "《》", "‘’"))
