"""SPARQL over a built graph: an embedded Oxigraph store, saved queries, result formats.

Why Oxigraph (pyoxigraph) and not rdflib's engine: rdflib evaluates SPARQL in
Python and slows to seconds on graphs of a few hundred thousand triples;
Oxigraph is a compiled SPARQL 1.1 engine over RocksDB. Parsing the Turtle is
the slow part of a query on a large graph, so the loaded store is kept on
disk beside the graph (``<graph folder>/.store/<hash of the graph file>/``)
and reused while the file is unchanged: the first query loads, later ones open
the store read-only at once. A changed graph file has another hash and so
another store; only the few most recently used are kept.

Saved queries are ``.rq`` files in :mod:`kg.queries`. Their parameters are
written in standard SPARQL as ``VALUES ?name { UNDEF }`` — the query runs
unchanged on any endpoint (every row), and :func:`bind_params` replaces
``UNDEF`` with a string literal to narrow it. The bound text is plain SPARQL,
so the same rows come back from ``kg query``, ``kg serve`` or another server.
"""
from __future__ import annotations

import contextlib
import csv
import hashlib
import io
import json
import os
import re
import shutil
import tempfile
import time
import unicodedata
from dataclasses import dataclass, field
from importlib import resources
from pathlib import Path
from typing import Iterable

import pyoxigraph as ox

from kg.namespaces import DEFAULT_BASE_IRI
from kg.rdf import PREFIXES as _RDF_PREFIXES

PREFIXES: dict[str, str] = {
    **{k: str(v) for k, v in _RDF_PREFIXES.items()},
    "rdf": "http://www.w3.org/1999/02/22-rdf-syntax-ns#",
}
"""Prefixes every query may use without declaring them (saved queries still declare theirs)."""

RDF_FORMATS = {
    ".ttl": ox.RdfFormat.TURTLE, ".turtle": ox.RdfFormat.TURTLE, ".nt": ox.RdfFormat.N_TRIPLES,
    ".nq": ox.RdfFormat.N_QUADS, ".trig": ox.RdfFormat.TRIG, ".jsonld": ox.RdfFormat.JSON_LD,
    ".json": ox.RdfFormat.JSON_LD, ".rdf": ox.RdfFormat.RDF_XML, ".xml": ox.RdfFormat.RDF_XML,
    ".owl": ox.RdfFormat.RDF_XML, ".n3": ox.RdfFormat.N3,
}
QUAD_FORMATS = {ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG}
RESULT_FORMATS = ("table", "csv", "tsv", "json", "xml")
_STORE_DIR = ".store"
_KEEP_STORES = 3
_PARAM = re.compile(r"VALUES\s+\?(\w+)\s*\{\s*UNDEF\s*\}", re.I)


class GraphFileError(Exception):
    """The graph file is missing or is not RDF that can be read."""


class QueryError(Exception):
    """The query is not valid SPARQL, names an unknown saved query or parameter, or fails to run."""


# ---------------------------------------------------------------- the store

def graph_format(path: Path) -> ox.RdfFormat:
    return RDF_FORMATS.get(path.suffix.lower(), ox.RdfFormat.TURTLE)


def file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def _check_graph_file(path: Path) -> None:
    if not path.exists():
        raise GraphFileError(f"{path}: graph file not found")
    if not path.is_file():
        raise GraphFileError(f"{path}: not a file")


def _load(store: ox.Store, path: Path, bulk: bool) -> None:
    fmt = graph_format(path)
    try:
        if bulk:
            store.bulk_load(path=str(path), format=fmt)
        else:
            store.load(path=str(path), format=fmt)
    except SyntaxError as err:
        raise GraphFileError(f"{path}: not valid {fmt.name}: {err}") from None
    except (OSError, ValueError) as err:
        raise GraphFileError(f"{path}: cannot be read: {err}") from None


def store_dir(path: Path | str, digest: str | None = None) -> Path:
    """Where the on-disk store of ``path`` is (or would be) cached."""
    path = Path(path)
    return path.parent / _STORE_DIR / (digest or file_digest(path))[:24]


def cached_store_path(graph_path: Path | str) -> Path:
    """The on-disk store of the graph, loading it first if it is not cached yet.

    The store is loaded into a temporary folder and renamed into place, so a
    reader never sees half a store and two processes loading at once both
    end up with one complete store. Raises :class:`GraphFileError`.
    """
    path = Path(graph_path)
    _check_graph_file(path)
    target = store_dir(path)
    if not (target / ".complete").exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        tmp = Path(tempfile.mkdtemp(prefix=".loading-", dir=target.parent))
        try:
            store = ox.Store(str(tmp / "db"))
            _load(store, path, bulk=True)
            store.flush()
            store.optimize()
            del store
            (tmp / "db" / ".complete").touch()
            if target.exists():
                shutil.rmtree(target, ignore_errors=True)
            try:
                os.rename(tmp / "db", target)
            except OSError:
                if not (target / ".complete").exists():
                    raise
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
        _prune(target)
    with contextlib.suppress(OSError):
        os.utime(target / ".complete")
    return target


def _prune(keep: Path) -> None:
    """Drop all but the few most recently used stores of this folder."""
    stores = [p for p in keep.parent.iterdir() if (p / ".complete").exists()]
    stores.sort(key=lambda p: (p / ".complete").stat().st_mtime, reverse=True)
    for old in stores[_KEEP_STORES:]:
        if old != keep:
            shutil.rmtree(old, ignore_errors=True)


def open_store(graph_path: Path | str, cache: bool = True) -> ox.Store:
    """A store holding the graph: the cached on-disk one, read-only, or an in-memory one.

    Falls back to memory when the graph's folder cannot hold a cache.
    """
    path = Path(graph_path)
    _check_graph_file(path)
    if cache:
        try:
            return ox.Store.read_only(str(cached_store_path(path)))
        except GraphFileError:
            raise
        except OSError:
            pass
    store = ox.Store()
    _load(store, path, bulk=False)
    return store


def disk_store(graph_path: Path | str, folder: Path | str) -> ox.Store:
    """The graph bulk-loaded into a new on-disk store in ``folder``.

    On-disk stores list quads in key order, a function of the content alone;
    exports use one even without the cache so their bytes never depend on how
    the store was made.
    """
    path = Path(graph_path)
    _check_graph_file(path)
    store = ox.Store(str(folder))
    _load(store, path, bulk=True)
    return store


def union_default_graph(graph_path: Path | str) -> bool:
    """Whether queries should see all named graphs as the default graph (a quad file)."""
    return graph_format(Path(graph_path)) in QUAD_FORMATS


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
        raise QueryError(f"invalid SPARQL: {_short(str(err))}") from None
    except (OSError, ValueError, TypeError, RuntimeError) as err:
        raise QueryError(f"query failed: {err}") from None


def _short(message: str) -> str:
    """Oxigraph lists every token it expected; the position is what helps."""
    head, sep, _ = message.partition(": expected one of")
    return head + ": unexpected input" if sep and len(message) > 200 else message


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
    store = open_store(graph_path, cache)
    return materialize(execute(store, sparql, union_default_graph(graph_path)), started)


def run_saved(graph_path: Path | str, name: str, params: dict[str, str] | None = None,
              cache: bool = True) -> QueryResult:
    return run_query(graph_path, saved_query(name).text, params, cache)


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
    return re.sub(r"\s+", " ", term.value)


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
                params: dict[str, str] | None = None, cache: bool = True, max_width: int = 80) -> None:
    """Run a query and write its result to a binary stream.

    csv, tsv, json and xml are streamed by Oxigraph's own writers straight to
    ``out``, so a large result is never held in memory; a table has to be
    measured first and is materialised.
    """
    if fmt not in RESULT_FORMATS and fmt not in _GRAPH_FORMAT:
        raise QueryError(f"unknown format {fmt!r}; use one of {', '.join(RESULT_FORMATS)}")
    sparql = bind_params(sparql, params)
    store = open_store(graph_path, cache)
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
