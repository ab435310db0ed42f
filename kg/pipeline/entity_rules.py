"""``kg_entity_rules``: the regular-expression rules of ``patterns/entity_rules.jsonl``.

People in context (after a title, before 说, in a byline …), documents in
《》, studios, events and programmes. A rule is data: its pattern, label,
confidence and behaviour (``split``, ``given_name``, ``kind``) are fields of
the rule, never checks on its id in code.
"""
from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from kg.model import ORG_TYPES, Mention
from kg.names import EDITION, YEAR_PREFIX, clean_name
from kg.pipeline import gazetteer as gz
from kg.pipeline import people
from kg.pipeline.data import (DataComponent, alternation, common_words, dictionary_tags, expand, required_characters,
                              words_tagged_as_names)
from kg.pipeline.scanning import NAME_CHARS, LeftScanner, balanced, candidates

#: word lists a rule may name as {LEX:name}
RULE_LEXICONS = ("name_left_stop", "event_left_stop", "person_left_context", "person_right_title",
                 "person_strong_left", "industry_words", "credit_markers", "rank_words", "event_levels", "event_verbs", "minority_name_parts")
#: a count of editions before a name (七届, 10届): the events counted, not part of their name
_COUNTED_EDITIONS = re.compile(r"[一二三四五六七八九十两\d]{1,3}届")
#: what comes right before such a count (三届一次职代会 is the third term's first session)
_HELD_BEFORE_COUNT = re.compile(r"(?:举办|举行|开展|组织)了?\Z")
#: what ends a clause: two names joined by 暨 are written in one
_CLAUSE_BREAK = re.compile("[,。!?;:、\n]")
HEADS = ("quoted", "edition", "year", "place", "level", "after_verb")


@Language.factory("kg_entity_rules", assigns=["doc._.kg_candidates"],
                  requires=["doc._.kg_text", "doc._.kg_candidates"], default_config={"name_tagged_word_frequency": 300})
def make_entity_rules(nlp: Language, name: str, name_tagged_word_frequency: int):
    return EntityRules(nlp, name, name_tagged_word_frequency)


#: how a person rule's names are vetted (see EntityRules.vetted)
VET_MODES = ("name", "list_row", "any_name")


class EntityRules(DataComponent):
    """Rules of two kinds.

    ``regex`` (default): {"id", "label", "pattern", "group", "confidence", "split",
    "given_name"}: ``split`` splits a span into several; ``given_name: "trim"`` says the
    rule's left context fixes where a name starts but not where it ends (two or three
    characters: see :meth:`trim_given_name`).
    ``suffix``: a name grammar — {"suffixes": [...], "stops": list name, "max_len",
    "require": regex the name must match, "reject": regex it must not}: the
    name ends with a suffix and starts after the last stop word before it.
    """

    resources = tuple(dict.fromkeys((*gz.RESOURCES, *people.RESOURCES, *(f"lexicons/{n}.txt" for n in RULE_LEXICONS),
                                     "patterns/entity_rules.jsonl")))

    def __init__(self, nlp: Language, name: str = "kg_entity_rules", name_tagged_word_frequency: int = 300):
        super().__init__(nlp, name)
        self.name_tagged_word_frequency = name_tagged_word_frequency

    def setup(self, data) -> None:
        self.name_like_words = words_tagged_as_names(self.name_tagged_word_frequency)
        self.macros = people.person_macros(data)
        self.gazetteer = gz.gazetteer(data)
        self.people = people.PersonNames(data, self.gazetteer)
        self.event_level = re.compile("^" + alternation(data.words("event_levels")))
        self.level_before = re.compile("(?:" + alternation(data.words("event_levels")) + ")\\Z")
        self.event_verb = re.compile(alternation(data.words("event_verbs")) + "(?:了|的)?\\Z")
        self.lexicon = data.lexicon
        grammar = data.table("person_name_grammar")
        self.name_end_chars = set(grammar["name_end_chars"])
        self.foreign_name_end_chars = self.name_end_chars - set(grammar["foreign_name_keep"])
        self.job_title_ends = frozenset(grammar["job_title_ends"])
        self.conjunctions = tuple(grammar["conjunctions"])
        self.verbs_with_objects = {verb: tuple(objs) for verb, objs in grammar.get("verbs_with_objects", {}).items()}
        self.aspect_particles = set(grammar["aspect_particles"])
        self.before_number = set(grammar["before_number"])
        self.locatives = set(grammar["locatives"])
        self.right_words = tuple(w for w in data.words("person_right_context") if len(w) >= 2)
        self.words_after_names = self.right_words + tuple(self.people.verb_tail)
        self.parts_name = re.compile(f"(?:{alternation(data.words('minority_name_parts'))}){{2,3}}")
        self.frequent_surnames = set([w for w in data.words("surnames") if len(w) == 1][:grammar["frequent_surnames"]])
        self.common = common_words()
        self.tags = dictionary_tags()
        self.rules = []
        for row in data.rules("entity_rules"):
            try:
                self.rules.append(self._compile(row))
            except (re.error, KeyError) as err:
                raise ValueError(f"patterns/entity_rules.jsonl: rule {row.get('id')}: {err}") from None

    def _compile(self, row: dict) -> dict:
        rule = {"id": row["id"], "label": row["label"], "kind": row.get("kind", "regex"),
                "confidence": float(row.get("confidence", 0.8)), "split": row.get("split"),
                "group": row.get("group", "name"), "trim": row.get("given_name") == "trim",
                "vet": row.get("vet", "name"), "needs": tuple(row.get("needs", ()))}
        if row.get("given_name") not in (None, "trim"):
            raise KeyError(f"given_name must be \"trim\", not {row['given_name']!r}")
        if rule["vet"] not in VET_MODES:
            raise KeyError(f"vet must be one of {', '.join(VET_MODES)}, not {rule['vet']!r}")
        if rule["kind"] == "suffix":
            rule["regex"] = re.compile(alternation(row["suffixes"]))
            stops = row.get("stops", "name_left_stop")
            stop_words = tuple(w for name in ([stops] if isinstance(stops, str) else stops) for w in self.lexicon(name))
            rule["scan"] = LeftScanner(stop_words, int(row.get("max_len", 30)), NAME_CHARS + "“”‘’《》—",
                                       quoted_head=bool(row.get("quoted_head")))
            rule["require"] = re.compile(self._expand(row["require"])) if row.get("require") else None
            rule["heads"] = tuple(row.get("heads", ()))
            rule["not_before"] = dict(row.get("not_before", {}))
            rule["weak_suffixes"] = frozenset(row.get("weak_suffixes", ()))
            rule["holder_suffixes"] = frozenset(row.get("holder_suffixes", ()))
            if set(rule["heads"]) - set(HEADS):
                raise KeyError(f"heads must be among {', '.join(HEADS)}")
            rule["reject"] = re.compile(self._expand(row["reject"])) if row.get("reject") else None
            rule["joined_by"] = tuple(row.get("joined_by", ()))
            rule["joined_gap"] = int(row.get("joined_gap", 40))
        elif rule["kind"] == "regex":
            rule["regex"] = re.compile(self._expand(row["pattern"]), re.M)
            rule["gate"] = required_characters(rule["regex"])
        else:
            raise KeyError(f"kind must be regex or suffix, not {rule['kind']!r}")
        return rule

    def _expand(self, pattern: str) -> str:
        return expand(pattern, self.macros, self.lexicon)

    def process(self, doc: Doc) -> Doc:
        text = doc._.kg_text
        out = candidates(doc)
        for rule in self.rules:
            if rule["needs"] and not any(word in text for word in rule["needs"]):
                continue
            if rule.get("gate") is not None and not rule["gate"].search(text):
                continue
            matches = self._suffix(text, rule) if rule["kind"] == "suffix" else self._regex(text, rule)
            if rule.get("joined_by"):
                matches = self._joined(text, list(matches), rule)
            if rule["label"] in ("Event", "Program"):
                matches = self._after_organiser(text, list(matches), out)
            for start, end in matches:
                surface = text[start:end]
                m = Mention(start, end, rule["label"], surface, clean_name(surface), rule["id"], rule["confidence"])
                if m.label == "Person":
                    m = self.trim_given_name(text, m, rule["trim"])
                    if m is None or not self.vetted(m, rule["vet"]):
                        continue
                out.append(m)
        return doc

    @staticmethod
    def _after_organiser(text: str, spans: list[tuple[int, int]], found: list[Mention]) -> list[tuple[int, int]]:
        """An event named after its organiser (某市总工会2025年“夏送清凉”活动启动仪式) is named
        without it and the year after it: the organiser is a relation, not part of the name."""
        if not spans:
            return spans
        org_end = {m.start: m.end for m in found if m.label in ORG_TYPES}
        out = []
        for start, end in spans:
            cut = org_end.get(start)
            if cut is not None and cut < end:
                year = YEAR_PREFIX.match(text[cut:cut + 12])
                after = cut + year.end() if year else cut
                if text.startswith("“", after) or year:
                    start = after
            out.append((start, end))
        return out

    def vetted(self, m: Mention, mode: str) -> bool:
        """``name``: a Han name that is no ordinary word; ``list_row``: a Han name, which may also
        be a word (高建国), where a list row vouches for it; ``any_name``: also a name with no Han
        surname (minority peoples' names) where the structure vouches for it."""
        if self.people.ok(m):
            return mode != "name" or m.text not in self.name_like_words  # 政府的关怀: a word, not 关 怀
        if self.parts_name.fullmatch(m.text):
            return self.people.ok_without_surname(m)  # 哈斯巴根, 普布次仁: two or three parts of such names
        if mode == "list_row":
            return self.people.ok_in_list(m)
        if mode == "any_name":
            return self.people.ok_in_list(m) or self.people.ok_without_surname(m)
        return False

    def trim_given_name(self, text: str, m: Mention, open_ended: bool) -> Mention | None:
        """Where a name found by its left context ends: two or three characters. The third
        is not the name's when it starts a word with what follows (张三|发表) or is a
        function word (某某|说); a 'name' whose first two characters are a word is no name, unless
        the word is rare (高志勇) and not followed by a locative (井场上).
        A name with · ends before a function word or a word that follows names (分别) in its last part."""
        if "·" in m.text:
            first = m.text.partition("·")[0]
            job = next((n for n in range(len(first) - 2, 1, -1)
                        if first[n - 1] in self.job_title_ends and first[:n] in self.common), 0)
            if job:  # 面点师|某某·某某
                m = Mention(m.start + job, m.end, "Person", m.text[job:], m.text[job:], m.rule, m.confidence)
            head, _, last = m.text.rpartition("·")
            at = m.end - len(last)
            cut = next((i for i, ch in enumerate(last) if ch in self.foreign_name_end_chars
                        or i >= 2 and text.startswith(self.words_after_names, at + i)), len(last))
            if cut < len(last):
                name = head + "·" + last[:cut]
                return Mention(m.start, m.start + len(name), "Person", name, name, m.rule, m.confidence)
            return m
        if not open_ended:
            return m
        parts = self.parts_name.match(text, m.start)
        if parts and parts.end() > m.end and not self._ordinary(parts.group()):
            name = parts.group()  # 市长哈斯巴根主持: a Mongolian name, not 哈 and a given name
            return Mention(m.start, parts.end(), "Person", name, name, m.rule, m.confidence)
        if m.start and (text[m.start - 1:m.start + 1] in self.common or text[m.start - 2:m.start + 1] in self.common):
            return None  # the name's first character ends a word with the context before it (工程师)
        name = m.text
        surname = 2 if len(name) == 4 else 1
        if len(name) - surname == 2:
            third, nxt = name[-1], text[m.end:m.end + 1]
            if (third in self.name_end_chars or self._ordinary(third + nxt) or self._ordinary(text[m.end - 1:m.end + 2])
                    or text.startswith(self.right_words, m.end - 1) or self._verb_with_object(text, m.end - 1)
                    or nxt in self.aspect_particles or third in self.before_number and nxt.isdigit()) \
                    and not text.startswith(self.right_words, m.end):
                name = name[:-1]  # 某某说, 某某|作了报告, 某某|以93分, 某某|荣获; not 某某华|表示
        end = m.start + len(name)
        if len(name) - surname == 1 and name[-1] in self.before_number and text[end:end + 1].isdigit():
            return None  # 技师曾|于2024年: no name
        if surname == 1 and (len(name) == 3 and self._ordinary(name[:2]) and not self.people.family_name(name)
                             and (not self.people.rare(name[:2]) or name[2] in self.locatives)
                             or name[0] in self.conjunctions
                             or len(name) == 2 and name[0] not in self.frequent_surnames):
            return None
        if len(name) - surname == 1 and text[m.start + len(name) - 1:m.start + len(name) + 1] in self.common:
            return None  # 向先|进: the given name's character makes a word with what follows
        return Mention(m.start, m.start + len(name), "Person", name, name, m.rule, m.confidence)

    def _verb_with_object(self, text: str, at: int) -> bool:
        """The character at ``at`` is a verb whose object follows in the clause (作|先进事迹报告)."""
        objects = self.verbs_with_objects.get(text[at:at + 1])
        if not objects:
            return False
        clause = re.match(r"[^,。;!?\n]{0,12}", text[at + 1:]).group()
        return any(o in clause for o in objects)

    def _ordinary(self, word: str) -> bool:
        """A common word that is not a proper name (华为 is a company's name, not a word)."""
        return word in self.common and self.tags.get(word, "n") not in ("nz", "nt", "ns", "nr")

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
    def _joined(text: str, spans: list[tuple[int, int]], rule: dict) -> list[tuple[int, int]]:
        """Two names joined by one of ``joined_by`` are one name (某某推进会暨某某和某某表彰大会: one
        meeting): a name runs on across the joiner to the next suffix within ``joined_gap``
        characters of the same clause, and the names it then holds are no names of their own."""
        out = []
        for start, end in spans:
            joiner = next((j for j in rule["joined_by"] if text.startswith(j, end)), None)
            if joiner:
                after = end + len(joiner)
                m = rule["regex"].search(text, after, min(len(text), after + rule["joined_gap"]))
                if m and not _CLAUSE_BREAK.search(text, after, m.start()) and balanced(text[start:m.end()]):
                    end = m.end()
            out.append((start, end))
        return [(s, e) for s, e in dict.fromkeys(out)
                if not any(s2 <= s and e <= e2 and (s2, e2) != (s, e) for s2, e2 in out)]

    def _headed(self, text: str, start: int, name: str, heads: tuple[str, ...]) -> bool:
        """Whether a name starts with one of the accepted heads (see the rule file)."""
        for head in heads:
            if head == "edition" and EDITION.match(name):
                return True
            if head == "year" and YEAR_PREFIX.match(name):
                return True
            if head == "level" and self.event_level.match(name):
                return True
            if head == "place" and any(name[:n] in self.gazetteer.by_form for n in range(2, 8)):
                return True
            if head == "after_verb" and self.event_verb.search(text, max(0, start - 6), start) and len(name) >= 6:
                return True
            if head == "quoted" and "“" in name:
                return True
        return False

    def _suffix(self, text: str, rule: dict):
        for m in rule["regex"].finditer(text):
            if m.end() < len(text) and text[m.end()] in rule["not_before"].get(m.group(), ""):
                continue  # …活动中心: the suffix starts another word
            start = rule["scan"](text, m.start())
            while start < m.start() and text[start] in "”’》—":
                start += 1
            end = m.end()
            if end < len(text) and text[end] == "”" and text.count("“", start, end) > text.count("”", start, end):
                end += 1
            close = text.rfind(")", start, m.start())
            if close >= 0 and rule["label"] in ("Event", "Program"):
                start = close + 1
            counted = _COUNTED_EDITIONS.match(text, start)
            if counted and _HELD_BEFORE_COUNT.search(text, max(0, start - 3), start):
                start = counted.end()  # 连续举办七届“某某”选树活动: seven of them, the name after the count
            if text[start] in "“《" and end - start > 2 and text[end - 1] in "”》" and balanced(text[start + 1:end - 1]):
                start, end = start + 1, end - 1
            name = text[start:end]
            if start == m.start() or not balanced(name):
                continue
            heads = rule["heads"]
            if m.group() in rule["weak_suffixes"]:
                heads = tuple(h for h in heads if h != "after_verb")  # 开展技术创新活动: a kind of activity
            if m.group() in rule["holder_suffixes"]:
                heads = tuple(h for h in heads if h not in ("edition", "year", "after_verb"))  # 第四届委员会第一次全体会议: whose?
            level = self.level_before.search(text, max(0, start - 4), start) \
                if rule["label"] == "Event" and "level" in heads else None
            if level:  # 全市|…活动: the scope word a plan's name leaves out heads an event's
                start, name = level.start(), text[level.start():end]
            if rule["require"] and not rule["require"].search(name) and not self._headed(text, start, name, heads):
                continue
            if rule["reject"] and rule["reject"].search(name):
                continue
            yield start, end
