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
:class:`TurtleSink` (``graph.ttl``, Oxigraph's Turtle: each document's blocks
as it comes, then the shared subjects through an external sort),
:class:`LineSink` (``graph.nt`` / ``graph.nq``, written as the documents
come), :class:`OxigraphSink` (a ``pyoxigraph.Store``), :class:`NetworkSink`
and :class:`HtmlSink` (the page's networkx graph and ``graph.html``, or the
overview page of a graph too big for one interactive page). Triples travel as
N-Triples text (:mod:`kg.rdf`); only the Graph sink makes rdflib terms.
One build may feed several: ``kg build`` feeds the Turtle
and the HTML sinks from one pass.
"""
from __future__ import annotations

import contextlib
import shutil
import tempfile
from pathlib import Path

from kg.files import atomic_write, naming
from kg.rdf import document_prefixes
from kg.serialize import SortedLines, TurtleText, nt_line, to_rdflib


class Sink:
    """The interface; see the module docstring. ``triples``: distinct triples it holds or
    wrote, once closed (None for sinks that are not RDF)."""

    triples: int | None = None

    def encoder(self):
        raise NotImplementedError

    def plan(self, entities: int) -> None:
        """Called once, before :meth:`start`, with the number of entities the build resolved."""

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


# ------------------------------------------------------------------ rdflib Graph


class _GraphEncoder:
    def __call__(self, doc_id: str, triples: list) -> list:
        return triples


class GraphSink(Sink):
    """The stream into an rdflib ``Graph`` (for notebooks and small corpora): the only sink that
    makes rdflib terms (each distinct term once)."""

    def __init__(self, graph):
        self.graph = graph
        self._terms: dict = {}

    def encoder(self):
        return _GraphEncoder()

    def absorb(self, part: list) -> None:
        add, terms = self.graph.add, self._terms
        for triple in part:
            rdf = []
            for t in triple:
                term = terms.get(t)
                if term is None:
                    term = terms[t] = to_rdflib(t)
                rdf.append(term)
            add(tuple(rdf))

    add_entity_triples = absorb

    def close(self) -> None:
        self.triples = len(self.graph)
        self._terms = {}


# ------------------------------------------------------------------ files written as a stream


class _StreamedFile(Sink):
    """A graph file written as the documents come (``atomic_write``: whole or not at all), then the
    lines several documents share, once each, from an external sort beside the file."""

    def __init__(self, path: Path | str):
        self.path = Path(path)
        self.local = 0
        self._stack = contextlib.ExitStack()
        self._file = None
        self._tmp: Path | None = None
        self.shared: SortedLines | None = None

    def start(self) -> None:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        with naming(self.path):
            self._tmp = Path(tempfile.mkdtemp(prefix=f".kg-sort-{self.path.name}-", dir=self.path.parent))
        self.shared = SortedLines(self._tmp)
        self._file = self._stack.enter_context(atomic_write(self.path, "w", encoding="utf-8"))
        self.write(self.header())

    def header(self) -> str:
        return ""

    def write(self, text: str) -> None:
        with naming(self.path):
            self._file.write(text)

    def absorb(self, part: tuple) -> None:
        text, shared, count = part
        self.write(text)
        with naming(self.path):
            self.shared.update(shared)
        self.local += count

    def add_entity_triples(self, triples: list) -> None:
        with naming(self.path):
            self.shared.update(nt_line(t, self.graph_iri) for t in triples)

    graph_iri: str | None = None

    def write_shared(self, lines) -> int:
        raise NotImplementedError

    def close(self) -> None:
        try:
            with naming(self.path):
                shared = self.write_shared(self.shared.merged())
                self._stack.close()
            self.triples = self.local + shared
        finally:
            self.abort()

    def abort(self) -> None:
        with contextlib.suppress(BaseException):
            self._stack.__exit__(RuntimeError, RuntimeError("build failed"), None)
        if self._tmp is not None:
            shutil.rmtree(self._tmp, ignore_errors=True)
            self._tmp = None


def _counted(lines, counter: list):
    for line in lines:
        counter[0] += 1
        yield line


# ------------------------------------------------------------------ Turtle


class _TurtleEncoder:
    """A document's Turtle: the blocks of its own subjects (its source, mentions, sentences,
    statements), written in the worker by Oxigraph; and the lines of shared subjects (entities,
    award receipts), which the building process writes once."""

    def __init__(self, prefixes: dict[str, str], base: str):
        self.prefixes, self.base = prefixes, base
        self._writer = None

    def __getstate__(self):
        return {"prefixes": self.prefixes, "base": self.base, "_writer": None}

    def __call__(self, doc_id: str, triples: list) -> tuple:
        if self._writer is None:
            self._writer = TurtleText(self.prefixes)
        own = document_prefixes(self.base, doc_id)
        local: dict[tuple, None] = {}   # in the order made: each subject's triples are made together
        shared: list[str] = []
        for t in triples:
            if t[0].startswith(own):
                local[t] = None
            else:
                shared.append(f"{t[0]} {t[1]} {t[2]} .\n")
        return self._writer.triple_blocks(list(local)), shared, len(local)


class TurtleSink(_StreamedFile):
    """``graph.ttl``: the prefixes, each document's own blocks in document order as they come,
    then the shared subjects' blocks in IRI order (Oxigraph's Turtle throughout)."""

    def __init__(self, path: Path | str, prefixes: dict[str, str], base: str):
        super().__init__(path)
        self.prefixes, self.base = dict(prefixes), base
        self._writer = TurtleText(self.prefixes)

    def encoder(self):
        return _TurtleEncoder(self.prefixes, self.base)

    def header(self) -> str:
        return self._writer.header()

    def write_shared(self, lines) -> int:
        counter = [0]
        self._writer.write_runs(self._file, _counted(lines, counter))
        return counter[0]


# ------------------------------------------------------------------ N-Triples, N-Quads


class _LineEncoder:
    """A document's lines: its own (in the order made, written as they come) and the shared ones."""

    def __init__(self, base: str, graph_iri: str | None):
        self.base, self.graph_iri = base, graph_iri

    def __call__(self, doc_id: str, triples: list) -> tuple:
        own = document_prefixes(self.base, doc_id)
        tail = f" <{self.graph_iri}> .\n" if self.graph_iri else " .\n"
        local: dict[str, None] = {}
        shared: list[str] = []
        for s, p, o in triples:
            if s.startswith(own) or o.startswith(own):
                local[f"{s} {p} {o}{tail}"] = None
            else:
                shared.append(f"{s} {p} {o}{tail}")
        return "".join(local), shared, len(local)


class LineSink(_StreamedFile):
    """``graph.nt`` (or ``graph.nq`` into the named graph ``graph_iri``): each document's lines
    as it comes, then the shared lines once, sorted."""

    def __init__(self, path: Path | str, base: str, graph_iri: str | None = None):
        super().__init__(path)
        self.base, self.graph_iri = base, graph_iri

    def encoder(self):
        return _LineEncoder(self.base, self.graph_iri)

    def write_shared(self, lines) -> int:
        n = 0
        batch: list[str] = []
        for line in lines:
            batch.append(line)
            n += 1
            if len(batch) >= 10_000:
                self._file.writelines(batch)
                batch = []
        self._file.writelines(batch)
        return n


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
    def __init__(self, evidence: bool = True):
        self.evidence = evidence

    def __call__(self, doc_id: str, triples: list):
        from kg.network import NetworkBuilder

        builder = NetworkBuilder(self.evidence)
        for triple in triples:
            builder.add(triple)
        return builder.part()


class NetworkSink(Sink):
    """The page's networkx graph (:mod:`kg.network`), drawn from the stream's entity layer:
    per document only its mentions, sentences and evidence, reduced in the worker."""

    def __init__(self, evidence: bool = True):
        from kg.network import NetworkBuilder

        self.builder = NetworkBuilder(evidence)
        self.graph = None

    def encoder(self):
        return _NetworkEncoder(self.builder.evidence)

    def absorb(self, part) -> None:
        self.builder.absorb(part)

    def add_entity_triples(self, triples: list) -> None:
        for triple in triples:
            self.builder.add(triple)

    def close(self) -> None:
        self.graph = self.builder.graph()
        self.builder = None


class HtmlSink(NetworkSink):
    """``graph.html``: the page of :mod:`kg.render` for the stream's network; for more entities
    than one interactive page can show (:data:`kg.render.PAGE_MAX_ENTITIES`), the overview page,
    from a network without evidence (so memory holds no mention or sentence)."""

    def __init__(self, path: Path | str, title: str = "知识图谱"):
        super().__init__()
        self.path, self.title = Path(path), title
        self.overview = False

    def plan(self, entities: int) -> None:
        from kg.network import NetworkBuilder
        from kg.render import needs_overview

        self.overview = needs_overview(entities)
        if self.overview:
            self.builder = NetworkBuilder(evidence=False)

    def close(self) -> None:
        from kg.files import write_text
        from kg.render import render_html, render_overview

        super().close()
        if self.overview:
            write_text(self.path, render_overview(self.graph, self.title))
        else:
            render_html(self.graph, self.path, self.title)
