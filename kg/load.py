"""Bulk-load a built graph into a triple store over the SPARQL 1.1 Graph Store Protocol.

Every production store speaks the Graph Store HTTP Protocol (Oxigraph
``/store``, Fuseki ``/DATASET/data``, GraphDB
``/repositories/REPO/rdf-graphs/service``, Virtuoso ``/sparql-graph-crud``,
Stardog, Neptune …), so this is the one way in that needs no store-specific
code. The file is read as a stream (pyoxigraph's parser, any of its formats)
and sent as N-Triples in chunks of a bounded number of triples, so a graph
of any size loads with flat memory and no request is too large for a
server's body limit.

Nothing is lost when a load fails part-way:

1. The whole file is parsed and checked before anything is sent; a syntax
   error anywhere sends nothing.
2. The chunks go into fresh *staging* graphs, one per target graph.
3. Only when every chunk has arrived, one SPARQL 1.1 Update request swaps
   them in: ``MOVE <staging> TO <target>`` (or ``ADD`` with ``append``),
   which a store applies as one transaction. A failure before that leaves
   every target as it was, and the staging graphs are deleted.

An N-Quads or TriG file keeps its named graphs: each graph goes to its own
target, the default graph to the default graph; ``graph`` flattens the
whole file into that one graph on purpose. Triples with blank nodes are sent
together in one request per graph, because a blank node's identity does not
survive from one request to the next.

Every request has a deadline (``timeout``): connecting, sending and reading
the answer must all be done by then, so a silent or a trickling server
cannot hold a load for ever. Credentials come from ``user``/``password`` or
from the endpoint URL's user-info; they are never printed.
"""
from __future__ import annotations

import base64
import http.client
import socket
import ssl
import threading
import urllib.parse
import uuid
from dataclasses import dataclass, field
from pathlib import Path
from typing import Callable, Iterator

import pyoxigraph as ox

FORMATS = {".ttl": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES, ".nq": ox.RdfFormat.N_QUADS,
           ".trig": ox.RdfFormat.TRIG, ".rdf": ox.RdfFormat.RDF_XML, ".xml": ox.RdfFormat.RDF_XML,
           ".jsonld": ox.RdfFormat.JSON_LD}
CHUNK_TRIPLES = 50_000
DEFAULT_TIMEOUT_S = 60.0
STAGING_PREFIX = "urn:x-kg-load:staging:"
UPDATE_SIBLINGS = {"store": "update", "data": "update"}
DEFAULT = None  # the key of the default graph in a load plan


class LoadError(Exception):
    """The graph could not be read, or the store refused it."""


class NoAnswer(LoadError):
    """A request was not over within its time limit."""


class Unreachable(LoadError):
    """No connection could be made: the request never reached the store."""


@dataclass
class LoadReport:
    triples: int
    requests: int
    target: str
    graphs: dict[str | None, int] = field(default_factory=dict)


@dataclass(frozen=True)
class Endpoint:
    """A Graph Store Protocol URL without its credentials, and the credentials."""

    url: str
    user: str | None = None
    password: str | None = None

    @property
    def auth_header(self) -> dict[str, str]:
        if not self.user:
            return {}
        token = base64.b64encode(f"{self.user}:{self.password or ''}".encode("utf-8")).decode("ascii")
        return {"Authorization": f"Basic {token}"}


def split_credentials(url: str, user: str | None = None, password: str | None = None) -> Endpoint:
    """The URL without user-info; explicit credentials win over the URL's."""
    parts = urllib.parse.urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise LoadError(f"{redact(url)}: not an http(s) URL of a Graph Store Protocol endpoint")
    netloc = parts.netloc.rpartition("@")[2]
    url_user = urllib.parse.unquote(parts.username) if parts.username else None
    url_password = urllib.parse.unquote(parts.password) if parts.password else None
    clean = urllib.parse.urlunsplit(parts._replace(netloc=netloc))
    if user:
        return Endpoint(clean, user, password)
    return Endpoint(clean, url_user, url_password if url_user else None)


def redact(url: str) -> str:
    """The URL with any user-info removed, for messages."""
    try:
        parts = urllib.parse.urlsplit(url)
    except ValueError:
        return "<the endpoint URL>"
    return urllib.parse.urlunsplit(parts._replace(netloc=parts.netloc.rpartition("@")[2]))


def target_url(endpoint: str, graph: str | None) -> str:
    """The Graph Store Protocol URL of the named graph, or of the default graph."""
    parts = urllib.parse.urlsplit(split_credentials(endpoint).url)
    query = urllib.parse.urlencode({"graph": graph}) if graph else "default"
    sep = "&" if parts.query else ""
    return urllib.parse.urlunsplit(parts._replace(query=parts.query + sep + query))


def update_url(endpoint: str, explicit: str | None = None) -> str:
    """Where SPARQL Update goes: ``explicit``, else the endpoint's sibling ``update`` (Oxigraph, Fuseki)."""
    if explicit:
        return split_credentials(explicit).url
    parts = urllib.parse.urlsplit(split_credentials(endpoint).url)
    head, _, last = parts.path.rstrip("/").rpartition("/")
    if last not in UPDATE_SIBLINGS:
        raise LoadError(f"{redact(endpoint)}: cannot tell where this store takes SPARQL Update; "
                        "give --update-endpoint URL (the target is replaced by MOVE when every chunk has arrived)")
    return urllib.parse.urlunsplit(parts._replace(path=f"{head}/{UPDATE_SIBLINGS[last]}", query=""))


def plain_http_warning(endpoint: Endpoint) -> str | None:
    if endpoint.user and urllib.parse.urlsplit(endpoint.url).scheme == "http":
        host = urllib.parse.urlsplit(endpoint.url).hostname
        return f"kg: warning: the password goes to {host} over plain http, readable on the way; use https"
    return None


# ---------------------------------------------------------------- reading

def rdf_format(path: Path) -> ox.RdfFormat:
    fmt = FORMATS.get(path.suffix.lower())
    if fmt is None:
        raise LoadError(f"{path}: unknown RDF file type (one of {', '.join(sorted(FORMATS))})")
    if not path.is_file():
        raise LoadError(f"{path}: no such file")
    return fmt


def _quads(path: Path) -> Iterator[ox.Quad]:
    fmt = rdf_format(path)
    try:
        yield from ox.parse(path=str(path), format=fmt)
    except SyntaxError as err:
        raise LoadError(f"{path}: not valid {fmt.name}: {err}") from None
    except (OSError, ValueError) as err:
        raise LoadError(f"{path}: cannot be read: {err}") from None


def _target_of(q: ox.Quad, flatten_into: str | None) -> str | None:
    if flatten_into:
        return flatten_into
    return None if isinstance(q.graph_name, ox.DefaultGraph) else q.graph_name.value


def _has_blank(q: ox.Quad) -> bool:
    return isinstance(q.subject, ox.BlankNode) or isinstance(q.object, ox.BlankNode) \
        or isinstance(q.subject, ox.Triple) or isinstance(q.object, ox.Triple)


def plan(path: Path | str, graph: str | None = None) -> dict[str | None, int]:
    """Triples per target graph (``None``: the default graph), reading the whole file; raises LoadError."""
    counts: dict[str | None, int] = {}
    try:
        for q in _quads(Path(path)):
            key = _target_of(q, graph)
            counts[key] = counts.get(key, 0) + 1
    except LoadError as err:
        raise LoadError(f"{err}; nothing was sent") from None
    return counts


def read_chunks(path: Path | str, chunk: int = CHUNK_TRIPLES, graph: str | None = None
                ) -> Iterator[tuple[str | None, bytes, int]]:
    """``(target graph, N-Triples bytes, triples)`` per request.

    At most ``chunk`` triples each; a graph's triples with blank nodes come
    last, in one piece, so their blank nodes stay one node.
    """
    plain: dict[str | None, list[str]] = {}
    blank: dict[str | None, list[str]] = {}
    for q in _quads(Path(path)):
        key = _target_of(q, graph)
        line = f"{q.subject} {q.predicate} {q.object} .\n"
        if _has_blank(q):
            blank.setdefault(key, []).append(line)
            continue
        lines = plain.setdefault(key, [])
        lines.append(line)
        if len(lines) >= chunk:
            yield key, "".join(lines).encode("utf-8"), len(lines)
            plain[key] = []
    for key, lines in plain.items():
        if lines:
            yield key, "".join(lines).encode("utf-8"), len(lines)
    for key, lines in blank.items():
        yield key, "".join(lines).encode("utf-8"), len(lines)


# ---------------------------------------------------------------- HTTP

def request(method: str, url: str, body: bytes, headers: dict, timeout: float) -> bytes:
    """One HTTP exchange that is over (connected, sent, answered) within ``timeout`` seconds.

    ``socket`` timeouts bound each read, not the whole answer, so a server
    sending a byte a second would never time out; a timer shuts the socket
    down at the deadline instead.
    """
    parts = urllib.parse.urlsplit(url)
    shown = redact(url)
    conn_class = http.client.HTTPSConnection if parts.scheme == "https" else http.client.HTTPConnection
    kwargs = {"context": ssl.create_default_context()} if parts.scheme == "https" else {}
    conn = conn_class(parts.hostname, parts.port, timeout=timeout, **kwargs)
    expired = threading.Event()

    def expire() -> None:
        expired.set()
        sock = conn.sock
        if sock is not None:
            try:
                sock.shutdown(socket.SHUT_RDWR)
            except OSError:
                pass

    timer = threading.Timer(timeout, expire)
    timer.daemon = True
    timer.start()
    path = urllib.parse.urlunsplit(("", "", parts.path or "/", parts.query, ""))
    try:
        try:
            conn.connect()
        except (socket.timeout, TimeoutError):
            raise Unreachable(f"{method} {shown}: cannot reach the store (no connection within {timeout:g} s, "
                              "--timeout)") from None
        except OSError as err:
            raise Unreachable(f"{method} {shown}: cannot reach the store ({err.strerror or err})") from None
        conn.request(method, path, body=body, headers={**headers, "Content-Length": str(len(body))})
        resp = conn.getresponse()
        data = resp.read()
        if expired.is_set():
            raise socket.timeout()
    except (socket.timeout, TimeoutError):
        raise NoAnswer(f"{method} {shown}: no answer within {timeout:g} s (--timeout)") from None
    except (OSError, http.client.HTTPException) as err:
        if expired.is_set():
            raise NoAnswer(f"{method} {shown}: no answer within {timeout:g} s (--timeout)") from None
        reason = getattr(err, "strerror", None) or err.__class__.__name__ + (f": {err}" if str(err) else "")
        raise LoadError(f"{method} {shown}: the exchange with the store failed ({reason})") from None
    finally:
        timer.cancel()
        conn.close()
    if not 200 <= resp.status < 300:
        detail = data[:300].decode("utf-8", "replace").strip()
        raise LoadError(f"{method} {shown}: HTTP {resp.status} {resp.reason}" + (f": {detail}" if detail else ""))
    return data


def _graph_ref(graph: str | None) -> str:
    return "DEFAULT" if graph is None else f"GRAPH <{graph}>"


def swap_update(moves: list[tuple[str, str | None]], empty: list[str | None], append: bool) -> str:
    """The one SPARQL Update request that puts the staged graphs in place."""
    ops = []
    for staging, target in moves:
        if append:
            ops += [f"ADD GRAPH <{staging}> TO {_graph_ref(target)}", f"DROP SILENT GRAPH <{staging}>"]
        else:
            ops.append(f"MOVE GRAPH <{staging}> TO {_graph_ref(target)}")
    if not append:
        ops += [f"CLEAR SILENT {_graph_ref(g)}" for g in empty]
    return " ;\n".join(ops)


# ---------------------------------------------------------------- the load

def load(path: Path | str, endpoint: str, graph: str | None = None, append: bool = False,
         chunk: int = CHUNK_TRIPLES, user: str | None = None, password: str | None = None,
         timeout: float = DEFAULT_TIMEOUT_S, update_endpoint: str | None = None,
         warn: Callable[[str], None] | None = None) -> LoadReport:
    """Send the graph file to ``endpoint`` (a Graph Store Protocol URL); see the module's docstring."""
    if not timeout > 0:
        raise LoadError(f"--timeout must be more than 0 seconds (got {timeout:g})")
    if chunk < 1:
        raise LoadError(f"--chunk must be at least 1 (got {chunk})")
    store = split_credentials(endpoint, user, password)
    update = update_url(store.url, update_endpoint)
    path = Path(path)
    counts = plan(path, graph)
    warning = plain_http_warning(store)
    if warning and warn:
        warn(warning)
    headers = {"Content-Type": "application/n-triples", **store.auth_header}
    run = uuid.uuid4().hex
    staging = {key: f"{STAGING_PREFIX}{run}:{i}" for i, key in enumerate(counts)}
    sent: set[str] = set()
    requests = 0
    try:
        for key, body, _ in read_chunks(path, chunk, graph):
            try:
                request("POST", target_url(store.url, staging[key]), body, headers, timeout)
            except Unreachable:
                raise
            except LoadError:
                sent.add(staging[key])
                raise
            sent.add(staging[key])
            requests += 1
        empty = [graph] if not counts and not append else []
        text = swap_update([(staging[k], k) for k in counts], empty, append)
        if text:
            try:
                request("POST", update, text.encode("utf-8"),
                        {"Content-Type": "application/sparql-update", **store.auth_header}, timeout)
            except NoAnswer as err:
                verb, done = ("ADD", "added to") if append else ("MOVE", "replaced")
                raise _Unconfirmed(f"{err}: the store did not confirm the final {verb}, so the target may or "
                                   f"may not have been {done}; staging graphs that may remain: "
                                   f"{', '.join(sorted(sent)) or 'none'}") from None
            requests += 1
    except LoadError as err:
        if isinstance(err, _Unconfirmed):
            raise LoadError(str(err)) from None
        left = _drop_staging(store, sent, headers, timeout)
        note = "the target was not changed"
        if left:
            note += f"; the staging graphs {', '.join(left)} could not be deleted"
        raise LoadError(f"{err}; {note}") from None
    shown = target_url(store.url, graph if graph or not counts else next(iter(counts))) \
        if len(counts) <= 1 else store.url
    return LoadReport(sum(counts.values()), requests, shown, counts)


class _Unconfirmed(LoadError):
    pass


def _drop_staging(store: Endpoint, graphs: set[str], headers: dict, timeout: float) -> list[str]:
    """Delete the staging graphs (Graph Store DELETE); the ones that could not be deleted."""
    left = []
    for g in sorted(graphs):
        try:
            request("DELETE", target_url(store.url, g), b"", {k: v for k, v in headers.items()
                                                               if k != "Content-Type"}, timeout)
        except LoadError as err:
            if "HTTP 404" not in str(err):
                left.append(g)
    return left
