"""``kg_rank_honours``: honours conferred by rank (对各项目第一名，授予“…”).

Contest reports and conferral decisions name the winners in one place (a
results table, 甲获得一等奖) and say in another which rank earns which honour
(对各项目前三名授予“某某技术能手”称号). This component reads both and
gives each winner the honours of their rank; the evidence is the passage
from the winner's line to the conferral. A conferral still to come (将授予)
gives none.
"""
from __future__ import annotations

import re

from spacy.language import Language
from spacy.tokens import Doc

from kg.model import Relation, Sentence
from kg.pipeline.data import DataComponent, alternation
from kg.pipeline.index import MentionIndex
from kg.pipeline.slots import document_year

if not Doc.has_extension("kg_relations"):
    Doc.set_extension("kg_relations", default=())

_NUMERALS = {c: i for i, c in enumerate("一二三四五六七八九十", 1)}
#: a line of columns (电工　某某　某某公司): a row of a table
_COLUMNS = re.compile(r"[^\s。,;]\s+[^\s。,;]")
#: what a results row may hold between the winner and the rank: the employer, the trade
_ROW_BETWEEN = re.compile(r"(?:[^⟦⟧。,;]|⟦\d+:(?!Person)\w+⟧)*")


def rank_number(word: str) -> int | None:
    """The number in 第三名, 前五名, 第12名 (digits, or Chinese numerals up to 九十九)."""
    m = re.search(r"\d+|[一二三四五六七八九十]+", word)
    if not m:
        return None
    w = m.group()
    if w.isdigit():
        return int(w)
    if "十" not in w:
        return _NUMERALS[w[0]]
    tens, _, units = w.partition("十")
    return (_NUMERALS[tens] if tens else 1) * 10 + (_NUMERALS[units] if units else 0)


@Language.factory("kg_rank_honours", assigns=["doc._.kg_relations", "doc._.kg_passages"],
                  requires=["doc._.kg_text", "doc._.kg_sentences", "doc._.kg_mentions", "doc._.kg_relations"],
                  default_config={"confidence": 0.75})
def make_rank_honours(nlp: Language, name: str, confidence: float):
    return RankHonours(nlp, name, confidence)


class RankHonours(DataComponent):
    resources = ("lexicons/rank_grammar.json",)

    def __init__(self, nlp: Language, name: str = "kg_rank_honours", confidence: float = 0.75):
        super().__init__(nlp, name)
        self.confidence = confidence

    def setup(self, data) -> None:
        g = data.table("rank_grammar")
        self.places = {w: int(n) for n, words in g["places"].items() for w in words}
        self.grades = tuple(g["grades"])
        rank = "(?:第[\\d一二三四五六七八九十]+名|" + alternation(list(self.places) + list(self.grades)) + ")"
        self.rank = re.compile(rank)
        self.won = re.compile(alternation(g["won"]))
        spec = "(?:前[\\d一二三四五六七八九十]+名|第[\\d一二三四五六七八九十]+名(?:至第[\\d一二三四五六七八九十]+名)?|" \
            + alternation(list(self.places) + list(self.grades)) + ")"
        confer = f"(?:(?:{alternation(g['already'])})?由⟦\\d+:\\w+⟧)?[^。;⟦⟧]{{0,6}}?(?:{alternation(g['confer'])})(?:了)?[^。;⟦⟧]{{0,4}}?“?⟦(?P<award>\\d+):Award⟧"
        self.conferral = re.compile(
            f"(?:{alternation(g['to'])}|(?:^|(?<=[,，;:：\\s])))(?:获得)?(?:{alternation(g['groups'])})?(?:{alternation(g['stages'])})?"
            f"(?P<spec>{spec})(?:的)?(?:⟦\\d+:Person⟧)?(?:等?[\\d一二三四五六七八九十百]+名)?"
            f"(?:{alternation(g['winners'])})?[,，]?(?P<future>{alternation(g['future'])})?" + confer)
        self.also_conferred = re.compile(f"”?(?:{alternation(g['honour_words'])})?[,，](?:{alternation(g['also'])})?" + confer)
        self.rank_line = re.compile(f"^[ \\t]*{rank}[::]?[ \\t]*\\Z")

    def process(self, doc: Doc) -> Doc:
        text = doc._.kg_text
        index = MentionIndex(doc._.kg_mentions)
        sentences = doc._.kg_sentences
        winners: list[tuple[object, str, Sentence]] = []
        conferrals: list[tuple[str, object, Sentence]] = []
        heading_rank = None
        for sent in sentences:
            inside = index.within(sent.start, sent.end)
            slotted, top = _slot(text, sent, inside)
            for m in self.conferral.finditer(slotted):
                if m.group("future"):
                    continue
                conferrals.append((m.group("spec"), top[int(m.group("award"))], sent))
                more = self.also_conferred.match(slotted, m.end())
                while more:
                    conferrals.append((m.group("spec"), top[int(more.group("award"))], sent))
                    more = self.also_conferred.match(slotted, more.end())
            if self.rank_line.match(slotted):
                heading_rank = slotted.strip(" \t:：")
                continue
            row = list(self._winners(slotted, top))
            if not row and heading_rank and slotted.count(":Person⟧") == 1 and not self.won.search(slotted):
                row = [(top[int(re.search(r"⟦(\d+):Person⟧", slotted).group(1))], heading_rank)]
            elif not row and ":Person⟧" not in slotted and not _COLUMNS.search(slotted.strip()):
                heading_rank = None  # prose ends the rows a rank heads; a row whose name was missed does not
            winners.extend((p, r, sent) for p, r in row)
        if not conferrals or not winners:
            return doc
        doc_year = document_year(text)
        found, passages = list(doc._.kg_relations), list(doc._.kg_passages)
        for spec, award, where in conferrals:
            for person, rank, row in winners:
                if self._covers(spec, rank):
                    start, end = min(row.start, where.start), max(row.end, where.end)
                    passage = Sentence(start, end, text[start:end])
                    passages.append(passage)
                    found.append(Relation(person, "receivedAward", award, start, end, "receivedAward.rank_conferral",
                                          self.confidence, award.year or doc_year))
        doc._.kg_relations = tuple(sorted(set(found)))
        doc._.kg_passages = tuple(sorted(set(passages)))
        return doc

    def _winners(self, slotted: str, top: list):
        """(person, rank) for a results row (…甲…第一名) or a sentence (甲、乙获得…一等奖)."""
        people = [(m, top[int(m.group(1))]) for m in re.finditer(r"⟦(\d+):Person⟧", slotted)]
        if not people:
            return
        row_rank = self.rank.search(slotted, people[-1][0].end())
        if row_rank and _ROW_BETWEEN.fullmatch(slotted[people[-1][0].end():row_rank.start()]) \
                and len(people) == 1:
            yield people[0][1], row_rank.group()
            return
        for clause in re.split(r"[;。]", slotted):
            won = self.won.search(clause)
            if not won:
                continue
            rank = self.rank.search(clause, won.end())
            if not rank:
                continue
            for m in re.finditer(r"⟦(\d+):Person⟧", clause[:won.start()]):
                yield top[int(m.group(1))], rank.group()

    def _covers(self, spec: str, rank: str) -> bool:
        """Whether the conferral's ranks (前三名, 第四名至第六名, 一等奖) include a winner's rank."""
        if spec in self.grades or rank in self.grades:
            return spec == rank
        n = self.places.get(rank) or rank_number(rank)
        if n is None:
            return False
        if spec.startswith("前"):
            return n <= (rank_number(spec) or 0)
        if "至" in spec:
            lo, hi = (rank_number(x) for x in spec.split("至"))
            return lo is not None and hi is not None and lo <= n <= hi
        return n == (self.places.get(spec) or rank_number(spec))


def _slot(text: str, sent: Sentence, inside: list) -> tuple[str, list]:
    top = [m for m in inside if not any(o is not m and o.start <= m.start and m.end <= o.end
                                        and (o.start, o.end) != (m.start, m.end) for o in inside)]
    parts, pos, kept = [], sent.start, []
    for m in sorted(top, key=lambda m: (m.start, -m.end)):
        if m.start < pos:
            continue
        parts.append(text[pos:m.start])
        parts.append(f"⟦{len(kept)}:{m.label}⟧")
        kept.append(m)
        pos = m.end
    parts.append(text[pos:sent.end])
    return "".join(parts), kept
