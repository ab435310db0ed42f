"""The whole way through: files -> extraction -> identities -> RDF -> outputs.

``build()`` is the library entry point that the CLI, the tests and the
notebook call. It streams: documents are read one at a time, extracted in
worker processes (or on a Dask cluster, :mod:`kg.parallel`), kept in the
extraction cache (:mod:`kg.cache`) rather than in memory, and rendered
straight to Turtle blocks or N-Triples lines; what the building process
holds grows with the number of distinct entity names, not with the corpus.
Each output is written atomically, so a failed build leaves an earlier good
output as it was.

``build_graph()`` is the in-memory way, for notebooks and small corpora: it
returns the rdflib ``Graph`` and the :class:`~kg.resolve.Resolution`.
"""
from __future__ import annotations

import json
import logging
import shutil
import tempfile
import time
from collections import Counter
from pathlib import Path
from typing import Callable, Iterator

from rdflib import Graph
from tqdm import tqdm

from kg.cache import CACHE_NAME, ExtractionCache
from kg.extract import extract
from kg.files import atomic_write, write_text
from kg.model import ENTITY_TYPES, RELATIONS, DocumentExtraction
from kg.parallel import (DaskEngine, IdentityIndex, LocalEngine, RenderTables, extract_chunk,
                         extract_chunk_for_cache, identity_summary, init_extract, init_render, render_chunk)
from kg.pipeline import rules_version, shared_nlp
from kg.rdf import new_graph, to_graph
from kg.read import DocumentError, SourceDocument, iter_documents, list_sources
from kg.render import render_html, to_networkx
from kg.resolve import Resolution, resolve
from kg.serialize import RunFile, TurtleTable, TurtleFormat, nt_line, write_turtle_stream
from kg.settings import Settings
from kg.stats import summarise

log = logging.getLogger("kg")

FORMATS = {"turtle": "graph.ttl", "nt": "graph.nt", "nq": "graph.nq"}
#: characters of text per extraction task: big enough to amortise a task, small enough to balance cores
CHUNK_CHARS = 60_000
#: documents per render task
RENDER_CHUNK = 24
#: Turtle blocks held before a sorted run goes to disk
RUN_CHARS = 32_000_000


class BuildError(Exception):
    """Nothing could be built (no readable document, or no input at all)."""


class BuildResult:
    """What a build made. ``graph`` and ``resolution`` are built on first use when
    the build streamed (they hold the whole corpus, which the build itself never does)."""

    def __init__(self, graph: Graph | None, resolution: Resolution | None, stats: dict,
                 skipped: list[DocumentError], outputs: dict[str, Path], *,
                 load_graph: Callable[[], Graph] | None = None,
                 load_resolution: Callable[[], Resolution] | None = None, timings: dict | None = None):
        self._graph, self._resolution = graph, resolution
        self._load_graph, self._load_resolution = load_graph, load_resolution
        self.stats, self.skipped, self.outputs = stats, skipped, outputs
        self.timings = timings or {}
        self.extracted = self.reused = 0   # documents extracted in this build / taken from the cache

    @property
    def graph(self) -> Graph:
        if self._graph is None and self._load_graph is not None:
            self._graph = self._load_graph()
        return self._graph

    @graph.setter
    def graph(self, value: Graph) -> None:
        self._graph = value

    @property
    def resolution(self) -> Resolution:
        if self._resolution is None and self._load_resolution is not None:
            self._resolution = self._load_resolution()
        return self._resolution

    @resolution.setter
    def resolution(self, value: Resolution) -> None:
        self._resolution = value


def make_engine(settings: Settings, engine: str = "local", scheduler: str | None = None):
    """The engine a build runs its per-document work on: local processes or a Dask cluster."""
    if engine == "local":
        return LocalEngine(settings.jobs or None)
    if engine == "dask":
        if not scheduler:
            raise ValueError("the dask engine needs --scheduler ADDRESS (e.g. tcp://10.0.0.5:8786)")
        return DaskEngine(scheduler)
    raise ValueError(f"unknown engine {engine!r} (local or dask)")


def read_sources(source: Path | str, progress: bool = False) -> tuple[list[SourceDocument], list[DocumentError]]:
    """Every readable document in memory (for small corpora; builds stream instead)."""
    docs, errors = [], []
    for item in _unique_documents(list_sources(source), errors):
        docs.append(item)
    return docs, errors


def _unique_documents(paths: list[Path], errors: list[DocumentError]) -> Iterator[SourceDocument]:
    seen: dict[str, str] = {}
    for item in iter_documents(paths):
        if isinstance(item, DocumentError):
            errors.append(item)
        elif item.sha256 in seen:
            errors.append(DocumentError(item.name, f"same content as {seen[item.sha256]}, skipped"))
        else:
            seen[item.sha256] = item.name
            yield item


def extract_documents(docs: list[SourceDocument], settings: Settings) -> list[DocumentExtraction]:
    nlp = shared_nlp(settings.home_province)
    return [extract(d, nlp) for d in tqdm(docs, desc="extract", unit="doc",
                                          disable=not settings.progress or len(docs) < 2)]


def _extract_pass(paths: list[Path], settings: Settings, engine, cache: ExtractionCache | None,
                  index: IdentityIndex | None = None,
                  on_record: Callable[[DocumentExtraction], None] | None = None) -> tuple[list, list[DocumentError]]:
    """Pass 1: each readable document extracted once (or taken from the cache), in order of reading.

    Documents are read lazily and go to the engine in chunks; at most a few
    chunks are in flight, so memory holds a few chunks of text at a time.
    Streaming (``index`` given) the records go from the workers straight
    into the cache as bytes, and only their identity summaries into the
    index; otherwise each record goes to ``on_record``.
    Returns ``(sha256, name)`` of the documents built, and the files skipped.
    """
    streaming = index is not None
    errors: list[DocumentError] = []
    built: list[tuple[str, str]] = []
    bar = tqdm(total=len(paths), desc="extract", unit="doc", disable=not settings.progress or len(paths) < 2,
               leave=False)

    def chunks() -> Iterator[list[SourceDocument]]:
        batch, size = [], 0
        for doc in _unique_documents(paths, errors):
            built.append((doc.sha256, doc.name))
            record = cache.get(doc.sha256, doc.name) if cache is not None else None
            if record is not None:
                if streaming:
                    index.add(doc.sha256, doc.name, identity_summary(record))
                else:
                    on_record(record)
                bar.update()
                continue
            batch.append(doc)
            size += len(doc.text)
            if size >= CHUNK_CHARS:
                yield batch
                batch, size = [], 0
        if batch:
            yield batch

    fn = extract_chunk_for_cache if streaming else extract_chunk
    for results in engine.map(fn, chunks(), init_extract, (settings.home_province,)):
        for item in results:
            if streaming:
                sha256, name, blob, summary = item
                cache.put_blob(sha256, blob)
                index.add(sha256, name, summary)
            else:
                record = item[0]
                if cache is not None:
                    cache.put(record)
                on_record(record)
            bar.update()
    bar.close()
    if cache is not None:
        cache.commit()
    for err in errors:
        log.warning("skipped %s", err)
    return built, errors


def _skipped(errors: list[DocumentError]) -> list[dict]:
    return [{"file": str(e.path), "problem": e.problem} for e in errors]


def build_graph(source: Path | str, settings: Settings | None = None, engine=None,
                cache_dir: Path | str | None = None) -> BuildResult:
    """Read, extract, resolve and build the RDF graph in memory, writing nothing."""
    settings = settings or Settings()
    paths = list_sources(source)
    own = engine is None
    engine = engine or make_engine(settings)
    cache = ExtractionCache(Path(cache_dir) / CACHE_NAME, rules_version(), settings.home_province) \
        if cache_dir else None
    records: list[DocumentExtraction] = []
    try:
        _, errors = _extract_pass(paths, settings, engine, cache, on_record=records.append)
    finally:
        if cache is not None:
            cache.close()
        if own:
            engine.close()
    if not records:
        raise BuildError(f"{source}: no readable document ({len(errors)} skipped)")
    res = resolve(records)
    graph = to_graph(res, settings)
    stats = summarise(res, _skipped(errors), len(graph))
    return BuildResult(graph, res, stats, errors, {})


def build(source: Path | str = "seeds", out: Path | str = "output", settings: Settings | None = None, *,
          fmt: str = "turtle", engine=None, html: bool = True, graph_iri: str | None = None) -> BuildResult:
    """Build the knowledge graph of ``source`` into ``out``: graph.ttl (or .nt, .nq), graph.html, stats.json.

    ``engine`` is a :class:`~kg.parallel.LocalEngine` or :class:`~kg.parallel.DaskEngine`
    (default: local, ``settings.jobs`` processes). Documents already in
    ``out``'s extraction cache with the same bytes and rules are not extracted again.
    """
    settings = settings or Settings()
    if fmt not in FORMATS:
        raise ValueError(f"unknown output format {fmt!r} (one of {', '.join(FORMATS)})")
    if fmt == "nq" and not graph_iri:
        graph_iri = settings.base_iri + "graph"
    paths = list_sources(source)
    out = Path(out)
    own = engine is None
    engine = engine or make_engine(settings)
    timings: dict[str, float] = {}
    t0, c0 = time.perf_counter(), time.process_time()
    cache = None
    try:
        cache = ExtractionCache(out / CACHE_NAME, rules_version(), settings.home_province)
        index = IdentityIndex()
        built, errors = _extract_pass(paths, settings, engine, cache, index=index)
        hits, misses = cache.hits, len(built) - cache.hits
        if not built:
            raise BuildError(f"{source}: no readable document ({len(errors)} skipped)")
        t1, c1 = time.perf_counter(), time.process_time()
        entities, key_of = index.entities()
        del index
        t2, c2 = time.perf_counter(), time.process_time()
        graph_path = out / FORMATS[fmt]
        stats = _render_pass(built, entities, key_of, settings, engine, cache, fmt, graph_iri, graph_path,
                             isinstance(engine, DaskEngine))
        stats["skipped"] = _skipped(errors)
        stats = {k: stats[k] for k in ("documents", "skipped", "entities", "relations", "evidence", "triples",
                                       "per_document")}
        t3, c3 = time.perf_counter(), time.process_time()
        cache.prune()
    finally:
        if cache is not None:
            cache.close()
        if own:
            engine.close()
    timings.update(extract=t1 - t0, resolve=t2 - t1, render=t3 - t2, cpu_extract=c1 - c0, cpu_resolve=c2 - c1,
                   cpu_render=c3 - c2)
    cache_path = out / CACHE_NAME
    result = BuildResult(None, None, stats, errors, {}, timings=timings,
                         load_graph=lambda: _load_graph(graph_path, fmt, settings),
                         load_resolution=lambda: _load_resolution(cache_path, built, settings))
    result.extracted, result.reused = misses, hits
    stats_path = out / "stats.json"
    outputs = {graph_path.name: graph_path}
    if html:
        html_path = out / "graph.html"
        render_html(to_networkx(result.graph), html_path)
        outputs["graph.html"] = html_path
    write_text(stats_path, json.dumps(stats, ensure_ascii=False, indent=1, sort_keys=False) + "\n")
    outputs["stats.json"] = stats_path
    result.outputs = outputs
    timings["total"] = time.perf_counter() - t0
    return result


def _render_pass(built, entities, key_of, settings: Settings, engine, cache: ExtractionCache, fmt: str,
                 graph_iri: str | None, graph_path: Path, ship_records: bool) -> dict:
    """Pass 3: every document's triples written out, then the entities' own."""
    base = settings.base_iri
    namespaces = {p: str(ns) for p, ns in new_graph(base).namespaces()}
    tables = RenderTables(key_of=key_of, label_of={k: e.label for k, e in entities.items()}, base_iri=base,
                          home_province=settings.home_province, fmt=fmt, graph_iri=graph_iri,
                          namespaces=namespaces, cache_path=str(cache.path))
    order = sorted(built)

    def chunks():
        for i in range(0, len(order), RENDER_CHUNK):
            part = order[i:i + RENDER_CHUNK]
            if ship_records:
                yield [cache.get(sha, name) for sha, name in part]
            else:
                yield [(cache.key(sha), name) for sha, name in part]

    central_fmt = TurtleFormat(namespaces, base)
    central = TurtleTable(central_fmt)
    central_lines: set[str] = set()
    ext_refs: Counter = Counter()
    prefixes: dict[str, str] = {}
    per_doc: dict[str, dict] = {}
    fact_keys: set = set()
    evidence = local_triples = 0
    bar = tqdm(total=len(order), desc="write", unit="doc", disable=not settings.progress or len(order) < 2,
               leave=False)

    def absorb(renders) -> Iterator:
        nonlocal evidence, local_triples
        for r in renders:
            for triple in r.shared:
                if fmt == "turtle":
                    central.add(triple)
                else:
                    central_lines.add(nt_line(triple, graph_iri))
            ext_refs.update(r.ext_refs)
            prefixes.update(r.prefixes)
            per_doc[r.name] = r.stats
            fact_keys.update(r.fact_keys)
            evidence += r.facts
            local_triples += r.triples
            bar.update()
            yield r.local

    results = engine.map(render_chunk, chunks(), init_render, (tables,))
    if fmt == "turtle":
        tmp = Path(tempfile.mkdtemp(prefix=".kg-sort-", dir=graph_path.parent if graph_path.parent.exists()
                                    else None))
        try:
            runs, held, size = [], [], 0
            for renders in results:
                for blocks in absorb(renders):
                    held.extend(blocks)
                    size += sum(len(b[2]) for b in blocks)
                if size >= RUN_CHARS:
                    held.sort()
                    runs.append(RunFile.write(tmp / f"run{len(runs)}", held))
                    held, size = [], 0
            held.sort()
            to_graph(Resolution(entities=entities, facts=[], documents=[], _index={}), settings, graph=central)
            shared = central.blocks(extra_refs=ext_refs)
            prefixes.update(central_fmt.used)
            graph_path.parent.mkdir(parents=True, exist_ok=True)
            with atomic_write(graph_path, "w", encoding="utf-8") as f:
                write_turtle_stream(f, prefixes, [*runs, held, shared])
            triples = local_triples + central.count
        finally:
            shutil.rmtree(tmp, ignore_errors=True)
    else:
        graph_path.parent.mkdir(parents=True, exist_ok=True)
        with atomic_write(graph_path, "w", encoding="utf-8") as f:
            for renders in results:
                for text in absorb(renders):
                    f.writelines(text)
            lines: list = []

            class _Lines:
                def add(self, triple):
                    lines.append(nt_line(triple, graph_iri))

            to_graph(Resolution(entities=entities, facts=[], documents=[], _index={}), settings, graph=_Lines())
            central_lines.update(lines)
            f.writelines(sorted(central_lines))
        triples = local_triples + len(central_lines)
    bar.close()
    labels = Counter(e.label for e in entities.values())
    relations = Counter(p for _, p, _ in fact_keys)
    return {
        "documents": len(order),
        "entities": {k: labels.get(k, 0) for k in ENTITY_TYPES},
        "relations": {k: relations.get(k, 0) for k in RELATIONS},
        "evidence": evidence,
        "triples": triples,
        "per_document": dict(sorted(per_doc.items())),
    }


def _load_graph(path: Path, fmt: str, settings: Settings) -> Graph:
    g = new_graph(settings.base_iri)
    if fmt == "nq":
        from rdflib import Dataset

        ds = Dataset()
        ds.parse(path, format="nquads")
        for s, p, o, _ in ds.quads((None, None, None, None)):
            g.add((s, p, o))
        return g
    g.parse(path, format={"turtle": "turtle", "nt": "nt"}[fmt])
    return g


def _load_resolution(cache_path: Path, built: list[tuple[str, str]], settings: Settings) -> Resolution:
    cache = ExtractionCache(cache_path, rules_version(), settings.home_province)
    try:
        return resolve([cache.get(sha, name) for sha, name in built])
    finally:
        cache.close()


__all__ = ["build", "build_graph", "BuildResult", "BuildError", "make_engine", "read_sources", "FORMATS"]
