"""What every name grammar shares: where a name that ends at a known word begins.

Names in these texts are found from their right end (a suffix such as
有限公司, a core such as 劳动模范); their left end is the last stop word
before it. The candidate list on the ``Doc`` is where every finder writes.
"""
from __future__ import annotations

import re

from spacy.tokens import Doc

from kg.model import Mention

CJK = "\u4e00-\u9fff"
CJK_CHAR = re.compile(f"[{CJK}]")
NAME_CHARS = f"{CJK}A-Za-z0-9()·&"
NAME_CHAR = re.compile(f"[{NAME_CHARS}]")
OPENING_QUOTES, CLOSING_QUOTES = "“《‘", "”》’"
_DATE = r"\d{1,2}月\d{1,2}日"
_YEAR = r"(?:19|20)\d{2}年度?的?"
_YEAR_BEFORE = re.compile(r"((?:19|20)\d{2})年度?的?\Z")

if not Doc.has_extension("kg_candidates"):
    Doc.set_extension("kg_candidates", default=None)


def candidates(doc: Doc) -> list[Mention]:
    """The candidate mentions found so far (every finder appends; the resolver chooses)."""
    if doc._.kg_candidates is None:
        doc._.kg_candidates = []
    return doc._.kg_candidates


def year_before(text: str, start: int) -> int | None:
    """The year written right before a name (2023年江西省…), which the name does not keep."""
    m = _YEAR_BEFORE.search(text, max(0, start - 8), start)
    return int(m.group(1)) if m else None


def place_positions(cands: list[Mention], gazetteer) -> frozenset[int]:
    """Character positions inside place names found so far: a stop word there (都 in 成都,
    和 in 共和镇) does not end a name. A county's short form does not protect (从江 in
    从江苏省…): alone it is too often an accident of two words meeting; written after a
    place that holds it (福建将乐), it is the county."""
    places = [c for c in cands if c.label == "Place"]
    holders = {c.end: c.text for c in places}
    return frozenset(i for c in places if not (
        c.text != c.name and gazetteer.level(c.text) in ("county", "former-district")
        and not (c.start in holders and gazetteer.contains(holders[c.start], c.text)))
        for i in range(c.start, c.end))


def balanced(name: str) -> bool:
    return all(name.count(a) == name.count(b) for a, b in ("()", "“”", "《》", "‘’"))


class LeftScanner:
    """Where a name that ends at a suffix begins: back over name characters, and
    after the last stop word in that stretch (stop words inside quotes or 《》 do
    not count: 《劳模与一线职工朋友们》 is one title)."""

    def __init__(self, stops: tuple[str, ...], max_len: int, chars: str = NAME_CHARS,
                 stop_at_year: bool = False, quoted_head: bool = False,
                 glued: tuple[str, ...] = (), words: frozenset[str] = frozenset(),
                 nouns: frozenset[str] = frozenset(), not_before: dict[str, str] | None = None,
                 cores: tuple[str, ...] = ()):
        """``glued``: one-character stop words that are no stop where they end one of ``words``
        with the character before them (和 in 泰和, 中和: part of a name, not a conjunction);
        no one-character stop word is a stop inside one of the three-character ``nouns`` (转向架)
        or inside one of the ``cores`` of names (住房和城乡建设 in 某市住房和城乡建设委员会);
        a stop word is no stop before one of its ``not_before`` characters (发动 in 发动机)."""
        from kg.pipeline.data import alternation

        self.quoted_head = quoted_head
        self.glued, self.words, self.nouns = frozenset(glued), words, nouns
        self.not_before = not_before or {}
        self.cores: dict[str, list[tuple[str, int]]] = {}
        for core in cores:
            for k, ch in enumerate(core):
                if ch in stops:
                    self.cores.setdefault(ch, []).append((core, k))
        pattern = alternation(stops)
        extra = f"{_YEAR}|{_DATE}" if stop_at_year else _DATE
        self.stop = re.compile(f"(?:{pattern}|{extra})")
        self.chars = re.compile(f"[{chars}]+\\Z")  # not $, which also matches before a final line break
        self.max_len = max_len

    def _inside_a_word(self, text: str, stop: re.Match, start: int) -> bool:
        i = stop.start()
        following = text[stop.end():stop.end() + 1]
        if following and following in self.not_before.get(stop.group(), ""):
            return True
        if stop.end() - i != 1:
            return False
        if any(text.startswith(core, i - k) for core, k in self.cores.get(stop.group(), ()) if i >= k):
            return True
        if stop.group() in self.glued and i > start and text[i - 1:i + 1] in self.words:
            return True
        return bool(self.nouns) and any(text[j:j + 3] in self.nouns for j in range(max(start, i - 2), i + 1))

    def __call__(self, text: str, end: int, protected: frozenset[int] = frozenset()) -> int:
        lo = max(0, end - self.max_len)
        m = self.chars.search(text, lo, end)
        if not m:
            return end
        start = m.start()
        quoted = quoted_positions(text, start, end)
        first_quote = min((i for i in range(start, end) if text[i] in "“《"), default=end) \
            if self.quoted_head else end
        last = None
        for s in self.stop.finditer(text, start, end):
            if s.start() not in quoted and s.start() < first_quote and s.start() not in protected \
                    and not self._inside_a_word(text, s, start):
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


def quoted_positions(text: str, start: int, end: int) -> set[int]:
    inside: set[int] = set()
    depth = 0
    for i in range(start, end):
        ch = text[i]
        if ch in OPENING_QUOTES:
            depth += 1
        elif ch in CLOSING_QUOTES:
            depth = max(0, depth - 1)
        elif depth:
            inside.add(i)
    return inside
