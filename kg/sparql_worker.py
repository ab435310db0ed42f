"""One query process of ``kg serve``: runs SPARQL on the store it is given, one request at a time.

``kg serve`` runs each query in a worker process so that a query past its
time limit can be killed outright: Oxigraph cannot stop a running query from
outside, and a thread cannot be killed. The worker is started as a script
(``python -I path/to/sparql_worker.py STORE MAX_MEMORY_MB``), not as
``-m kg.…``, so that it imports only pyoxigraph and the standard library,
and starts in a fraction of a second.

Its memory is capped with ``RLIMIT_DATA`` (the heap and private mappings;
not ``RLIMIT_AS``, which counts the address space that glibc and RocksDB
reserve without using: 370-435 MB before the first query, against 81 MB of
data). A query past the cap makes an allocation fail, and Rust aborts the
process (SIGABRT): the server answers 503 and starts another worker. The
worker also asks Linux to kill it when the server's thread that started it
ends, so a runaway query never outlives a killed server.

Protocol on stdin/stdout, each frame a 4-byte big-endian length and that
many bytes: the first frame from the worker says ``{"status": "ready"}`` or
``{"status": "error", "error": …}``; a request is a JSON object (query,
accept, default_graph, named_graph, union, max_bytes); the answer is a JSON
header (status, content_type or error) followed, on success, by a frame with
the body. stdin closing means the server is gone: the worker exits.
"""
from __future__ import annotations

import ctypes
import io
import json
import os
import resource
import signal
import struct
import sys

import pyoxigraph as ox

PREFIXES = {
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
    "rdfs": "http://www.w3.org/2000/01/rdf-schema#",
    "xsd": "http://www.w3.org/2001/XMLSchema#",
    "owl": "http://www.w3.org/2002/07/owl#",
    "skos": "http://www.w3.org/2004/02/skos/core#",
    "prov": "http://www.w3.org/ns/prov#",
    "dcterms": "http://purl.org/dc/terms/",
    "kg": "https://w3id.org/cn-union-kg/ontology#",
}
SOLUTION_TYPES = {
    "application/sparql-results+json": ox.QueryResultsFormat.JSON,
    "application/json": ox.QueryResultsFormat.JSON,
    "application/sparql-results+xml": ox.QueryResultsFormat.XML,
    "application/xml": ox.QueryResultsFormat.XML,
    "text/xml": ox.QueryResultsFormat.XML,
    "text/csv": ox.QueryResultsFormat.CSV,
    "text/tab-separated-values": ox.QueryResultsFormat.TSV,
}
GRAPH_TYPES = {
    "text/turtle": ox.RdfFormat.TURTLE,
    "application/n-triples": ox.RdfFormat.N_TRIPLES,
    "text/plain": ox.RdfFormat.N_TRIPLES,
    "application/rdf+xml": ox.RdfFormat.RDF_XML,
    "application/ld+json": ox.RdfFormat.JSON_LD,
    "application/n-quads": ox.RdfFormat.N_QUADS,
    "application/trig": ox.RdfFormat.TRIG,
}
DEFAULT_SOLUTIONS = "application/sparql-results+json"
DEFAULT_GRAPH = "text/turtle"


class TooLarge(Exception):
    pass


class CappedBuffer(io.RawIOBase):
    """A byte sink that refuses to grow past its cap, which stops Oxigraph's writer mid-result."""

    def __init__(self, cap: int) -> None:
        self.cap, self.parts, self.size = cap, [], 0

    def writable(self) -> bool:
        return True

    def write(self, b) -> int:
        self.size += len(b)
        if self.size > self.cap:
            raise TooLarge()
        self.parts.append(bytes(b))
        return len(b)

    def getvalue(self) -> bytes:
        return b"".join(self.parts)


def choose(accept: list[str], table: dict, default: str) -> str | None:
    """The first acceptable media type we can write; the default for */* or nothing said; None if none."""
    if not accept:
        return default
    for media in accept:
        if media in table:
            return media
        if media in ("*/*", "application/*", "text/*") or media.endswith("/*"):
            major = media.split("/")[0]
            if major == "*" or default.startswith(major + "/"):
                return default
            for candidate in table:
                if candidate.startswith(major + "/"):
                    return candidate
    return None


def _graphs(names: list[str]):
    return [ox.NamedNode(n) for n in names] if names else None


def answer(store: ox.Store, req: dict) -> tuple[dict, bytes]:
    try:
        result = store.query(req["query"], prefixes=PREFIXES, use_default_graph_as_union=req.get("union", False),
                             default_graph=_graphs(req.get("default_graph")),
                             named_graphs=_graphs(req.get("named_graph")))
    except SyntaxError as err:
        message = str(err)
        head, sep, _ = message.partition(": expected one of")
        return {"status": 400, "error": f"invalid SPARQL: {head + ': unexpected input' if sep else message}"}, b""
    except ValueError as err:
        return {"status": 400, "error": f"bad request: {err}"}, b""
    except OSError as err:
        return {"status": 500, "error": f"query failed: {err}"}, b""
    graph = isinstance(result, ox.QueryTriples)
    table, default = (GRAPH_TYPES, DEFAULT_GRAPH) if graph else (SOLUTION_TYPES, DEFAULT_SOLUTIONS)
    media = choose(req.get("accept") or [], table, default)
    if media is None:
        kinds = ", ".join(table)
        return {"status": 406, "error": f"none of the accepted media types can carry this result; use one of {kinds}"}, b""
    buf = CappedBuffer(int(req.get("max_bytes", 1 << 62)))
    try:
        if graph:
            ox.serialize(result, buf, table[media])
        else:
            result.serialize(buf, table[media])
    except TooLarge:
        return {"status": 413, "error": f"the result is larger than this server's cap of {req['max_bytes']} bytes: "
                                        "add a LIMIT or narrow the query"}, b""
    except (OSError, ValueError, RuntimeError) as err:
        if isinstance(err.__context__, TooLarge) or "TooLarge" in repr(err):
            return {"status": 413, "error": f"the result is larger than this server's cap of {req['max_bytes']} bytes: "
                                            "add a LIMIT or narrow the query"}, b""
        return {"status": 500, "error": f"query failed: {err}"}, b""
    content_type = media + ("; charset=utf-8" if media.startswith("text/") or "json" in media or "xml" in media else "")
    return {"status": 200, "content_type": content_type}, buf.getvalue()


def _read_frame(stream) -> bytes | None:
    head = stream.read(4)
    if len(head) < 4:
        return None
    (n,) = struct.unpack(">I", head)
    data = stream.read(n)
    return data if len(data) == n else None


def _write_frame(stream, data: bytes) -> None:
    stream.write(struct.pack(">I", len(data)) + data)


def _die_with_parent() -> None:
    """PR_SET_PDEATHSIG: SIGKILL when the thread that started this process ends (Linux only)."""
    parent = os.getppid()
    try:
        ctypes.CDLL(None, use_errno=True).prctl(1, signal.SIGKILL, 0, 0, 0)
    except (OSError, AttributeError):
        return
    if os.getppid() != parent:
        os._exit(1)


def _cap_memory(megabytes: int) -> None:
    limit = megabytes * 1024 * 1024
    _, hard = resource.getrlimit(resource.RLIMIT_DATA)
    if hard != resource.RLIM_INFINITY:
        limit = min(limit, hard)
    resource.setrlimit(resource.RLIMIT_DATA, (limit, hard))


def main(argv: list[str]) -> int:
    stdin, stdout = sys.stdin.buffer, sys.stdout.buffer
    _die_with_parent()
    try:
        store = ox.Store.read_only(argv[1])
        if len(argv) > 2:
            _cap_memory(int(argv[2]))
    except (OSError, ValueError) as err:
        _write_frame(stdout, json.dumps({"status": "error", "error": f"cannot open the store {argv[1]}: {err}"}).encode())
        stdout.flush()
        return 1
    _write_frame(stdout, b'{"status": "ready"}')
    stdout.flush()
    while True:
        frame = _read_frame(stdin)
        if frame is None:
            return 0
        header, body = answer(store, json.loads(frame))
        _write_frame(stdout, json.dumps(header).encode("utf-8"))
        if header["status"] == 200:
            _write_frame(stdout, body)
        stdout.flush()


if __name__ == "__main__":
    sys.exit(main(sys.argv))
