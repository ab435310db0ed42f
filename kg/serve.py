"""``kg serve``: a read-only SPARQL 1.1 Protocol endpoint over a built graph, on localhost.

Why not Oxigraph's own server (``oxigraph serve-read-only`` from the PyPI
package ``oxigraph``, which the tests use as the reference server): in 0.5.13
its ``--timeout-s`` did not stop a runaway query — a three-way cross product
with ``--timeout-s 3`` ran 36 s and then answered ``200 OK`` with a truncated
JSON body — and it has no cap on the size of a result. Here each query runs in
a worker process (:mod:`kg.sparql_pool`) over the store :mod:`kg.store`
caches beside the graph, pinned for as long as the server runs; the engine is
still Oxigraph.

The HTTP side is uvicorn (its h11 protocol) under a small Starlette app, not
the standard library's ``http.server``: uvicorn frames every request, so a
body left unread after a refusal is never read as the next request, and a
bad ``Content-Length`` is a 400; it runs on asyncio, which sets
``TCP_NODELAY`` and costs no thread per connection; the listen backlog is
2048. Added here, because uvicorn lacks it: a deadline on receiving each
request (see :class:`_RequestDeadline`).

What it refuses, so that a web page the user happens to open cannot use it:
requests whose ``Host`` is not the bound address (DNS rebinding), requests
from another web origin (``Origin`` header) unless ``--cors ORIGIN`` allows
that origin, and queries with ``SERVICE`` (which would make this server
call any URL) unless ``--allow-service``. SPARQL Update is refused with
``403`` and methods other than GET, HEAD, POST and OPTIONS with ``405``.

The protocol: ``GET /sparql?query=…``, ``POST /sparql`` with
``application/sparql-query`` or a form (``query=…``), ``default-graph-uri``
and ``named-graph-uri``; results by ``Accept`` (SPARQL JSON, XML, CSV, TSV;
Turtle, N-Triples, RDF/XML, JSON-LD for CONSTRUCT/DESCRIBE). ``GET /sparql``
without a query answers the SPARQL 1.1 Service Description.
"""
from __future__ import annotations

import contextlib
import ipaddress
import re
import signal
import socket
import sys
import time
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import parse_qs

from starlette.applications import Starlette
from starlette.concurrency import run_in_threadpool
from starlette.datastructures import Headers
from starlette.middleware import Middleware
from starlette.middleware.cors import CORSMiddleware
from starlette.requests import ClientDisconnect, Request
from starlette.responses import Response
from starlette.routing import Route
from uvicorn import Config, Server
from uvicorn.protocols.http.h11_impl import H11Protocol

from kg.sparql_pool import Limits, QueryPool, WorkerGone  # noqa: F401 - Limits is part of this API
from kg.store import pinned_store, union_default_graph

ENDPOINT_PATHS = ("/sparql", "/query")
UPDATE_MESSAGE = "This endpoint is read-only: SPARQL Update is refused.\n"
ALLOW = "GET, HEAD, POST, OPTIONS"
MAX_REQUEST_BYTES = 1 << 20
BACKLOG = 2048
MAX_CONNECTIONS = 512
LOOPBACK_NAMES = ("localhost", "127.0.0.1", "::1")
TEXT = "text/plain; charset=utf-8"


@dataclass(frozen=True)
class Policy:
    """What the endpoint lets in besides plain queries from its own address."""

    allow_service: bool = False
    cors_origins: tuple[str, ...] = ()
    allowed_hosts: tuple[str, ...] = ()


# ---------------------------------------------------------------- SERVICE

_CODEPOINT_ESCAPE = re.compile(r"\\u([0-9A-Fa-f]{4})|\\U([0-9A-Fa-f]{8})")


def _unescape(query: str) -> str:
    def sub(m: re.Match) -> str:
        try:
            return chr(int(m.group(1) or m.group(2), 16))
        except ValueError:
            return m.group(0)
    return _CODEPOINT_ESCAPE.sub(sub, query)


def uses_service(query: str) -> bool:
    """Whether the query may call another endpoint (a ``SERVICE`` clause); when unsure, yes.

    A query that does not contain the letters ``service`` (in any case,
    after SPARQL's ``\\u`` escapes, which Oxigraph applies before parsing)
    cannot have the clause. Any other is parsed with rdflib's SPARQL parser
    and searched for a ``ServiceGraphPattern``; a query rdflib cannot parse
    counts as one that may call out.
    """
    if not re.search("service", _unescape(query), re.IGNORECASE):
        return False
    from rdflib.plugins.sparql.parser import parseQuery
    from rdflib.plugins.sparql.parserutils import CompValue

    try:
        parsed = parseQuery(query)
    except Exception:  # noqa: BLE001 - rdflib raises pyparsing's and its own errors
        return True

    def has_service(node) -> bool:
        if isinstance(node, CompValue):
            return node.name == "ServiceGraphPattern" or any(has_service(v) for v in node.values())
        if isinstance(node, (str, bytes)):
            return False
        if isinstance(node, dict):
            return any(has_service(v) for v in node.values())
        try:
            return any(has_service(v) for v in node)
        except TypeError:
            return False

    return has_service(parsed)


# ---------------------------------------------------------------- Host and Origin

def host_name(header: str) -> str:
    """The name in a Host header, without port or IPv6 brackets, lower case."""
    header = header.strip().lower()
    if header.startswith("["):
        return header[1:header.find("]")] if "]" in header else header
    return header.rsplit(":", 1)[0].rstrip(".") if header.count(":") == 1 else header.rstrip(".")


def _is_ip(name: str) -> bool:
    try:
        ipaddress.ip_address(name)
        return True
    except ValueError:
        return False


def is_loopback(host: str) -> bool:
    if host.lower() == "localhost":
        return True
    try:
        return ipaddress.ip_address(host).is_loopback
    except ValueError:
        return False


def is_wildcard(host: str) -> bool:
    return host in ("", "0.0.0.0", "::")


class HostGuard:
    """Refuses a request whose Host is not an address of this server, or that comes from another origin.

    Written here rather than Starlette's ``TrustedHostMiddleware``, which
    cuts the Host header at its first colon (so it cannot match an IPv6
    address) and knows nothing of Origin. A browser page on another site
    that rebinds its name to 127.0.0.1 sends its own name as Host; a page
    calling this server sends its own origin as Origin.
    """

    def __init__(self, app, bound_host: str, policy: Policy) -> None:
        self.app = app
        names = {host_name(bound_host)} | {host_name(h) for h in policy.allowed_hosts}
        if is_loopback(bound_host) or is_wildcard(bound_host):
            names |= set(LOOPBACK_NAMES)
        if is_wildcard(bound_host):
            names.add(socket.gethostname().lower())
        self.names = frozenset(names - {""})
        self.any_ip = is_wildcard(bound_host)
        self.origins = frozenset(o.rstrip("/") for o in policy.cors_origins)

    def host_allowed(self, name: str) -> bool:
        return name in self.names or (self.any_ip and _is_ip(name))

    async def __call__(self, scope, receive, send) -> None:
        if scope["type"] != "http":
            return await self.app(scope, receive, send)
        headers = Headers(scope=scope)
        host = headers.get("host", "")
        if not self.host_allowed(host_name(host)):
            message = (f"Refused: Host {host!r} is not an address of this server "
                       "(kg serve --allowed-host NAME adds a name).\n")
            return await _text(403, message, close=True)(scope, receive, send)
        origin = headers.get("origin")
        if origin is not None and origin != f"http://{host}" and origin not in self.origins \
                and "*" not in self.origins:
            message = (f"Refused: requests from the web origin {origin} are not allowed "
                       "(kg serve --cors ORIGIN allows one).\n")
            return await _text(403, message, close=True)(scope, receive, send)
        await self.app(scope, receive, send)


# ---------------------------------------------------------------- HTTP

class _RequestDeadline(H11Protocol):
    """uvicorn's h11 protocol with a deadline on receiving each request, headers and body.

    uvicorn's keep-alive timeout runs only between requests, starts after a
    first response and restarts on every byte received, so a connection
    that sends nothing, or a byte at a time, was held for ever (the request
    timeouts of uvicorn issue #157 are still open). Here each request must
    have arrived whole within the idle timeout of the connection opening or
    of the previous response; the deadline is lifted while the query runs.
    """

    _deadline = None

    def connection_made(self, transport) -> None:
        super().connection_made(transport)
        self._arm()

    def _arm(self) -> None:
        self._disarm()
        self._deadline = self.loop.call_later(self.timeout_keep_alive, self._expire)

    def _disarm(self) -> None:
        if self._deadline is not None:
            self._deadline.cancel()
            self._deadline = None

    def _expire(self) -> None:
        self._deadline = None
        if not self.transport.is_closing():
            self.transport.close()

    def handle_events(self) -> None:
        super().handle_events()
        cycle = self.cycle
        if cycle is not None and not cycle.more_body and not cycle.response_complete:
            self._disarm()

    def on_response_complete(self) -> None:
        if not self.transport.is_closing():
            self._arm()
        super().on_response_complete()

    def connection_lost(self, exc) -> None:
        self._disarm()
        super().connection_lost(exc)


def _text(status: int, message: str, extra: dict | None = None, close: bool = False) -> Response:
    headers = dict(extra or {})
    if close:
        headers["Connection"] = "close"
    return Response(message.encode("utf-8"), status, headers=headers, media_type=TEXT)


def _has_body(request: Request) -> bool:
    length = request.headers.get("content-length")
    return "transfer-encoding" in request.headers or (length is not None and length.strip() != "0")


async def _read_body(request: Request, limit: int) -> bytes | None:
    """The request body, or None when it is larger than ``limit`` (left unread: the connection is closed)."""
    declared = request.headers.get("content-length", "")
    if declared.isdigit() and int(declared) > limit:
        return None
    parts, size = [], 0
    try:
        async for chunk in request.stream():
            size += len(chunk)
            if size > limit:
                return None
            parts.append(chunk)
    except ClientDisconnect:
        return None
    return b"".join(parts)


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


def _endpoint_url(host: str, port: int) -> str:
    shown = f"[{host}]" if ":" in host else host
    return f"http://{shown}:{port}/sparql"


def create_app(pool: QueryPool, policy: Policy, bound_host: str, url: str) -> Starlette:
    """The ASGI app: the SPARQL protocol over ``pool``, behind the Host/Origin guard (and CORS when asked)."""
    limits = pool.limits

    async def home(request: Request) -> Response:
        if request.method not in ("GET", "HEAD"):
            return _text(405, f"{request.method} is refused here.\n", {"Allow": "GET, HEAD"}, close=_has_body(request))
        return Response(_home_page(url), 200, media_type="text/html; charset=utf-8")

    async def update(request: Request) -> Response:
        return _text(403, UPDATE_MESSAGE, close=_has_body(request))

    async def sparql(request: Request) -> Response:
        arrived = time.monotonic()
        method = request.method
        if method == "OPTIONS":
            return Response(status_code=204, headers={"Allow": ALLOW})
        if method not in ("GET", "HEAD", "POST"):
            return _text(405, f"This endpoint is read-only: {method} is refused.\n", {"Allow": ALLOW},
                         close=_has_body(request))
        params = parse_qs(request.scope["query_string"].decode("latin-1"), keep_blank_values=True,
                          errors="replace")
        if "update" in params:
            return _text(403, UPDATE_MESSAGE, close=_has_body(request))
        if method == "POST":
            content_type = request.headers.get("content-type", "").split(";")[0].strip().lower()
            if content_type == "application/sparql-update":
                return _text(403, UPDATE_MESSAGE, close=_has_body(request))
            if content_type not in ("application/sparql-query", "application/x-www-form-urlencoded"):
                return _text(415, "POST a query as application/sparql-query or as a form "
                                  "(application/x-www-form-urlencoded, query=…).\n", close=_has_body(request))
            body = await _read_body(request, MAX_REQUEST_BYTES)
            if body is None:
                return _text(413, f"The request is larger than {MAX_REQUEST_BYTES} bytes.\n", close=True)
            text = body.decode("utf-8", "replace")
            if content_type == "application/sparql-query":
                params["query"] = [text]
            else:
                form = parse_qs(text, keep_blank_values=True)
                if "update" in form:
                    return _text(403, UPDATE_MESSAGE)
                for k, v in form.items():
                    params.setdefault(k, []).extend(v)
            if "query" not in params:
                return _text(400, "No query: send query=… or an application/sparql-query body.\n")
        elif "query" not in params:
            return Response(service_description(url), 200, media_type="text/turtle; charset=utf-8")
        queries = params["query"]
        if len(queries) != 1 or not queries[0].strip():
            return _text(400, "Send exactly one non-empty query.\n")
        query = queries[0]
        if not policy.allow_service and await run_in_threadpool(uses_service, query):
            return _text(403, "Refused: SERVICE would make this server call another endpoint "
                              "(kg serve --allow-service allows it).\n")
        accept = parse_accept(request.headers.get("accept"))
        status, content_type, body = await run_in_threadpool(
            pool.run, query, accept, params.get("default-graph-uri", []), params.get("named-graph-uri", []),
            arrived + limits.timeout)
        return Response(body, status, media_type=content_type, headers={"Vary": "Accept"})

    async def not_found(request: Request) -> Response:
        return _text(404, f"Not found: the SPARQL endpoint is {url}\n", close=_has_body(request))

    everything = ["GET", "HEAD", "POST", "PUT", "DELETE", "PATCH", "OPTIONS"]
    routes = [Route("/", home, methods=everything), Route("/update", update, methods=everything)]
    routes += [Route(path, sparql, methods=everything) for path in ENDPOINT_PATHS]
    routes.append(Route("/{path:path}", not_found, methods=everything))
    middleware = [Middleware(HostGuard, bound_host=bound_host, policy=policy)]
    if policy.cors_origins:
        middleware.append(Middleware(CORSMiddleware, allow_origins=[o.rstrip("/") for o in policy.cors_origins],
                                     allow_methods=["GET", "POST", "OPTIONS"],
                                     expose_headers=["Content-Type", "Content-Length"], max_age=86400))
    return Starlette(routes=routes, middleware=middleware)


def _log_config(quiet: bool) -> dict:
    return {
        "version": 1, "disable_existing_loggers": False,
        "formatters": {"plain": {"format": "%(message)s"}},
        "handlers": {"stderr": {"class": "logging.StreamHandler", "formatter": "plain", "stream": "ext://sys.stderr"}},
        "loggers": {"uvicorn.error": {"handlers": ["stderr"], "level": "WARNING", "propagate": False},
                    "uvicorn.access": {"handlers": ["stderr"], "level": "WARNING" if quiet else "INFO",
                                       "propagate": False}},
    }


def bind(host: str, port: int) -> socket.socket:
    """A listening TCP socket on host:port (port 0: a free one). Raises ValueError or OSError.

    Made with the protocol number getaddrinfo gives (``IPPROTO_TCP``), not
    ``socket.create_server``'s 0: asyncio turns Nagle's algorithm off only
    on sockets whose ``proto`` says TCP, and accepted sockets inherit it.
    With 0, keep-alive requests took 44 ms each (measured; see the tests).
    """
    if not 0 <= port <= 65535:
        raise ValueError(f"--port must be from 0 to 65535 (got {port})")
    family, kind, proto, _, address = socket.getaddrinfo(host or None, port, type=socket.SOCK_STREAM,
                                                         proto=socket.IPPROTO_TCP, flags=socket.AI_PASSIVE)[0]
    sock = socket.socket(family, kind, proto)
    try:
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_REUSEADDR, 1)
        if family == socket.AF_INET6:
            sock.setsockopt(socket.IPPROTO_IPV6, socket.IPV6_V6ONLY, 1)
        sock.bind(address)
        sock.listen(BACKLOG)
    except BaseException:
        sock.close()
        raise
    return sock


class SparqlServer:
    """A bound endpoint with its workers running; ``serve_forever()`` runs it, ``shutdown()`` stops it."""

    def __init__(self, graph_path: Path | str, host: str = "127.0.0.1", port: int = 7878,
                 limits: Limits = Limits(), policy: Policy = Policy(), quiet: bool = False) -> None:
        self._stack = contextlib.ExitStack()
        try:
            self.socket = self._stack.enter_context(bind(host, port))
            self.host, self.port = host, self.socket.getsockname()[1]
            self.url = _endpoint_url(host or "0.0.0.0", self.port)
            store = self._stack.enter_context(pinned_store(graph_path))
            self.pool = QueryPool(store, union_default_graph(graph_path), limits)
            self._stack.callback(self.pool.close)
        except BaseException:
            self._stack.close()
            raise
        self.limits, self.policy = limits, policy
        config = Config(create_app(self.pool, policy, host, self.url), http=_RequestDeadline, ws="none",
                        lifespan="off", interface="asgi3", proxy_headers=False, server_header=False,
                        timeout_keep_alive=limits.idle_timeout, backlog=BACKLOG, limit_concurrency=MAX_CONNECTIONS,
                        timeout_graceful_shutdown=2, log_config=_log_config(quiet), access_log=not quiet)
        self.server = Server(config)

    def serve_forever(self) -> None:
        self.server.run(sockets=[self.socket])

    def shutdown(self) -> None:
        """Ask a running ``serve_forever`` (in another thread) to return."""
        self.server.should_exit = True

    def close(self) -> None:
        """Stop the workers, unpin or remove the store, close the socket."""
        self._stack.close()


def make_server(graph_path: Path | str, host: str = "127.0.0.1", port: int = 7878, limits: Limits = Limits(),
                policy: Policy = Policy(), quiet: bool = False) -> SparqlServer:
    """A ready server (workers started, socket bound; port 0 picks a free one)."""
    return SparqlServer(graph_path, host, port, limits, policy, quiet)


def serve(graph_path: Path | str, host: str = "127.0.0.1", port: int = 7878, limits: Limits = Limits(),
          policy: Policy = Policy(), quiet: bool = False, announce=None, warn=None) -> None:
    """Serve until Ctrl-C or SIGTERM; the workers are always stopped."""
    say = announce or (lambda line: print(line, flush=True))
    warn = warn or (lambda line: print(line, file=sys.stderr, flush=True))
    server = make_server(graph_path, host, port, limits, policy, quiet)
    try:
        if not is_loopback(host):
            warn(f"kg: warning: listening on {host or '0.0.0.0'}: anyone who can reach this machine on port "
                 f"{server.port} can query the graph (no authentication, no TLS); --host 127.0.0.1 keeps it local")
        if policy.allow_service:
            warn("kg: warning: --allow-service: queries may make this server call any URL it can reach")
        say(f"kg: serving {graph_path} at {server.url} (read-only; timeout {limits.timeout:g} s; results up to "
            f"{limits.max_bytes} bytes; {limits.memory_mb} MB per query process)")
        previous = signal.signal(signal.SIGTERM, _raise_interrupt)
        try:
            server.serve_forever()
        except KeyboardInterrupt:
            pass
        finally:
            signal.signal(signal.SIGTERM, previous)
    finally:
        server.close()


def _raise_interrupt(signum, frame) -> None:
    raise KeyboardInterrupt
