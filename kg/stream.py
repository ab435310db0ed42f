"""The build as one stream: documents -> records -> identities -> triples -> sinks.

Two passes over the documents, both per document and so parallel, with one
short step between them that needs every document:

1. **extract** — a worker runs the spaCy pipeline on a chunk of documents
   and hands back, per document, the record compressed for the extraction
   cache (:mod:`kg.cache`) and a summary of its mentions' identity names;
   the building process stores the bytes as they are (committed chunk by
   chunk, so a killed build keeps its work) and feeds the summary to the
   :class:`~kg.resolve.IdentityIndex`. Documents already in the cache skip
   the pipeline.
2. **resolve** — the index's clusters become the entity table.
3. **emit** — a worker reads its documents' records back from the cache and
   makes each document's facts, triples (:func:`kg.rdf.document_triples`)
   and line of ``stats.json``, and runs every sink's encoder on the triples;
   the building process hands the parts to the sinks in document order, then
   the entities' own triples (:func:`kg.rdf.entity_triples`), once each.

What crosses a process boundary is a plain record, a table or text, so the
same tasks run on local processes or on a Dask cluster
(:mod:`kg.parallel`). The building process holds the identity index and the
entity table, never every record, mention or triple: memory grows with the
number of distinct names, not with the text. ``kg.build_graph`` is this
stream into a Graph sink, with the cache in memory.
"""
from __future__ import annotations

import contextlib
import dataclasses
import gc
import logging
import time
from pathlib import Path
from typing import Iterator

from tqdm import tqdm

from kg.cache import ExtractionCache, dumps, loads, read_records
from kg.model import DocumentExtraction
from kg.rdf import document_triples, entity_triples
from kg.read import DocumentError, SourceDocument, iter_documents
from kg.resolve import EntityTable, IdentityIndex, IdentityNames, document_facts, identity_summary, mention_keys
from kg.settings import Settings
from kg.sinks import Sink
from kg.stats import Summary, document_stats

log = logging.getLogger("kg")

#: characters of text per extraction task: big enough to amortise a task, small enough to balance cores
CHUNK_CHARS = 60_000
#: the smallest extraction task, which the last ones shrink to so that no worker idles while one finishes
LAST_CHUNK_CHARS = 6_000
#: how often the extraction cache commits: a killed build loses at most this much of its work
COMMIT_SECONDS = 1.0
#: documents per emit task
EMIT_CHUNK = 24


class NothingToBuild(Exception):
    """No readable document (the message says how many were skipped)."""


@dataclasses.dataclass
class StreamResult:
    stats: dict
    errors: list[DocumentError]
    table: EntityTable
    extracted: int
    reused: int
    timings: dict


def run(paths: list[Path], settings: Settings, engine, cache: ExtractionCache, sinks: list[Sink]) -> StreamResult:
    """Both passes over ``paths`` into ``sinks``; ``stats["triples"]`` is the first sink's count.

    Raises :class:`NothingToBuild` before any sink starts when no document is readable."""
    with frozen_collector():
        return _run(paths, settings, engine, cache, sinks)


@contextlib.contextmanager
def frozen_collector():
    """The objects alive when a build starts (the pipeline, its lexicons and gazetteer) outlive
    it: moved out of the garbage collector's generations, a full collection does not walk them
    again and again while the identity index grows (measured: 0.70 s of collections in a
    one-job build of 2 M characters, 0.30 s frozen). Left as found if something froze first."""
    if gc.get_freeze_count():
        yield
        return
    gc.freeze()
    try:
        yield
    finally:
        gc.unfreeze()


def _run(paths: list[Path], settings: Settings, engine, cache: ExtractionCache, sinks: list[Sink]) -> StreamResult:
    t0, c0 = time.perf_counter(), time.process_time()
    ids = IdentityNames()
    check_province(ids, settings.home_province)
    index = IdentityIndex()
    built, errors = _extract_pass(paths, settings, engine, cache, index, ids)
    if not built:
        raise NothingToBuild(f"no readable document ({len(errors)} skipped)")
    reused = cache.hits
    t1, c1 = time.perf_counter(), time.process_time()
    table = index.entities(ids)
    del index
    t2, c2 = time.perf_counter(), time.process_time()
    summary = Summary()
    try:
        for sink in sinks:
            sink.plan(len(table.entities))
        for sink in sinks:
            sink.start()
        _emit_pass(sorted(built), table, settings, engine, cache, sinks, summary)
        for key in sorted(table.entities):
            triples = entity_triples(table.entities[key], table.aliases.get(key, ()), settings.base_iri)
            for sink in sinks:
                sink.add_entity_triples(triples)
        for sink in sinks:
            sink.close()
    except BaseException:
        for sink in sinks:
            sink.abort()
        raise
    t3, c3 = time.perf_counter(), time.process_time()
    skipped = [{"file": str(e.path), "problem": e.problem} for e in errors]
    stats = summary.result((e.label for e in table.entities.values()), sinks[0].triples, skipped)
    timings = dict(extract=t1 - t0, resolve=t2 - t1, render=t3 - t2, cpu_extract=c1 - c0,
                   cpu_resolve=c2 - c1, cpu_render=c3 - c2)
    return StreamResult(stats, errors, table, len(built) - reused, reused, timings)


def check_province(ids: IdentityNames, province: str) -> None:
    """The home province must be one the gazetteer knows as a province (its short or full name)."""
    gazetteer = ids.gazetteer
    if not any(gazetteer.divisions[code].level == "province" for code in gazetteer.by_form.get(province, ())):
        raise ValueError(f"home province {province!r} is not a province the gazetteer knows")


def unique_documents(paths: list[Path], errors: list[DocumentError]) -> Iterator[SourceDocument]:
    """Readable documents in order; unreadable ones and repeated contents go to ``errors``."""
    seen: dict[str, str] = {}
    for item in iter_documents(paths):
        if isinstance(item, DocumentError):
            errors.append(item)
        elif item.sha256 in seen:
            errors.append(DocumentError(item.name, f"same content as {seen[item.sha256]}, skipped"))
        else:
            seen[item.sha256] = item.name
            yield item


def _bar(settings: Settings, total: int, desc: str) -> tqdm:
    return tqdm(total=total, desc=desc, unit="doc", disable=not settings.progress or total < 2, leave=False)


def _extract_pass(paths, settings: Settings, engine, cache: ExtractionCache, index: IdentityIndex,
                  ids: IdentityNames) -> tuple[list[tuple[str, str]], list[DocumentError]]:
    """Pass 1. Documents are read lazily and go to the engine in chunks; at most a few chunks
    are in flight, so memory holds a few chunks of text. Returns ``(sha256, name)`` of the
    documents built, and the files skipped."""
    errors: list[DocumentError] = []
    built: list[tuple[str, str]] = []
    bar = _bar(settings, len(paths), "extract")
    left = _file_bytes(paths)

    def chunks() -> Iterator[list[SourceDocument]]:
        nonlocal left
        batch, size = [], 0
        for doc in unique_documents(paths, errors):
            built.append((doc.sha256, doc.name))
            left -= len(doc.text.encode("utf-8"))
            record = cache.get(doc.sha256, doc.name)
            if record is not None:
                index.add((doc.sha256, doc.name), identity_summary(record, ids))
                bar.update()
                continue
            batch.append(doc)
            size += len(doc.text)
            if size >= chunk_chars(left, engine.jobs):
                yield batch
                batch, size = [], 0
        if batch:
            yield batch

    committed = time.monotonic()
    for results in engine.map(extract_chunk, chunks(), init_extract, (settings.home_province,)):
        for sha256, name, blob, summary in results:
            cache.put_blob(sha256, blob)
            index.add((sha256, name), summary)
            bar.update()
        if time.monotonic() - committed >= COMMIT_SECONDS:
            cache.commit()  # a build killed after this point keeps these documents' work
            committed = time.monotonic()
    bar.close()
    cache.commit()
    for err in errors:
        log.warning("skipped %s", err)
    return built, errors


def chunk_chars(bytes_left: int, workers: int) -> int:
    """How much text the next extraction task takes: :data:`CHUNK_CHARS`, until what is left
    would give each worker fewer than two such tasks; from there a share of what is left, so
    the workers run out of work together instead of one finishing a whole task alone (on two
    cores that tail was a tenth of a second to half a second of every build)."""
    share = max(0, bytes_left) // (3 * 2 * max(1, workers))  # UTF-8 Chinese: three bytes a character
    return min(CHUNK_CHARS, max(LAST_CHUNK_CHARS, share))


def _file_bytes(paths) -> int:
    total = 0
    for path in paths:
        with contextlib.suppress(OSError, TypeError):
            total += Path(path).stat().st_size
    return total


@dataclasses.dataclass
class EmitTables:
    """What an emit worker needs to know of the whole corpus (entity-index sized), sent once."""

    key_of: dict
    label_of: dict
    base_iri: str
    encoders: list
    cache_path: str | None = None


@dataclasses.dataclass
class DocumentOutput:
    """One document's share: its line of stats.json, its facts, and one part per sink."""

    name: str
    stats: dict
    facts: list
    parts: list


def _emit_pass(order: list[tuple[str, str]], table: EntityTable, settings: Settings, engine,
               cache: ExtractionCache, sinks: list[Sink], summary: Summary) -> None:
    """Pass 2: every document's triples into every sink, in document order."""
    ship = cache.path is None or engine.remote  # workers cannot open the cache: send the records
    tables = EmitTables(key_of=table.key_of, label_of=table.label_of, base_iri=settings.base_iri,
                        encoders=[s.encoder() for s in sinks],
                        cache_path=None if ship else str(cache.path))

    def chunks():
        for i in range(0, len(order), EMIT_CHUNK):
            part = order[i:i + EMIT_CHUNK]
            if ship:
                yield [(cache.get_blob(sha), name) for sha, name in part]
            else:
                yield [(cache.key(sha), name) for sha, name in part]

    bar = _bar(settings, len(order), "write")
    for outputs in engine.map(emit_chunk, chunks(), init_emit, (tables,)):
        for out in outputs:
            summary.add_document(out.name, out.stats, out.facts)
            for sink, part in zip(sinks, out.parts):
                sink.absorb(part)
            bar.update()
    bar.close()


# ------------------------------------------------------------ worker side

_STATE: dict = {}


def _ids() -> IdentityNames:
    if "ids" not in _STATE:
        _STATE["ids"] = IdentityNames()
    return _STATE["ids"]


def init_extract(home_province: str) -> None:
    from kg.pipeline import shared_nlp

    _STATE["nlp"] = shared_nlp(home_province)
    _ids()


def extract_chunk(docs: list[SourceDocument]) -> list[tuple[str, str, bytes, list]]:
    """Pass 1 in a worker: ``(sha256, name, cache blob, identity summary)`` per document."""
    from kg.extract import extract

    nlp, ids = _STATE["nlp"], _ids()
    out = []
    for d in docs:
        record = extract(d, nlp)
        out.append((d.sha256, d.name, dumps(record), identity_summary(record, ids)))
    return out


def init_emit(tables: EmitTables) -> None:
    _STATE["emit"] = tables


def emit_chunk(items: list[tuple]) -> list[DocumentOutput]:
    """Pass 2 in a worker: items are ``(cache key, name)`` to read, or ``(cache blob, name)``."""
    tables: EmitTables = _STATE["emit"]
    if items and isinstance(items[0][0], bytes):
        records = (_named(loads(blob), name) for blob, name in items)
    else:
        records = read_records(tables.cache_path, items)
    return [emit_document(r, tables) for r in records]


def _named(record: DocumentExtraction, name: str) -> DocumentExtraction:
    return dataclasses.replace(record, name=name) if record.name != name else record


def emit_document(d: DocumentExtraction, tables: EmitTables) -> DocumentOutput:
    keys = mention_keys(d, tables.key_of, _ids())
    facts = document_facts(d, keys, tables.label_of)
    triples = document_triples(d, keys, facts, tables.base_iri)
    return DocumentOutput(d.name, document_stats(d, keys, tables.label_of, facts),
                          [(f.subject, f.predicate, f.object) for f in facts],
                          [encode(d.doc_id, triples) for encode in tables.encoders])
