"""A graph too big for one interactive page gets the overview page: every entity searchable, the most
connected listed, each entity's relations; drawn in the build from a network without evidence."""
from __future__ import annotations

import json
import os
import re
from pathlib import Path

import pytest
import rdflib

import kg
from kg import render
from kg.cache import ExtractionCache
from kg.network import to_networkx
from kg.parallel import LocalEngine
from kg.read import list_sources
from kg.sinks import HtmlSink
from kg import stream
from tests.conftest import SEEDS

CHROMIUM = Path("/usr/bin/chromium")
LIMIT = 50


@pytest.fixture
def small_limit(monkeypatch):
    monkeypatch.setattr(render, "PAGE_MAX_ENTITIES", LIMIT)
    monkeypatch.setattr(render, "OVERVIEW_TOP", 20)


def _data(page: str) -> dict:
    found = re.search(r'<script type="application/json" id="kg-data">(.*?)</script>', page, re.S)
    return json.loads(found.group(1))


@pytest.fixture
def overview_build(tmp_path, small_limit):
    result = kg.build(SEEDS, tmp_path / "two", kg.Settings(progress=False, jobs=2))
    return result, result.outputs["graph.html"].read_text(encoding="utf-8")


def test_a_build_over_the_limit_writes_the_overview_of_its_graph(tmp_path, overview_build):
    result, page = overview_build
    parsed = rdflib.Graph().parse(result.outputs["graph.ttl"], format="turtle")
    full = to_networkx(parsed)
    assert full.number_of_nodes() > LIMIT
    assert page == render.render_overview(full)  # what kg render writes for the same graph
    one = kg.build(SEEDS, tmp_path / "one", kg.Settings(progress=False, jobs=1))
    assert one.outputs["graph.html"].read_bytes() == page.encode("utf-8")
    assert "vis-network" not in page and "kgPage" not in page
    assert len(page) < len(render.render_page(full)) / 3


def test_the_overview_holds_every_entity_and_relation_and_the_most_connected(overview_build):
    result, page = overview_build
    parsed = rdflib.Graph().parse(result.outputs["graph.ttl"], format="turtle")
    data = _data(page)
    labels = {str(s): str(o) for s, o in parsed.subject_objects(rdflib.RDFS.label)
              if (s, rdflib.RDF.type, None) in parsed and str(s).startswith(kg.Settings().base_iri)}
    assert dict(zip(data["iris"], data["names"])) == labels
    relations = {r["id"] for r in data["relations"]}
    kg_ns = kg.namespaces.ONTOLOGY_IRI + "#"
    stated = {(str(s), str(p)[len(kg_ns):], str(o)) for s, p, o in parsed
              if str(p).startswith(kg_ns) and str(p)[len(kg_ns):] in relations and str(o) in labels}
    edges = data["edges"]
    drawn = {(data["iris"][edges[k]], data["relations"][edges[k + 1]]["id"], data["iris"][edges[k + 2]])
             for k in range(0, len(edges), 3)}
    assert drawn == stated and len(drawn) == len(edges) // 3
    degree = {iri: 0 for iri in labels}
    for s, _, o in stated:
        degree[s] += 1
        degree[o] += 1
    assert [degree[data["iris"][i]] for i in data["top"]] == sorted(degree.values(), reverse=True)[:20]
    mentions = {}
    for _, e in parsed.subject_objects(rdflib.URIRef(kg_ns + "mentionOf")):
        mentions[str(e)] = mentions.get(str(e), 0) + 1
    assert dict(zip(data["iris"], data["mentions"])) == {iri: mentions.get(iri, 0) for iri in labels}


def test_the_build_keeps_no_evidence_for_an_overview(small_limit):
    sink = HtmlSink("unused.html")
    cache = ExtractionCache(None, kg.Settings().home_province)
    sink.close = lambda: setattr(sink, "graph", sink.builder.graph())  # keep the network, write no page
    try:
        stream.run(list_sources(SEEDS), kg.Settings(progress=False), LocalEngine(2), cache, [sink])
    finally:
        cache.close()
    assert sink.overview
    g = sink.graph
    assert g.graph["sentences"] == {} and g.graph["documents"] == {}
    assert all(d["mentions"] == [] for _, d in g.nodes(data=True))
    assert all(d["evidence"] == [] for *_, d in g.edges(data=True))
    assert sum(d.get("mention_count", 0) for _, d in g.nodes(data=True)) > 500


def test_render_html_switches_to_the_overview_above_the_limit(tmp_path, seeds_ttl, monkeypatch):
    g = to_networkx(rdflib.Graph().parse(seeds_ttl, format="turtle"))
    render.render_html(g, tmp_path / "page.html")
    assert "vis-network" in (tmp_path / "page.html").read_text(encoding="utf-8")
    monkeypatch.setattr(render, "PAGE_MAX_ENTITIES", g.number_of_nodes() - 1)
    render.render_html(g, tmp_path / "page.html")
    assert (tmp_path / "page.html").read_text(encoding="utf-8") == render.render_overview(g)


def test_markup_in_names_stays_data_in_the_overview():
    from tests.render_fixtures import SCRIPT, injection_graph

    page = render.render_overview(to_networkx(injection_graph()))
    assert SCRIPT not in page and "<img" not in page.split('id="kg-data">', 1)[1]
    assert SCRIPT in _data(page)["names"] + [a for names in _data(page)["aliases"] for a in names]


@pytest.mark.skipif(not CHROMIUM.exists() and not os.environ.get("CI"),
                    reason="Debian's chromium is not installed at /usr/bin/chromium (scripts/test-deps.sh installs it)")
def test_the_overview_in_a_browser_finds_any_entity_and_lists_its_relations(overview_build, tmp_path):
    from playwright.sync_api import sync_playwright

    result, page_text = overview_build
    data = _data(page_text)
    degree = data["deg"]
    hidden = [i for i in range(len(data["names"])) if i not in data["top"] and degree[i] > 0]
    target = min(hidden, key=lambda i: (-degree[i], data["names"][i]))
    name = data["names"][target]
    with sync_playwright() as p:
        browser = p.chromium.launch(executable_path=str(CHROMIUM), headless=True,
                                    args=["--no-sandbox", "--disable-gpu"])
        try:
            page = browser.new_page()
            errors, outside = [], []
            page.on("pageerror", lambda e: errors.append(str(e)))
            page.on("console", lambda m: m.type == "error" and errors.append(m.text))
            page.route("**/*", lambda r: r.continue_() if r.request.url.startswith("file:")
                       else (outside.append(r.request.url), r.abort()))
            page.goto(result.outputs["graph.html"].resolve().as_uri())
            assert page.locator("#top tbody tr").count() == 20
            page.fill("#search", name)
            page.press("#search", "Enter")
            page.wait_for_selector("#panel:not([hidden])")
            assert page.locator("#results tbody tr").count() >= 1
            assert page.locator("#panel h2 bdi").first.text_content() == data["names"][
                int(page.locator("#panel").get_attribute("data-index"))]
            page.locator(f'#results button[data-index="{target}"]').click()
            panel = page.locator("#panel")
            assert panel.get_attribute("data-index") == str(target)
            shown = set(panel.locator("li button.entity").evaluate_all("bs => bs.map(b => +b.dataset.index)"))
            edges = data["edges"]
            neighbours = {edges[k + 2] for k in range(0, len(edges), 3) if edges[k] == target} | \
                         {edges[k] for k in range(0, len(edges), 3) if edges[k + 2] == target}
            assert shown == neighbours and len(shown) == min(degree[target], len(shown)) > 0
            neighbour = next(iter(sorted(neighbours)))
            panel.locator(f'li button[data-index="{neighbour}"]').first.click()
            assert page.locator("#panel").get_attribute("data-index") == str(neighbour)
            assert errors == [] and outside == []
        finally:
            browser.close()
