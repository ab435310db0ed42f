"""The LAC name tagger: its batched CRF decoding and the names it reads without context."""
import numpy as np
import pytest

from kg.pipeline.tagger import lac_model


def _viterbi_one_row(emissions: np.ndarray, transitions: np.ndarray) -> list[int]:
    """Textbook Viterbi over one row, a loop per tag: the reference for the batched decoder."""
    length, n_tags = emissions.shape
    score = [float(x) for x in emissions[0]]
    back = []
    for t in range(1, length):
        step, new = [], []
        for to in range(n_tags):
            best = max(range(n_tags), key=lambda f: (score[f] + transitions[f, to], -f))
            step.append(best)
            new.append(score[best] + float(transitions[best, to]) + float(emissions[t, to]))
        back.append(step)
        score = new
    path = [max(range(n_tags), key=lambda k: (score[k], -k))]
    for step in reversed(back):
        path.append(step[path[-1]])
    return path[::-1]


@pytest.mark.parametrize("seed", [0, 1])
def test_batched_decoding_is_the_best_path_of_each_row(seed):
    model = lac_model()
    rng = np.random.default_rng(seed)
    emissions = (rng.normal(size=(5, 7, model.n_tags)) * 4).astype(np.float32)
    decoded = model.tags(None, emissions)
    for row, em in zip(decoded, emissions):
        assert list(row) == _viterbi_one_row(em.astype(np.float64), model.transitions.astype(np.float64))


def test_names_listed_without_any_context_are_read_by_the_tagger(nlp):
    text = "参加座谈的有龚黎明、曹钧沛和汪晓岚，大家畅谈体会。"
    people = {m.text for m in nlp(text)._.kg_mentions if m.label == "Person"}
    assert people == {"龚黎明", "曹钧沛", "汪晓岚"}
    with nlp.select_pipes(disable=["kg_name_tagger"]):
        assert not [m for m in nlp(text)._.kg_mentions if m.label == "Person"]  # no rule has a context here


@pytest.mark.parametrize("text, surname", [
    ("推动改革工作向纵深推进。", "向"),    # a preposition mid-sentence
    ("各基层工会都建立了职工书屋。", "都"),  # an adverb
    ("每人发放补助金24元和慰问品。", "元"),  # a classifier after a numeral
    ("共有8位职工获得表彰。", "位"),
    ("这份荣誉属于每一位劳动者。", "荣"),   # a frequent word the dictionary tags as a name
])
def test_the_tagger_reads_no_window_where_a_surname_is_another_word(nlp, text, surname):
    tagger = nlp.get_pipe("kg_name_tagger")
    assert text.index(surname) not in tagger.flag(text)


@pytest.mark.parametrize("text, name", [
    ("参加座谈的有龚黎明、向海川和汪晓岚。", "向海川"),  # the same surnames where a list puts a name
    ("会上，向红梅作了发言。", "向红梅"),
    ("欧阳晓岚和曹钧沛是同一个班组的。", "欧阳晓岚"),  # a compound surname that is also a word
])
def test_the_tagger_still_reads_those_surnames_where_a_name_may_start(nlp, text, name):
    tagger = nlp.get_pipe("kg_name_tagger")
    assert text.index(name) in tagger.flag(text)
    assert name in {m.text for m in nlp(text)._.kg_mentions if m.label == "Person"}
