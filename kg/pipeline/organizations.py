"""``kg_organizations``: organisation names from their last word.

A suffix (有限公司, 总工会, 大学, 厅 … ``org_suffixes.json``) decides the
class; the name runs back from it to a stop word (``org_left_stop.txt``).
Unions, government bodies and institutions must start at a place, a level
word or an enterprise's name (守护工会 is no union); central bodies whose
names start with neither come from ``national_bodies.tsv``. The grammar's
closed-class words are in ``org_grammar.json``.
"""
from __future__ import annotations

import bisect
import re

from spacy.language import Language
from spacy.tokens import Doc

from kg.model import ORG_TYPES, Mention
from kg.names import DECLARATION
from kg.pipeline import gazetteer as gz
from kg.pipeline.data import DataComponent, alternation, common_words, dictionary_entries, dictionary_tags, rare_word
from kg.pipeline.scanning import CJK, CJK_CHAR, LeftScanner, balanced, candidates, place_positions

CJK_RUN = re.compile(f"[{CJK}]+")
_DECLARATION_BEFORE = re.compile(DECLARATION + "\\Z")


#: a street address's number (人民大街2568号) before a name
_STREET_NUMBER = re.compile(r"(?:路|街|大道|巷)\d+号")

#: the legal forms that end a company's full name, also inside a longer one (某某股份有限公司|某某公司)
FULL_LEGAL_FORMS = ("股份有限公司", "有限责任公司", "有限公司", "集团公司")
_LEGAL_END = re.compile(alternation(FULL_LEGAL_FORMS))


@Language.factory("kg_organizations", assigns=["doc._.kg_candidates"],
                  requires=["doc._.kg_text", "doc._.kg_candidates"], default_config={"max_len": 40})
def make_organizations(nlp: Language, name: str, max_len: int):
    return OrganizationGrammar(nlp, name, max_len)


class OrganizationGrammar(DataComponent):
    resources = (*gz.RESOURCES, "lexicons/org_suffixes.json", "lexicons/org_grammar.json",
                 "lexicons/org_left_stop.txt", "lexicons/org_generic_prefix.txt", "lexicons/industry_words.txt",
                 "lexicons/awards.json", "lexicons/national_bodies.tsv", "lexicons/mention_grammar.json")

    def __init__(self, nlp: Language, name: str = "kg_organizations", max_len: int = 40):
        super().__init__(nlp, name)
        self.max_len = max_len

    def setup(self, data) -> None:
        spec = data.table("org_suffixes")
        g = self.grammar = data.table("org_grammar")
        self.declared_alias = re.compile(data.table("mention_grammar")["declared_alias"])
        self.suffix_type: dict[str, str] = {}
        for label in ORG_TYPES:
            for suffix in spec[label]:
                self.suffix_type.setdefault(suffix, label)
        self.suffixes = re.compile(alternation(self.suffix_type))
        self.suffix_words = tuple(self.suffix_type)
        name_words = [w for w, (_, tag) in dictionary_entries().items() if tag in g["name_word_tags"]]
        self.scan = LeftScanner(data.words("org_left_stop"), self.max_len, glued=tuple(g["stops_glued_in_names"]),
                                not_before=g["stops_not_before"],
                                words=frozenset(w for w in name_words if len(w) == 2),
                                nouns=frozenset(w for w in name_words if len(w) == 3),
                                cores=tuple(g["name_cores"]))
        self.generic = frozenset(w for w in data.words("org_generic_prefix") if w)
        self.counted = re.compile(f"^[{g['counted_numerals']}]+[{g['counted_classifiers']}]")
        self.counted_inside = re.compile(f"[{g['counted_inside_numerals']}]+[{g['counted_inside_classifiers']}]")
        self.gazetteer = gz.gazetteer(data)
        self.list_items = re.compile(
            rf"((?:[{CJK}A-Za-z0-9]{{2,10}}、)+[{CJK}A-Za-z0-9]{{2,10}}){g['list_end']}(?:{g['list_count']}|{alternation(g['list_counts'])})?"
            + alternation(g["list_tails"]))
        self.industry = re.compile(alternation(data.words("industry_words")) + "\\Z")
        self.levels = tuple(g["levels"])
        self.level_starts = tuple(g["level_starts"])
        self.regions = tuple(data.table("awards")["regions"])
        self.units_only = re.compile(alternation(spec["units_only"]) + f"(?![{g['unit_lookahead_stop']}])"
                                     + f"(?!{alternation(spec['units'])})")  # 某某码头分公司: one unit
        self.whole_units = frozenset(spec["whole_units"])
        self.org_end = re.compile(alternation([x for k in ("Enterprise", "Institution") for x in spec[k]]) + "\\Z")
        self.national_type = {name: cls for name, cls in data.rows("national_bodies")}
        self.national = re.compile(alternation(self.national_type))
        self.other_body = re.compile(".*" + alternation(g["inner_bodies"]))
        self.gov_head = re.compile("^" + alternation(g["gov_heads"]))
        self.generic_holder = re.compile(alternation(g["generic_holders"]))
        self.locality_head = re.compile(f"^[{CJK}]{{2,3}}" + alternation(g["locality_heads"])
                                        + "(?:" + alternation(g["locality_tails"]) + ")?\\Z")
        self.function_chars = set(g["function_chars"])
        self.not_before = g["suffix_not_before"]
        self.not_after = g["suffix_not_after"]
        self.name_joiners = g["name_joiners"]
        self.division_chars = frozenset(w for w in data.words("division_suffixes") if len(w) == 1)
        self.suffix_ends = frozenset(suffix[-1] for suffix in self.suffix_type)
        self.company_anaphors = tuple(sorted(g["company_anaphors"], key=len, reverse=True))
        self.unit_suffixes = set(spec["units"]) | set(spec["units_only"])
        self.joint_bodies = re.compile(g["joint_bodies"])
        self.second_body = re.compile("(" + alternation(spec["GovernmentBody"] + spec["TradeUnion"]) + ")(?=["
                                      + "".join(g["province_heads"]) + "](?!" + alternation(g["gov_heads"]) + "))")
        self.counted_before = re.compile(f"[{g['counted_numerals']}]\\Z")
        self.countable_units = set(g["countable_units"])
        self.province_heads = "".join(g["province_heads"])
        self.locality_ends = g["address_ends"]
        self.whole_words = tuple(g["whole_words"])
        self.group_heads = tuple(g["group_heads"])
        self.group_subsidiary_forms = tuple(g["group_subsidiary_forms"])
        self.ownership_words = tuple(g["ownership_words"])
        self.subsidiary_suffixes = frozenset(g["subsidiary_suffixes"])
        self.units_not_after = {k: tuple(v) for k, v in g["units_not_after"].items()}
        self.locality_name = re.compile(f"^[{CJK}]{{2,3}}" + alternation(g["locality_heads"]))
        self.division_heads = "".join(g["division_heads"])
        self.addressed_to_many = re.compile(alternation(g["many"]) + f"[{self.division_heads}、]*\\Z")
        self.common = common_words()
        tags = self.dictionary = dictionary_tags()
        self.verbs = frozenset(w for w, t in tags.items() if t in ("v", "vn", "vd"))

    def process(self, doc: Doc) -> Doc:
        text = doc._.kg_text
        out = candidates(doc)
        protected = place_positions(out, self.gazetteer)
        g = self.grammar
        ends: set[int] = set()
        for m in self.national.finditer(text):
            glued = self._frequent(text[m.end() - 1:m.end() + 1]) or text[m.start():m.end() + 1] in self.common \
                or m.start() > 0 and self._frequent(text[m.start() - 1:m.start() + 1])  # 宣传|教育部: a unit's name
            if glued and not self._place_at(text, m.end()):
                continue  # 财政部长 is a minister; 生态环境部长江… is the ministry before a place
            out.append(Mention(m.start(), m.end(), self.national_type[m.group()], m.group(), m.group(),
                               "org.national_body", 0.95))
            ends.add(m.end())
        place_spans = {c.start: c.end for c in out if c.label == "Place"}
        place_starts = sorted(place_spans)
        declared = [(d.end(), d.group(1)) for d in self.declared_alias.finditer(text)
                    if any(text.endswith(suffix, 0, d.start()) for suffix in self.suffix_type)]
        place_ends = {c.end: c.start for c in out if c.label == "Place"}
        for m in self.units_only.finditer(text):
            if any(text.endswith(w, 0, m.start()) for w in self.units_not_after.get(m.group(), ())):
                continue  # 培训班: a course
            if self._glued(text, m) or m.group() in self.countable_units and self.counted_before.search(text, max(0, m.start() - 4), m.start()):
                continue  # 学院54所: a count, not a unit
            start = self.scan(text, m.start(), protected)
            head = text[start:m.start()]
            anaphor = next((w for w in self.company_anaphors if head.startswith(w) and len(head) - len(w) >= 2), None)
            if anaphor:  # 公司复合材料车间: the unit of the company just named, named without 公司
                start += len(anaphor)
                head = head[len(anaphor):]
                holder = self.generic_holder.match(head)
                if holder and any(head[holder.end():holder.end() + n] in self.gazetteer.by_form for n in range(2, 8)):
                    start += holder.end()  # 集团子公司某地某某有限公司某车间: the subsidiary's own name
                    head = head[holder.end():]
                if not self._generic_noun(head) and not self.counted_inside.search(head):
                    ends.add(m.end())
                    label = self.suffix_type.get(m.group(), "Enterprise")
                    out.append(Mention(start, m.end(), label, text[start:m.end()], text[start:m.end()],
                                       "org.unit_of_named_org", 0.75))
                continue
            short = next((w for end_, w in declared if end_ <= start and head.startswith(w) and len(head) - len(w) >= 2), None)
            if short and not self._generic_noun(head[len(short):]) and not self.suffixes.search(head, len(short)):
                # 某某线路一班: a unit of the declared 某某 (not 某某工会以某班: another body comes between)
                ends.add(m.end())
                out.append(Mention(start, m.end(), self.suffix_type.get(m.group(), "Enterprise"), text[start:m.end()],
                                   text[start:m.end()], "org.unit_of_declared_name", 0.75))
                continue
            after = start + 1 if head.startswith(")") else start
            if 2 <= m.start() - after <= 8 and CJK_RUN.fullmatch(text, after, m.start()) \
                    and self._after_declared_parent(text, after):
                ends.add(m.end())  # 某某有限公司(以下简称“某某”)熔铸分厂: the unit of the company just declared
                out.append(Mention(after, m.end(), self.suffix_type.get(m.group(), "Enterprise"), text[after:m.end()],
                                   text[after:m.end()], "org.unit_after_declared_parent", 0.75))
                continue
            parent = _last(self.suffixes.finditer(head if m.group() in self.whole_units else head[:-1]))
            if parent is None and len(m.group()) >= 3:  # 某某有限公司生产部: a department's whole name
                parent = _last(self.suffixes.finditer(head))
                if parent is not None and parent.start() < 2:
                    parent = None  # 公司技术部: no company is named
            if parent is not None and parent.start() == 0 and start > 0 and text[start - 1] in self.name_joiners:
                continue  # 某某仁和医院急诊科: the scan stopped inside the parent's name
            after_places = not parent and start in place_spans \
                and self._after_places(start, m.start(), place_spans, m.group() in self.whole_units)
            if parent is not None and self.counted_inside.search(head, parent.end()):
                continue  # 某公司12个车间: a count of units, not one
            if (parent or after_places) and balanced(text[start:m.end()]):
                ends.add(m.end())
                label = self.suffix_type.get(m.group(), self.suffix_type[parent.group()] if parent else "Institution")
                out.append(Mention(start, m.end(), label, text[start:m.end()], text[start:m.end()],
                                   "org.unit_of_named_org", 0.8))
        for m in self._unglued_suffixes(text):
            suffix = m.group()
            end = m.end()
            if end in ends:
                continue
            start = self.scan(text, m.start(), protected)
            if start >= 2 and text[start - 1] in self.name_joiners and start not in place_spans:
                if start - 1 in place_ends:
                    start = place_ends[start - 1]  # 某州和泽医院: a place, then a name that starts with 和
                elif start - 2 in place_ends and CJK_CHAR.match(text[start - 2]) \
                        and text[start - 2] not in self.division_chars and text[start - 2] not in self.suffix_ends:
                    start = place_ends[start - 2]  # 某州鸢和医院: a place, then a name with 和 second
                while start in place_ends:
                    start = place_ends[start]  # 某市某区仁和医院: the places written before it too
            prefix = text[start:m.start()]
            address = _last(_STREET_NUMBER.finditer(prefix))
            if address and len(prefix) - address.end() >= 1:
                start += address.end()  # 某市某区人民大街2568号省总工会: the address is no part of the name
                prefix = prefix[address.end():]
            label = self.suffix_type[suffix]
            if suffix == g["committee_suffix"] and any(w in prefix for w in g["union_words"]):
                label = "TradeUnion"
            if suffix in g["party_suffixes"] and self.org_end.search(prefix):
                continue
            if label in ("Enterprise", "Institution"):
                inner = self.other_body.search(prefix)
                if inner and len(prefix) - inner.end() >= 2:
                    start += inner.end()
                    prefix = prefix[inner.end():]
            own = _last(_LEGAL_END.finditer(prefix)) if suffix == "公司" else None
            if own and 2 <= len(prefix) - own.end() <= 6 and CJK_RUN.fullmatch(prefix, own.end()) \
                    and not any(prefix[own.end():own.end() + n] in self.gazetteer.by_form for n in range(2, 8)):
                start += own.end()  # 某某股份有限公司某某公司: a company with its own name, under its owner
                prefix = prefix[own.end():]
            second = _last(self.second_body.finditer(prefix))
            if second:  # 某委某工委省直机关工会: a body named after another, with no separator between
                start += second.start() + len(second.group(1))
                prefix = prefix[second.start() + len(second.group(1)):]
            if label in ("Enterprise", "Institution") and suffix not in self.unit_suffixes:
                cut = self._restart_at_place(prefix, after_group=text.endswith(self.group_subsidiary_forms, 0, end))
                start += cut
                prefix = prefix[cut:]
            if label == "Enterprise" and (self._generic_noun(prefix) or self._whole_of(prefix)):
                continue  # 猎头公司, 物业公司: a kind of company, not one; 全公司: the whole company
            if suffix in self.subsidiary_suffixes and self._no_own_name(prefix):
                continue  # 某集团全资子公司: what the next name is, not a name
            if label == "Enterprise":
                lead = self._place_after_lead(prefix)
                generic = _last(self.generic_holder.finditer(prefix))
                if generic and any(prefix[generic.end():generic.end() + n] in self.gazetteer.by_form
                                   for n in range(2, 8)):
                    lead = max(lead, generic.end())
                start += lead
                prefix = prefix[lead:]
            else:
                anchor = 0 if start in place_spans and prefix[:1] in self.function_chars else self._anchor(prefix, suffix)
                if anchor is None:
                    i = bisect.bisect_left(place_starts, start)
                    anchor = place_starts[i] - start if i < len(place_starts) and place_starts[i] < m.start() else None
                if anchor is None and label == "TradeUnion":
                    anchor = _declared_head(prefix, declared, start)
                if anchor is None and label == "TradeUnion":
                    anchor = self._company_head(out, start, m.start())
                if anchor is None and suffix[0] in self.province_heads and len(suffix) >= 2:
                    anchor = len(prefix)  # 贯彻落实市委: a body of the article's own division, named by its suffix
                if anchor is None:
                    continue
                anchor = self._after_address(prefix, anchor, start, place_spans)
                start += anchor
                prefix = prefix[anchor:]
            name = text[start:end]
            if not balanced(name) or not self._named(prefix, suffix):
                continue
            if len(prefix) == 1 and not self._own_division(text, start):
                continue
            ends.add(end)
            pair = self.joint_bodies.match(name)
            if pair:  # 某县委县政府: the county's party committee and its government
                first_end = start + pair.end(1)
                out.append(Mention(start, first_end, label, text[start:first_end], text[start:first_end],
                                   f"org.suffix.{label}", 0.85))
                out.append(Mention(first_end, end, label, text[first_end:end], text[first_end:end],
                                   f"org.suffix.{label}", 0.85))
                continue
            out.append(Mention(start, end, label, name, name, f"org.suffix.{label}", 0.85))
            town = self.locality_name.match(prefix) if label != "Enterprise" and self.locality_head.match(prefix) else None
            if town and start not in place_spans:  # 古路镇中心卫生院: the town the body is named after
                out.append(Mention(start, start + town.end(), "Place", town.group(), town.group(),
                                   "place.locality_in_org_name", 0.75))
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
        an enterprise's name (某某矿业工会); no such start, no named body (守护工会, 健全党委)."""
        g = self.grammar
        if not prefix:
            return 0 if suffix[0] in self.province_heads else None
        province = g["province_char"]
        for i in range(len(prefix)):
            rest = prefix[i:]
            if rest[0] in self.function_chars:
                continue
            if rest.startswith(self.levels + self.regions) or rest in g["bare_divisions"]:
                return i
            if self.locality_head.match(rest) and rest[:-1] not in self.verbs and rest[:-2] not in self.verbs:
                return i
            if i == 0 and rest[0] == province and not rest.startswith(g["province_level_word"]):
                return i
            if rest[0] in self.province_heads and self.gov_head.match(rest[1:]) \
                    and (i == 0 or not self._in_word(prefix, i)):
                return i
            if any(rest[:n] in self.gazetteer.by_form for n in range(2, min(len(rest), 8) + 1)):
                return i
        if self.suffix_type[suffix] == "TradeUnion" and self.industry.search(prefix):
            return self._brand_start(prefix)
        return None

    @staticmethod
    def _company_head(found: list[Mention], start: int, suffix_start: int) -> int | None:
        """A company's own union is named after the whole company (某某机械有限公司工会), which
        the suffix scan has just found, place or no place in its name."""
        heads = [c.start for c in found if c.end == suffix_start and c.start >= start
                 and c.label in ("Enterprise", "Institution")]
        return min(heads) - start if heads else None

    def _place_after_lead(self, prefix: str) -> int:
        """A company name written right after a verb or a function word (有某地某某…, 进入某市…,
        现任某地…) starts at its place; so does one after a stray division character (我县某省某某
        公司: 县 is the reporter's county, 某省 starts the name), unless the name already starts with
        a place (安吉县某某公司 is not 吉县某某公司)."""
        if any(prefix[:n] in self.gazetteer.by_form for n in range(2, min(8, len(prefix)) + 1)):
            return 0
        for i in (1, 2):
            lead = prefix[:i]
            if len(prefix) > i + 1 and any(prefix[i:i + n] in self.gazetteer.by_form for n in range(2, 8)) \
                    and (lead in self.verbs or lead in self.function_chars
                         or i == 1 and lead in self.division_heads) and lead not in self.gazetteer.by_form:
                return i
        return 0

    def _in_word(self, prefix: str, i: int) -> bool:
        return prefix[i - 1:i + 1] in self.common

    def _brand_start(self, prefix: str) -> int | None:
        m = re.search(f"[{CJK}]{{1,6}}?" + self.industry.pattern, prefix)
        return m.start() if m and m.start() == 0 else None

    def _named(self, prefix: str, suffix: str) -> bool:
        g = self.grammar
        if len(prefix) < 2:
            province = g["province_char"]
            if prefix and prefix in self.division_heads and len(suffix) >= 2 \
                    and self.suffix_type[suffix] in ("GovernmentBody", "TradeUnion"):
                return True  # 省科学技术厅, 市总工会, 县政府: the article's own division's body
            return (prefix in (province, "") and suffix in g["bare_suffixes_after_province"]) \
                or prefix == "" and suffix[0] in self.province_heads
        if self.counted.match(prefix) or self.counted_inside.search(prefix):
            return False
        if any(prefix[len(prefix) - n:] in self.generic for n in range(max(1, len(prefix) - 3), len(prefix) + 1)):
            return False  # a generic word, or one with at most three characters before it
        if len(suffix) == 1 and not self._starts_with_place_or_level(prefix) and not _after_company(prefix):
            return False
        return True

    def _after_address(self, prefix: str, anchor: int, start: int, place_spans: dict[int, int]) -> int:
        """A body written after an address (某市某区某街道省委某工委) starts after the address: a
        chain of places down to a locality, then a one-character division (the province's)."""
        pos = start + anchor
        chained = False
        while pos in place_spans:
            pos, chained = place_spans[pos], True
        cut = pos - start
        rest = prefix[cut:]
        if chained and 0 < cut < len(prefix) and prefix[cut - 1] in self.locality_ends and rest[0] in self.province_heads:
            return cut
        return anchor

    def _restart_at_place(self, prefix: str, after_group: bool = False) -> int:
        """Where a name starts again at a place inside what the scan took: after a closing
        parenthesis (某专业(某方向)某省某某公司), or after a chain of places that the new place
        does not lie in (某市某区某省某某学院: the school is named after the province)."""
        for i in range(2, len(prefix) - 1):
            n = next((n for n in range(min(8, len(prefix) - i), 1, -1) if prefix[i:i + n] in self.gazetteer.by_form), 0)
            if not n or self.gazetteer.level(prefix[i:i + n]) not in ("province", "prefecture"):
                continue
            head = prefix[:i]
            if ")" in head and head.count("(") == head.count(")"):
                return i
            group = next((w for w in self.group_heads if head.endswith(w)), None) if after_group else None
            if group and len(head) - len(group) >= 2:
                return i
            if after_group and any(form in head for form in self.group_subsidiary_forms):
                return i  # 某某有限公司张某某浙江某某有限公司: a list with a separator left out, a new name at the place
            chain = self._place_chain(head)
            if chain and (len(chain) > 1 or chain[-1] == self.gazetteer.canonical(chain[-1])) \
                    and not self.gazetteer.contains(chain[-1], prefix[i:i + n]):
                return i
        return 0

    def _place_chain(self, head: str) -> list[str] | None:
        """The places that make up ``head`` exactly (某市某区), or None."""
        out, pos = [], 0
        while pos < len(head):
            n = next((n for n in range(min(8, len(head) - pos), 1, -1) if head[pos:pos + n] in self.gazetteer.by_form), 0)
            if not n:
                return None
            out.append(head[pos:pos + n])
            pos += n
        return out

    def _after_declared_parent(self, text: str, start: int) -> bool:
        """Whether ``start`` follows an organisation's name and the short name it declares."""
        m = _DECLARATION_BEFORE.search(text, max(0, start - 24), start)
        return m is not None and any(text.endswith(suffix, 0, m.start()) for suffix in self.suffix_type)

    def _unglued_suffixes(self, text: str):
        """Each suffix that ends a name; where one is the start of another word (省委|员会), the
        search goes on inside it (共青团某省委员会 ends with 委员会)."""
        pos = 0
        while (m := self.suffixes.search(text, pos)) is not None:
            if self._glued(text, m):
                pos = m.start() + 1
                continue
            yield m
            pos = m.end()

    def _frequent(self, word: str) -> bool:
        """A common word written often enough in the dictionary to be read as one (部长: 财政部长 is
        a minister), not a rare entry (委推: 由团省委推荐 is the youth league's committee)."""
        return word in self.common and not rare_word(word)

    def _glued(self, text: str, m: re.Match) -> bool:
        """The suffix is the start of another word with what follows (新局面, 矿山, 所属) or the end
        of one with the character before it (工作大局, 开局), or part of a deputy's title (副局长)."""
        after = self.not_before.get(m.group()) or self.not_before.get(m.group()[-1:], "")
        if m.end() < len(text) and text[m.end()] in after:
            return True
        if m.start() > 0 and text[m.start() - 1] in self.not_after.get(m.group(), ""):
            return True
        return len(m.group()) == 1 and m.start() > 0 and text[m.start() - 1] in self.grammar["deputy_chars"]

    @staticmethod
    def _after_places(start: int, suffix_start: int, place_spans: dict[int, int], whole: bool = False) -> bool:
        """The name runs from places (某县某镇) through a short unit name to its suffix, or
        straight to a suffix that is a unit's whole name (某镇某村党支部)."""
        pos = start
        while pos in place_spans:
            pos = place_spans[pos]
        return pos > start and (0 if whole else 2) <= suffix_start - pos <= 6

    def _no_own_name(self, prefix: str) -> bool:
        """A subsidiary named by its parent and how it is held alone (某集团有限公司全资子公司,
        集团控股子公司): the words say what the name after them is."""
        own = prefix
        while own.endswith(self.ownership_words):
            own = own[:-len(next(w for w in self.ownership_words if own.endswith(w)))]
        if own == prefix:
            return False
        return not own or own.endswith(self.suffix_words) or self._generic_noun(own)

    def _whole_of(self, prefix: str) -> bool:
        """The name ends with a word for 'the whole' (承担着全公司, 整个集团), which is not the end of
        another word (安全公司)."""
        w = next((w for w in self.whole_words if prefix.endswith(w)), None)
        return w is not None and (prefix == w or prefix[-len(w) - 1:] not in self.common)

    def _generic_noun(self, prefix: str) -> bool:
        """The whole name before the suffix is an ordinary noun or verb of the dictionary."""
        tag = self.dictionary.get(prefix)
        return tag in ("n", "v", "vn", "t", "d", "m", "c", "p") and prefix not in self.gazetteer.by_form

    def _place_at(self, text: str, i: int) -> bool:
        return any(text[i:i + n] in self.gazetteer.by_form for n in range(2, 8))

    def _own_division(self, text: str, start: int) -> bool:
        """A body named by one division character (市总工会) is the article's own division's,
        unless that character ends a word (社区工会) or the name is addressed to many (各市、州总工会)."""
        if start and text[start - 1:start + 1] in self.common:
            return False
        return not self.addressed_to_many.search(text, max(0, start - 10), start)

    def _starts_with_place_or_level(self, prefix: str) -> bool:
        if prefix[0] in self.province_heads or prefix.startswith(self.level_starts):
            return True
        return any(prefix[:n] in self.gazetteer.by_form for n in range(2, min(len(prefix), 8) + 1))

    def _is_short_name(self, item: str) -> bool:
        return item not in self.gazetteer.by_form and not self.counted.match(item) and \
            not item.endswith(tuple(self.grammar["not_short_names"]))


def _declared_head(prefix: str, declared: list[tuple[int, str]], start: int) -> int | None:
    """A union named after a short name declared before it (某某有限公司（以下简称“某某”）…
    某某工会) starts at that short name."""
    return 0 if any(end <= start and prefix == short for end, short in declared) else None


def _after_company(prefix: str) -> bool:
    """A one-character unit (厂, 部) named after its company's full name (某某有限公司某某厂): the
    company's name vouches for the unit's, as a place or level would."""
    own = _last(_LEGAL_END.finditer(prefix))
    return own is not None and own.start() >= 2 and len(prefix) - own.end() >= 2


def _last(matches):
    last = None
    for last in matches:
        pass
    return last
