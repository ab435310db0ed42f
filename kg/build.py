"""The library entry points: ``build()`` writes a corpus's graph, ``build_graph()`` returns it.

Both run the one stream of :mod:`kg.stream` (extract, resolve identities,
emit triples) into sinks (:mod:`kg.sinks`): ``build()`` into a file sink —
``graph.ttl``, ``graph.nt`` or ``graph.nq`` — and, unless told not to, the
HTML page's sink, with the extraction cache in ``OUT``; ``build_graph()``
into an rdflib ``Graph``, writing nothing. So the graph ``build_graph``
returns is the one ``build`` writes, triple for triple (tested: the Turtle,
read back by rdflib and by Oxigraph, is that graph).

``OUT`` is an :class:`~kg.files.OutputFolder`: the build locks it, writes
its outputs into a new generation and makes that the current set in one
rename, so a failed, killed or out-of-space build leaves the previous set as
it was, whole, and a second build into the same folder is refused while one
runs. The extraction cache commits as documents finish, so the next build
reuses the work of one that was stopped.
"""
from __future__ import annotations

import contextlib
import json
import time
from pathlib import Path
from typing import Callable

from kg.cache import CACHE_NAME, ExtractionCache
from kg.files import OutputFolder, OutputFolderError, write_text
from kg.parallel import DaskEngine, LocalEngine
from kg.read import DocumentError, list_sources
from kg.settings import Settings

FORMATS = {"turtle": "graph.ttl", "nt": "graph.nt", "nq": "graph.nq"}
#: every file a build may write into OUT: one set of them is current at a time
OUTPUT_NAMES = (*FORMATS.values(), "graph.html", "stats.json")


class BuildError(Exception):
    """Nothing could be built (no readable document, or no input at all)."""


class BuildWriteError(OSError):
    """An output could not be written (a full disk, a read-only folder); the message names the
    file, and the previous build's outputs are as they were."""


class BuildResult:
    """What a build made: ``stats`` (stats.json), ``skipped``, ``outputs`` (name -> path),
    ``entities`` (entity key -> :class:`~kg.model.Entity`), ``extracted`` and ``reused``
    (documents run through the pipeline in this build / taken from the cache), ``timings``.
    ``graph`` is parsed from the written file on first use when the build wrote one."""

    def __init__(self, stats: dict, skipped: list[DocumentError], outputs: dict[str, Path], *,
                 graph=None, load_graph: Callable | None = None, entities: dict | None = None,
                 timings: dict | None = None, extracted: int = 0, reused: int = 0):
        self._graph, self._load_graph = graph, load_graph
        self.stats, self.skipped, self.outputs = stats, skipped, outputs
        self.entities = entities or {}
        self.timings = timings or {}
        self.extracted, self.reused = extracted, reused

    @property
    def graph(self):
        if self._graph is None and self._load_graph is not None:
            self._graph = self._load_graph()
        return self._graph


def make_engine(settings: Settings, engine: str = "local", scheduler: str | None = None):
    """The engine a build runs its per-document work on: local processes or a Dask cluster."""
    if engine == "local":
        return LocalEngine(settings.jobs or None)
    if engine == "dask":
        if not scheduler:
            raise ValueError("the dask engine needs --scheduler ADDRESS (e.g. tcp://10.0.0.5:8786)")
        return DaskEngine(scheduler)
    raise ValueError(f"unknown engine {engine!r} (local or dask)")


def _run(source, settings: Settings, engine, cache_path: Path | None, sinks: list):
    from kg import stream

    paths = list_sources(source)
    own = engine is None
    engine = engine or make_engine(settings)
    cache = None
    try:
        cache = ExtractionCache(cache_path, settings.home_province)
        try:
            result = stream.run(paths, settings, engine, cache, sinks)
        except stream.NothingToBuild as err:
            raise BuildError(f"{source}: {err}") from None
        cache.prune()
        cache.close()
        return result
    except BaseException:
        if cache is not None:
            with contextlib.suppress(Exception):  # keep what was extracted; the first error is the one to tell
                cache.close()
        raise
    finally:
        if own:
            engine.close()


def build_graph(source: Path | str, settings: Settings | None = None, engine=None,
                cache_dir: Path | str | None = None) -> BuildResult:
    """Read, extract, resolve and make the RDF graph in memory, writing nothing (but the
    extraction cache, if ``cache_dir`` is given)."""
    from kg.rdf import new_graph
    from kg.sinks import GraphSink

    settings = settings or Settings()
    sink = GraphSink(new_graph(settings.base_iri))
    cache_path = Path(cache_dir) / CACHE_NAME if cache_dir else None
    result = _run(source, settings, engine, cache_path, [sink])
    return BuildResult(result.stats, result.errors, {}, graph=sink.graph, entities=result.table.entities,
                       timings=result.timings, extracted=result.extracted, reused=result.reused)


def build(source: Path | str = "seeds", out: Path | str = "output", settings: Settings | None = None, *,
          fmt: str = "turtle", engine=None, html: bool = True, graph_iri: str | None = None) -> BuildResult:
    """Build the knowledge graph of ``source`` into ``out``: graph.ttl (or .nt, .nq), graph.html, stats.json.

    ``engine`` is a :class:`~kg.parallel.LocalEngine` or :class:`~kg.parallel.DaskEngine`
    (default: local, ``settings.jobs`` processes). Documents already in
    ``out``'s extraction cache with the same bytes and rules are not extracted again.
    """
    from kg.rdf import TURTLE_PREFIXES
    from kg.sinks import HtmlSink, LineSink, TurtleSink

    settings = settings or Settings()
    if fmt not in FORMATS:
        raise ValueError(f"unknown output format {fmt!r} (one of {', '.join(FORMATS)})")
    if fmt == "nq" and not graph_iri:
        graph_iri = settings.base_iri + "graph"
    t0 = time.perf_counter()
    out = Path(out)
    base = settings.base_iri
    names = [FORMATS[fmt], *(["graph.html"] if html else []), "stats.json"]
    with OutputFolder(out, OUTPUT_NAMES) as folder:
        gen = folder.new_generation()
        try:
            if fmt == "turtle":
                sinks = [TurtleSink(gen / FORMATS[fmt], TURTLE_PREFIXES, base)]
            else:
                sinks = [LineSink(gen / FORMATS[fmt], base, graph_iri if fmt == "nq" else None)]
            if html:
                sinks.append(HtmlSink(gen / "graph.html"))
            result = _run(source, settings, engine, out / CACHE_NAME, sinks)
            write_text(gen / "stats.json", json.dumps(result.stats, ensure_ascii=False, indent=1,
                                                      sort_keys=False) + "\n")
            folder.commit(gen)
        except OutputFolderError:
            raise
        except OSError as err:
            raise _write_error(err, gen, out) from None
    outputs = {name: out / name for name in names}
    graph_path = outputs[FORMATS[fmt]]
    result.timings["total"] = time.perf_counter() - t0
    return BuildResult(result.stats, result.errors, outputs, load_graph=lambda: _load_graph(graph_path, fmt, base),
                       entities=result.table.entities, timings=result.timings, extracted=result.extracted,
                       reused=result.reused)


def _write_error(err: OSError, gen: Path, out: Path) -> OSError:
    """The error as the user sees the folder: ``OUT/graph.ttl``, not a path inside the generation."""
    if isinstance(err, BuildWriteError) or err.errno is None:
        return err
    where = out
    if err.filename:
        where = Path(err.filename)
        if gen in where.parents:
            inner = where.relative_to(gen).parts[0]
            if inner.startswith(".kg-sort-"):
                inner = next((n for n in OUTPUT_NAMES if inner.startswith(f".kg-sort-{n}-")), inner)
            elif inner.startswith(".") and inner.endswith(".part"):
                inner = next((n for n in OUTPUT_NAMES if inner.startswith(f".{n}.")), inner)
            where = out / inner
    return BuildWriteError(err.errno, f"{where}: cannot write: {err.strerror}; "
                                      f"the previous build's outputs in {out} are unchanged")


def _load_graph(path: Path, fmt: str, base: str):
    from kg.rdf import new_graph

    g = new_graph(base)
    if fmt == "nq":
        from rdflib import Dataset

        ds = Dataset()
        ds.parse(path, format="nquads")
        for s, p, o, _ in ds.quads((None, None, None, None)):
            g.add((s, p, o))
        return g
    g.parse(path, format={"turtle": "turtle", "nt": "nt"}[fmt])
    return g


__all__ = ["build", "build_graph", "BuildResult", "BuildError", "BuildWriteError", "make_engine", "FORMATS",
           "OUTPUT_NAMES"]
