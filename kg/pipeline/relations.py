"""Find-relations stage: relation templates over sentences, and name structure.

Each sentence is rewritten with its outermost mentions replaced by typed
slots (``⟦3:Person⟧``); the templates in ``patterns/relation_rules.jsonl``
are regular expressions over that string, with ``{s:Person}`` /
``{o:Org}`` marking subject and object. A slot marked ``distribute``
also binds every mention coordinated with the matched one (王树军、刘伯鸣;
“全国技术能手”“全国青年岗位能手”), so one rule covers lists.

Structural rules read the nesting of mentions: the place at the head of an
organisation's name (樟树某某公司 → 樟树), a parent organisation at the head
of a unit's name (南昌大学国家硅基LED工程技术研究中心 → 南昌大学), and chains
of divisions (吉安市青原区 → 青原区 in 吉安市).
"""
from __future__ import annotations

import re
from pathlib import Path

from spacy.language import Language
from spacy.tokens import Doc

from kg.model import ORG_TYPES, Mention, Relation, Sentence
from kg.pipeline.lexicon import PATTERN_DIR, alternation, read_jsonl, words
from kg.pipeline.places import load_gazetteer

if not Doc.has_extension("kg_relations"):
    Doc.set_extension("kg_relations", default=())
if not Doc.has_extension("kg_passages"):
    Doc.set_extension("kg_passages", default=())

TYPE_GROUPS = {
    "Person": ("Person",),
    "Org": ORG_TYPES,
    "Enterprise": ("Enterprise",),
    "TradeUnion": ("TradeUnion",),
    "GovernmentBody": ("GovernmentBody",),
    "Institution": ("Institution",),
    "Agent": ("Person", *ORG_TYPES),
    "Place": ("Place",),
    "Award": ("Award",),
    "Competition": ("Competition",),
    "Event": ("Event",),
    "Contest": ("Competition", "Event"),
    "Studio": ("Studio",),
    "Program": ("Program",),
    "Any": ("Person", *ORG_TYPES, "Place", "Award", "Competition", "Event", "Studio", "Program",
            "Document"),
}
_SLOT = re.compile(r"\{([soc]):([A-Za-z]+)\}")
_PRONOUN = "(?P<pron>她|他)"
_ANAPHOR = ("(?P<anaphor>(?:本次|本届|此次|该|这次|这场)(?:竞赛|大赛|比赛|赛事|决赛|活动|大会|仪式)"
           "|(?:^|(?<=[,。]))(?:竞赛|大赛|比赛|赛事|决赛)(?=由))")
_CONTEST_LABELS = ("Competition", "Event")
_COMPANY = "(?P<company>(?:^|(?<=[,。、:]))(?:本公司|该公司|公司|集团公司|集团))"
_MACRO = re.compile(r"\{(gap|GAP:\d+|ANYGAP:\d+|LEX:[a-z_]+|SEP)\}")
_YEAR = re.compile(r"((?:19|20)\d{2})年")
SEPARATORS = "、和及与以及“”‘’ "


_SUBHEADING = re.compile(r"^[^⟦⟧\w]{0,3}⟦\d+:Place⟧[::]?$")
_HEADER_ROW = re.compile(r"序号|姓名|单位|职务|名称")
_COORDINATED_TAIL = "(?:[、和及与以“” ]{{1,3}}⟦\\d+:(?:{types})⟧)*"


def compile_template(pattern: str, distribute: tuple[str, ...] = ()) -> re.Pattern:
    """A template as a regex over slotted text; a distributed slot also swallows the
    slots listed after it (A、B和C), which the rule then binds one by one."""
    def slot(m: re.Match) -> str:
        role, group = m.groups()
        if group == "PRON":
            return _PRONOUN
        if group == "ANAPHOR":
            return _ANAPHOR
        if group == "COMPANY":
            return _COMPANY
        if group == "TOPIC":
            return "(?P<topic>)"
        if group not in TYPE_GROUPS:
            raise KeyError(f"unknown slot type {group!r}")
        types = "|".join(TYPE_GROUPS[group])
        tail = _COORDINATED_TAIL.format(types=types) if role in distribute else ""
        return f"⟦(?P<{role}>\\d+):(?:{types})⟧{tail}"

    def macro(m: re.Match) -> str:
        key = m.group(1)
        if key == "gap":
            return "[^⟦⟧。!?]{0,12}?"
        if key.startswith("GAP:"):
            return f"[^⟦⟧。!?]{{0,{int(key[4:])}}}?"
        if key.startswith("ANYGAP:"):
            return f"(?:[^⟦⟧\\n]|⟦\\d+:[A-Za-z]+⟧){{0,{int(key[7:])}}}?"
        if key == "SEP":
            return "[、,和及与 ]"
        return alternation(words(key[4:]))

    return re.compile(_MACRO.sub(macro, _SLOT.sub(slot, pattern)))


@Language.factory("kg_relation_rules",
                  default_config={"patterns": str(PATTERN_DIR / "relation_rules.jsonl")})
def make_relation_rules(nlp: Language, name: str, patterns: str):
    return RelationRules(Path(patterns))


class RelationRules:
    def __init__(self, path: Path):
        self.rules = []
        self.lists = []
        for row in read_jsonl(path):
            try:
                regex = compile_template(row["pattern"], tuple(row.get("distribute", ())))
                heading = None
                if row.get("scope") == "list":
                    heads = row["heading"] if isinstance(row["heading"], list) else [row["heading"]]
                    heading = [compile_template(h) for h in heads]
            except (re.error, KeyError) as err:
                raise ValueError(f"{path}: rule {row.get('id')}: {err}") from None
            scope = row.get("scope", "sentence")
            if scope not in ("sentence", "paragraph", "list"):
                raise ValueError(f"{path}: rule {row.get('id')}: scope must be sentence, paragraph or list")
            if scope == "list":
                self.lists.append((row["id"], row["predicate"], heading, regex, float(row.get("confidence", 0.8))))
                continue
            if row.get("object_via") not in (None, "place_in_name"):
                raise ValueError(f"{path}: rule {row.get('id')}: object_via must be place_in_name")
            self.rules.append((row["id"], row["predicate"], regex, float(row.get("confidence", 0.8)),
                               tuple(row.get("distribute", ())), scope, row.get("object_via")))
        self.gazetteer = load_gazetteer()
        self.legal = tuple(words("legal_forms"))

    def __call__(self, doc: Doc) -> Doc:
        mentions = list(doc._.kg_mentions)
        self._all_mentions = mentions
        text = doc._.kg_text
        found: list[Relation] = []
        people = sorted((m for m in mentions if m.label == "Person"), key=lambda m: m.start)
        doc_year = document_year(text)
        for sent in doc._.kg_sentences:
            inside = [m for m in mentions if sent.start <= m.start and m.end <= sent.end]
            found.extend(self._templates(text, sent, inside, "sentence", people, doc_year))
            found.extend(self._structure(sent, inside))
        passages = []
        for rel, passage in self._lists(text, doc._.kg_sentences, mentions, doc_year):
            found.append(rel)
            passages.append(passage)
        for para in _paragraphs(text, doc._.kg_sentences):
            inside = [m for m in mentions if para.start <= m.start and m.end <= para.end]
            new = list(self._templates(text, para, inside, "paragraph", people, doc_year))
            if new:
                passages.append(para)
                found.extend(new)
        doc._.kg_relations = tuple(sorted(set(found)))
        doc._.kg_passages = tuple(sorted(set(passages)))
        return doc

    # --- lists under a heading (award announcements: a heading naming the honour, one row a person)
    def _lists(self, text: str, sentences, mentions: list[Mention], doc_year: int | None):
        for rule_id, predicate, heading, item, confidence in self.lists:
            current = head = None
            prev_end = 0
            for sent in sentences:
                gap_start, prev_end = prev_end, sent.end
                inside = [m for m in mentions if sent.start <= m.start and m.end <= sent.end]
                slotted, top, _ = _slot(text, sent, inside)
                h = next((m for m in (rx.search(slotted) for rx in heading) if m), None)
                if h:
                    current, head, listed = top[int(h.group("o"))], sent, False
                    continue
                if current is None:
                    continue
                m = item.search(slotted)
                if not m and _HEADER_ROW.search(slotted) and "⟦" not in slotted:
                    continue
                if _SUBHEADING.match(slotted):
                    continue
                if not m or ("\n\n" in text[gap_start:sent.start] and listed):
                    current = None
                    continue
                listed = True
                passage = Sentence(head.start, sent.end, text[head.start:sent.end])
                year = current.year or _year_of(text, head.start, head.end, head.end, None) or doc_year
                yield (Relation(top[int(m.group("s"))], predicate, current, passage.start, passage.end,
                                rule_id, confidence, year), passage)

    # --- templates over slotted sentences
    def _templates(self, text: str, sent: Sentence, inside: list[Mention], scope: str,
                   people: list[Mention], doc_year: int | None = None):
        inside_all = self._all_mentions
        slotted, top, groups = _slot(text, sent, inside)
        for rule_id, predicate, regex, confidence, distribute, rule_scope, via in self.rules:
            if rule_scope != scope:
                continue
            for m in regex.finditer(slotted):
                found = m.groupdict()
                if found.get("anaphor") is not None or "topic" in found:
                    s_or_o = _last_before(inside_all, _CONTEST_LABELS, sent.start + _orig(slotted, m.start(), top, text, sent))
                    if s_or_o is None:
                        continue
                if found.get("company") is not None:
                    o = _last_before(inside_all, ("Enterprise",), sent.start + _orig(slotted, m.start(), top, text, sent))
                    if o is None:
                        continue
                    groups_o = [o]
                elif found.get("o") is not None:
                    o = top[int(m.group("o"))]
                    groups_o = groups[int(m.group("o"))]
                else:
                    o = s_or_o
                    groups_o = [o]
                if found.get("pron") is not None:
                    s = _antecedent(text, people, sent.start + _orig(slotted, m.start("pron"), top, text, sent))
                    if s is None:
                        continue
                    groups_s = [s]
                elif found.get("s") is not None:
                    s = top[int(m.group("s"))]
                    groups_s = groups[int(m.group("s"))]
                else:
                    s = s_or_o
                    groups_s = [s]
                by = top[int(m.group("c"))] if found.get("c") is not None else None
                if via == "place_in_name":
                    o = _place_at_head(inside_all, o)
                    if o is None:
                        continue
                    groups_o = [o]
                subjects = groups_s if "s" in distribute else [s]
                objects = groups_o if "o" in distribute else [o]
                year = _year_of(text, sent.start, o.start, sent.end, doc_year) if predicate == "receivedAward" else None
                for si in subjects:
                    for oi in objects:
                        if si is oi:
                            continue
                        y = oi.year or year if predicate == "receivedAward" else None
                        yield Relation(si, predicate, oi, sent.start, sent.end, rule_id, confidence, y,
                                       by if predicate == "receivedAward" else None)

    # --- structure of names
    def _structure(self, sent: Sentence, inside: list[Mention]):
        g = self.gazetteer
        for outer in inside:
            for inner in inside:
                if inner is outer or not (outer.start <= inner.start and inner.end <= outer.end):
                    continue
                if (inner.start, inner.end) == (outer.start, outer.end):
                    continue
                if outer.label in ORG_TYPES and inner.label == "Place":
                    if inner is _direct_places(inside, outer)[-1] and g.level(inner.text) != "country":
                        yield Relation(outer, "locatedIn", inner, sent.start, sent.end,
                                       "structure.place_in_org_name", 0.8)
                elif outer.label in ORG_TYPES and inner.label in ORG_TYPES and inner.start == outer.start:
                    rest = outer.text[len(inner.text):]
                    if rest and rest not in self.legal and not rest.startswith(("(", "（")):
                        yield Relation(outer, "subOrganizationOf", inner, sent.start, sent.end,
                                       "structure.parent_in_unit_name", 0.85)
                elif outer.label == "Studio" and inner.label == "Person" and inner.start == outer.start:
                    yield Relation(inner, "leads", outer, sent.start, sent.end,
                                   "structure.person_in_studio_name", 0.9)
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


def _place_at_head(mentions: list[Mention], org: Mention) -> Mention | None:
    """The place an organisation's name starts with (东莞 of 东莞市技师学院): where a contest
    held at that organisation took place."""
    heads = [m for m in mentions if m.label == "Place" and m.start == org.start and m.end < org.end]
    return max(heads, key=lambda m: m.end) if heads else None


def _slot(text: str, sent: Sentence, inside: list[Mention]) -> tuple[str, list[Mention], list[list[Mention]]]:
    """The sentence with its outermost mentions replaced by ``⟦i:Label⟧`` slots (studio
    names are transparent: their leading person is the slot), the slotted mentions, and
    for each the mentions coordinated with it."""
    shown = [m for m in inside if m.label != "Studio"]
    top = [m for m in shown if not any(o is not m and o.start <= m.start and m.end <= o.end
                                       and (o.start, o.end) != (m.start, m.end) for o in shown)]
    top = _dedupe_spans(top)
    parts, pos = [], sent.start
    for i, m in enumerate(top):
        parts.append(text[pos:m.start])
        parts.append(f"⟦{i}:{m.label}⟧")
        pos = m.end
    parts.append(text[pos:sent.end])
    slotted = "".join(parts)
    return slotted, top, _coordination(slotted, top)


def _orig(slotted: str, pos: int, top: list[Mention], text: str, sent: Sentence) -> int:
    """Offset in the sentence of position ``pos`` of its slotted form."""
    shift, i = 0, 0
    for m in re.finditer(r"⟦(\d+):\w+⟧", slotted):
        if m.start() >= pos:
            break
        mention = top[int(m.group(1))]
        shift += (mention.end - mention.start) - (m.end() - m.start())
    return pos + shift


def _last_before(mentions: list[Mention], labels: tuple[str, ...], offset: int) -> Mention | None:
    """The contest or event the text last named before ``offset`` (本次竞赛, or the
    contest a report is about when a winner is named without it)."""
    before = [m for m in mentions if m.label in labels and m.end <= offset]
    return max(before, key=lambda m: (m.end, -m.start)) if before else None


def _antecedent(text: str, people: list[Mention], start: int, reach: int = 400) -> Mention | None:
    """What 她/他 refers to: the last person named before it, within a few hundred
    characters (a profile names its subject, then says 她 for paragraphs)."""
    before = [p for p in people if start - reach <= p.start < start]
    return before[-1] if before else None


def _paragraphs(text: str, sentences) -> list[Sentence]:
    """Lines holding more than one sentence: the scope of rules that cross a sentence end."""
    out, line = [], []
    for s in sentences:
        if line and "\n" in text[line[-1].end:s.start]:
            if len(line) > 1:
                out.append(Sentence(line[0].start, line[-1].end, text[line[0].start:line[-1].end]))
            line = []
        line.append(s)
    if len(line) > 1:
        out.append(Sentence(line[0].start, line[-1].end, text[line[0].start:line[-1].end]))
    return out


def _direct_places(inside: list[Mention], outer: Mention) -> list[Mention]:
    """Places written in an organisation's name but not in a parent's name nested in it."""
    nested_orgs = [m for m in inside if m.label in ORG_TYPES and m is not outer
                   and outer.start <= m.start and m.end <= outer.end and m.end - m.start < outer.end - outer.start]
    return sorted((m for m in inside if m.label == "Place" and outer.start <= m.start and m.end <= outer.end
                   and not any(o.start <= m.start and m.end <= o.end for o in nested_orgs)),
                  key=lambda m: m.start) or [None]


def _dedupe_spans(ms: list[Mention]) -> list[Mention]:
    seen, out = set(), []
    for m in sorted(ms, key=lambda m: (m.start, -m.confidence)):
        if (m.start, m.end) not in seen:
            seen.add((m.start, m.end))
            out.append(m)
    return out


def _coordination(slotted: str, top: list[Mention]) -> list[list[Mention]]:
    """For each slot, the mentions of the same kind listed with it (A、B和C)."""
    groups = [[m] for m in top]
    marks = list(re.finditer(r"⟦(\d+):(\w+)⟧", slotted))
    run = [0] if marks else []
    for prev, cur in zip(marks, marks[1:]):
        between = slotted[prev.end():cur.start()]
        same = _kind(prev.group(2)) == _kind(cur.group(2))
        if same and all(ch in SEPARATORS for ch in between) and len(between) <= 3:
            run.append(int(cur.group(1)))
        else:
            _close(run, groups, top)
            run = [int(cur.group(1))]
    _close(run, groups, top)
    return groups


def _close(run: list[int], groups: list[list[Mention]], top: list[Mention]) -> None:
    if len(run) > 1:
        members = [top[i] for i in run]
        for i in run:
            groups[i] = members


def _kind(label: str) -> str:
    return "Org" if label in ORG_TYPES else label


def _year_of(text: str, start: int, award_start: int, end: int, doc_year: int | None) -> int | None:
    """The year an award was received: written before it in the evidence (2023年…), or
    今年 / 去年 counted from the article's year."""
    near = text[max(start, award_start - 14):award_start]
    years = _YEAR.findall(near)
    if years and not re.search(r"[,;。]", near[near.rfind(years[-1]):]):
        return int(years[-1])
    span = text[start:end]
    if doc_year and "今年" in span:
        return doc_year
    if doc_year and "去年" in span:
        return doc_year - 1
    return None


def document_year(text: str) -> int | None:
    """The article's year: the latest year it writes (news reports look back, not ahead)."""
    years = [int(y) for y in _YEAR.findall(text)]
    return max(years) if years else None
