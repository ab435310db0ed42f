"""kg load: a built graph into a SPARQL 1.1 Graph Store endpoint (an Oxigraph server on 127.0.0.1), and what
happens when it goes wrong: nothing is sent for a bad file, a failure part-way leaves the target as it was,
silent and trickling servers time out, credentials are never echoed; named graphs are kept."""
from __future__ import annotations

import base64
import json
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pyoxigraph as ox
import pytest

from kg.load import STAGING_PREFIX, LoadError, load, plan, split_credentials, target_url, update_url
from tests.sparql_helpers import FailingProxy, FakeServer, free_port, oxigraph_server

KG_CMD = [sys.executable, "-m", "kg.cli"]
OWL = "http://www.w3.org/2002/07/owl#"
RDF = "http://www.w3.org/1999/02/22-rdf-syntax-ns#"
SMALL = "<urn:x:a> <urn:x:p> <urn:x:b> .\n<urn:x:b> <urn:x:p> <urn:x:c> .\n<urn:x:c> <urn:x:p> <urn:x:d> .\n"


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """An Oxigraph server of our own: its own port and folder, stopped after the module."""
    with oxigraph_server(tmp_path_factory.mktemp("oxigraph-load") / "db") as base:
        yield base


def _select(base: str, query: str) -> list[dict]:
    q = urllib.parse.urlencode({"query": query})
    req = urllib.request.Request(f"{base}/query?{q}", headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(req, timeout=30) as resp:
        return json.load(resp)["results"]["bindings"]


def _count(base: str, graph: str | None = None) -> int:
    where = f"GRAPH <{graph}> {{ ?s ?p ?o }}" if graph else "?s ?p ?o"
    return int(_select(base, f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}")[0]["n"]["value"])


def _staging_graphs(base: str) -> list[str]:
    rows = _select(base, "SELECT DISTINCT ?g WHERE { GRAPH ?g { ?s ?p ?o } }")
    return [r["g"]["value"] for r in rows if r["g"]["value"].startswith(STAGING_PREFIX)]


def _small_file(tmp_path: Path) -> Path:
    p = tmp_path / "small.nt"
    p.write_text(SMALL, encoding="utf-8")
    return p


# ---------------------------------------------------------------- loading

def test_load_turtle_in_chunks_then_count(server, seeds_build):
    ttl = seeds_build.outputs["graph.ttl"]
    report = load(ttl, f"{server}/store", chunk=1000)
    n = seeds_build.stats["triples"]
    assert report.triples == n and report.requests == -(-n // 1000) + 1, "the chunks, then one MOVE"
    assert _count(server) == n
    load(ttl, f"{server}/store", chunk=3000)          # loading again replaces, it does not double
    assert _count(server) == n
    assert _staging_graphs(server) == []


def test_cli_load_into_a_named_graph(server, seeds_build, tmp_path):
    import kg
    from tests.conftest import SEEDS

    kg.build(SEEDS, tmp_path / "nt", kg.Settings(progress=False), html=False, fmt="nt")
    graph = "http://example.org/union-news"
    proc = subprocess.run(KG_CMD + ["load", str(tmp_path / "nt" / "graph.nt"), "--endpoint", f"{server}/store",
                                    "--graph", graph, "--chunk", "2500"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    assert f"loaded {seeds_build.stats['triples']} triples" in proc.stdout
    assert _count(server, graph) == seeds_build.stats["triples"]


def test_append_adds(server, tmp_path):
    small = _small_file(tmp_path)
    more = tmp_path / "more.nt"
    more.write_text("<urn:x:d> <urn:x:p> <urn:x:e> .\n", encoding="utf-8")
    graph = "urn:x:append"
    load(small, f"{server}/store", graph)
    load(more, f"{server}/store", graph, append=True)
    assert _count(server, graph) == 4
    load(more, f"{server}/store", graph)
    assert _count(server, graph) == 1
    assert _staging_graphs(server) == []


def test_quad_files_keep_their_named_graphs_and_blank_nodes(server, seeds_ttl, tmp_path):
    """Each graph of an N-Quads/TriG export to its own target, the ontology's blank-node lists whole."""
    from kg.export import export

    for fmt in ("nq", "trig"):
        dataset = export(seeds_ttl, fmt, tmp_path / f"graph.{fmt}")[0]
        report = load(dataset, f"{server}/store", chunk=50)
        local = ox.Store()
        local.load(path=str(dataset), format=ox.RdfFormat.N_QUADS if fmt == "nq" else ox.RdfFormat.TRIG)
        expected = {g.value: len(list(local.quads_for_pattern(None, None, None, g))) for g in local.named_graphs()}
        assert len(expected) > 3 and {k: v for k, v in report.graphs.items()} == expected
        for g, n in expected.items():
            assert _count(server, g) == n, g
        lists = (f"SELECT (COUNT(*) AS ?n) WHERE {{ GRAPH ?g {{ ?c <{OWL}unionOf>/<{RDF}rest>*/<{RDF}first> ?m }} }}")
        here = int(_select(server, lists)[0]["n"]["value"])
        assert here > 10 and here == int(next(iter(local.query(lists)))["n"].value)


def test_graph_flattens_a_quad_file_on_purpose(server, seeds_ttl, tmp_path):
    from kg.export import export

    dataset = export(seeds_ttl, "nq", tmp_path / "graph.nq")[0]
    proc = subprocess.run(KG_CMD + ["load", str(dataset), "--endpoint", f"{server}/store", "--graph", "urn:x:flat",
                                    "--chunk", "700"], capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    distinct = {(str(q.subject), str(q.predicate), str(q.object))
                for q in ox.parse(path=str(dataset), format=ox.RdfFormat.N_QUADS)}
    assert _count(server, "urn:x:flat") == len(distinct)


def test_urls():
    assert target_url("http://h:7878/store", None) == "http://h:7878/store?default"
    assert target_url("http://h/ds/data?x=1", "http://g/1") == "http://h/ds/data?x=1&graph=http%3A%2F%2Fg%2F1"
    assert update_url("http://h:7878/store") == "http://h:7878/update"
    assert update_url("https://h/fuseki/ds/data") == "https://h/fuseki/ds/update"
    assert update_url("http://h/repositories/r/rdf-graphs/service", "http://h/repositories/r/statements") \
        == "http://h/repositories/r/statements"
    with pytest.raises(LoadError, match="--update-endpoint"):
        update_url("http://h/repositories/r/rdf-graphs/service")
    with pytest.raises(LoadError):
        target_url("ftp://h/store", None)
    e = split_credentials("http://someone:p%40ss@h:7878/store")
    assert (e.url, e.user, e.password) == ("http://h:7878/store", "someone", "p@ss")


# ---------------------------------------------------------------- failures

def test_unreachable_store_and_bad_file_are_clear_errors(tmp_path, seeds_build):
    port = free_port()
    with pytest.raises(LoadError, match="cannot reach"):
        load(seeds_build.outputs["graph.ttl"], f"http://127.0.0.1:{port}/store")
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> .", encoding="utf-8")
    proc = subprocess.run(KG_CMD + ["load", str(bad), "--endpoint", f"http://127.0.0.1:{port}/store"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode != 0 and "bad.ttl" in proc.stderr


def test_a_truncated_file_sends_nothing(server, seeds_ttl, tmp_path):
    text = seeds_ttl.read_text(encoding="utf-8")
    truncated = tmp_path / "truncated.ttl"
    truncated.write_text(text[: int(len(text) * 0.8)], encoding="utf-8")
    with FakeServer("record") as fake:
        with pytest.raises(LoadError, match=r"truncated\.ttl: not valid .*nothing was sent"):
            load(truncated, f"{fake.url}/store", chunk=500)
        assert fake.requests == []
    load(_small_file(tmp_path), f"{server}/store", "urn:x:truncated")
    proc = subprocess.run(KG_CMD + ["load", str(truncated), "--endpoint", f"{server}/store", "--graph",
                                    "urn:x:truncated", "--chunk", "500"], capture_output=True, text=True, timeout=120)
    assert proc.returncode == 2 and "nothing was sent" in proc.stderr   # unreadable input: exit 2
    assert _count(server, "urn:x:truncated") == 3


@pytest.mark.parametrize("fail_post", [3, "last"])
def test_a_failure_part_way_leaves_the_target_as_it_was(server, seeds_build, tmp_path, fail_post):
    """A 500 on the third chunk, or on the final MOVE: the target keeps its old triples, staging is dropped."""
    graph = f"urn:x:partial-{fail_post}"
    load(_small_file(tmp_path), f"{server}/store", graph)
    ttl = seeds_build.outputs["graph.ttl"]
    chunks = -(-seeds_build.stats["triples"] // 1000)
    with FailingProxy(server, chunks + 1 if fail_post == "last" else fail_post) as proxy:
        proc = subprocess.run(KG_CMD + ["load", str(ttl), "--endpoint", f"{proxy.url}/store", "--graph", graph,
                                        "--chunk", "1000"], capture_output=True, text=True, timeout=300)
        assert proc.returncode == 1
        assert "HTTP 500" in proc.stderr and "the target was not changed" in proc.stderr
        assert len(proc.stderr.strip().splitlines()) == 1
        assert any(method == "DELETE" for method, _ in proxy.seen)
    assert _count(server, graph) == 3
    assert _staging_graphs(server) == []


@pytest.mark.parametrize("mode", ["silent", "trickle"])
def test_a_silent_or_trickling_store_times_out(tmp_path, mode):
    with FakeServer(mode) as fake:
        started = time.monotonic()
        proc = subprocess.run(KG_CMD + ["load", str(_small_file(tmp_path)), "--endpoint", f"{fake.url}/store",
                                        "--timeout", "2"], capture_output=True, text=True, timeout=120)
        elapsed = time.monotonic() - started
    assert proc.returncode == 1
    assert "no answer within 2 s" in proc.stderr and "the target was not changed" in proc.stderr
    assert elapsed < 20, elapsed


def test_credentials_are_used_and_never_echoed(tmp_path):
    small = _small_file(tmp_path)
    port = free_port()
    proc = subprocess.run(KG_CMD + ["load", str(small), "--endpoint", f"http://someone:s3cret@127.0.0.1:{port}/store"],
                          capture_output=True, text=True, timeout=120)
    assert proc.returncode == 1 and "cannot reach" in proc.stderr
    assert "s3cret" not in proc.stderr + proc.stdout and "someone" not in proc.stderr + proc.stdout
    assert "kg: warning:" in proc.stderr and "plain http" in proc.stderr
    with FakeServer("record") as fake:
        env = {"KG_LOAD_PASSWORD": "t0ps3cret", "PATH": "/usr/bin:/bin"}
        proc = subprocess.run(KG_CMD + ["load", str(small), "--endpoint", f"{fake.url}/store", "--user", "someone"],
                              capture_output=True, text=True, timeout=120, env=env)
        assert proc.returncode == 0, proc.stderr
        assert "t0ps3cret" not in proc.stderr + proc.stdout and "someone" not in proc.stderr + proc.stdout
        assert "plain http" in proc.stderr
        token = base64.b64encode(b"someone:t0ps3cret")
        assert fake.requests and all(b"Authorization: Basic " + token in head for head, _ in fake.requests)
        assert [head.split(b"\r\n")[0].split(b" ")[1].split(b"?")[0] for head, _ in fake.requests] == [b"/store", b"/update"]


def test_plan_reads_the_whole_file(tmp_path):
    p = tmp_path / "g.nq"
    p.write_text("<urn:x:a> <urn:x:p> <urn:x:b> <urn:x:g1> .\n<urn:x:a> <urn:x:p> <urn:x:c> .\n", encoding="utf-8")
    assert plan(p) == {"urn:x:g1": 1, None: 1}
    assert plan(p, "urn:x:all") == {"urn:x:all": 2}
