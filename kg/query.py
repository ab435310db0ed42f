"""SPARQL over a built graph: saved queries, running a query, result formats.

Why Oxigraph (pyoxigraph) and not rdflib's engine: rdflib evaluates SPARQL in
Python and slows to seconds on graphs of a few hundred thousand triples;
Oxigraph is a compiled SPARQL 1.1 engine over RocksDB. The store a query runs
on is cached beside the graph by :mod:`kg.store`.

Saved queries are ``.rq`` files in :mod:`kg.queries`. Their parameters are
written in standard SPARQL as ``VALUES ?name { UNDEF }`` — the query runs
unchanged on any endpoint (every row), and :func:`bind_params` replaces
``UNDEF`` with a string literal to narrow it. The bound text is plain SPARQL,
so the same rows come back from ``kg query``, ``kg serve`` or another server.
"""
from __future__ import annotations

import csv
import io
import json
import re
import signal
import threading
import time
import unicodedata
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Callable, Iterable

import pyoxigraph as ox

from kg.namespaces import DEFAULT_BASE_IRI
from kg.namespaces import PREFIX_IRIS as _RDF_PREFIXES
from kg.store import (QUAD_FORMATS, RDF_FORMATS, GraphFileError, cached_store_path, disk_store,  # noqa: F401
                      file_digest, graph_format, open_store, opened_store, store_dir, union_default_graph)

PREFIXES: dict[str, str] = {
    **{k: str(v) for k, v in _RDF_PREFIXES.items()},
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
}
"""Prefixes every query may use without declaring them (saved queries still declare theirs)."""

RESULT_FORMATS = ("table", "csv", "tsv", "json", "xml")
_PARAM = re.compile(r"VALUES\s+\?(\w+)\s*\{\s*UNDEF\s*\}", re.I)


class QueryError(Exception):
    """The query is not valid SPARQL, names an unknown saved query or parameter, or fails to run."""


class QuerySyntaxError(QueryError):
    """The text is not a query kg can run: invalid SPARQL, or SPARQL Update."""


class QueryStopped(QueryError):
    """The query was stopped before it finished: past its time limit, or by Ctrl-C or SIGTERM."""

    def __init__(self, message: str, exit_code: int) -> None:
        super().__init__(message)
        self.exit_code = exit_code


# ---------------------------------------------------------------- saved queries

@dataclass(frozen=True)
class SavedQuery:
    name: str
    description: str
    params: dict[str, str]
    text: str
    path: Path


def _queries_dir() -> Path:
    return Path(str(resources.files("kg") / "queries"))


def _parse_saved(path: Path) -> SavedQuery:
    text = path.read_text(encoding="utf-8")
    description, params = [], {}
    for line in text.splitlines():
        if not line.startswith("#"):
            break
        body = line[1:].strip()
        m = re.match(r"param\s+\?(\w+)\s*[:—-]?\s*(.*)", body)
        if m:
            params[m.group(1)] = m.group(2).strip()
        elif body and not params:
            description.append(body)
    return SavedQuery(path.stem, " ".join(description), params, text, path)


def saved_queries() -> dict[str, SavedQuery]:
    """The saved queries by name, in name order."""
    return {p.stem: _parse_saved(p) for p in sorted(_queries_dir().glob("*.rq"))}


def saved_query(name: str) -> SavedQuery:
    queries = saved_queries()
    if name not in queries:
        raise QueryError(f"no saved query named {name!r} (kg query GRAPH --list shows them)")
    return queries[name]


def resolve_query(spec: str) -> str:
    """The SPARQL text of ``spec``: a ``.rq`` file path, the name of a saved query, or inline SPARQL."""
    if re.fullmatch(r"[\w.\-/\\~]+", spec):
        p = Path(spec).expanduser()
        if p.is_file():
            return p.read_text(encoding="utf-8")
        if spec in saved_queries():
            return saved_queries()[spec].text
        if spec.endswith(".rq") or "/" in spec:
            raise QueryError(f"{spec}: query file not found")
        raise QueryError(f"{spec!r} is neither a query file, a saved query nor SPARQL (kg query GRAPH --list)")
    return spec


def query_params(sparql: str) -> list[str]:
    """The parameters (``VALUES ?p { UNDEF }``) a query declares, in order."""
    return list(dict.fromkeys(_PARAM.findall(sparql)))


def sparql_string(value: str) -> str:
    escaped = (value.replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n")
               .replace("\r", "\\r").replace("\t", "\\t"))
    return f'"{escaped}"'


def bind_params(sparql: str, params: dict[str, str] | None) -> str:
    """The query with each given parameter's ``UNDEF`` replaced by the value as a string literal."""
    if not params:
        return sparql
    declared = query_params(sparql)
    unknown = sorted(set(params) - set(declared))
    if unknown:
        have = ", ".join(declared) or "none"
        raise QueryError(f"the query has no parameter {', '.join(unknown)} (its parameters: {have})")

    def sub(m: re.Match) -> str:
        name = m.group(1)
        if name in params:
            return f"VALUES ?{name} {{ {sparql_string(params[name])} }}"
        return m.group(0)

    return _PARAM.sub(sub, sparql)


# ---------------------------------------------------------------- running queries

@dataclass
class QueryResult:
    """A finished query: ``kind`` is ``select``, ``ask`` or ``graph`` (CONSTRUCT/DESCRIBE)."""

    kind: str
    variables: list[str] = field(default_factory=list)
    rows: list[tuple] = field(default_factory=list)
    boolean: bool | None = None
    triples: list = field(default_factory=list)
    seconds: float = 0.0

    def values(self) -> list[tuple[str | None, ...]]:
        """Rows as plain strings (an IRI's text, a literal's lexical form; None when unbound)."""
        return [tuple(None if t is None else t.value for t in row) for row in self.rows]

    def records(self) -> list[dict[str, str]]:
        """Rows as dicts of the bound variables' plain values."""
        return [{v: t.value for v, t in zip(self.variables, row) if t is not None} for row in self.rows]

    def serialize(self, fmt: str = "table", **kwargs) -> bytes:
        return format_result(self, fmt, **kwargs)


def execute(store: ox.Store, sparql: str, union: bool = False, **kwargs):
    """Run SPARQL on a store; the lazy pyoxigraph result. Raises :class:`QueryError`."""
    try:
        return store.query(sparql, prefixes=PREFIXES, use_default_graph_as_union=union, **kwargs)
    except SyntaxError as err:
        raise QuerySyntaxError(_syntax_message(sparql, str(err))) from None
    except (OSError, ValueError, TypeError, RuntimeError) as err:
        raise QueryError(f"query failed: {err}") from None


_UPDATE = re.compile(r"(?:\s|#[^\n]*\n|(?:PREFIX\s+[\w.\-]*:\s*|BASE\s+)<[^>]*>)*"
                     r"(INSERT|DELETE|LOAD|CLEAR|CREATE|DROP|COPY|MOVE|ADD|WITH)\b", re.I)
_POSITION = re.compile(r"error at (\d+):(\d+)")


def _syntax_message(sparql: str, message: str) -> str:
    """What is wrong, in words: an update, an undeclared prefix, or where parsing stopped."""
    update = _UPDATE.match(sparql)
    if update:
        return (f"SPARQL Update ({update.group(1).upper()}) is not supported: queries only read the graph; "
                "give a SELECT, ASK, CONSTRUCT or DESCRIBE query")
    where = _POSITION.search(message)
    if where and "Prefix not found" in message:
        line, column = int(where.group(1)), int(where.group(2))
        lines = sparql.split("\n")
        before = lines[line - 1][:column - 1] if 0 < line <= len(lines) else ""
        name = re.search(r"([A-Za-z][\w.\-]*)?:[^\s:]*$", before)
        if name:
            prefix, start = name.group(1) or "", len(before) - len(name.group(0)) + 1
            return (f"invalid SPARQL: undeclared prefix {prefix}: at {line}:{start}; "
                    f"declare it with PREFIX {prefix}: <…>")
    head, sep, _ = message.partition(": expected one of")
    return "invalid SPARQL: " + (head + ": unexpected input" if sep and len(message) > 200 else message)


def materialize(result, started: float | None = None) -> QueryResult:
    started = time.perf_counter() if started is None else started
    try:
        if isinstance(result, ox.QueryBoolean):
            out = QueryResult("ask", boolean=bool(result))
        elif isinstance(result, ox.QuerySolutions):
            variables = [v.value for v in result.variables]
            out = QueryResult("select", variables, [tuple(sol) for sol in result])
        else:
            out = QueryResult("graph", triples=list(result))
    except (OSError, ValueError, RuntimeError) as err:
        raise QueryError(f"query failed: {err}") from None
    out.seconds = time.perf_counter() - started
    return out


def run_query(graph_path: Path | str, sparql: str, params: dict[str, str] | None = None,
              cache: bool = True) -> QueryResult:
    """Run a SPARQL query (text, not a name: see :func:`resolve_query`) over a graph file.

    Raises :class:`GraphFileError` for a missing or unreadable graph and
    :class:`QueryError` for a bad query.
    """
    started = time.perf_counter()
    sparql = bind_params(sparql, params)
    with opened_store(graph_path, cache) as store:
        return materialize(execute(store, sparql, union_default_graph(graph_path)), started)


def run_saved(graph_path: Path | str, name: str, params: dict[str, str] | None = None,
              cache: bool = True) -> QueryResult:
    return run_query(graph_path, saved_query(name).text, params, cache)


class _Terminated(BaseException):
    pass


def _raise_terminated(signum, frame) -> None:
    raise _Terminated()


def run_stoppable(job: Callable[[threading.Event], None], timeout: float | None = None) -> None:
    """Run ``job`` in a thread and wait for it; :class:`QueryStopped` on timeout, Ctrl-C or SIGTERM.

    Why a thread: Oxigraph evaluates a query in native code, where Python's
    signal handlers never run, so a runaway query ignored Ctrl-C and SIGTERM.
    It releases the GIL while it works, so the main thread stays free to
    wait, to keep time and to receive signals. ``job`` sets the event it is
    given when the query starts; the time limit counts from then, so loading
    a graph into the cache does not use it up. A stopped job keeps running
    in its thread (nothing can stop native code from outside): the caller
    must end the process, as ``kg query`` does.
    """
    started = threading.Event()
    done = threading.Event()
    failure: list[BaseException] = []

    def target() -> None:
        try:
            job(started)
        except BaseException as err:  # noqa: BLE001 - handed to the waiting thread
            failure.append(err)
        finally:
            done.set()

    thread = threading.Thread(target=target, name="kg-query", daemon=True)
    in_main = threading.current_thread() is threading.main_thread()
    previous = signal.signal(signal.SIGTERM, _raise_terminated) if in_main else None
    deadline = None
    try:
        thread.start()
        while not done.wait(0.05):
            if timeout is not None and started.is_set():
                deadline = deadline or time.monotonic() + timeout
                if time.monotonic() >= deadline:
                    raise QueryStopped(f"the query ran past --timeout {timeout:g} s and was stopped", 1)
    except KeyboardInterrupt:
        raise QueryStopped("the query was interrupted (Ctrl-C)", 130) from None
    except _Terminated:
        raise QueryStopped("the query was stopped (SIGTERM)", 143) from None
    finally:
        if in_main:
            signal.signal(signal.SIGTERM, previous)
    if failure:
        raise failure[0]


# ---------------------------------------------------------------- output

_RESULTS_FORMAT = {"csv": ox.QueryResultsFormat.CSV, "tsv": ox.QueryResultsFormat.TSV,
                   "json": ox.QueryResultsFormat.JSON, "xml": ox.QueryResultsFormat.XML}
_GRAPH_FORMAT = {"table": ox.RdfFormat.TURTLE, "ttl": ox.RdfFormat.TURTLE, "nt": ox.RdfFormat.N_TRIPLES,
                 "json": ox.RdfFormat.JSON_LD, "jsonld": ox.RdfFormat.JSON_LD, "xml": ox.RdfFormat.RDF_XML}


def format_result(result: QueryResult, fmt: str = "table", max_width: int = 80,
                  base_iri: str = DEFAULT_BASE_IRI) -> bytes:
    """Serialise a result: ``table`` for people; csv, tsv, json, xml in the W3C SPARQL results formats.

    CONSTRUCT/DESCRIBE results are RDF: Turtle for ``table``/``ttl``, or
    N-Triples, JSON-LD, RDF/XML.
    """
    if result.kind == "graph":
        if fmt not in _GRAPH_FORMAT:
            raise QueryError(f"a CONSTRUCT/DESCRIBE result has no {fmt} form; use one of {', '.join(_GRAPH_FORMAT)}")
        return ox.serialize(result.triples, format=_GRAPH_FORMAT[fmt], prefixes=PREFIXES)
    if fmt == "table":
        return (format_table(result, max_width, base_iri) + "\n").encode("utf-8")
    if fmt not in _RESULTS_FORMAT:
        raise QueryError(f"unknown result format {fmt!r}; use one of {', '.join(RESULT_FORMATS)}")
    if result.kind == "ask":
        return _ask_result(result.boolean, fmt)
    return _solutions_bytes(result, _RESULTS_FORMAT[fmt])


def _prefixes(base_iri: str) -> dict[str, str]:
    return {**PREFIXES, "id": base_iri}


def _ask_result(value: bool, fmt: str) -> bytes:
    store = ox.Store()
    return store.query("ASK {}" if value else "ASK { FILTER(false) }").serialize(format=_RESULTS_FORMAT[fmt])


def _solutions_bytes(result: QueryResult, fmt: ox.QueryResultsFormat) -> bytes:
    """Re-serialise materialised rows through Oxigraph's own writers, so the formats stay standard."""
    store = ox.Store()
    if not result.variables:
        return store.query("SELECT * WHERE { FILTER(false) }").serialize(format=fmt)
    names = " ".join(f"?{v}" for v in result.variables)
    rows = " ".join("(" + " ".join("UNDEF" if t is None else _term_sparql(t) for t in row) + ")"
                    for row in result.rows)
    return store.query(f"SELECT {names} WHERE {{ VALUES ({names}) {{ {rows} }} }}").serialize(format=fmt)


def _term_sparql(t) -> str:
    if isinstance(t, ox.BlankNode):
        return f"<urn:x-blank:{t.value}>"
    return str(t)


def display_width(text: str) -> int:
    """Columns the text takes in a terminal: East Asian wide and full-width characters take two."""
    width = 0
    for ch in text:
        if unicodedata.combining(ch) or unicodedata.category(ch) in ("Cf", "Mn", "Me"):
            continue
        width += 2 if unicodedata.east_asian_width(ch) in ("W", "F") else 1
    return width


def _clip(text: str, limit: int) -> str:
    if limit <= 0 or display_width(text) <= limit:
        return text
    out, width = [], 0
    for ch in text:
        w = display_width(ch)
        if width + w > limit - 1:
            break
        out.append(ch)
        width += w
    return "".join(out) + "…"


def _pad(text: str, width: int) -> str:
    return text + " " * (width - display_width(text))


def compact_iri(iri: str, base_iri: str = DEFAULT_BASE_IRI) -> str:
    for prefix, ns in sorted(_prefixes(base_iri).items(), key=lambda kv: -len(kv[1])):
        if iri.startswith(ns) and len(iri) > len(ns):
            return f"{prefix}:{iri[len(ns):]}"
    return f"<{iri}>"


def cell_text(term, base_iri: str = DEFAULT_BASE_IRI) -> str:
    if term is None:
        return ""
    if isinstance(term, ox.NamedNode):
        return compact_iri(term.value, base_iri)
    if isinstance(term, ox.BlankNode):
        return f"_:{term.value}"
    return visible(re.sub(r"\s+", " ", term.value))


_CONTROL = re.compile(r"[\x00-\x1f\x7f-\x9f]")


def visible(text: str) -> str:
    """Control characters (NUL, ESC, C1 codes such as CSI) as ``\\xNN``: a table is printed to a
    terminal, which would obey an escape sequence in a literal."""
    return _CONTROL.sub(lambda m: f"\\x{ord(m.group()):02x}", text)


def format_table(result: QueryResult, max_width: int = 80, base_iri: str = DEFAULT_BASE_IRI) -> str:
    """An aligned text table; columns measured in display width, long cells clipped with …"""
    if result.kind == "ask":
        return "true" if result.boolean else "false"
    header = list(result.variables)
    body = [[_clip(cell_text(t, base_iri), max_width) for t in row] for row in result.rows]
    widths = [max([display_width(h)] + [display_width(r[i]) for r in body]) for i, h in enumerate(header)]
    lines = ["  ".join(_pad(h, w) for h, w in zip(header, widths)).rstrip(),
             "  ".join("─" * w for w in widths)]
    lines += ["  ".join(_pad(c, w) for c, w in zip(r, widths)).rstrip() for r in body]
    n = len(body)
    lines.append(f"({n} row{'s' if n != 1 else ''})")
    return "\n".join(lines)


def records_csv(records: Iterable[dict], columns: list[str]) -> str:
    """Plain CSV of records (for notebooks and reports; the W3C form is :func:`format_result`)."""
    buf = io.StringIO()
    w = csv.DictWriter(buf, columns, lineterminator="\n")
    w.writeheader()
    w.writerows(records)
    return buf.getvalue()


def result_json(result: QueryResult) -> dict:
    return json.loads(format_result(result, "json"))


def write_query(graph_path: Path | str, sparql: str, out, fmt: str = "table",
                params: dict[str, str] | None = None, cache: bool = True, max_width: int = 80,
                started: threading.Event | None = None) -> None:
    """Run a query and write its result to a binary stream.

    csv, tsv, json and xml are streamed by Oxigraph's own writers straight to
    ``out``, so a large result is never held in memory; a table has to be
    measured first and is materialised. ``started`` is set when the store is
    open and the query begins (see :func:`run_stoppable`).
    """
    if fmt not in RESULT_FORMATS and fmt not in _GRAPH_FORMAT:
        raise QueryError(f"unknown format {fmt!r}; use one of {', '.join(RESULT_FORMATS)}")
    sparql = bind_params(sparql, params)
    with opened_store(graph_path, cache) as store:
        if started is not None:
            started.set()
        raw = execute(store, sparql, union_default_graph(graph_path))
        if fmt == "table" or (isinstance(raw, ox.QueryTriples) and fmt not in _GRAPH_FORMAT):
            out.write(format_result(materialize(raw), fmt, max_width))
            return
        try:
            if isinstance(raw, ox.QueryTriples):
                ox.serialize(raw, out, _GRAPH_FORMAT[fmt], prefixes=PREFIXES)
            elif fmt in _RESULTS_FORMAT:
                raw.serialize(out, _RESULTS_FORMAT[fmt])
            else:
                raise QueryError(f"a SELECT/ASK result has no {fmt} form; use one of {', '.join(RESULT_FORMATS)}")
        except (OSError, RuntimeError) as err:
            raise QueryError(f"query failed: {err}") from None
