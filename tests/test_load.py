"""kg load: a built graph into a SPARQL 1.1 Graph Store endpoint (an Oxigraph server on 127.0.0.1)."""
from __future__ import annotations

import json
import socket
import subprocess
import sys
import time
import urllib.parse
import urllib.request
from pathlib import Path

import pytest

from kg.load import LoadError, load, target_url
from tests.sparql_helpers import free_port as _free_port, oxigraph_binary as _oxigraph

KG_CMD = [sys.executable, "-m", "kg.cli"]


@pytest.fixture(scope="module")
def server(tmp_path_factory):
    """An Oxigraph server of our own: its own port and folder, stopped after the module."""
    port = _free_port()
    folder = tmp_path_factory.mktemp("oxigraph-load")
    proc = subprocess.Popen([_oxigraph(), "serve", "--location", str(folder / "db"), "--bind", f"127.0.0.1:{port}"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    base = f"http://127.0.0.1:{port}"
    deadline = time.monotonic() + 30
    while True:
        try:
            with socket.create_connection(("127.0.0.1", port), timeout=1):
                break
        except OSError:
            if proc.poll() is not None or time.monotonic() > deadline:
                proc.kill()
                pytest.fail(f"oxigraph server did not start: {proc.stderr.read().decode(errors='replace')}")
            time.sleep(0.2)
    yield base
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


def _count(base: str, graph: str | None = None) -> int:
    where = f"GRAPH <{graph}> {{ ?s ?p ?o }}" if graph else "?s ?p ?o"
    q = urllib.parse.urlencode({"query": f"SELECT (COUNT(*) AS ?n) WHERE {{ {where} }}"})
    req = urllib.request.Request(f"{base}/query?{q}", headers={"Accept": "application/sparql-results+json"})
    with urllib.request.urlopen(req, timeout=30) as resp:
        return int(json.load(resp)["results"]["bindings"][0]["n"]["value"])


def test_load_turtle_in_chunks_then_count(server, seeds_build):
    ttl = seeds_build.outputs["graph.ttl"]
    report = load(ttl, f"{server}/store", chunk=1000)
    n = seeds_build.stats["triples"]
    assert report.triples == n and report.requests == -(-n // 1000)
    assert _count(server) == n
    load(ttl, f"{server}/store", chunk=3000)          # loading again replaces, it does not double
    assert _count(server) == n


def test_cli_load_into_a_named_graph(server, seeds_build, tmp_path):
    import kg
    from tests.conftest import SEEDS

    kg.build(SEEDS, tmp_path / "nt", kg.Settings(progress=False), html=False, fmt="nt")
    graph = "http://example.org/union-news"
    proc = subprocess.run(KG_CMD + ["load", str(tmp_path / "nt" / "graph.nt"), "--endpoint", f"{server}/store",
                                    "--graph", graph, "--chunk", "2500"], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    assert f"loaded {seeds_build.stats['triples']} triples" in proc.stdout
    assert _count(server, graph) == seeds_build.stats["triples"]


def test_target_urls():
    assert target_url("http://h:7878/store", None) == "http://h:7878/store?default"
    assert target_url("http://h/ds/data?x=1", "http://g/1") == "http://h/ds/data?x=1&graph=http%3A%2F%2Fg%2F1"
    with pytest.raises(LoadError):
        target_url("ftp://h/store", None)


def test_unreachable_store_and_bad_file_are_clear_errors(tmp_path, seeds_build):
    port = _free_port()
    with pytest.raises(LoadError, match="cannot reach"):
        load(seeds_build.outputs["graph.ttl"], f"http://127.0.0.1:{port}/store")
    bad = tmp_path / "bad.ttl"
    bad.write_text("<a> <b> .", encoding="utf-8")
    proc = subprocess.run(KG_CMD + ["load", str(bad), "--endpoint", f"http://127.0.0.1:{port}/store"],
                          capture_output=True, text=True)
    assert proc.returncode != 0 and "bad.ttl" in proc.stderr
