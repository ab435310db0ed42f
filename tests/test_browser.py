"""The interactive page in a real browser: Debian's headless Chromium driven by playwright, network blocked.

playwright rather than selenium: it routes every request through the test
(so each one outside the page file is recorded and aborted), reports
console messages, page errors and dialogs as events, and waits on page
state; selenium would need extra CDP plumbing for the first three. The
browser is the system one (/usr/bin/chromium, installed by
scripts/test-deps.sh); playwright's own browser download is never used.
"""
from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path

import pytest
from rdflib import RDF, Graph

from kg import render
from kg.model import ENTITY_TYPES, RELATIONS
from kg.namespaces import KG
from tests.render_fixtures import IMG, SCRIPT, injection_graph, synthetic_graph

CHROMIUM = Path("/usr/bin/chromium")
ROOT = Path(__file__).resolve().parent.parent
ARTIFACTS = ROOT / "test-artifacts"
ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
        "--disable-background-networking", "--disable-component-update", "--disable-sync"]

pytestmark = pytest.mark.skipif(not CHROMIUM.exists(),
                                reason="Debian's chromium is not installed at /usr/bin/chromium (scripts/test-deps.sh installs it)")


@pytest.fixture(scope="module")
def browser(tmp_path_factory):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as p:
        context = p.chromium.launch_persistent_context(
            str(tmp_path_factory.mktemp("chromium-profile")), executable_path=str(CHROMIUM), headless=True,
            args=ARGS, viewport={"width": 1400, "height": 900}, service_workers="block")
        yield context
        context.close()


@dataclass
class Opened:
    page: object
    url: str
    console_errors: list = field(default_factory=list)
    outside_requests: list = field(default_factory=list)
    requests: list = field(default_factory=list)
    dialogs: list = field(default_factory=list)
    seconds: float = 0.0

    def js(self, expression, arg=None):
        return self.page.evaluate(expression, arg)

    def assert_clean(self):
        assert self.console_errors == []
        assert self.outside_requests == []
        assert set(self.requests) == {self.url}
        assert self.dialogs == []


def open_page(browser, path: Path, timeout_ms: int = 60_000) -> Opened:
    page = browser.new_page()
    opened = Opened(page, path.resolve().as_uri())

    def route(r):
        if r.request.url.startswith("file:"):
            r.continue_()
        else:
            opened.outside_requests.append(r.request.url)
            r.abort()

    page.route("**/*", route)
    page.on("request", lambda r: opened.requests.append(r.url))
    page.on("console", lambda m: m.type == "error" and opened.console_errors.append(m.text))
    page.on("pageerror", lambda e: opened.console_errors.append(str(e)))
    page.on("websocket", lambda w: opened.outside_requests.append(w.url))

    def dialog(d):
        opened.dialogs.append(d.message)
        d.dismiss()

    page.on("dialog", dialog)
    started = time.perf_counter()
    page.goto(opened.url)
    page.wait_for_function("window.kgPage && window.kgPage.ready === true", timeout=timeout_ms)
    opened.seconds = time.perf_counter() - started
    return opened


@pytest.fixture
def seeds_page(browser, seeds_build):
    opened = open_page(browser, seeds_build.outputs["graph.html"])
    yield opened
    opened.page.close()


@pytest.fixture(scope="module")
def seeds_rdf(seeds_ttl) -> Graph:
    return Graph().parse(seeds_ttl, format="turtle")


def node_index(opened: Opened, label: str) -> int:
    return opened.js("(label) => kgPage.data.nodes.findIndex((n) => n.label === label)", label)


def click_canvas(opened: Opened, point: dict) -> None:
    box = opened.page.locator("#network canvas").bounding_box()
    opened.page.mouse.click(box["x"] + point["x"], box["y"] + point["y"])


def choose_by_search(opened: Opened, text: str) -> int:
    box = opened.page.locator("#search")
    box.fill(text)
    box.press("Enter")
    opened.page.wait_for_function("kgPage.selected() !== null")
    opened.page.wait_for_timeout(600)
    return opened.js("kgPage.selected().id")


def test_seeds_page_loads_offline_with_the_whole_graph(seeds_page, seeds_rdf):
    seeds_page.assert_clean()
    entities = {s for t in ENTITY_TYPES for s in seeds_rdf.subjects(RDF.type, KG[t])}
    triples = {(s, rel, o) for rel in RELATIONS for s, o in seeds_rdf.subject_objects(KG[rel])
               if s in entities and o in entities}
    counts = seeds_page.js("""[kgPage.nodes.length, kgPage.edges.length,
        Object.keys(kgPage.network.body.nodes).length, Object.keys(kgPage.network.body.edges).length,
        kgPage.visibleNodeIds().length, kgPage.visibleEdgeIds().length]""")
    assert counts == [len(entities), len(triples)] * 3
    assert seeds_page.page.locator("#counts").inner_text() == f"实体 {len(entities)} / {len(entities)} · 关系 {len(triples)} / {len(triples)}"
    assert seeds_page.js("kgPage.network.physics.options.enabled") is False, "physics stops once stabilised"
    print(f"\nseeds page ({len(entities)} nodes, {len(triples)} edges) ready in {seeds_page.seconds:.2f} s")


def test_search_by_name_and_alias_focuses_the_node(seeds_page, seeds_build):
    chosen = choose_by_search(seeds_page, "钟松梅")
    assert chosen == node_index(seeds_page, "钟松梅")
    assert seeds_page.js("kgPage.network.getSelectedNodes()") == [chosen]
    seeds_page.page.wait_for_function("""(i) => { const c = kgPage.network.getViewPosition(),
        p = kgPage.network.getPosition(i); return Math.abs(c.x - p.x) < 5 && Math.abs(c.y - p.y) < 5; }""",
        arg=chosen, timeout=10_000)
    assert seeds_page.page.locator("#panel h2").inner_text() == "钟松梅"
    alias, label = seeds_page.js("""(() => { const n = kgPage.data.nodes.find((n) => n.aliases.some((a) =>
        kgPage.data.nodes.every((m) => m.label !== a))); return [n.aliases.find((a) =>
        kgPage.data.nodes.every((m) => m.label !== a)), n.label]; })()""")
    assert seeds_page.js("(i) => kgPage.data.nodes[i].label", choose_by_search(seeds_page, alias)) == label
    seeds_page.assert_clean()


def test_class_filter_hides_that_class(seeds_page):
    persons = seeds_page.js("kgPage.data.nodes.filter((n) => kgPage.data.classes[n.cls].id === 'Person').length")
    total = seeds_page.js("kgPage.data.nodes.length")
    assert persons > 0
    seeds_page.page.locator('input[data-class="Person"]').uncheck()
    visible = seeds_page.js("kgPage.visibleNodeIds().map((i) => kgPage.data.classes[kgPage.data.nodes[i].cls].id)")
    assert "Person" not in visible and len(visible) == total - persons
    hidden_in_vis = seeds_page.js("""Object.values(kgPage.network.body.nodes)
        .filter((n) => n.options.hidden).length""")
    assert hidden_in_vis == persons
    assert seeds_page.js("""kgPage.visibleEdgeIds().every((j) => { const e = kgPage.data.edges[j];
        return [e.from, e.to].every((i) => kgPage.data.classes[kgPage.data.nodes[i].cls].id !== 'Person'); })""")
    seeds_page.page.locator('input[data-relation="locatedIn"]').uncheck()
    assert seeds_page.js("""kgPage.visibleEdgeIds().every((j) =>
        kgPage.data.relations[kgPage.data.edges[j].rel].id !== 'locatedIn')""")
    seeds_page.page.locator('input[data-class="Person"]').check()
    seeds_page.page.locator('input[data-relation="locatedIn"]').check()
    assert seeds_page.js("kgPage.visibleNodeIds().length") == total
    seeds_page.assert_clean()


def test_node_click_shows_class_aliases_relations_and_evidence_from_the_rdf(seeds_page, seeds_rdf):
    target = node_index(seeds_page, "钟松梅")
    seeds_page.js("(i) => kgPage.network.focus(i, {scale: 1.5})", target)
    point = seeds_page.js("(i) => kgPage.domPosition(i)", target)
    assert seeds_page.js("(p) => kgPage.network.getNodeAt(p)", point) == target
    click_canvas(seeds_page, point)
    seeds_page.page.wait_for_selector("#panel:not([hidden])")
    assert seeds_page.js("kgPage.selected()") == {"kind": "node", "id": target}
    panel = seeds_page.page.locator("#panel")
    assert panel.locator("h2").inner_text() == "钟松梅" and "人物" in panel.inner_text()
    assert "获得荣誉" in panel.locator("#panel-relations").inner_text()
    assert "全国劳动模范" in panel.locator("#panel-relations").inner_text()
    quotes = panel.locator("#panel-evidence blockquote").all_inner_texts()
    rdf_sentences = {str(t) for t in seeds_rdf.objects(None, KG.text)}
    assert quotes and all(q in rdf_sentences for q in quotes)
    assert any("钟松梅" in q for q in quotes)
    files = {str(f) for f in seeds_rdf.objects(None, KG.fileName)}
    assert any(f in panel.locator("#panel-evidence").inner_text() for f in files)
    assert panel.locator("#panel-evidence mark").count() >= len(quotes)
    ARTIFACTS.mkdir(exist_ok=True)
    seeds_page.js("kgPage.network.fit()")
    seeds_page.page.wait_for_timeout(300)
    seeds_page.page.screenshot(path=str(ARTIFACTS / "seeds-graph.png"))
    seeds_page.assert_clean()


def test_edge_click_shows_its_evidence(seeds_page, seeds_rdf):
    edge = seeds_page.js("""kgPage.data.edges.findIndex((e) => e.lane === 0 && e.from !== e.to &&
        kgPage.data.nodes[e.from].label === '钟松梅' && kgPage.data.relations[e.rel].id === 'receivedAward')""")
    assert edge >= 0
    seeds_page.js("""(j) => { const e = kgPage.data.edges[j]; const a = kgPage.network.getPosition(e.from),
        b = kgPage.network.getPosition(e.to); kgPage.network.moveTo({position: {x: (a.x + b.x) / 2, y: (a.y + b.y) / 2},
        scale: 1.2}); }""", edge)
    seeds_page.page.wait_for_timeout(100)
    point = seeds_page.js("""(j) => { const nw = kgPage.network, e = kgPage.data.edges[j];
        const a = nw.getPosition(e.from), b = nw.getPosition(e.to);
        for (const t of [0.5, 0.4, 0.6, 0.3, 0.7, 0.25, 0.75]) {
          const p = nw.canvasToDOM({x: a.x + t * (b.x - a.x), y: a.y + t * (b.y - a.y)});
          if (nw.getNodeAt(p) === undefined && nw.getEdgeAt(p) === j) return p;
        }
        return null; }""", edge)
    assert point is not None, "no point of the edge is clear of other nodes and edges"
    click_canvas(seeds_page, point)
    seeds_page.page.wait_for_selector("#panel:not([hidden])")
    assert seeds_page.js("kgPage.selected()") == {"kind": "edge", "id": edge}
    quotes = seeds_page.page.locator("#panel-evidence blockquote").all_inner_texts()
    expected = set()
    for st in seeds_rdf.subjects(RDF.predicate, KG.receivedAward):
        if str(seeds_rdf.value(st, RDF.subject)).endswith("/钟松梅"):
            expected.add(str(seeds_rdf.value(seeds_rdf.value(st, KG.sentence), KG.text)))
    assert quotes and set(quotes) <= expected
    seeds_page.assert_clean()


def test_neighbourhood_view(seeds_page, seeds_build):
    from kg.render import select, to_networkx

    choose_by_search(seeds_page, "钟松梅")
    g = to_networkx(seeds_build.graph)
    for depth, label in ((1, "邻域 · 1 层"), (2, "邻域 · 2 层")):
        seeds_page.page.get_by_role("button", name=label).click()
        labels = seeds_page.js("kgPage.visibleNodeIds().map((i) => kgPage.data.nodes[i].label)")
        expected = {g.nodes[n]["label"] for n in select(g, focus=["钟松梅"], depth=depth).nodes}
        assert set(labels) == expected
        assert seeds_page.page.locator("#hood-status").is_visible()
    seeds_page.page.get_by_role("button", name="显示全部").click()
    assert seeds_page.js("kgPage.visibleNodeIds().length") == g.number_of_nodes()
    seeds_page.assert_clean()


def test_injected_markup_shows_as_text_and_runs_nothing(browser, tmp_path):
    path = tmp_path / "evil.html"
    render.render_html(render.to_networkx(injection_graph()), path, title=f"标题{SCRIPT}")
    opened = open_page(browser, path)
    page = opened.page
    assert page.title() == f"标题{SCRIPT}"
    choose_by_search(opened, "<script>")
    panel = page.locator("#panel")
    assert panel.locator("h2").inner_text() == SCRIPT
    assert IMG in panel.inner_text() and f"{IMG}.txt" in panel.inner_text()
    assert any(SCRIPT in q for q in panel.locator("#panel-evidence blockquote").all_inner_texts())
    page.locator("#panel-relations li", has_text="任职于").locator("a", has_text="证据").click()
    assert "rule" + IMG in panel.inner_text()
    page.locator("#search").fill("img src")
    assert IMG in page.locator("#search-results").inner_text()
    assert page.evaluate("document.querySelectorAll('img, iframe, object, embed').length") == 0
    assert page.evaluate("document.scripts.length") == 3
    page.wait_for_timeout(300)
    opened.assert_clean()
    page.close()


def test_five_thousand_nodes_become_interactive(browser, tmp_path):
    started = time.perf_counter()
    g = render.to_networkx(synthetic_graph(5000, 10000))
    path = tmp_path / "large.html"
    render.render_html(g, path)
    built = time.perf_counter() - started
    opened = open_page(browser, path, timeout_ms=120_000)
    counts = opened.js("[kgPage.nodes.length, kgPage.edges.length, Object.keys(kgPage.network.body.nodes).length]")
    assert counts == [5000, 10000, 5000]
    assert opened.js("kgPage.network.physics.options.enabled") is False
    t0 = time.perf_counter()
    chosen = choose_by_search(opened, "实体4321号")
    searched = time.perf_counter() - t0 - 0.6
    assert opened.js("(i) => kgPage.data.nodes[i].label", chosen) == "实体4321号"
    t0 = time.perf_counter()
    opened.page.locator('input[data-class="Place"]').uncheck()
    opened.js("new Promise((ok) => requestAnimationFrame(() => requestAnimationFrame(ok)))")
    filtered = time.perf_counter() - t0
    print(f"\n5,000 nodes / 10,000 edges: page built in {built:.1f} s ({path.stat().st_size / 1e6:.1f} MB); "
          f"interactive {opened.seconds:.2f} s after navigation (in-page {opened.js('kgPage.readyMs')} ms); "
          f"search-and-focus {searched:.2f} s; class filter {filtered:.2f} s")
    assert opened.seconds < 60
    opened.assert_clean()
    opened.page.close()
