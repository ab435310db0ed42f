"""Bulk-load a built graph into a triple store over the SPARQL 1.1 Graph Store Protocol.

Every production store speaks the Graph Store HTTP Protocol (Oxigraph
``/store``, Fuseki ``/DATASET/data``, GraphDB
``/repositories/REPO/rdf-graphs/service``, Virtuoso ``/sparql-graph-crud``,
Stardog, Neptune …), so this is the one way in that needs no
store-specific code. The file is read as a stream (pyoxigraph's parser,
any of its formats) and sent as N-Triples in chunks of a bounded number of
triples, so a graph of any size loads with flat memory and no request is
too large for a server's body limit. The first chunk replaces the target
graph (HTTP PUT), the rest add to it (POST), so loading again gives the same
store; with ``append`` every chunk is a POST.
"""
from __future__ import annotations

import base64
import urllib.error
import urllib.parse
import urllib.request
from dataclasses import dataclass
from pathlib import Path
from typing import Iterator

import pyoxigraph as ox

FORMATS = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES, ".nq": ox.RdfFormat.N_QUADS,
           ".trig": ox.RdfFormat.TRIG, ".rdf": ox.RdfFormat.RDF_XML, ".xml": ox.RdfFormat.RDF_XML,
           ".jsonld": ox.RdfFormat.JSON_LD}
CHUNK_TRIPLES = 50_000


class LoadError(Exception):
    """The graph could not be read, or the store refused it."""


@dataclass
class LoadReport:
    triples: int
    requests: int
    target: str


def target_url(endpoint: str, graph: str | None) -> str:
    """The Graph Store Protocol URL of the named graph, or of the default graph."""
    parts = urllib.parse.urlsplit(endpoint)
    if parts.scheme not in ("http", "https"):
        raise LoadError(f"{endpoint}: not an http(s) URL of a Graph Store Protocol endpoint")
    query = urllib.parse.urlencode({"graph": graph}) if graph else "default"
    sep = "&" if parts.query else ""
    return urllib.parse.urlunsplit(parts._replace(query=parts.query + sep + query))


def read_chunks(path: Path | str, chunk: int = CHUNK_TRIPLES) -> Iterator[tuple[bytes, int]]:
    """``(N-Triples bytes, triples)`` per chunk; quads lose their graph (the target names it)."""
    path = Path(path)
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise LoadError(f"{path}: unknown RDF file type (one of {', '.join(sorted(FORMATS))})")
    if not path.is_file():
        raise LoadError(f"{path}: no such file")
    lines: list[str] = []
    try:
        for q in ox.parse(path=str(path), format=fmt):
            lines.append(f"{q.subject} {q.predicate} {q.object} .\n")
            if len(lines) >= chunk:
                yield "".join(lines).encode("utf-8"), len(lines)
                lines = []
    except SyntaxError as err:
        raise LoadError(f"{path}: not valid {fmt.name}: {err}") from None
    if lines:
        yield "".join(lines).encode("utf-8"), len(lines)


def load(path: Path | str, endpoint: str, graph: str | None = None, append: bool = False,
         chunk: int = CHUNK_TRIPLES, user: str | None = None, password: str | None = None,
         timeout: float = 300.0) -> LoadReport:
    """Send the graph file to ``endpoint`` (a Graph Store Protocol URL), into ``graph`` or the default graph."""
    url = target_url(endpoint, graph)
    headers = {"Content-Type": "application/n-triples"}
    if user:
        token = base64.b64encode(f"{user}:{password or ''}".encode()).decode()
        headers["Authorization"] = f"Basic {token}"
    triples = requests = 0
    for body, n in read_chunks(path, chunk):
        method = "POST" if append or requests else "PUT"
        _send(url, method, body, headers, timeout)
        triples += n
        requests += 1
    if requests == 0 and not append:
        _send(url, "PUT", b"", headers, timeout)
        requests = 1
    return LoadReport(triples, requests, url)


def _send(url: str, method: str, body: bytes, headers: dict, timeout: float) -> None:
    req = urllib.request.Request(url, data=body, method=method, headers=headers)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as resp:
            resp.read()
    except urllib.error.HTTPError as err:
        detail = err.read()[:300].decode("utf-8", "replace").strip()
        raise LoadError(f"{method} {url}: HTTP {err.code} {err.reason}" + (f": {detail}" if detail else "")) from None
    except (urllib.error.URLError, OSError) as err:
        reason = getattr(err, "reason", err)
        raise LoadError(f"{method} {url}: cannot reach the store ({reason})") from None
