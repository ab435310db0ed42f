"""Parallel and streaming builds give the graph a plain one-process build gives, byte for byte."""
from __future__ import annotations

import json
from decimal import Decimal

from urllib.parse import unquote

import pyoxigraph
import pytest
import rdflib
from rdflib import XSD, Literal, URIRef

import kg
from kg.rdf import clean_text, literal, mint_iri
from kg.serialize import to_rdflib, turtle_bytes
from tests.conftest import SEEDS

import kg.stream as stream_module


@pytest.fixture
def small_chunks(monkeypatch):
    """Chunks of a few documents, so five seeds make several tasks for the workers."""
    monkeypatch.setattr(stream_module, "CHUNK_CHARS", 15_000)
    monkeypatch.setattr(stream_module, "EMIT_CHUNK", 2)


def _build(out, jobs, **kw):
    return kg.build(SEEDS, out, kg.Settings(jobs=jobs, progress=False), html=False, **kw)


def test_two_jobs_same_bytes_as_one(tmp_path, small_chunks):
    one = _build(tmp_path / "one", 1)
    two = _build(tmp_path / "two", 2)
    assert (tmp_path / "two" / "graph.ttl").read_bytes() == (tmp_path / "one" / "graph.ttl").read_bytes()
    assert (tmp_path / "two" / "stats.json").read_bytes() == (tmp_path / "one" / "stats.json").read_bytes()
    assert one.extracted == two.extracted == 5


def test_streaming_build_writes_the_in_memory_graph(tmp_path, small_chunks):
    """The Turtle written block by block (in workers, through sorted runs) is kg.build_graph's graph,
    triple for triple, as rdflib and Oxigraph read it."""
    reference = kg.build_graph(SEEDS, kg.Settings(progress=False))
    built = _build(tmp_path / "out", 2)
    path = tmp_path / "out" / "graph.ttl"
    assert set(rdflib.Graph().parse(path, format="turtle")) == set(reference.graph)
    assert len(list(pyoxigraph.parse(path=str(path)))) == len(reference.graph)
    assert built.stats == json.loads(json.dumps(reference.stats))
    assert built.stats["triples"] == len(reference.graph)


def test_line_formats_hold_the_same_triples(tmp_path, small_chunks):
    _build(tmp_path / "ttl", 1)
    nt = _build(tmp_path / "nt", 2, fmt="nt")
    nq = _build(tmp_path / "nq", 1, fmt="nq", graph_iri="http://example.org/g")
    ttl = set(rdflib.Graph().parse(tmp_path / "ttl" / "graph.ttl", format="turtle"))
    assert set(rdflib.Graph().parse(tmp_path / "nt" / "graph.nt", format="nt")) == ttl
    lines = (tmp_path / "nt" / "graph.nt").read_text(encoding="utf-8").splitlines()
    assert len(lines) == len(set(lines)) == len(ttl) == nt.stats["triples"]
    ds = rdflib.Dataset()
    ds.parse(tmp_path / "nq" / "graph.nq", format="nquads")
    assert set(ds.graph(URIRef("http://example.org/g"))) == ttl
    assert _build(tmp_path / "nt2", 1, fmt="nt") and \
        (tmp_path / "nt2" / "graph.nt").read_bytes() == (tmp_path / "nt" / "graph.nt").read_bytes()


def test_lazy_graph_and_entities_of_a_streamed_build(tmp_path):
    result = _build(tmp_path / "out", 1)
    assert len(result.graph) == result.stats["triples"]
    assert len(result.entities) == sum(result.stats["entities"].values())


def test_turtle_writer_keeps_awkward_literals_and_names():
    """Quotes, backslashes, line breaks and control characters survive our N-Triples terms, the Turtle
    writer and both parsers; a name no IRI may hold raw (U+FFFD, private use, tag characters) is
    percent-encoded."""
    for text in ['say "hi"', "back\\slash", "two\nlines", 'ends with "', 'has """ quotes\n', "tab\tand\rcr",
                 "全角“引号”", "bell\x07"]:
        term = literal(clean_text(text), "zh")
        assert to_rdflib(term) == Literal(clean_text(text), lang="zh")
        assert next(iter(pyoxigraph.parse(f"<urn:s> <urn:p> {term} .", format=pyoxigraph.RdfFormat.N_TRIPLES))) \
            .object.value == clean_text(text)
    for name in ["某\ufffd公司", "某\ue000厂", "甲 乙/丙", "某\U000e0041厂"]:
        entity = mint_iri("https://w3id.org/cn-union-kg/id/", "organization", name)
        assert next(iter(pyoxigraph.parse(f"{entity} <urn:p> <urn:o> .", format=pyoxigraph.RdfFormat.N_TRIPLES)))
        assert unquote(entity[1:-1].rsplit("/", 1)[1]) == name
    g = rdflib.Graph()
    g.bind("ex", "http://example.org/")
    s = URIRef("https://w3id.org/cn-union-kg/id/person/王(一)")
    for i, text in enumerate(['say "hi"', "back\\slash", "two\nlines", 'ends with "', 'has """ quotes\n',
                              "tab\tand\rcr", "全角“引号”"]):
        g.add((s, URIRef(f"http://example.org/p{i}"), Literal(text, lang="zh")))
        g.add((s, URIRef("http://example.org/plain"), Literal(text)))
    g.add((s, URIRef("http://example.org/n"), Literal(7)))
    g.add((s, URIRef("http://example.org/n"), Literal(-3)))
    g.add((s, URIRef("http://example.org/d"), Literal(Decimal("0.9"), datatype=XSD.decimal)))
    g.add((s, URIRef("http://example.org/d"), Literal(Decimal("1"), datatype=XSD.decimal)))
    g.add((s, URIRef("http://example.org/y"), Literal("2024", datatype=XSD.gYear)))
    g.add((URIRef("http://example.org/o"), URIRef("http://example.org/ref"), s))
    text = turtle_bytes(g)
    assert set(rdflib.Graph().parse(data=text, format="turtle")) == set(g)
    assert len(list(pyoxigraph.parse(text, format=pyoxigraph.RdfFormat.TURTLE))) == len(g)


def test_unknown_format_is_refused(tmp_path):
    with pytest.raises(ValueError, match="format"):
        _build(tmp_path / "out", 1, fmt="xml")


def test_one_pass_character_tokenizer_matches_spacys():
    import random

    from spacy.util import get_words_and_spaces

    from kg.pipeline.chars import words_and_spaces

    texts = [p.read_text(encoding="utf-8") for p in sorted(SEEDS.glob("*.txt"))]
    rnd = random.Random(1)
    pieces = ["a", "中", "国", " ", "  ", "\n", "\u3000", "\t", "\u00a0", "\r\n", "x y", " \n ", "。"]
    texts += ["".join(rnd.choice(pieces) for _ in range(rnd.randint(0, 30))) for _ in range(2000)]
    for text in texts:
        assert words_and_spaces(text) == get_words_and_spaces(list(text), text), repr(text[:40])


def test_extraction_tasks_shrink_towards_the_end():
    """Full tasks while there is plenty left; the last ones a share of what is left, so two
    workers finish together; never above CHUNK_CHARS nor below LAST_CHUNK_CHARS."""
    full, last = stream_module.CHUNK_CHARS, stream_module.LAST_CHUNK_CHARS
    assert stream_module.chunk_chars(10 ** 9, 2) == full
    assert stream_module.chunk_chars(3 * 2 * 2 * full, 2) == full
    assert stream_module.chunk_chars(3 * 2 * 2 * 20_000, 2) == 20_000
    assert stream_module.chunk_chars(3 * 2 * 4 * 20_000, 4) == 20_000
    assert stream_module.chunk_chars(1000, 2) == last
    assert stream_module.chunk_chars(-5, 2) == last
    sizes = [stream_module.chunk_chars(left, 2) for left in range(2_000_000, 0, -50_000)]
    assert sizes == sorted(sizes, reverse=True) and sizes[0] == full and sizes[-1] == last


def test_a_build_sends_smaller_tasks_at_its_end(tmp_path, monkeypatch):
    from kg.bench import write_corpus

    write_corpus(60_000, tmp_path / "src")
    monkeypatch.setattr(stream_module, "CHUNK_CHARS", 15_000)
    monkeypatch.setattr(stream_module, "LAST_CHUNK_CHARS", 2_000)
    sizes = []
    real = stream_module.extract_chunk
    monkeypatch.setattr(stream_module, "extract_chunk",
                        lambda docs: sizes.append(sum(len(d.text) for d in docs)) or real(docs))
    kg.build(tmp_path / "src", tmp_path / "out", kg.Settings(jobs=1, progress=False), html=False)
    assert sizes[0] >= 15_000 and max(sizes[-3:]) < 10_000
    assert sum(sizes) == sum(len(p.read_text(encoding="utf-8")) for p in (tmp_path / "src").iterdir())


def test_identity_votes_count_every_mention_of_a_repeated_name():
    """The summary sends a name said twice in one document once, with its count; the class
    vote still counts both mentions (2 Enterprise + 1 Enterprise against 2 Institution)."""
    from kg.model import DocumentExtraction, Mention
    from kg.resolve import IdentityIndex, IdentityNames, identity_summary

    ids = IdentityNames()

    def doc(sha, *labels):
        mentions = tuple(Mention(10 * i, 10 * i + 6, label, "某某研究中心", "某某研究中心", "test")
                         for i, label in enumerate(labels))
        return DocumentExtraction(f"{sha}.txt", sha * 64, "utf-8", "", 100, (), mentions, ())

    first, second = doc("a", "Enterprise", "Enterprise", "Institution"), doc("b", "Institution", "Enterprise")
    summary = identity_summary(first, ids)
    assert [(row[0], row[-1]) for row in summary] == [("Enterprise", 2), ("Institution", 1)]
    index = IdentityIndex()
    index.add(("a" * 64, "a.txt"), summary)
    index.add(("b" * 64, "b.txt"), identity_summary(second, ids))
    (entity,) = index.entities(ids).entities.values()
    assert entity.label == "Enterprise" and entity.name == "某某研究中心"


def test_identity_index_is_the_same_whatever_order_documents_arrive():
    """Which mention comes first fixes the entity's order and the index files it by the
    document's name order, not by when its summary arrived (workers finish in any order)."""
    from kg.model import DocumentExtraction, Mention
    from kg.resolve import IdentityIndex, IdentityNames, identity_summary

    ids = IdentityNames()

    def doc(sha, *names):
        mentions = tuple(Mention(10 * i, 10 * i + len(n), "Enterprise", n, n, "test") for i, n in enumerate(names))
        return DocumentExtraction(f"{sha}.txt", sha * 64, "utf-8", "", 100, (), mentions, ())

    docs = [doc("a", "某某光学公司", "某某电机厂"), doc("b", "某某电机厂", "某某光学"), doc("c", "某某光学", "某某纺织厂")]
    tables = []
    for order in ([0, 1, 2], [2, 1, 0], [1, 2, 0]):
        index = IdentityIndex()
        for i in order:
            index.add((docs[i].sha256, docs[i].name), identity_summary(docs[i], ids))
        table = index.entities(ids)
        tables.append((list(table.entities.items()), sorted(table.key_of.items())))
    assert tables[0] == tables[1] == tables[2]
    assert [e.name for _, e in tables[0][0]] == ["某某光学公司", "某某电机厂", "某某纺织厂"]


def test_the_collector_leaves_the_loaded_pipeline_alone_during_a_build_only():
    """A build freezes what was alive when it started (the pipeline) out of the collector's
    generations and gives it back when it ends, also when it fails."""
    import gc

    from kg import stream
    from kg.cache import ExtractionCache
    from kg.parallel import LocalEngine
    from kg.read import list_sources
    from kg.sinks import NetworkSink

    seen = []

    class Watching(NetworkSink):
        def start(self):
            seen.append(gc.get_freeze_count())
            super().start()

    assert gc.get_freeze_count() == 0
    cache = ExtractionCache(None, kg.Settings().home_province)
    try:
        stream.run(list_sources(SEEDS), kg.Settings(progress=False), LocalEngine(1), cache, [Watching()])
        with pytest.raises(stream.NothingToBuild):
            stream.run([], kg.Settings(progress=False), LocalEngine(1), cache, [Watching()])
    finally:
        cache.close()
    assert seen and seen[0] > 10_000
    assert gc.get_freeze_count() == 0


def test_a_failed_two_job_build_leaves_no_pool_manager_to_wake_at_exit(monkeypatch):
    """A pool stopped by an error is waited for and forgotten: at exit CPython would otherwise
    wake its manager through a pipe being closed and print a traceback after the one-line error."""
    import concurrent.futures as cf
    import concurrent.futures.process as cfp

    from kg import parallel, stream
    from kg.cache import ExtractionCache
    from kg.read import list_sources
    from kg.sinks import NetworkSink

    managers = []

    class Recording(cf.ProcessPoolExecutor):
        def submit(self, *args, **kwargs):
            future = super().submit(*args, **kwargs)
            if self._executor_manager_thread not in managers:
                managers.append(self._executor_manager_thread)
            return future

    class FullDisk(NetworkSink):
        def absorb(self, part):
            raise OSError(28, "No space left on device")

    monkeypatch.setattr(parallel.cf, "ProcessPoolExecutor", Recording)
    cache = ExtractionCache(None, kg.Settings().home_province)
    try:
        with pytest.raises(OSError):
            stream.run(list_sources(SEEDS), kg.Settings(progress=False), parallel.LocalEngine(2), cache, [FullDisk()])
    finally:
        cache.close()
    extract_manager, emit_manager = managers
    assert not emit_manager.is_alive() and emit_manager not in cfp._threads_wakeups
