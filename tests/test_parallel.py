"""Parallel and streaming builds give the graph a plain one-process build gives, byte for byte."""
from __future__ import annotations

import json
from decimal import Decimal

import pytest
import rdflib
from rdflib import XSD, Literal, URIRef

import kg
from kg.serialize import turtle_bytes
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


def test_streaming_build_is_what_rdflib_writes_for_the_in_memory_graph(tmp_path, small_chunks):
    """The block-by-block Turtle is rdflib's serialisation of kg.build_graph's graph, byte for byte."""
    reference = kg.build_graph(SEEDS, kg.Settings(progress=False))
    built = _build(tmp_path / "out", 2)
    assert (tmp_path / "out" / "graph.ttl").read_bytes() == reference.graph.serialize(format="turtle",
                                                                                      encoding="utf-8")
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


def test_fast_turtle_writer_matches_rdflib_on_awkward_literals():
    g = rdflib.Graph()
    g.bind("ex", "http://example.org/")  # unbound predicate namespaces get ns1, ns2 … in rdflib's hash order
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
    assert turtle_bytes(g) == g.serialize(format="turtle", encoding="utf-8")


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
