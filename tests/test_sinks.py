"""One stream, many sinks: every sink gets the same graph from one pass, and the page is drawn
from the stream, not from the written file."""
from __future__ import annotations

import pyoxigraph
import pytest
import rdflib

import kg
from kg import render, stream
from kg.cache import ExtractionCache
from kg.network import to_networkx
from kg.parallel import LocalEngine
from kg.rdf import TURTLE_PREFIXES, new_graph
from kg.read import list_sources
from kg.serialize import nt_line
from kg.sinks import GraphSink, LineSink, NetworkSink, OxigraphSink, TurtleSink
from tests.conftest import SEEDS


def _same_network(a, b) -> None:
    assert list(a.nodes) == list(b.nodes)
    assert all(a.nodes[n] == b.nodes[n] for n in a.nodes)
    assert list(a.edges(keys=True, data=True)) == list(b.edges(keys=True, data=True))
    assert a.graph == b.graph


@pytest.fixture(scope="module")
def one_pass(tmp_path_factory):
    """The seeds streamed once, with two jobs, into five sinks at the same time."""
    out = tmp_path_factory.mktemp("sinks")
    settings = kg.Settings(progress=False)
    base = settings.base_iri
    sinks = {"graph": GraphSink(new_graph(base)), "store": OxigraphSink(),
             "turtle": TurtleSink(out / "graph.ttl", TURTLE_PREFIXES, base), "nt": LineSink(out / "graph.nt", base),
             "network": NetworkSink()}
    cache = ExtractionCache(None, settings.home_province)
    try:
        result = stream.run(list_sources(SEEDS), settings, LocalEngine(2), cache, list(sinks.values()))
    finally:
        cache.close()
    return sinks, result, out


def test_every_sink_holds_the_same_triples(one_pass):
    sinks, result, out = one_pass
    graph = sinks["graph"].graph
    lines = {nt_line(t) for t in graph}
    assert len(lines) == len(graph) == result.stats["triples"] > 5000
    stored = {f"{q.subject} {q.predicate} {q.object} .\n" for q in sinks["store"].store}
    assert stored == lines
    assert set((out / "graph.nt").read_text(encoding="utf-8").splitlines(keepends=True)) == lines
    assert set(rdflib.Graph().parse(out / "graph.ttl", format="turtle")) == set(graph)
    oxi = {f"{t.subject} {t.predicate} {t.object} .\n" for t in pyoxigraph.parse(path=str(out / "graph.ttl"))}
    assert oxi == lines
    assert {s.triples for s in sinks.values() if s.triples is not None} == {len(graph)}


def test_the_network_sink_gives_the_graph_to_networkx_reads_from_the_rdf(one_pass):
    sinks, _, _ = one_pass
    drawn, read = sinks["network"].graph, to_networkx(sinks["graph"].graph)
    assert drawn.number_of_nodes() > 100 and drawn.number_of_edges() > 50
    assert sum(len(d["mentions"]) for _, d in drawn.nodes(data=True)) > 100
    _same_network(drawn, read)


def test_build_graph_is_the_stream_into_a_graph_sink_whatever_the_jobs(one_pass):
    sinks, _, _ = one_pass
    expected = set(sinks["graph"].graph)
    assert set(kg.build_graph(SEEDS, kg.Settings(progress=False)).graph) == expected
    assert set(kg.build_graph(SEEDS, kg.Settings(progress=False, jobs=2)).graph) == expected


def test_the_page_of_a_build_is_drawn_from_the_stream_and_reads_no_file_back(tmp_path, monkeypatch):
    def no_parsing(*args, **kwargs):
        raise AssertionError("the build parsed RDF back")

    monkeypatch.setattr(rdflib.Graph, "parse", no_parsing)
    monkeypatch.setattr(pyoxigraph.Store, "load", no_parsing)
    result = kg.build(SEEDS, tmp_path / "out", kg.Settings(progress=False))
    monkeypatch.undo()
    page = result.outputs["graph.html"].read_text(encoding="utf-8")
    parsed = rdflib.Graph().parse(result.outputs["graph.ttl"], format="turtle")
    assert page == render.render_page(to_networkx(parsed))


def test_network_of_a_graph_with_the_ontology_takes_its_chinese_names(one_pass):
    from kg.resources import ontology_file

    sinks, _, _ = one_pass
    with_onto = rdflib.Graph()
    for t in sinks["graph"].graph:
        with_onto.add(t)
    with_onto.add((rdflib.URIRef(kg.namespaces.KG.Person), rdflib.RDFS.label, rdflib.Literal("个人", lang="zh")))
    classes, relations = render._ontology_labels()
    labels = to_networkx(with_onto).graph["class_labels"]
    assert labels["Person"] == "个人" != classes["Person"] and labels["Place"] == classes["Place"]
    onto = rdflib.Graph().parse(ontology_file("kg.ttl"))
    assert to_networkx(onto).graph["relation_labels"] == relations
