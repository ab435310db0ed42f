"""Which person candidates are names, and the names an article implies.

A candidate is vetted against the surname list, common words (jieba's
dictionary), places, titles and anonymised forms (王某, 李师傅); a name
confirmed once is a mention wherever else it is written, and so is a name
listed beside it (甲、乙).
"""
from __future__ import annotations

import re

from kg.model import MENTION_ORDER, Mention
from kg.pipeline.data import alternation, common_words, dictionary_tags, find_words, rare_word
from kg.pipeline.index import MentionIndex
from kg.pipeline.scanning import CJK, NAME_CHARS

PERSON_MACRO_RESOURCES = ("lexicons/surnames.txt", "lexicons/person_right_context.txt", "lexicons/org_suffixes.json")


def person_macros(data) -> dict[str, str]:
    """The macros person rules share: {SURNAME} {GIVEN} {RB} {RB2} {CJK} {NAMECHARS} {ORG_SUFFIX}."""
    right = data.words("person_right_context")
    suffixes = data.table("org_suffixes")
    return {
        "SURNAME": _surname_pattern(data.words("surnames")),
        "GIVEN": f"[{CJK}]{{1,2}}",
        "RB": "(?=[、,。;:!?()“”\"\\s·]|" + alternation(right) + "|$)",
        "RB2": "(?=[、,。;:!?()“”\"\\s]|" + alternation([w for w in right if len(w) > 1]) + "|$)",
        "CJK": CJK,
        "NAMECHARS": NAME_CHARS,
        "ORG_SUFFIX": alternation([s for k in ("Enterprise", "TradeUnion", "GovernmentBody", "Institution",
                                               "units_only") for s in suffixes[k]]),
    }


def _surname_pattern(surnames) -> str:
    """The compound surnames as an alternation, then the single ones as one character class: the
    regex engine tries a class at each position far faster than hundreds of alternatives."""
    compound = [s for s in surnames if len(s) > 1]
    single = "".join(sorted({s for s in surnames if len(s) == 1}))
    return "(?:" + (alternation(compound)[3:-1] + "|" if compound else "") + f"[{re.escape(single)}])"


RESOURCES = (*PERSON_MACRO_RESOURCES, "lexicons/person_stop.txt", "lexicons/person_verb_tail.txt",
             "lexicons/minority_name_parts.txt",
             "lexicons/person_left_context.txt", "lexicons/person_right_title.txt",
             "lexicons/person_name_grammar.json")
_NAME_TAGS = ("nr", "nrt", "nrfg", "ns", "nz")
_FUNCTION_TAGS = ("v", "d", "r", "t", "m", "p", "c", "u")
#: the function words a studio's specialty holds none of (a verb it may: 焊接技能工作室)
GRAMMAR_TAGS = tuple(t for t in _FUNCTION_TAGS if t != "v")
#: labels whose names may contain a person's name (a studio is named after its leader)
NAMES_THAT_HOLD_PEOPLE = ("Studio", "Event", "Document", "Program")


class PersonNames:
    def __init__(self, data, gazetteer):
        self.gazetteer = gazetteer
        macros = person_macros(data)
        grammar = data.table("person_name_grammar")
        self.person_stop = tuple(data.words("person_stop"))
        self.row_labels = frozenset(grammar["row_labels"])
        self.verb_tail = tuple(data.words("person_verb_tail"))
        self.name_re = re.compile(f"{macros['SURNAME']}{macros['GIVEN']}\\Z")
        self.list_right = re.compile(f"、({macros['SURNAME']}{macros['GIVEN']}){macros['RB']}")
        self.list_left = re.compile(f"(?:^|[,、:\\s“])({macros['SURNAME']}{macros['GIVEN']})、\\Z")
        self.common = common_words()
        self.words = dictionary_tags()
        self.titles = re.compile(alternation([w for w in data.words("person_left_context")
                                              + data.words("person_right_title") if len(w) >= 2]))
        self.not_in_given = set(grammar["not_in_given_name"])
        self.family_char = grammar["family_char"]
        self.settlement_chars = grammar["settlement_chars"]
        self.conjunctions = tuple(grammar["conjunctions"])
        self.name_parts = frozenset(data.words("minority_name_parts"))
        self.anonymised = re.compile("(?:" + alternation(grammar["anonymised_endings"]) + ")+\\Z")
        self.foreign_bad_starts = tuple(grammar["foreign_name_bad_starts"])
        self.studio_rest = re.compile(grammar["studio_rest"])
        self.name_chars = re.compile(f"^[{CJK}·]+\\Z")
        self.left_item = re.compile(f"(?:^|[,、:\\s“])([{CJK}]{{2,4}})、\\Z")
        self.right_item = re.compile(f"、([{CJK}]{{2,4}})(?=[、,。;:\\s”]|等|和|及|$)")
        self.inner_item = re.compile(f"、([{CJK}]{{2,6}})(?=[、和及等])")

    def ok(self, m: Mention) -> bool:
        name = m.text.replace(" ", "")
        if not name or not self.name_chars.match(name):
            return False
        if "·" in name:
            return not self.titles.search(name) and not name.startswith(self.foreign_bad_starts) \
                and not any(self._starts_with_a_division(part) for part in name.split("·"))
        if not self.name_re.match(name) or name.startswith(self.person_stop):
            return False
        if name in self.gazetteer.by_form or name.endswith(self.verb_tail) or self._a_word(name):
            return False
        if self.anonymised.search(name) or self.titles.search(name, 1):
            return False
        if set(name[1:]) & self.not_in_given:
            return False
        return not (name[0] in self.conjunctions and name[1:] in self.words)

    def _a_word(self, name: str) -> bool:
        """An ordinary word of the dictionary; a three-character one only if it is not rare
        (高建国 is in it four times, as a place)."""
        return name in self.common and (len(name) < 3 or not self.rare(name))

    def rare(self, word: str) -> bool:
        return rare_word(word)

    def _starts_with_a_division(self, part: str) -> bool:
        """A part of a ·-joined 'name' that starts with a province or prefecture (大思政课·江西篇)
        is a title's, not a person's."""
        return any(self.gazetteer.level(part[:n]) in ("province", "prefecture") for n in range(2, len(part) + 1))

    def ok_in_list(self, m: Mention) -> bool:
        """A Han name even if it is also a word (高建国, 杨帆): a list row vouches for it."""
        name = m.text.replace(" ", "")
        if not self.name_re.match(name) or name in self.gazetteer.by_form or name in self.row_labels:
            return False
        if self.anonymised.search(name) or self.titles.search(name, 1):
            return False
        return not (set(name[1:]) & self.not_in_given)

    def ok_without_surname(self, m: Mention) -> bool:
        """A name with no Chinese surname (图门巴雅尔, 其木格: names of minority peoples), where a
        list row vouches for it: two to six characters that are no word, place or title."""
        name = m.text.replace(" ", "")
        if not 2 <= len(name) <= 6 or not self.name_chars.match(name) or "·" in name:
            return False
        if self._made_of_parts(name):
            return not self.anonymised.search(name)
        if self.words.get(name, "nr") not in _NAME_TAGS or name in self.gazetteer.by_form or self.titles.search(name):
            return False
        if any(self.gazetteer.level(name[:n]) in ("province", "prefecture") for n in range(2, len(name))):
            return False  # 北京讯: a dateline, not a name
        if self._holds_a_word(name):
            return False
        return not (set(name) & self.not_in_given) and not self.anonymised.search(name)

    def holds_a_function_word(self, name: str, tags: tuple[str, ...] = _FUNCTION_TAGS) -> bool:
        """A verb, adverb, pronoun, time or number word is written in the name (目前公司已建成);
        ``tags`` narrows what counts (a studio's specialty may be a verb: 焊接, 维修)."""
        return any(self.words.get(name[i:j], "n")[:1] in tags
                   for i in range(len(name)) for j in range(i + 1, min(len(name), i + 4) + 1)
                   if j - i >= 2 or name[i] in self.not_in_given)

    def _made_of_parts(self, name: str) -> bool:
        """The name is made of the parts Tibetan and Mongolian names are made of (扎西顿珠)."""
        ends = {0}
        for i in range(len(name)):
            if i in ends:
                ends.update(i + len(p) for p in self.name_parts if name.startswith(p, i))
        return len(name) in ends

    def _holds_a_word(self, name: str) -> bool:
        """An ordinary word of two or more characters is written in the name (了解到, 公示时间);
        names and place names in the dictionary do not count (乌兰 in 乌兰其其格)."""
        return any(self.words.get(name[i:j], "nr") not in _NAME_TAGS
                   for i in range(len(name)) for j in range(i + 2, len(name) + 1))

    def family_name(self, name: str) -> bool:
        """A three-character name whose first two characters are a surname and 家 (周家福): the
        family word does not make it no name, unless a settlement follows (周家庄)."""
        return len(name) == 3 and name[1] == self.family_char and name[2] not in self.settlement_chars

    def listed_among_words(self, text: str, m: Mention) -> bool:
        """A candidate listed beside an ordinary word (制造、交通、某某、农业等领域) names a
        field or a trade, not a person: the items of one list are of one kind."""
        left = self.left_item.search(text, max(0, m.start - 6), m.start)
        right = self.right_item.match(text, m.end)
        return any(item and self.words.get(item, "nr") not in _NAME_TAGS
                   for item in (left and left.group(1), right and right.group(1)))

    def studio_ok(self, m: Mention) -> bool:
        """A studio is named after a person: 张某某工作站 or 苏和巴特尔工作室 (a name made of a
        minority people's name parts), or after a brand in quotes (“某某”数控创新工作室), not
        劳模创新工作室."""
        if m.label != "Studio" or m.text.startswith("“"):
            return True
        for n in (9, 8, 7, 6, 5, 4, 3, 2):
            head, rest = m.text[:n], m.text[n:]
            if len(head) < n or not self.studio_rest.match(rest):
                continue
            person = Mention(m.start, m.start + n, "Person", head, head, m.rule)
            if n <= 4 and self.ok(person) or len(head) >= 4 and self._made_of_parts(head):
                return True
        return False

    def spread(self, text: str, people: list[Mention], kept: list[Mention]) -> list[Mention]:
        """The people listed beside a confirmed name (甲、乙), and every other place a
        confirmed name is written."""
        names = {p.text for p in people}
        grown = True
        while grown:
            grown = False
            for p in list(people):
                for m in self.list_right.finditer(text, p.end, min(len(text), p.end + 6)):
                    if m.start() != p.end:
                        break
                    cand = Mention(m.start(1), m.end(1), "Person", m.group(1), m.group(1), "person.list", 0.8)
                    if cand.text not in names and self.ok(cand):
                        names.add(cand.text)
                        people.append(cand)
                        grown = True
                inner = self.inner_item.match(text, p.end)
                if inner and not self.list_right.match(text, p.end):
                    cand = Mention(inner.start(1), inner.end(1), "Person", inner.group(1), inner.group(1),
                                   "person.list", 0.75)
                    if cand.text not in names and self.ok_without_surname(cand):
                        names.add(cand.text)  # 甲、呼格吉勒图、乙: a minority name inside a list of names
                        people.append(cand)
                        grown = True
                left = self.list_left.search(text, max(0, p.start - 5), p.start)
                if left:
                    cand = Mention(left.start(1), left.end(1), "Person", left.group(1), left.group(1),
                                   "person.list", 0.8)
                    if cand.text not in names and self.ok(cand):
                        names.add(cand.text)
                        people.append(cand)
                        grown = True
        out = list(people)
        repeats = [Mention(start, end, "Person", text[start:end], text[start:end], REPEAT_RULE, 0.75)
                   for start, end in find_words(text, names)]
        out = [p for p in out if not any(r.start < p.start < r.end for r in repeats) or text.count(p.text) > 1]
        out += repeats  # 某医院苟某燕护理创新工作室 with 苟某燕 named elsewhere: no 燕护理 inside her name
        named = MentionIndex(kept)
        return [p for p in out if not crosses_named(p, named, places_inside=p.rule == REPEAT_RULE)]


TAGGER_RULE = "person.tagger"
#: a confirmed name found again where it is written once more in the article
REPEAT_RULE = "person.repeat"


def surest_per_start(people: list[Mention]) -> list[Mention]:
    """Of the names found at one place by several person rules, the surest (then the longest),
    but a name written with a middle dot over its first part alone;
    where a rule cut a name one character short of the tagger's reading (曾耀|明力挫群雄: 明力 is
    a word), the tagger's reading, which saw the characters in context."""
    best: dict[int, Mention] = {}
    for p in people:
        old = best.get(p.start)
        if old is None or (p.confidence, p.end - p.start) > (old.confidence, old.end - old.start) \
                and not old.text.startswith(p.text + "·"):
            best[p.start] = p
        elif p.text.startswith(old.text + "·"):
            best[p.start] = p  # the part before the dot is no name of its own
    for p in people:
        kept = best[p.start]
        if p.rule == TAGGER_RULE and kept.rule != TAGGER_RULE and p.end == kept.end + 1:
            best[p.start] = Mention(p.start, p.end, "Person", p.text, p.name, kept.rule, kept.confidence)
    return sorted(best.values(), key=MENTION_ORDER)


def crosses_named(p: Mention, kept: MentionIndex, places_inside: bool = False, titled: bool = False) -> bool:
    """A person span that overlaps a place, organisation, award or contest (but is not
    nested in a studio, event, document or programme name) is not a person. With
    ``places_inside``, a place written inside the name (长春 in 叶长春, a name confirmed
    elsewhere in the article) does not stop it; with ``titled`` (a title right before the
    name), a place in the given name does not (副主席韩长江)."""
    for k in kept.overlapping(p.start, p.end):
        if k.label in NAMES_THAT_HOLD_PEOPLE and k.start <= p.start and p.end <= k.end:
            continue
        if places_inside and k.label == "Place" and p.start <= k.start and k.end <= p.end \
                and (k.start, k.end) != (p.start, p.end):
            continue
        if titled and k.label == "Place" and p.start < k.start and k.end <= p.end:
            continue
        if k.label == "Person":
            continue
        return True
    return False
