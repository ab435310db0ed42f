"""``kg_relation_rules``: relation templates over sentences, paragraphs and lists.

Each sentence is rewritten with its outermost mentions replaced by typed
slots (``⟦3:Person⟧``); the templates in ``patterns/relation_rules.jsonl``
are regular expressions over that string, with ``{s:Person}`` /
``{o:Org}`` marking subject and object. A slot marked ``distribute``
also binds every mention coordinated with the matched one (甲、乙;
“全国技术能手”“全国青年岗位能手”), so one rule covers lists; people listed each
with their own unit (甲单位工人甲，乙单位技师乙) count as coordinated too, unless the
rule says ``"coordination": "listed"`` (a title before the first of them is that one's
alone), as worksFor rules always do. A rule with ``when`` is tried only in sentences where that
regex finds something (受表彰的……中，有甲；有乙: each 有 clause names one of the honoured). A rule with
``scope: list`` reads a heading that names the object and the rows below it
(``"reverse": true``: the heading names the subject, each row an object —
主办单位： over the organisers of the report's contest, ▲甲 over 单位：某公司).
"""
from __future__ import annotations

import bisect
import re
import string
from typing import NamedTuple

from spacy.language import Language
from spacy.tokens import Doc

from kg.model import ORG_TYPES, Mention, Relation, Sentence
from kg.names import YEAR_PREFIX
from kg.pipeline.data import DataComponent, alternation, required_characters
from kg.pipeline import slots
from kg.pipeline.index import MentionIndex
from kg.pipeline.slots import document_year, orig_offset

if not Doc.has_extension("kg_relations"):
    Doc.set_extension("kg_relations", default=())
if not Doc.has_extension("kg_passages"):
    Doc.set_extension("kg_passages", default=())

class TemplateRule(NamedTuple):
    """A sentence or paragraph template as the component runs it."""

    id: str
    predicate: str
    regex: re.Pattern
    confidence: float
    distribute: tuple[str, ...]
    scope: str
    object_via: str | None
    needed: tuple
    subject_via: str | None
    gate: re.Pattern | None  # a character the regex demands (kg.pipeline.data.required_characters)
    listed: bool  # bind only plainly listed names (worksFor, coordination: listed)
    when: re.Pattern | None  # the rule is tried only in sentences this finds something in


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
SCOPES = ("sentence", "paragraph", "list", "counted")
#: what a list rule's heading stands for when not a mention in it: the contest of the passage
#: (topic), the last honour named, the union of the last committee, the first enterprise or
#: organisation (the body a page is about), or the contest a notice commends the best of
#: (表彰某竞赛先进集体和先进个人的通报)
LIST_OBJECTS = (None, "topic", "last_award", "last_union", "first_enterprise", "first_org", "commended_contest")
_SLOT_NUMBER = re.compile(r"⟦(\d+):")
_SLOT = re.compile(r"\{([soc]):([A-Za-z]+)\}")
_MACRO = re.compile(r"\{(gap|GAP:\d+|ANYGAP:\d+|LEX:[a-z_]+|[A-Z][A-Z_]+)\}")
_CONTEST_LABELS = ("Competition", "Event")
_ROW = re.compile(r"[^\s。,;]\s+[^\s。,;]|[^\s|]\|[^\s|]")
_PROSE = re.compile(r"[。!?]|[,;].{12}")
_SLOT_TOKEN = re.compile(r"⟦\d+:\w+⟧")
#: how far (in characters) a count's honour may stand from the list of that count: one article's span,
#: so an archive of many articles joins no list to another article's honour
_COUNTED_REACH = 2000
_AWARD_LINE = re.compile(r"[^⟦⟧\w]{0,3}⟦\d+:Award⟧[^⟦⟧\w]{0,3}\Z")
#: what every slot is written with: no use for telling which sentences a template may match
_SLOT_CHARACTERS = "⟦⟧:" + string.digits + string.ascii_letters
#: a field of an entry on its own line (工作单位：…, 职务：…, or the employer alone), and an entry that is a name alone
#: (某某（女）): entries laid out so, one blank line apart, are still one list
_FIELD_ROW = re.compile(r"^[^⟦⟧\s::,。]{2,6}[::]")
_LONE_UNIT = re.compile(r"^⟦\d+:(?:Enterprise|TradeUnion|GovernmentBody|Institution)⟧\Z")
_LONE_NAME = re.compile(r"^⟦\d+:Person⟧(?:\([^()⟦⟧]{0,16}\))?\Z")
#: a heading over one group of a list's rows (某县：, 【某县】, 【市直单位】（2名）)
_SUBHEADING = re.compile(r"^[^⟦⟧\w【]{0,3}(?:【?⟦\d+:Place⟧】?|【[^【】⟦⟧\s]{2,10}】(?=\(\d+[名人个位家]\)))(?:\(\d+[名人个位家]\))?[::]?\Z")
#: a results list's section in brackets (【焊工】 over its winners)
_BRACKETED_HEADING = re.compile(r"^[^⟦⟧\w【]{0,3}【[^【】⟦⟧\s]{2,10}】[::]?\Z")
#: a line that is one name and nothing else, right under the rows before it (a unit the rules did not find)
_BARE_ROW = re.compile(r"^[^\s。;:!?()]{1,30}(?:\([^()\s。;!?]{1,30}\)){0,2}\Z")
#: a row that starts with its year and a space (2017年　某公司某车间获“某奖”)
_DATED_ROW = re.compile(r"[ \t]*((?:19|20)\d{2})年度?[ \t]+(?=[^,;。]*\Z)")
#: a year written after an honour (某市文明单位（2023年）)
_YEAR_IN_PARENTHESES = re.compile(r"”?\(((?:19|20)\d{2})年")
#: a numbered row (3.某某执法大队某中队): one whose name no rule found does not end its list
_NUMBERED_ROW = re.compile(r"^[ \t]*\d{1,3}[.、)]")
#: a note under a list's heading, wholly in parentheses ((8名，按姓氏笔画排序))
_NOTE_LINE = re.compile(r"^\([^()⟦⟧]{0,30}\)\Z")


@Language.factory("kg_relation_rules", assigns=["doc._.kg_relations", "doc._.kg_passages"],
                  requires=["doc._.kg_text", "doc._.kg_sentences", "doc._.kg_mentions", "doc._.kg_relations"],
                  default_config={})
def make_relation_rules(nlp: Language, name: str):
    return RelationRules(nlp, name)


class RelationRules(DataComponent):
    resources = ("patterns/relation_rules.jsonl", "lexicons/relation_grammar.json",
                 "lexicons/person_left_context.txt", "lexicons/rank_words.txt", "lexicons/leader_labels.txt",
                 "lexicons/org_suffixes.json", "lexicons/held_verbs.txt", "lexicons/legal_forms.txt")

    def setup(self, data) -> None:
        g = data.table("relation_grammar")
        self.lexicon = data.lexicon
        self.separators = g["separators"]
        self.coordination_skip = tuple(g["coordination_skip"])
        self.event_words = tuple(g["event_anaphor_heads"])
        suffixes = data.table("org_suffixes")
        self.unit_suffixes = tuple(sorted(set(suffixes["units"]) | set(suffixes["units_only"])
                                          | set(suffixes["Institution"]) - set(g["institutions_not_units"])
                                          | set(g["more_unit_suffixes"]), key=len, reverse=True))
        self.header_row = re.compile(g["header_row"])
        self.group_word = g["group_word"]
        self.legal_forms = frozenset(data.words("legal_forms"))
        self.ceremony_words = tuple(g["ceremony_words"])
        self.ceremony_joiners = tuple(sorted(g["ceremony_joiners"], key=len, reverse=True))
        self.quote_speaker = re.compile(g["quote_speaker"])
        self.side_characters = tuple(g["side_characters"])
        self.side_roles = tuple(g["side_roles"])
        self.sentence_end = re.compile("[。!?\n]")
        self.rank_heading = re.compile("^[^⟦⟧\\w]{0,3}" + alternation(data.words("rank_words"))
                                       + "(?:" + alternation(g["rank_heading_tails"]) + ")?"
                                       + "(?:" + g["rank_heading_count"] + ")?[::]?\\Z")
        self.rank_row = re.compile("^[^⟦⟧\\w]{0,3}" + alternation(data.words("rank_words")) + "[::]")
        self.this_year, self.last_year = g["this_year"], g["last_year"]
        self.slot_words = {
            "PRON": "(?P<pron>" + "|".join(map(re.escape, g["pronouns"])) + ")",
            "ANAPHOR": f"(?P<anaphor>{g['anaphors']})",
            "COMPANY": f"(?P<company>{g['company_anaphors']})",
            "COMPANY_AS_SUBJECT": f"(?P<company_s>{g['company_anaphors']})",
            "INSTITUTION": f"(?P<institution>{g['institution_anaphors']})",
            "TOPIC": "(?P<topic>)",
            "HONOUR": "(?P<honour>)",
            "ZERO": "(?P<zero>)",
            "PROFILED": "(?P<profiled>)",
        }
        declared = "(?:" + slots.DECLARATION.pattern.replace("{", "{{").replace("}", "}}") + ")?"
        coordination = g["coordination"].replace("{", "{{").replace("}", "}}")
        declared += "(?:\\([^()⟦⟧]{{1,12}}\\))?"  # 甲（焊工）、乙（电工）: a note on each name does not end the list
        self.coordinated_tail = declared + "(?:" + coordination + "⟦\\d+:(?:{types})⟧" + declared + ")*"
        self.list_separator = g["list_separator"]
        self.fragments = dict(g.get("fragments", {}))
        self.entry_separator = g["entry_separator"]
        self.credit_rules = frozenset(g["credit_rules"])
        self.profile_lines = int(g["profile_lines"])
        self.section_heading = re.compile(g["section_heading"])
        self.commendation = re.compile(g["contest_commendation"])
        self.commendation_lines = int(g["contest_commendation_lines"])
        self.rules, self.lists, self.counted = [], [], []
        self._by_labels: dict[tuple[str, frozenset[str]], list[tuple]] = {}
        for row in data.rules("relation_rules"):
            rule_id = row.get("id")
            try:
                regex = self.compile(row["pattern"], tuple(row.get("distribute", ())))
                scope = row.get("scope", "sentence")
                if scope not in SCOPES:
                    raise KeyError("scope must be sentence, paragraph, list or counted")
                if row.get("object_via") not in (None, "place_in_name"):
                    raise KeyError("object_via must be place_in_name")
                if row.get("subject_via") not in (None, "org_at_head"):
                    raise KeyError("subject_via must be org_at_head")
                if row.get("coordination", "affiliated") not in ("affiliated", "listed"):
                    raise KeyError("coordination must be affiliated or listed")
                if row.get("object") not in LIST_OBJECTS:
                    raise KeyError("object must be one of " + ", ".join(filter(None, LIST_OBJECTS)))
                if scope == "list":
                    heads = row["heading"] if isinstance(row["heading"], list) else [row["heading"]]
                    self.lists.append((rule_id, row["predicate"], [self.compile(h) for h in heads], regex,
                                       float(row.get("confidence", 0.8)), row.get("object"),
                                       bool(row.get("reverse")), "s" in row.get("distribute", ()),
                                       int(row.get("rows", 0))))
                elif scope == "counted":
                    if row.get("members", "before") not in ("before", "after"):
                        raise KeyError("members must be before or after")
                    sources = row["source"] if isinstance(row["source"], list) else [row["source"]]
                    self.counted.append((rule_id, row["predicate"], [self.compile(x) for x in sources], regex,
                                         float(row.get("confidence", 0.8)), row.get("members", "before")))
                else:
                    self.rules.append(TemplateRule(rule_id, row["predicate"], regex, float(row.get("confidence", 0.8)),
                                       tuple(row.get("distribute", ())), scope, row.get("object_via"),
                                       _needed_labels(row["pattern"]), row.get("subject_via"),
                                       required_characters(regex, weak=_SLOT_CHARACTERS),
                                       row.get("coordination") == "listed" or row["predicate"] == "worksFor",
                                       re.compile(row["when"]) if row.get("when") else None))
            except (re.error, KeyError) as err:
                raise ValueError(f"patterns/relation_rules.jsonl: rule {rule_id}: {err}") from None
        self.reads_commendations = any(rule[5] == "commended_contest" for rule in self.lists)

    def compile(self, pattern: str, distribute: tuple[str, ...] = ()) -> re.Pattern:
        """A template as a regex over slotted text; a distributed slot also swallows the
        slots listed after it (A、B和C), which the rule then binds one by one."""
        def slot(m: re.Match) -> str:
            role, group = m.groups()
            if group == "COMPANY" and role == "s":
                return self.slot_words["COMPANY_AS_SUBJECT"]
            if group in self.slot_words:
                return self.slot_words[group]
            if group not in TYPE_GROUPS:
                raise KeyError(f"unknown slot type {group!r}")
            types = "|".join(TYPE_GROUPS[group])
            tail = self.coordinated_tail.format(types=types) if role in distribute else ""
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
                return self.list_separator
            if key == "VENUE":
                return "(?:⟦\\d+:(?:Place|Enterprise|TradeUnion|GovernmentBody|Institution)⟧)*"
            if key in self.fragments:
                return _MACRO.sub(macro, self.fragments[key])
            if not key.startswith("LEX:"):
                raise KeyError(f"unknown fragment {{{key}}}: not among relation_grammar.json's 'fragments'")
            return alternation(self.lexicon(key[4:]))

        return re.compile(_MACRO.sub(macro, _SLOT.sub(slot, pattern)))

    def process(self, doc: Doc) -> Doc:
        index = MentionIndex(doc._.kg_mentions)
        text = doc._.kg_text
        found: list[Relation] = list(doc._.kg_relations)
        doc_year = document_year(text)
        sentences = doc._.kg_sentences
        wide_views = [self._slot_wide(text, sent, index.within(sent.start, sent.end)) for sent in sentences]
        for sent, view in zip(sentences, wide_views):
            found.extend(self._templates(text, sent, index, "sentence", doc_year, view))
        passages = []
        views = [view[:2] for view in wide_views]
        for rel, passage in self._lists(text, sentences, wide_views, index, doc_year):
            found.append(rel)
            passages.append(passage)
        for rel, passage in self._counted(text, sentences, views, doc_year):
            found.append(rel)
            passages.append(passage)
        for para in _paragraphs(text, doc._.kg_sentences):
            new = list(self._templates(text, para, index, "paragraph", doc_year))
            if new:
                passages.append(para)
                found.extend(new)
        found = [r for r in _person_not_employer(found) if r.subject.name != r.object.name]
        found += _employers_of_units(found, index, self.unit_suffixes)
        found += _organisers_of_ceremonies(found, index, self.ceremony_words, self.ceremony_joiners)
        doc._.kg_relations = tuple(sorted(set(found)))
        doc._.kg_passages = tuple(sorted(set(passages)))
        return doc

    def _lists(self, text: str, sentences, views, index: MentionIndex, doc_year: int | None):
        """Award announcements: a heading naming the honour, then one row a recipient."""
        commended = self._commended_contest(views) if self.reads_commendations else None
        for rule_id, predicate, heading, item, confidence, heading_object, reverse, distribute, most in self.lists:
            topic = heading_object == "topic"
            if heading_object == "commended_contest" and commended is None:
                continue
            current = head = None
            prev_end = 0
            listed = described = False
            rows = 0
            for sent, (slotted, top, plain, wide) in zip(sentences, views):
                groups = plain if predicate == "worksFor" else wide
                gap_start, prev_end = prev_end, sent.end
                h = next((m for m in (rx.search(slotted) for rx in heading) if m), None)
                if h:
                    if topic:
                        kinds = ("Competition",) if predicate == "participatedIn" else _CONTEST_LABELS
                        obj = index.last_before(kinds, sent.start) or index.first_of(kinds)
                    elif heading_object == "last_award":
                        obj = index.last_before(("Award",), sent.start)
                    elif heading_object == "last_union":
                        obj = _union_of(index, index.last_before(("TradeUnion",), sent.start))
                    elif heading_object == "first_enterprise":
                        obj = index.first_of(("Enterprise",))
                    elif heading_object == "first_org":
                        obj = index.first_of(ORG_TYPES)
                    elif heading_object == "commended_contest":
                        obj = commended
                    else:
                        obj = top[int(h.group("o"))]
                    current, head, listed, rows, described = obj, sent, False, 0, False
                    continue
                if current is None:
                    continue
                if heading_object == "last_award" and _AWARD_LINE.match(slotted.strip()):
                    current = None  # 名单如下： over 某奖状 … 某奖章 …: each honour heads its own rows
                    continue
                m = item.search(slotted)
                if not m and self.header_row.search(slotted) and "⟦" not in slotted:
                    continue
                if _SUBHEADING.match(slotted) or topic and _BRACKETED_HEADING.match(slotted.strip()) \
                        or self.section_heading.match(slotted.strip()) \
                        or _NOTE_LINE.match(slotted.strip()):
                    continue
                if topic and self.rank_heading.match(slotted.strip()):
                    listed = False  # 一等奖 over the rows of its winners
                    continue
                compact = slotted if m else _SLOT_TOKEN.sub("□", slotted)
                if not m and (_ROW.search(slotted.strip()) or self.rank_row.match(slotted.strip())
                              or _NUMBERED_ROW.match(slotted)
                              or _BARE_ROW.match(compact.strip()) and "\n\n" not in text[gap_start:sent.start]) \
                        and not _PROSE.search(compact):
                    continue  # a row whose name was not found (or not of this rule's kind) does not end the list
                if not m and listed and (_FIELD_ROW.match(slotted.strip()) or _LONE_UNIT.match(slotted.strip())):
                    continue  # 工作单位：… or the employer alone under the entry's name
                if not m and listed and text[text.rfind("\n", 0, sent.start) + 1] in " \t":
                    described = True  # 甲　主席 over an indented account of 甲: entries a blank line apart
                    continue
                if not m or ("\n\n" in text[gap_start:sent.start] and listed and not described
                             and not _LONE_NAME.match(slotted.strip())):
                    current = None
                    continue
                listed = True
                rows += 1
                if most and rows > most:
                    current = None
                    continue
                passage = Sentence(head.start, sent.end, text[head.start:sent.end])
                year = current.year or self._year_of(text, head.start, head.end, head.end, None) or doc_year
                if reverse and predicate != "receivedAward":
                    year = None
                for entry in [m, *(item.search(part) for part in slotted.split(self.entry_separator)[1:])]:
                    if not entry:
                        continue
                    i = int(entry.group("s"))
                    for row in (groups[i] if distribute else [top[i]]):
                        subject, obj = (current, row) if reverse else (row, current)
                        if reverse and predicate == "receivedAward":  # an honours page: the row's year
                            year = row.year or self._year_of(text, sent.start, row.start, sent.end, None) \
                                or _year_after(text, row.end)
                        yield (Relation(subject, predicate, obj, passage.start, passage.end, rule_id, confidence,
                                        year), passage)

    def _commended_contest(self, views) -> Mention | None:
        """The contest a notice commends the best of (关于表彰某竞赛先进集体和先进个人的通报), when
        its title or first lines say so: every unit and person its lists name took part."""
        for slotted, top, _, _ in views[:self.commendation_lines]:
            found = self.commendation.search(slotted)
            if found:
                return top[int(found.group("o"))]
        return None

    def _counted(self, text: str, sentences, views, doc_year: int | None):
        """Honourees counted back to the honour: 授予80名同志“某市劳动模范”称号 … 甲、乙和丙等80人
        受到表彰. Every person named before the count in that sentence gets the honour the same
        count was given earlier in the article. A rule whose members come after the count
        (这5名选手分别为：甲、乙…) names a group the article may honour before or after the list
        (5名选手被授予“某某”… 这5名选手还被授予“某某”称号): each of them gets every honour given to
        that count anywhere in the article."""
        for rule_id, predicate, sources, item, confidence, members in self.counted:
            given: dict[str, list[tuple[Mention, Sentence]]] = {}
            groups: list[tuple[str, list[Mention], Sentence]] = []
            for sent, (slotted, top) in zip(sentences, views):
                m = item.search(slotted)
                if m and members == "before" and m.group("n") in given:
                    named = slotted[:m.start()]
                    group = (m.group("n"), [top[i] for i in map(int, _SLOT_NUMBER.findall(named))], sent)
                    yield from self._honour_group(text, rule_id, predicate, confidence, doc_year,
                                                  given[m.group("n")][-1:], group)
                elif m and members == "after":
                    named = slotted[m.end():]
                    groups.append((m.group("n"), [top[i] for i in map(int, _SLOT_NUMBER.findall(named))],
                                   sent))
                for source in sources:
                    for c in source.finditer(slotted):
                        given.setdefault(c.group("n"), []).append((top[int(c.group("o"))], sent))
            for group in groups:
                near = [(obj, where) for obj, where in given.get(group[0], [])
                        if abs(where.start - group[2].start) <= _COUNTED_REACH]
                yield from self._honour_group(text, rule_id, predicate, confidence, doc_year, near, group)

    def _honour_group(self, text, rule_id, predicate, confidence, doc_year, honours, group):
        _, people, sent = group
        for obj, where in honours:
            lo, hi = min(where.start, sent.start), max(where.end, sent.end)
            passage = Sentence(lo, hi, text[lo:hi])
            year = obj.year or self._year_of(text, where.start, where.end, where.end, None) or doc_year
            for person in people:
                if person.label == "Person":
                    yield Relation(person, predicate, obj, passage.start, passage.end, rule_id, confidence,
                                   year), passage

    def _credited(self, index: MentionIndex) -> frozenset[str]:
        """Names a credit line gives (作者：某某, 本报记者某某): written again elsewhere ((某某)在…),
        they are still the writer's, never whom a pronoun or a missing subject means."""
        if "credited" not in index.memo:
            index.memo["credited"] = frozenset(m.name for m in index.mentions
                                               if m.label == "Person" and m.rule in self.credit_rules)
        return index.memo["credited"]

    def _profiled(self, text: str, index: MentionIndex, at: int) -> Mention | None:
        """The person a profile is about, for a line that describes someone it does not name: the
        name written on a line of its own (the profile's heading) at most ``profile_lines`` lines
        above, no other person named since, and not a credit line's name."""
        person = index.last_before(("Person",), at)
        if person is None or person.rule in self.credit_rules:
            return None
        line_start = text.rfind("\n", 0, person.start) + 1
        line_end = text.find("\n", person.end)
        here = text.rfind("\n", 0, at) + 1
        if line_end < 0 or line_end >= here or text.count("\n", line_end, here) > self.profile_lines:
            return None
        if text[line_start:person.start].strip() or text[person.end:line_end].strip():
            return None
        return person

    def _quoted_witness(self, text: str, index: MentionIndex, person: Mention, at: int) -> bool:
        """A person quoted in a finished sentence before a pronoun (师傅某某回忆：“……”), or one
        named as someone in the story (师傅某某, 徒弟某某, 拜某某为师) in a finished sentence, is a witness, not whom
        the next 他 means, unless the article is about that person (the person named most often)."""
        side = text.endswith(self.side_characters, max(0, person.start - 3), person.start) \
            or text.startswith(self.side_roles, person.end)
        if not (side or self.quote_speaker.match(text, person.end)) or not self.sentence_end.search(text, person.end, at):
            return False
        if "main_person" not in index.memo:
            counts: dict[str, int] = {}
            for m in index.mentions:
                if m.label == "Person":
                    counts[m.name] = counts.get(m.name, 0) + 1
            index.memo["main_person"] = max(sorted(counts), key=counts.get) if counts else None
        return person.name != index.memo["main_person"]

    def _company(self, index: MentionIndex, anaphor: str, offset: int) -> Mention | None:
        """The enterprise a company anaphor refers to: the last named that is not one of its units
        (车间, 班组), or for 集团 the last group (a name that ends as a group's does, not a group's
        unit: 某集团有限公司某供电公司 is no group)."""
        last = index.last_before(("Enterprise",), offset)
        while last is not None and last.name.endswith(self.unit_suffixes):
            last = index.last_before(("Enterprise",), last.end - 1)
        first = last
        if self.group_word not in anaphor:
            return last
        while last is not None and not self._a_group(last.name):
            last = index.last_before(("Enterprise",), last.end - 1)
        return last or first

    def _a_group(self, name: str) -> bool:
        head, word, rest = name.rpartition(self.group_word)
        return bool(word) and (not rest or rest in self.legal_forms)

    def _applicable(self, scope: str, present: frozenset[str]) -> list[tuple]:
        """The rules of ``scope`` whose every slot has a mention of its kind among ``present``
        (a sentence's labels), worked out once per set of labels."""
        key = (scope, present)
        rules = self._by_labels.get(key)
        if rules is None:
            rules = self._by_labels[key] = [r for r in self.rules if r.scope == scope
                                            and all(present.intersection(group) for group in r.needed)]
        return rules

    def _templates(self, text: str, sent: Sentence, index: MentionIndex, scope: str, doc_year: int | None = None,
                   view: tuple | None = None):
        """The template rules of ``scope`` over one sentence or paragraph (``view``: its slotting, if made)."""
        slotted, top, plain, wide = view or self._slot_wide(text, sent, index.within(sent.start, sent.end))
        for rule_id, predicate, regex, confidence, distribute, rule_scope, via, needed, subject_via, gate, listed, when \
                in self._applicable(scope, frozenset(m.label for m in top)):
            if gate is not None and not gate.search(slotted) or when is not None and not when.search(slotted):
                continue
            groups = plain if listed else wide
            for m in regex.finditer(slotted):
                found = m.groupdict()
                here = sent.start + orig_offset(slotted, m.start(), top)
                if found.get("anaphor") is not None or "topic" in found:
                    anaphor = found.get("anaphor") or ""
                    s_or_o = index.last_before(_CONTEST_LABELS, here) if anaphor.endswith(self.event_words) \
                        else _topic(index, here, sent.start)
                    if s_or_o is None:
                        continue
                if found.get("company") is not None:
                    o = self._company(index, found["company"], here)
                    if o is None:
                        continue
                    groups_o = [o]
                elif found.get("institution") is not None:
                    o = index.last_before(("Institution",), here)
                    if o is None:
                        continue
                    groups_o = [o]
                elif found.get("honour") is not None:
                    o = index.first_of(("Award",))  # 受表彰者, 获此殊荣: the honour the report is about
                    if o is None:
                        continue
                    groups_o = [o]
                elif found.get("o") is not None:
                    o = top[int(m.group("o"))]
                    groups_o = groups[int(m.group("o"))]
                else:
                    o = s_or_o
                    groups_o = [o]
                if found.get("pron") is not None or found.get("zero") is not None:
                    at = sent.start + orig_offset(slotted, m.start("pron" if found.get("pron") is not None else "zero"), top)
                    credited = self._credited(index)
                    s = index.last_starting_in(("Person",), at - 400, at, self.credit_rules,
                                               lambda p: p.name in credited or self._quoted_witness(text, index, p, at))
                    if s is None:
                        continue
                    groups_s = [s]
                elif found.get("profiled") is not None:
                    s = self._profiled(text, index, sent.start + orig_offset(slotted, m.start("profiled"), top))
                    if s is None:
                        continue
                    groups_s = [s]
                elif found.get("company_s") is not None:
                    s = self._company(index, found["company_s"], here)
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
                    o = _at_head(index, o, ("Place",))
                    if o is None:
                        continue
                    groups_o = [o]
                subjects = groups_s if "s" in distribute else [s]
                if subject_via == "org_at_head":
                    subjects = [_at_head(index, x, ORG_TYPES) or x for x in subjects]
                objects = groups_o if "o" in distribute else [o]
                if predicate == "heldIn":
                    objects = [p for x in objects for p in _place_chain(index, x)]
                award = predicate == "receivedAward"
                year = self._year_of(text, sent.start, o.start, sent.end, doc_year) or _year_after(text, o.end) \
                    if award else None
                for si in subjects:
                    for oi in objects:
                        if si is oi:
                            continue
                        y = oi.year or year if award else None
                        yield Relation(si, predicate, oi, sent.start, sent.end, rule_id, confidence, y,
                                       by if award else None)

    def _slot_wide(self, text: str, sent: Sentence, inside: list[Mention]):
        return slots.slot_wide(text, sent, inside, self.separators, self.coordination_skip)

    def _year_of(self, text: str, start: int, award_start: int, end: int, doc_year: int | None) -> int | None:
        """The year an award was received: written before it in the evidence (2023年…) or at the
        start of its row, or this year / last year counted from the article's year."""
        near = text[max(start, award_start - 14):award_start]
        years = slots.YEAR.findall(near)
        if years and not re.search(r"[,;。]", near[near.rfind(years[-1]):]):
            return int(years[-1])
        dated = _DATED_ROW.match(text, start, award_start)
        if dated:
            return int(dated.group(1))
        span = text[start:end]
        if doc_year and self.this_year in span:
            return doc_year
        if doc_year and self.last_year in span:
            return doc_year - 1
        return None


def _year_after(text: str, end: int) -> int | None:
    """The year written in parentheses right after an honour (某市文明单位（2023年）)."""
    after = _YEAR_IN_PARENTHESES.match(text, end)
    return int(after.group(1)) if after else None


#: the rule of a venue named after its place (某市会议中心: kg_places)
VENUE_RULE = "place.venue"


def _place_chain(index: MentionIndex, place: Mention) -> list[Mention]:
    """A place and the places written next to it with nothing between (在某市某区举行: the
    contest was held in both), and those a venue is named after."""
    if place.label != "Place":
        return [place]
    near = [m for m in index.within(max(0, place.start - 24), place.end + 24) if m.label == "Place"]
    by_start, by_end = {m.start: m for m in near}, {m.end: m for m in near}
    chain = [place]
    while chain[-1].end in by_start:
        chain.append(by_start[chain[-1].end])
    while chain[0].start in by_end:
        chain.insert(0, by_end[chain[0].start])
    if place.rule == VENUE_RULE:  # 在某市会议中心召开: held in the city the venue is named after, too
        chain += [m for m in near if m is not place and place.start <= m.start and m.end < place.end]
    return chain


def _topic(index: MentionIndex, offset: int, sentence_start: int | None = None) -> Mention | None:
    """The contest a report is about: the one it names most often (of two, the one named
    first), by its mention nearest before ``offset``; the last contest named if none repeats.
    A contest named earlier in the sentence (在某某竞赛中，甲获得第二名) is the one meant there."""
    if sentence_start is not None:
        here = index.last_before(("Competition",), offset)
        if here is not None and here.start >= sentence_start:
            return here
    if "topic" not in index.memo:
        contests = [m for m in index.mentions if m.label == "Competition"]
        counts: dict[str, int] = {}
        first: dict[str, int] = {}
        for m in contests:
            counts[m.name] = counts.get(m.name, 0) + 1
            first.setdefault(m.name, m.start)
        top = max(counts, key=lambda n: (counts[n], -first[n])) if counts else None
        named = sorted((m for m in contests if m.name == top), key=lambda m: m.end)
        index.memo["topic"] = ([m.end for m in named], named)
    ends, named = index.memo["topic"]
    if not named:
        return index.last_before(_CONTEST_LABELS, offset)
    i = bisect.bisect_right(ends, offset)
    return named[i - 1] if i else min(named, key=lambda m: m.start)


def _person_not_employer(found: list[Relation]) -> list[Relation]:
    """An honour a sentence gives a person is not also its organisation's (甲现任某局经理，获得…:
    the rule that reads 某局 as the subject is wrong when another reads 甲)."""
    to_people = {(r.start, r.object.start) for r in found if r.predicate == "receivedAward"
                 and r.subject.label == "Person"}
    return [r for r in found if not (r.predicate == "receivedAward" and r.subject.label in ORG_TYPES
                                     and (r.start, r.object.start) in to_people)]


def _needed_labels(pattern: str) -> tuple[frozenset[str], ...]:
    """For each subject and object slot of a template, the labels a mention must have to fill it
    (a {c:…} slot is context a template may do without: 由某会授予… or 授予…)."""
    return tuple(frozenset(TYPE_GROUPS[group]) for role, group in _SLOT.findall(pattern)
                 if role in "so" and group in TYPE_GROUPS)


def _employers_of_units(found: list[Relation], index: MentionIndex, unit_suffixes: tuple[str, ...]) -> list[Relation]:
    """Who works for a unit (a name ending in a unit's suffix: 车间, 班, 中心 …) works for the
    organisations it belongs to: those named at the head of its name (某某公司某某车间 -> 某某公司);
    a subsidiary with its own legal form (某集团某某有限公司) is its own employer."""
    out = []
    for r in found:
        if r.predicate != "worksFor" or not r.object.text.endswith(unit_suffixes):
            continue
        for parent in index.within(r.object.start, r.object.end):
            if parent.label in ORG_TYPES and parent.start == r.object.start and parent.end < r.object.end:
                out.append(Relation(r.subject, "worksFor", parent, r.start, r.end, "worksFor.unit_of_employer",
                                    round(r.confidence * 0.9, 4)))
    return out


def _organisers_of_ceremonies(found: list[Relation], index: MentionIndex, ceremonies: tuple[str, ...],
                              joiners: tuple[str, ...] = ()) -> list[Relation]:
    """Who organises a contest's ceremony (由甲主办、乙承办的某某大赛开幕式) organises the contest:
    the event is named after the contest and a ceremony word, perhaps joined to it (某某大赛决赛暨颁奖仪式)."""
    out = []
    for r in found:
        if r.predicate != "organizedBy" or r.subject.label != "Event" or not r.subject.text.endswith(ceremonies):
            continue
        year = YEAR_PREFIX.match(r.subject.text)
        contest = _at_head(index, r.subject, ("Competition",), year.end() if year else 0)
        rest = r.subject.text[contest.end - r.subject.start:] if contest is not None else ""
        rest = rest[len(next((j for j in joiners if rest.startswith(j)), "")):]
        if contest is not None and rest in ceremonies:
            out.append(Relation(contest, "organizedBy", r.object, r.start, r.end, "organizedBy.organiser_of_ceremony",
                                round(r.confidence * 0.9, 4)))
    return out


def _at_head(index: MentionIndex, name: Mention, labels: tuple[str, ...], skip: int = 0) -> Mention | None:
    """The longest mention of ``labels`` a name starts with (after its first ``skip`` characters): the
    place of 东莞市技师学院 (where a contest held at that organisation took place), the company of 某公司设备部."""
    heads = [m for m in index.within(name.start, name.end) if m.label in labels and m.start == name.start + skip
             and m.end < name.end]
    return max(heads, key=lambda m: m.end) if heads else None


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


def _union_of(index: MentionIndex, union: Mention | None) -> Mention | None:
    """The union a body of it belongs to (某县总工会第四届委员会, 某市总工会女职工委员会 → the
    union named at its head): its officers are the union's."""
    if union is None:
        return None
    heads = [m for m in index.within(union.start, union.end)
             if m.label == "TradeUnion" and m.start == union.start and m.end < union.end]
    return max(heads, key=lambda m: m.end) if heads else union
