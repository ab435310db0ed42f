"""kg serve, started as a user starts it and queried with SPARQLWrapper and plain HTTP: the same
rows as kg query, standard media types, CORS, read-only, a timeout and a size cap that leave it up."""
from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
import time
import urllib.parse
from pathlib import Path

import psutil
import pytest
import rdflib
from SPARQLWrapper import CSV, JSON, TSV, TURTLE, XML, SPARQLWrapper

from kg.query import bind_params, run_query, saved_queries
from kg.serve import parse_accept

from .sparql_helpers import canonical, http, kg_server, sparqlwrapper_rows

PARAMS = {"honours": {"name": "钟松梅"}, "evidence": {"subject": "钟松梅"}, "coworkers": {"employer": "江铃"},
          "organisations-in-place": {"place": "江西"}, "about": {"name": "曾祥宗"}}
CROSS_PRODUCT = "SELECT (COUNT(*) AS ?n) WHERE { ?a ?b ?c . ?d ?e ?f . ?g ?h ?i }"


@pytest.fixture(scope="module")
def server(seeds_ttl):
    with kg_server(seeds_ttl, "--timeout", "3", "--max-result-mb", "0.5", "--workers", "2") as (url, proc):
        yield url, proc


def test_saved_queries_give_the_rows_of_kg_query(server, seeds_ttl):
    url, _ = server
    for name, sq in saved_queries().items():
        for params in ({}, PARAMS.get(name, {})):
            text = bind_params(sq.text, params)
            mine = run_query(seeds_ttl, text)
            for method in ("GET", "POST"):
                variables, rows = sparqlwrapper_rows(url, text, method=method)
                assert variables == mine.variables, name
                assert canonical(rows) == canonical(mine.values()), (name, params, method)


def test_result_media_types(server):
    url, _ = server
    query = bind_params(saved_queries()["honours"].text, {"name": "钟松梅"})
    client = SPARQLWrapper(url)
    client.setQuery(query)
    client.setReturnFormat(XML)
    xml = client.queryAndConvert()
    assert xml.getElementsByTagName("literal")[0].firstChild.data == "钟松梅"
    client.setReturnFormat(CSV)
    rows = list(csv.reader(io.StringIO(client.queryAndConvert().decode("utf-8"))))
    assert rows[0] == ["recipient", "class", "honour", "year"] and rows[1][0] == "钟松梅"
    client.setReturnFormat(TSV)
    assert client.queryAndConvert().decode("utf-8").startswith("?recipient\t?class")
    client.setQuery("CONSTRUCT { ?p kg:receivedAward ?a } WHERE { ?p kg:receivedAward ?a }")
    client.setReturnFormat(TURTLE)
    g = rdflib.Graph().parse(data=client.queryAndConvert(), format="turtle")
    assert len(g) >= 5
    status, headers, body = http(url + "?query=" + urllib.parse.quote("ASK { ?s a kg:Person }"),
                                 headers={"Accept": "application/sparql-results+json"})
    assert status == 200 and json.loads(body) == {"head": {}, "boolean": True}
    status, headers, body = http(url + "?query=" + urllib.parse.quote("DESCRIBE <https://w3id.org/cn-union-kg/id/person/钟松梅>"),
                                 headers={"Accept": "application/n-triples"})
    assert status == 200 and headers["Content-Type"].startswith("application/n-triples")
    assert "钟松梅" in body.decode("utf-8")
    status, _, _ = http(url + "?query=" + urllib.parse.quote("ASK {}"), headers={"Accept": "image/png"})
    assert status == 406


def test_post_bodies_and_service_description(server):
    url, _ = server
    status, headers, body = http(url, b"SELECT ?x WHERE { ?x a kg:Award } LIMIT 2",
                                 {"Content-Type": "application/sparql-query", "Accept": "text/csv"}, "POST")
    assert status == 200 and headers["Content-Type"].startswith("text/csv") and len(body.splitlines()) == 3
    form = urllib.parse.urlencode({"query": "ASK {}"}).encode()
    status, _, body = http(url, form, {"Content-Type": "application/x-www-form-urlencoded"}, "POST")
    assert status == 200 and json.loads(body)["boolean"] is True
    status, headers, body = http(url)
    assert status == 200 and b"sd:Service" in body
    status, _, _ = http(url, b"x", {"Content-Type": "application/octet-stream"}, "POST")
    assert status == 415


def test_cors(server):
    url, _ = server
    status, headers, _ = http(url, method="OPTIONS", headers={
        "Origin": "http://example.org", "Access-Control-Request-Method": "POST",
        "Access-Control-Request-Headers": "content-type"})
    assert status == 204
    assert headers["Access-Control-Allow-Origin"] == "*"
    assert "POST" in headers["Access-Control-Allow-Methods"]
    assert "content-type" in headers["Access-Control-Allow-Headers"].lower()
    _, headers, _ = http(url + "?query=" + urllib.parse.quote("ASK {}"), headers={"Origin": "http://example.org"})
    assert headers["Access-Control-Allow-Origin"] == "*"


def test_read_only(server, seeds_ttl):
    url, _ = server
    update = "INSERT DATA { <urn:x:a> <urn:x:b> <urn:x:c> }"
    status, _, body = http(url, update.encode(), {"Content-Type": "application/sparql-update"}, "POST")
    assert status == 403 and b"read-only" in body
    status, _, _ = http(url, urllib.parse.urlencode({"update": update}).encode(),
                        {"Content-Type": "application/x-www-form-urlencoded"}, "POST")
    assert status == 403
    status, _, body = http(url.replace("/sparql", "/update"), update.encode(),
                           {"Content-Type": "application/sparql-update"}, "POST")
    assert status == 403
    for method in ("PUT", "DELETE"):
        status, headers, _ = http(url, b"", {"Content-Type": "text/turtle"}, method)
        assert status == 405 and "GET" in headers["Allow"]
    _, rows = sparqlwrapper_rows(url, "SELECT * WHERE { <urn:x:a> ?p ?o }")
    assert rows == []


def test_bad_query(server):
    url, _ = server
    status, _, body = http(url + "?query=" + urllib.parse.quote("SELECT * WHERE {"))
    assert status == 400 and body.startswith(b"invalid SPARQL") and len(body) < 300


def test_timeout_and_cap_leave_the_server_up(server):
    url, proc = server
    started = time.monotonic()
    status, _, body = http(url + "?query=" + urllib.parse.quote(CROSS_PRODUCT), timeout=60)
    assert status == 503 and b"limit of 3 s" in body
    assert time.monotonic() - started < 15
    status, _, body = http(url + "?query=" + urllib.parse.quote("SELECT * WHERE { ?s ?p ?o }"))
    assert status == 413 and b"LIMIT" in body
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        status, _, body = http(url + "?query=" + urllib.parse.quote("SELECT (COUNT(*) AS ?n) WHERE { ?s a kg:Person }"))
        if status == 200:
            break
        time.sleep(0.2)
    assert status == 200 and int(json.loads(body)["results"]["bindings"][0]["n"]["value"]) > 10
    workers = psutil.Process(proc.pid).children(recursive=True)
    assert 1 <= len(workers) <= 2 and all(w.is_running() for w in workers)


def test_stops_cleanly_with_its_workers(seeds_ttl):
    with kg_server(seeds_ttl, "--workers", "1") as (url, proc):
        assert sparqlwrapper_rows(url, "SELECT * WHERE { ?s a kg:Award } LIMIT 1")[1]
        workers = psutil.Process(proc.pid).children(recursive=True)
        assert workers
        proc.terminate()
        proc.wait(timeout=20)
        gone, alive = psutil.wait_procs(workers, timeout=10)
        assert not alive
    assert proc.returncode is not None


def test_missing_graph_exits_2(tmp_path):
    done = subprocess.run([sys.executable, "-m", "kg.cli", "serve", str(tmp_path / "none.ttl"), "--port", "0"],
                          capture_output=True, timeout=120)
    assert done.returncode == 2 and b"none.ttl" in done.stderr


def test_parse_accept():
    assert parse_accept("text/csv;q=0.5, application/sparql-results+json, */*;q=0.1") == [
        "application/sparql-results+json", "text/csv", "*/*"]
    assert parse_accept("text/html;q=0, text/turtle") == ["text/turtle"]
    assert parse_accept(None) == []


def test_serves_without_a_writable_cache(seeds_ttl, monkeypatch):
    """A graph in a folder that cannot hold the store cache is loaded into a temporary store instead."""
    import threading

    import kg.serve as ks

    def no_cache(path):
        raise PermissionError("read-only folder")

    monkeypatch.setattr(ks, "cached_store_path", no_cache)
    server = ks.make_server(seeds_ttl, port=0, limits=ks.Limits(workers=1), quiet=True)
    thread = threading.Thread(target=server.serve_forever, daemon=True)
    thread.start()
    try:
        host, port = server.server_address[:2]
        _, rows = sparqlwrapper_rows(f"http://{host}:{port}/sparql", "SELECT ?p WHERE { ?p a kg:Person } LIMIT 1")
        assert len(rows) == 1
    finally:
        server.shutdown()
        server.server_close()
        server.pool.close()
        scratch = server.scratch
        scratch.cleanup()
    assert not Path(scratch.name).exists()
