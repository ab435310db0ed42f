"""``kg serve``: a read-only SPARQL 1.1 Protocol endpoint over a built graph, on localhost.

Why not Oxigraph's own server (``oxigraph serve-read-only`` from the PyPI
package ``oxigraph``, which the tests use as the reference server): in 0.5.13
its ``--timeout-s`` did not stop a runaway query — a three-way cross product
with ``--timeout-s 3`` ran 36 s and then answered ``200 OK`` with a truncated
JSON body — and it has no cap on the size of a result. Here each query runs in
a worker process (:mod:`kg.sparql_worker`) over the store that :mod:`kg.query`
caches beside the graph, opened read-only; a query past the time limit is
answered ``503`` and its worker killed and replaced, a result past the size
cap is answered ``413``, and the HTTP side (a standard-library
``ThreadingHTTPServer``) stays up. The engine is still Oxigraph.

The protocol: ``GET /sparql?query=…``, ``POST /sparql`` with
``application/sparql-query`` or a form (``query=…``), ``default-graph-uri``
and ``named-graph-uri``; results by ``Accept`` (SPARQL JSON, XML, CSV, TSV;
Turtle, N-Triples, RDF/XML, JSON-LD for CONSTRUCT/DESCRIBE); CORS on every
answer and for preflight ``OPTIONS``. SPARQL Update is refused with ``403``
and other methods with ``405``. ``GET /sparql`` without a query answers the
SPARQL 1.1 Service Description.
"""
from __future__ import annotations

import json
import os
import queue
import select
import signal
import struct
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from urllib.parse import parse_qs, urlsplit

from kg.query import cached_store_path, disk_store, union_default_graph

WORKER = Path(__file__).with_name("sparql_worker.py")
ENDPOINT_PATHS = ("/sparql", "/query")
UPDATE_MESSAGE = "This endpoint is read-only: SPARQL Update is refused.\n"
MAX_REQUEST_BYTES = 1 << 20


@dataclass(frozen=True)
class Limits:
    timeout: float = 30.0
    max_bytes: int = 50_000_000
    workers: int = 2


class WorkerGone(Exception):
    pass


class _Worker:
    """A query process and its pipes; reads and writes frames with a deadline."""

    def __init__(self, store: Path) -> None:
        self.proc = subprocess.Popen([sys.executable, "-I", str(WORKER), str(store)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL)
        ready = self.read(time.monotonic() + 60)
        if json.loads(ready).get("status") != "ready":
            self.kill()
            raise WorkerGone("the query process did not start")

    def send(self, payload: bytes) -> None:
        try:
            self.proc.stdin.write(struct.pack(">I", len(payload)) + payload)
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError) as err:
            raise WorkerGone(str(err)) from None

    def _read_exact(self, n: int, deadline: float) -> bytes:
        fd = self.proc.stdout.fileno()
        parts, got = [], 0
        while got < n:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError()
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                raise TimeoutError()
            chunk = os.read(fd, min(n - got, 1 << 20))
            if not chunk:
                raise WorkerGone("the query process ended")
            parts.append(chunk)
            got += len(chunk)
        return b"".join(parts)

    def read(self, deadline: float) -> bytes:
        (n,) = struct.unpack(">I", self._read_exact(4, deadline))
        return self._read_exact(n, deadline)

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:  # pragma: no cover
            pass
        for pipe in (self.proc.stdin, self.proc.stdout):
            try:
                pipe.close()
            except OSError:
                pass


class QueryPool:
    """Worker processes over one store; a query that overruns is killed with its worker."""

    def __init__(self, store: Path, union: bool, limits: Limits) -> None:
        self.store, self.union, self.limits = store, union, limits
        self.idle: queue.Queue[_Worker] = queue.Queue()
        self.all: set[_Worker] = set()
        self.lock = threading.Lock()
        self.closed = False
        for _ in range(max(1, limits.workers)):
            self._add()

    def _add(self) -> None:
        w = _Worker(self.store)
        with self.lock:
            if self.closed:
                w.kill()
                return
            self.all.add(w)
        self.idle.put(w)

    def _replace(self, w: _Worker) -> None:
        w.kill()
        with self.lock:
            self.all.discard(w)
        if not self.closed:
            threading.Thread(target=self._add, daemon=True).start()

    def run(self, query: str, accept: list[str], default_graph: list[str], named_graph: list[str]
            ) -> tuple[int, str, bytes]:
        """(HTTP status, content type, body) for one query."""
        deadline = time.monotonic() + self.limits.timeout
        try:
            w = self.idle.get(timeout=self.limits.timeout)
        except queue.Empty:
            return 503, "text/plain; charset=utf-8", b"The server is busy: every query process is taken. Try again.\n"
        request = {"query": query, "accept": accept, "default_graph": default_graph, "named_graph": named_graph,
                   "union": self.union, "max_bytes": self.limits.max_bytes}
        try:
            w.send(json.dumps(request).encode("utf-8"))
            header = json.loads(w.read(deadline))
            body = w.read(deadline + 5) if header["status"] == 200 else (header["error"] + "\n").encode("utf-8")
        except TimeoutError:
            self._replace(w)
            msg = f"The query ran past this server's limit of {self.limits.timeout:g} s and was stopped.\n"
            return 503, "text/plain; charset=utf-8", msg.encode("utf-8")
        except WorkerGone as err:
            self._replace(w)
            return 500, "text/plain; charset=utf-8", f"The query process failed: {err}\n".encode("utf-8")
        self.idle.put(w)
        content_type = header.get("content_type", "text/plain; charset=utf-8")
        return header["status"], content_type, body

    def close(self) -> None:
        with self.lock:
            self.closed = True
            workers = list(self.all)
            self.all.clear()
        for w in workers:
            w.kill()


def parse_accept(header: str | None) -> list[str]:
    """Media types of an Accept header, most preferred first (q=0 dropped, ties in the order given)."""
    if not header:
        return []
    items = []
    for i, part in enumerate(header.split(",")):
        fields = [f.strip() for f in part.split(";")]
        media, q = fields[0].lower(), 1.0
        for f in fields[1:]:
            if f.startswith("q="):
                try:
                    q = float(f[2:])
                except ValueError:
                    q = 0.0
        if media and q > 0:
            items.append((-q, i, media))
    return [m for _, _, m in sorted(items)]


def service_description(url: str) -> bytes:
    return f"""@prefix sd: <http://www.w3.org/ns/sparql-service-description#> .
@prefix fmt: <http://www.w3.org/ns/formats/> .

[] a sd:Service ;
    sd:endpoint <{url}> ;
    sd:supportedLanguage sd:SPARQL11Query ;
    sd:resultFormat fmt:SPARQL_Results_JSON, fmt:SPARQL_Results_XML, fmt:SPARQL_Results_CSV,
        fmt:SPARQL_Results_TSV, fmt:Turtle, fmt:N-Triples, fmt:RDF_XML, fmt:JSON-LD .
""".encode("utf-8")


def _home_page(url: str) -> bytes:
    return f"""<!doctype html>
<html lang="zh"><head><meta charset="utf-8"><title>kg SPARQL endpoint</title></head>
<body>
<h1>kg SPARQL endpoint</h1>
<p>Read-only SPARQL 1.1 endpoint: <code>{url}</code> (GET or POST, results by Accept header).</p>
<form method="post" action="/sparql">
<textarea name="query" rows="12" cols="100">PREFIX kg: &lt;https://w3id.org/cn-union-kg/ontology#&gt;
PREFIX rdfs: &lt;http://www.w3.org/2000/01/rdf-schema#&gt;
SELECT ?person ?award WHERE {{ ?p kg:receivedAward ?a ; rdfs:label ?person . ?a rdfs:label ?award }} LIMIT 20</textarea>
<br><button type="submit">Run</button>
</form>
</body></html>
""".encode("utf-8")


class _Handler(BaseHTTPRequestHandler):
    server_version = "kg-sparql/1"
    protocol_version = "HTTP/1.1"

    @property
    def pool(self) -> QueryPool:
        return self.server.pool  # type: ignore[attr-defined]

    def log_message(self, fmt, *args) -> None:
        if not self.server.quiet:  # type: ignore[attr-defined]
            sys.stderr.write(f"{self.address_string()} {fmt % args}\n")

    def _cors(self) -> None:
        self.send_header("Access-Control-Allow-Origin", "*")
        self.send_header("Access-Control-Expose-Headers", "Content-Type, Content-Length")

    def _send(self, status: int, content_type: str, body: bytes, extra: dict | None = None) -> None:
        self.send_response(status)
        self._cors()
        self.send_header("Content-Type", content_type)
        self.send_header("Content-Length", str(len(body)))
        self.send_header("Vary", "Accept")
        for k, v in (extra or {}).items():
            self.send_header(k, v)
        self.end_headers()
        if self.command != "HEAD":
            self.wfile.write(body)

    def _text(self, status: int, message: str, extra: dict | None = None) -> None:
        self._send(status, "text/plain; charset=utf-8", message.encode("utf-8"), extra)

    def _url(self) -> str:
        host, port = self.server.server_address[:2]  # type: ignore[attr-defined]
        return f"http://{host}:{port}/sparql"

    def do_OPTIONS(self) -> None:  # noqa: N802 - http.server's naming
        self.send_response(204)
        self._cors()
        self.send_header("Access-Control-Allow-Methods", "GET, POST, OPTIONS")
        asked = self.headers.get("Access-Control-Request-Headers")
        self.send_header("Access-Control-Allow-Headers", asked or "Content-Type, Accept")
        self.send_header("Access-Control-Max-Age", "86400")
        self.send_header("Allow", "GET, POST, OPTIONS")
        self.send_header("Content-Length", "0")
        self.end_headers()

    def do_GET(self) -> None:  # noqa: N802
        parts = urlsplit(self.path)
        params = parse_qs(parts.query, keep_blank_values=True)
        if parts.path == "/update" or "update" in params:
            return self._text(403, UPDATE_MESSAGE)
        if parts.path == "/":
            return self._send(200, "text/html; charset=utf-8", _home_page(self._url()))
        if parts.path not in ENDPOINT_PATHS:
            return self._text(404, f"Not found: the SPARQL endpoint is {self._url()}\n")
        if "query" not in params:
            return self._send(200, "text/turtle; charset=utf-8", service_description(self._url()))
        self._query(params)

    do_HEAD = do_GET

    def do_POST(self) -> None:  # noqa: N802
        parts = urlsplit(self.path)
        params = parse_qs(parts.query, keep_blank_values=True)
        content_type = (self.headers.get("Content-Type") or "").split(";")[0].strip().lower()
        length = self.headers.get("Content-Length")
        if length is None:
            return self._text(411, "A POST needs a Content-Length.\n")
        try:
            n = int(length)
        except ValueError:
            return self._text(400, "Bad Content-Length.\n")
        if n > MAX_REQUEST_BYTES:
            return self._text(413, f"The request is larger than {MAX_REQUEST_BYTES} bytes.\n")
        body = self.rfile.read(n)
        if parts.path == "/update" or content_type == "application/sparql-update":
            return self._text(403, UPDATE_MESSAGE)
        if parts.path not in ENDPOINT_PATHS:
            return self._text(404, f"Not found: the SPARQL endpoint is {self._url()}\n")
        if content_type == "application/sparql-query":
            params["query"] = [body.decode("utf-8", "replace")]
        elif content_type == "application/x-www-form-urlencoded":
            form = parse_qs(body.decode("utf-8", "replace"), keep_blank_values=True)
            if "update" in form:
                return self._text(403, UPDATE_MESSAGE)
            for k, v in form.items():
                params.setdefault(k, []).extend(v)
        else:
            return self._text(415, "POST a query as application/sparql-query or as a form "
                                   "(application/x-www-form-urlencoded, query=…).\n")
        if "query" not in params:
            return self._text(400, "No query: send query=… or an application/sparql-query body.\n")
        self._query(params)

    def _refuse(self) -> None:
        self._text(405, UPDATE_MESSAGE.replace("SPARQL Update", f"{self.command}"),
                   {"Allow": "GET, POST, OPTIONS, HEAD"})

    do_PUT = do_DELETE = do_PATCH = _refuse

    def _query(self, params: dict[str, list[str]]) -> None:
        queries = params["query"]
        if len(queries) != 1 or not queries[0].strip():
            return self._text(400, "Send exactly one non-empty query.\n")
        accept = parse_accept(self.headers.get("Accept"))
        status, content_type, body = self.pool.run(queries[0], accept, params.get("default-graph-uri", []),
                                                   params.get("named-graph-uri", []))
        self._send(status, content_type, body)


class SparqlServer(ThreadingHTTPServer):
    daemon_threads = True
    allow_reuse_address = True

    def __init__(self, address, pool: QueryPool, quiet: bool = False) -> None:
        super().__init__(address, _Handler)
        self.pool, self.quiet, self.scratch = pool, quiet, None


def make_server(graph_path: Path | str, host: str = "127.0.0.1", port: int = 7878,
                limits: Limits = Limits(), quiet: bool = False) -> SparqlServer:
    """A ready server (workers started, socket bound; port 0 picks a free one); call serve_forever()."""
    scratch = None
    try:
        store = cached_store_path(graph_path)
    except OSError:
        scratch = tempfile.TemporaryDirectory(prefix="kg-serve-")
        disk_store(graph_path, Path(scratch.name) / "db").flush()
        store = Path(scratch.name) / "db"
    pool = QueryPool(store, union_default_graph(graph_path), limits)
    try:
        server = SparqlServer((host, port), pool, quiet)
    except OSError:
        pool.close()
        raise
    server.scratch = scratch
    return server


def serve(graph_path: Path | str, host: str = "127.0.0.1", port: int = 7878, limits: Limits = Limits(),
          quiet: bool = False, announce=None) -> None:
    """Serve until interrupted (Ctrl-C or SIGTERM); workers are always stopped."""
    server = make_server(graph_path, host, port, limits, quiet)
    h, p = server.server_address[:2]
    (announce or (lambda line: print(line, flush=True)))(f"kg: serving {graph_path} at http://{h}:{p}/sparql "
             f"(read-only; timeout {limits.timeout:g} s; results up to {limits.max_bytes} bytes)")
    previous = signal.signal(signal.SIGTERM, _raise_interrupt)
    try:
        server.serve_forever(poll_interval=0.2)
    except KeyboardInterrupt:
        pass
    finally:
        signal.signal(signal.SIGTERM, previous)
        server.server_close()
        server.pool.close()
        if server.scratch is not None:
            server.scratch.cleanup()


def _raise_interrupt(signum, frame) -> None:
    raise KeyboardInterrupt
