"""Sentences as the relation rules read them: mentions replaced by typed slots.

``⟦3:Person⟧`` stands for the fourth outermost mention; coordination groups say
which slots are listed together (甲、乙和丙), so one template binds them all.
"""
from __future__ import annotations

import re
import unicodedata

from kg import names
from kg.model import ORG_TYPES, Mention, Sentence

MARK = re.compile(r"⟦(\d+):(\w+)⟧")
#: a short name declared after a name (某某市总工会(以下简称“市总”)): no break in a list of names
DECLARATION = re.compile(names.DECLARATION)
#: a note on a person in parentheses (女, 兼, 哈萨克族): no break in a list of names
_NOTE = re.compile(r"^\([^()⟦⟧]{1,12}\)")
#: what follows an honour in a list of honours (某奖获得者、某称号): no break in the list
_AWARD_ROLE = re.compile(r"^(”?)(?:荣誉称号|称号|获得者|得主)")
#: an honour's edition opening the next item of a list of honours (首届“甲”、第二届“乙”称号)
_EDITION = re.compile(r"(?<=、)(?:首|第[一二三四五六七八九十\d]{1,3})届")
#: the year an item of a list is dated with (某奖(2017年)、某奖(2021年))
_YEAR_NOTE = re.compile(r"^”?\((?:19|20)\d{2}年度?\)")
YEAR = re.compile(r"((?:19|20)\d{2})年")
_AFFILIATION = r"(?:⟦\d+:(?:Enterprise|TradeUnion|GovernmentBody|Institution|Place)⟧)+"
#: a place written with 的 right before the next slot (甲区的某公司)
_PLACE_OF = re.compile(r"⟦\d+:Place⟧的\Z")
#: between two people listed each with an affiliation: before the next (、乙单位工人, 、子公司乙单位工人) or after the first
#: (（甲单位）、, （甲单位）　in a row)
_AFFILIATED_ITEM = re.compile(f"^(?:(?:、|和|及|与|,)[^⟦⟧、,。;!?]{{0,3}}{_AFFILIATION}[^⟦⟧、,。;!?]{{0,12}}|\\({_AFFILIATION}\\)(?:、|和|及|与|[ \\t]+))\\Z")


def slot(text: str, sent: Sentence, inside: list[Mention], separators: str,
         skip: tuple[str, ...] = ()) -> tuple[str, list[Mention], list[list[Mention]]]:
    """The sentence with its outermost mentions replaced by ``⟦i:Label⟧`` slots (studio
    names are transparent: their leading person is the slot; a studio named after a brand,
    with no person in its name, is a slot itself), the slotted mentions, and for each the
    mentions coordinated with it (listed with ``separators`` between)."""
    shown = [m for m in inside if m.label != "Studio" or not any(
        p.label == "Person" and m.start <= p.start and p.end <= m.end for p in inside)]
    top = [m for m in shown if not any(o is not m and o.start <= m.start and m.end <= o.end
                                       and (o.start, o.end) != (m.start, m.end) for o in shown)]
    top = dedupe_spans(top)
    parts, pos = [], sent.start
    for i, m in enumerate(top):
        parts.append(text[pos:m.start])
        parts.append(f"⟦{i}:{m.label}⟧")
        pos = m.end
    parts.append(text[pos:sent.end])
    slotted = blank_bullets("".join(parts))
    return slotted, top, coordination(slotted, top, separators, skip)


_LINE_HEAD = re.compile(r"(?m)^[ \t]*(\S+?)[ \t]*(?=⟦)")


def _symbol_class() -> re.Pattern:
    """The Basic Multilingual Plane's 'other symbols' (So) as one character class, and every
    character beyond it: one regex search tells whether a sentence may hold a pictograph,
    where a category lookup per character took a twentieth of extraction."""
    ranges: list[list[int]] = []
    for i in range(0x10000):
        if unicodedata.category(chr(i)) == "So":
            if ranges and ranges[-1][1] == i - 1:
                ranges[-1][1] = i
            else:
                ranges.append([i, i])
    parts = "".join(re.escape(chr(a)) + ("-" + re.escape(chr(b)) if b > a else "") for a, b in ranges)
    return re.compile(f"[{parts}\U00010000-\U0010FFFF]")


_MAYBE_SYMBOL = _symbol_class()


def blank_bullets(slotted: str) -> str:
    """The pictographs (▶, ●, emoji: Unicode's 'other symbols') that mark a line opening with a
    name made spaces, so ▶某某　某公司 reads as the row it is (◆ 焊工 over rows stays a heading).
    Same length: offsets stay those of the text."""
    if not _MAYBE_SYMBOL.search(slotted) or not any(unicodedata.category(ch) == "So" for ch in slotted):
        return slotted
    def blank(m: re.Match) -> str:
        if all(unicodedata.category(ch) == "So" for ch in m.group(1)):
            return " " * len(m.group(0))
        return m.group(0)
    return _LINE_HEAD.sub(blank, slotted)


def slot_wide(text: str, sent: Sentence, inside: list[Mention], separators: str, skip: tuple[str, ...] = ()):
    """As :func:`slot`, with people listed each with an affiliation also one group (甲单位所长
    张三、乙单位工人李四被授予…; 张三（甲单位）、李四（乙单位）: both are honoured, each works for
    their own unit)."""
    slotted, top, groups = slot(text, sent, inside, separators, skip)
    return slotted, top, groups, affiliated_groups(slotted, top, groups)


def coordination(slotted: str, top: list[Mention], separators: str, skip: tuple[str, ...] = ()) -> list[list[Mention]]:
    """For each slot, the mentions of the same kind listed with it (A、B和C); ``skip`` words
    after an organisation are passed over (甲代表队、乙代表队)."""
    groups = [[m] for m in top]
    declared = [d.span() for d in DECLARATION.finditer(slotted)] if "称" in slotted else []
    marks = [m for m in MARK.finditer(slotted) if not any(a < m.start() < b for a, b in declared)]
    marks = [m for m, nxt in zip(marks, [*marks[1:], None]) if not _place_of_next(slotted, m, nxt)]
    run = [int(marks[0].group(1))] if marks else []
    for prev, cur in zip(marks, marks[1:]):
        between = _PLACE_OF.sub("", slotted[prev.end():cur.start()])
        if declared:
            between = DECLARATION.sub("", between)
        if skip and _kind(prev.group(2)) == "Org":
            between = next((between[len(w):] for w in skip if between.startswith(w)), between)
        if prev.group(2) == "Person":
            between = _NOTE.sub("", between, count=1)
        elif prev.group(2) == "Award":
            between = _AWARD_ROLE.sub(r"\1", between, count=1).replace("”,“", "”“")  # “甲”,“乙”
            between = _EDITION.sub("", between, count=1)  # 首届“甲”、第二届“乙”称号
        between = _YEAR_NOTE.sub("", between, count=1)
        same = _kind(prev.group(2)) == _kind(cur.group(2))
        if same and all(ch in separators for ch in between) and len(between) <= 3:
            run.append(int(cur.group(1)))
        else:
            _close(run, groups, top)
            run = [int(cur.group(1))]
    _close(run, groups, top)
    return groups


def _place_of_next(slotted: str, mark: re.Match, nxt: re.Match | None) -> bool:
    """A place written with 的 before an organisation (甲区的某公司、乙县的某厂): it says where
    the organisation is and does not break the list the organisation stands in."""
    return mark.group(2) == "Place" and nxt is not None and _kind(nxt.group(2)) == "Org" \
        and slotted[mark.end():nxt.start()] == "的"


def orig_offset(slotted: str, pos: int, top: list[Mention]) -> int:
    """Offset in the sentence of position ``pos`` of its slotted form."""
    shift = 0
    for m in MARK.finditer(slotted):
        if m.start() >= pos:
            break
        mention = top[int(m.group(1))]
        shift += (mention.end - mention.start) - (m.end() - m.start())
    return pos + shift

def dedupe_spans(ms: list[Mention]) -> list[Mention]:
    seen, out = set(), []
    for m in sorted(ms, key=lambda m: (m.start, -m.confidence)):
        if (m.start, m.end) not in seen:
            seen.add((m.start, m.end))
            out.append(m)
    return out

def _close(run: list[int], groups: list[list[Mention]], top: list[Mention]) -> None:
    if len(run) > 1:
        members = [top[i] for i in run]
        for i in run:
            groups[i] = members

def affiliated_groups(slotted: str, top: list[Mention], groups: list[list[Mention]]) -> list[list[Mention]]:
    wide = [list(g) for g in groups]
    people = [m for m in MARK.finditer(slotted) if m.group(2) == "Person"]
    run = [int(people[0].group(1))] if people else []
    for prev, cur in zip(people, people[1:]):
        if _AFFILIATED_ITEM.match(slotted[prev.end():cur.start()]):
            run.append(int(cur.group(1)))
        else:
            _merge(run, wide, top)
            run = [int(cur.group(1))]
    _merge(run, wide, top)
    return wide

def _merge(run: list[int], groups: list[list[Mention]], top: list[Mention]) -> None:
    """People listed each with an affiliation (甲单位所长张三、乙单位工人李四): one group, joined
    with the groups they already belong to."""
    if len(run) > 1:
        members = []
        for i in run:
            members.extend(m for m in groups[i] if m not in members)
        for m in members:
            groups[top.index(m)] = members

def _kind(label: str) -> str:
    return "Org" if label in ORG_TYPES else label

def document_year(text: str) -> int | None:
    """The article's year: the latest year it writes (news reports look back, not ahead)."""
    years = [int(y) for y in YEAR.findall(text)]
    return max(years) if years else None
