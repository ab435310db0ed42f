"""Where the build's stream of triples goes: interchangeable sinks.

A build makes each document's triples once (:func:`kg.rdf.document_triples`,
in a worker) and each entity's once (:func:`kg.rdf.entity_triples`, in the
building process). A sink consumes that stream in two halves:

* its **encoder** runs where a document's triples are made and reduces them
  to what the sink keeps of one document (Turtle blocks, N-Triples lines, the
  page graph's share, or the triples themselves); encoders are small and
  picklable, sent to each worker once;
* the sink itself, in the building process, **absorbs** each document's
  part in document order, then the entities' triples, and **closes**:
  writes its file atomically, or holds the finished graph or store.

Sinks: :class:`GraphSink` (an rdflib ``Graph``: ``kg.build_graph``),
:class:`TurtleSink` (``graph.ttl``, rdflib's exact bytes, through sorted runs
on disk), :class:`LineSink` (``graph.nt`` / ``graph.nq``, written as the
documents come), :class:`OxigraphSink` (a ``pyoxigraph.Store``),
:class:`NetworkSink` and :class:`HtmlSink` (the page's networkx graph and
``graph.html``). One build may feed several: ``kg build`` feeds the Turtle
and the HTML sinks from one pass.
"""
from __future__ import annotations

import contextlib
import shutil
import tempfile
from collections import Counter
from pathlib import Path

from rdflib import Literal, URIRef

from kg.files import atomic_write, naming
from kg.rdf import document_prefixes
from kg.serialize import RunFile, TurtleFormat, TurtleTable, nt_line, write_turtle_stream

#: characters of Turtle blocks held before a sorted run goes to disk
RUN_CHARS = 32_000_000


class Sink:
    """The interface; see the module docstring. ``triples``: distinct triples it holds or
    wrote, once closed (None for sinks that are not RDF)."""

    triples: int | None = None

    def encoder(self):
        raise NotImplementedError

    def start(self) -> None:
        """Called once, before the first document."""

    def absorb(self, part) -> None:
        raise NotImplementedError

    def add_entity_triples(self, triples: list) -> None:
        raise NotImplementedError

    def close(self) -> None:
        """After the last entity: finish (write the file, make the graph)."""

    def abort(self) -> None:
        """The build failed: leave nothing half-written."""


def _triple_key(s, p, o) -> tuple:
    """A triple as plain strings: rdflib terms hash and compare in Python, strings in C."""
    if type(o) is Literal:
        return (str(s), str(p), str(o), o.language, str(o.datatype))
    return (str(s), str(p), str(o))


class _Locality:
    """Tells the nodes of one document (:func:`kg.rdf.document_prefixes`) from shared ones."""

    def __init__(self, base: str, doc_id: str):
        self.prefixes = document_prefixes(base, doc_id)

    def __call__(self, node) -> bool:
        return type(node) is URIRef and str.startswith(node, self.prefixes)  # rdflib's startswith takes no tuple


# ------------------------------------------------------------------ rdflib Graph


class _GraphEncoder:
    def __call__(self, doc_id: str, triples: list) -> list:
        return triples


class GraphSink(Sink):
    """The stream into an rdflib ``Graph`` (for notebooks and small corpora)."""

    def __init__(self, graph):
        self.graph = graph

    def encoder(self):
        return _GraphEncoder()

    def absorb(self, part: list) -> None:
        add = self.graph.add
        for triple in part:
            add(triple)

    add_entity_triples = absorb

    def close(self) -> None:
        self.triples = len(self.graph)


# ------------------------------------------------------------------ Turtle


class _TurtleEncoder:
    """A document's Turtle: the blocks of its own subjects, spelt in the worker, and the
    triples of shared subjects (entities, award receipts), which the building process
    writes once; plus how often its subjects refer to shared IRIs (rdflib orders blocks
    by references)."""

    def __init__(self, namespaces: dict[str, str], base: str):
        self.namespaces, self.base = namespaces, base
        self._fmt = None

    def __getstate__(self):
        return {"namespaces": self.namespaces, "base": self.base, "_fmt": None}

    def __call__(self, doc_id: str, triples: list) -> tuple:
        if self._fmt is None:  # one per process: it memoises how each vocabulary IRI is spelt
            self._fmt = TurtleFormat(self.namespaces, self.base)
        is_local = _Locality(self.base, doc_id)
        table = TurtleTable(self._fmt)
        shared: list = []
        seen_shared: set = set()
        ext_refs: Counter = Counter()
        local_subjects: set[str] = set()
        count = 0
        for triple in triples:
            s, p, o = triple
            s_local = is_local(s)
            if not s_local and not is_local(o):
                key = _triple_key(s, p, o)
                if key not in seen_shared:
                    seen_shared.add(key)
                    shared.append(triple)
                continue
            if not table.add(triple):
                continue
            if not s_local:  # a shared subject's block is written centrally; the reference is counted here
                shared.append(triple)
                continue
            local_subjects.add(str(s))
            if type(o) is URIRef and not is_local(o):
                ext_refs[str(o)] += 1
            count += 1
        return table.blocks(subjects=local_subjects), shared, dict(ext_refs), dict(self._fmt.used), count


class TurtleSink(Sink):
    """``graph.ttl`` with the bytes rdflib would write for the whole graph (:mod:`kg.serialize`),
    in bounded memory: documents' blocks go to sorted runs on disk and are merged at the end."""

    def __init__(self, path: Path | str, namespaces: dict[str, str], base: str):
        self.path = Path(path)
        self.namespaces, self.base = namespaces, base
        self.central_fmt = TurtleFormat(namespaces, base)
        self.central = TurtleTable(self.central_fmt)
        self.ext_refs: Counter = Counter()
        self.prefixes: dict[str, str] = {}
        self.runs: list[RunFile] = []
        self.held: list = []
        self.size = 0
        self.local = 0
        self._tmp: Path | None = None

    def encoder(self):
        return _TurtleEncoder(self.namespaces, self.base)

    def start(self) -> None:
        parent = self.path.parent
        parent.mkdir(parents=True, exist_ok=True)
        self._tmp = Path(tempfile.mkdtemp(prefix=".kg-sort-", dir=parent))

    def absorb(self, part: tuple) -> None:
        blocks, shared, ext_refs, prefixes, count = part
        for triple in shared:
            self.central.add(triple)
        self.ext_refs.update(ext_refs)
        self.prefixes.update(prefixes)
        self.local += count
        self.held.extend(blocks)
        self.size += sum(len(b[2]) for b in blocks)
        if self.size >= RUN_CHARS:
            self.held.sort()
            run = self._tmp / f"run{len(self.runs)}"
            with naming(run):
                self.runs.append(RunFile.write(run, self.held))
            self.held, self.size = [], 0

    def add_entity_triples(self, triples: list) -> None:
        for triple in triples:
            self.central.add(triple)

    def close(self) -> None:
        try:
            self.held.sort()
            shared = self.central.blocks(extra_refs=self.ext_refs)
            self.prefixes.update(self.central_fmt.used)
            with atomic_write(self.path, "w", encoding="utf-8") as f:
                write_turtle_stream(f, self.prefixes, [*self.runs, self.held, shared])
            self.triples = self.local + self.central.count
        finally:
            self.abort()

    def abort(self) -> None:
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None


# ------------------------------------------------------------------ N-Triples, N-Quads


class _LineEncoder:
    """A document's lines: its own (sorted, written as they come) and the shared ones."""

    def __init__(self, base: str, graph_iri: str | None):
        self.base, self.graph_iri = base, graph_iri

    def __call__(self, doc_id: str, triples: list) -> tuple:
        is_local = _Locality(self.base, doc_id)
        local: set[str] = set()
        shared: set[str] = set()
        for triple in triples:
            s, _, o = triple
            (local if is_local(s) or is_local(o) else shared).add(nt_line(triple, self.graph_iri))
        return "".join(sorted(local)), sorted(shared), len(local)


class LineSink(Sink):
    """``graph.nt`` (or ``graph.nq`` into the named graph ``graph_iri``): each document's lines
    as it comes, then the shared lines once, sorted."""

    def __init__(self, path: Path | str, base: str, graph_iri: str | None = None):
        self.path, self.base, self.graph_iri = Path(path), base, graph_iri
        self.shared: set[str] = set()
        self.local = 0
        self._stack = contextlib.ExitStack()
        self._file = None

    def encoder(self):
        return _LineEncoder(self.base, self.graph_iri)

    def start(self) -> None:
        self._file = self._stack.enter_context(atomic_write(self.path, "w", encoding="utf-8"))

    def absorb(self, part: tuple) -> None:
        text, shared, count = part
        with naming(self.path):
            self._file.write(text)
        self.shared.update(shared)
        self.local += count

    def add_entity_triples(self, triples: list) -> None:
        self.shared.update(nt_line(t, self.graph_iri) for t in triples)

    def close(self) -> None:
        with naming(self.path):
            self._file.writelines(sorted(self.shared))
            self._stack.close()
        self.triples = self.local + len(self.shared)

    def abort(self) -> None:
        with contextlib.suppress(BaseException):
            self._stack.__exit__(RuntimeError, RuntimeError("build failed"), None)


# ------------------------------------------------------------------ Oxigraph


class _NTriplesEncoder:
    def __call__(self, doc_id: str, triples: list) -> str:
        return "".join(nt_line(t) for t in triples)


class OxigraphSink(Sink):
    """The stream into a ``pyoxigraph.Store`` (a new in-memory one unless given), into its
    default graph or the named graph ``graph_iri``; the store drops repeated triples itself."""

    def __init__(self, store=None, graph_iri: str | None = None):
        import pyoxigraph as ox

        self.store = store if store is not None else ox.Store()
        self._format = ox.RdfFormat.N_TRIPLES
        self._graph = ox.NamedNode(graph_iri) if graph_iri else ox.DefaultGraph()

    def encoder(self):
        return _NTriplesEncoder()

    def absorb(self, part: str) -> None:
        if part:
            self.store.load(part, format=self._format, to_graph=self._graph)

    def add_entity_triples(self, triples: list) -> None:
        self.absorb(_NTriplesEncoder()("", triples))

    def close(self) -> None:
        self.triples = len(self.store)


# ------------------------------------------------------------------ the page


class _NetworkEncoder:
    def __call__(self, doc_id: str, triples: list):
        from kg.network import NetworkBuilder

        builder = NetworkBuilder()
        for triple in triples:
            builder.add(triple)
        return builder.part()


class NetworkSink(Sink):
    """The page's networkx graph (:mod:`kg.network`), drawn from the stream's entity layer:
    per document only its mentions, sentences and evidence, reduced in the worker."""

    def __init__(self):
        from kg.network import NetworkBuilder

        self.builder = NetworkBuilder()
        self.graph = None

    def encoder(self):
        return _NetworkEncoder()

    def absorb(self, part) -> None:
        self.builder.absorb(part)

    def add_entity_triples(self, triples: list) -> None:
        for triple in triples:
            self.builder.add(triple)

    def close(self) -> None:
        self.graph = self.builder.graph()
        self.builder = None


class HtmlSink(NetworkSink):
    """``graph.html``: the page of :mod:`kg.render` for the stream's network."""

    def __init__(self, path: Path | str, title: str = "知识图谱"):
        super().__init__()
        self.path, self.title = Path(path), title

    def close(self) -> None:
        from kg.render import render_html

        super().close()
        render_html(self.graph, self.path, self.title)
