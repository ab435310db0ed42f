"""``kg_places``: places from the gazetteer, and named areas below the divisions.

A spaCy ``PhraseMatcher`` finds every form of every division
(:mod:`kg.pipeline.gazetteer`), with a hierarchy guard: in 信州朝阳产业园 the
朝阳 after 信州 is no place because no 朝阳 lies inside 信州. Parks and new
towns (某某产业园) and localities (某某镇, 某某社区) are found by their suffix
(``place_suffixes.json``).
"""
from __future__ import annotations

import bisect
import re

from spacy.language import Language
from spacy.matcher import PhraseMatcher
from spacy.tokens import Doc

from kg.model import Mention
from kg.pipeline import gazetteer as gz
from kg.pipeline.data import DataComponent, alternation, common_words, dictionary_tags
from kg.pipeline.scanning import CJK, LeftScanner, candidates

#: a legal form right after a park's name: the name is a company's
_COMPANY_AFTER = ("有限公司", "有限责任公司", "股份有限公司", "集团")
_AREA_HEAD = re.compile(f"^[{CJK}]{{2,8}}\\Z")


@Language.factory("kg_places", assigns=["doc._.kg_candidates"], requires=["doc._.kg_text"], default_config={})
def make_places(nlp: Language, name: str):
    return PlaceMatcher(nlp, name)


class PlaceMatcher(DataComponent):
    resources = (*gz.RESOURCES, "lexicons/place_suffixes.json", "lexicons/name_left_stop.txt")

    def __init__(self, nlp: Language, name: str = "kg_places"):
        super().__init__(nlp, name)
        self.vocab = nlp.vocab
        self.tokenizer = nlp.tokenizer

    def setup(self, data) -> None:
        self.gazetteer = gz.gazetteer(data)
        spec = data.table("place_suffixes")
        self.parks = re.compile(alternation(spec["parks"]))
        self.venues = re.compile(alternation(spec["venues"]))
        self.localities = re.compile(alternation(spec["localities"]))
        self.generic = set(spec["generic"])
        self.generic_heads = tuple(spec["generic_heads"])
        self.locative = re.compile(alternation(spec["locatives"]) + "\\Z")
        self.chain_after = tuple(spec["chain_after"])
        self.division_chars = spec["division_chars"]
        self.locality_not_before = {k: tuple(v) for k, v in spec["locality_not_before"].items()}
        self.not_locality_words = tuple(spec["not_locality_words"])
        self.feature_after = tuple(spec["feature_after"])
        self.feature_after_not = tuple(spec["feature_after_not"])
        self.scan = LeftScanner(data.words("name_left_stop"), 12)
        self.common = common_words()
        self.verbs = frozenset(w for w, t in dictionary_tags().items() if t == "v" and len(w) == 2)
        self.matcher = PhraseMatcher(self.vocab, attr="ORTH")
        forms = sorted(self.gazetteer.by_form)
        self.matcher.add("Place", list(self.tokenizer.pipe(forms)))

    def process(self, doc: Doc) -> Doc:
        text = doc._.kg_text
        written = doc._.kg_layout_text or doc.text
        read = doc
        if doc._.kg_restore:  # an article in traditional characters: the place names are matched as folded
            read, written = self.tokenizer(text), text
        found = []
        offsets = read.to_array("IDX")  # a token's offset, without making a Token per match
        for _, s, e in self.matcher(read):
            start, last = int(offsets[s]), int(offsets[e - 1])
            if last - start != e - 1 - s:
                continue  # 楠 西: two characters on either side of a space are no place name
            found.append((start, last + 1, written[start:last + 1]))
        found.sort(key=lambda t: (t[0], -(t[1] - t[0])))
        kept: list[tuple[int, int, str]] = []
        for start, end, form in found:
            if kept and start < kept[-1][1]:
                continue  # longest match at the leftmost position wins
            if kept and start == kept[-1][1] and not self._may_follow(kept[-1][2], form):
                continue  # 信州朝阳: 朝阳 is not inside 信州
            if text.startswith(self.feature_after, end) and not text.startswith(self.feature_after_not, end) \
                    and form != self.gazetteer.canonical(form):
                continue  # 晋江湾, 贺兰山: a short form heading a feature's name
            kept.append((start, end, form))
        out = candidates(doc)
        for start, end, form in kept:
            out.append(Mention(start, end, "Place", form, self.gazetteer.canonical(form),
                               "place.gazetteer", 0.9))
        out.extend(self._named_areas(text, kept))
        out.extend(self._venues(text, kept))
        return doc

    def _venues(self, text: str, kept: list[tuple[int, int, str]]):
        """A venue after a place (某市国际会议展览中心): a place where things are held."""
        ends = {e: s for s, e, _ in kept}
        for m in self.venues.finditer(text):
            for n in range(0, 5):
                if m.start() - n in ends:
                    start = ends[m.start() - n]
                    yield Mention(start, m.end(), "Place", text[start:m.end()], text[start:m.end()], "place.venue", 0.85)
                    break

    def _named_areas(self, text: str, kept: list[tuple[int, int, str]]):
        ends = {e: (s, f) for s, e, f in kept}
        spans = {(s, e) for s, e, _ in kept}
        areas = []
        by_start = sorted(spans)
        starts = [a for a, _ in by_start]
        longest = max((e - a for a, e in by_start), default=0)
        for m in self.parks.finditer(text):
            start = self.scan(text, m.start())
            lo = bisect.bisect_left(starts, start - longest)
            cut = next((a for a, e in by_start[lo:bisect.bisect_left(starts, start)] if a < start < e <= m.start()), None)
            if cut is not None:
                start = cut  # 和林格尔新区: the scan stopped at a stop character inside the place's name
            head = text[start:m.start()]
            if m.end() in ends or text.startswith(_COMPANY_AFTER, m.end()):
                continue  # 某某科技工业园有限公司: the park's name is the company's
            i = bisect.bisect_right(starts, m.start())
            if any(a <= m.start() < e for a, e in by_start[bisect.bisect_left(starts, m.start() - longest):i]):
                continue  # 西安市新城区: the suffix is inside a division's name, not an area's
            if not _AREA_HEAD.match(head) or head in self.generic or self._generic_head(head) \
                    or (head in self.common and head not in self.gazetteer.by_form) \
                    or (start, m.end()) in spans:
                continue
            lo = bisect.bisect_left(starts, start - longest)
            if any(a < start < e for a, e in by_start[lo:bisect.bisect_left(starts, start)]):
                continue
            areas.append((start, m.end()))
            yield Mention(start, m.end(), "Place", text[start:m.end()], text[start:m.end()], "place.named_area", 0.8)
        for s_, e_ in areas:  # a locality after a named area (某高新区某街道) is chained to it
            spans.add((s_, e_))
            ends[e_] = (s_, text[s_:e_])
        first_end: dict[int, int] = {}
        for s_, e_ in sorted(spans, reverse=True):
            first_end[s_] = e_
        prev_locality = -1
        for m in self.localities.finditer(text):
            if text.startswith(self.locality_not_before.get(m.group(), ()), m.end()) \
                    or text.endswith(self.not_locality_words, 0, m.end()):
                continue
            start = self.scan(text, m.start())
            pos, chained, last_place = start, False, None
            while pos in first_end:
                last_place, pos, chained = pos, first_end[pos], True
            head = text[pos:m.start()]
            if not head and last_place is not None and 2 <= m.start() - last_place <= 4 \
                    and text[m.start() - 1] not in self.division_chars and m.group() in self.chain_after \
                    and self.gazetteer.level(text[last_place:m.start()]) == "county" \
                    and text[m.start():m.end() + 1] not in self.common:
                prev_locality = m.end()  # 大埔镇: a town named as a county is written short
                yield Mention(last_place, m.end(), "Place", text[last_place:m.end()], text[last_place:m.end()],
                              "place.locality", 0.8)
                continue
            inner = self.localities.search(head)
            while inner and inner.end() < len(head):
                pos, chained = pos + inner.end(), True
                head = text[pos:m.start()]
                inner = self.localities.search(head)
            if not 2 <= len(head) <= (7 if head.endswith("族") else 4) or head in self.generic:  # 某某仫佬族乡
                continue
            if not (chained and (pos in ends or text[pos - 1:pos] in self.chain_after)):
                listed = text[m.end():m.end() + 1] == "、" or text[pos - 1:pos] == "、" and prev_locality == pos - 1
                if listed and len(head) >= 4 and head[:2] in self.verbs:
                    pos, head = pos + 2, head[2:]  # 加快|中枢街道、活水乡: the verb before a list
                if head[:2] in self.common and head not in self.gazetteer.by_form and len(head) > 2 and not listed:
                    continue  # a list of localities vouches for 三岔河镇, 中枢街道
                if not self.locative.search(text, max(0, pos - 3), pos) and not listed:
                    continue
            prev_locality = m.end()
            yield Mention(pos, m.end(), "Place", text[pos:m.end()], text[pos:m.end()], "place.locality", 0.8)

    def _generic_head(self, head: str) -> bool:
        """The head is only a generic word (科技, 某某工业): 北湖科技开发区 has a name before 科技."""
        for g in self.generic_heads:
            if head.endswith(g):
                rest = head[: -len(g)]
                return len(rest) < 2 or rest in self.generic or rest in self.common
        return False

    def _may_follow(self, prev: str, form: str) -> bool:
        g = self.gazetteer
        if g.level(form) not in ("prefecture", "county", "former-district"):
            return True
        return g.contains(prev, form) or form == g.canonical(form) and g.level(form) == "prefecture"
