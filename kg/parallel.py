"""Running the build's per-document work on many cores, or on a Dask cluster.

A build makes two passes over the documents, both per document and so
parallel; between them, one short step that needs every document:

1. **extract** — the spaCy pipeline, plus the identity names of every
   mention (:meth:`kg.resolve.IdentityNames.names`). The building process
   folds the names into an :class:`IdentityIndex` (union-find over names,
   and per name the label votes and distinct surface forms) and drops the
   record (it is in the cache).
2. **resolve** — the index's clusters become entities: a table from a
   mention's first identity name to its entity key, and each entity's class.
3. **render** — per document, the triples of its mentions, sentences and
   evidence (through :func:`kg.rdf.to_graph` on that document alone, so
   the RDF is the one the rest of the project makes), already spelt as
   Turtle blocks or N-Triples lines. Triples about entities themselves
   (labels, aliases, relations between them, award receipts) go back to
   the building process, which writes them once.

What crosses a process boundary is a plain record (:mod:`kg.model`), a
table or text, so the same work runs in a local process pool
(:class:`LocalEngine`) or on a Dask cluster (:class:`DaskEngine`).
"""
from __future__ import annotations

import collections
import concurrent.futures as cf
import dataclasses
import multiprocessing as mp
import os
from collections import Counter
from typing import Callable, Iterable, Iterator

from rdflib import Literal

from kg.model import DocumentExtraction, Entity, Mention, coarse_type
from kg.read import SourceDocument

# ------------------------------------------------------------------ engines


def available_cores() -> int:
    """The cores this process may run on (a container's CPU set, not the host's count)."""
    try:
        return len(os.sched_getaffinity(0)) or 1
    except (AttributeError, OSError):
        return os.cpu_count() or 1


class LocalEngine:
    """Chunks of work on ``jobs`` worker processes (``jobs == 1``: in this process).

    Results come back in the order the chunks went in, with at most two
    chunks per worker in flight, so a long input streams through in bounded
    memory.
    """

    def __init__(self, jobs: int | None = None):
        self.jobs = max(1, jobs or available_cores())

    def map(self, fn: Callable, chunks: Iterable, initializer: Callable | None = None,
            initargs: tuple = ()) -> Iterator:
        if self.jobs == 1:
            if initializer:
                initializer(*initargs)
            for chunk in chunks:
                yield fn(chunk)
            return
        methods = mp.get_all_start_methods()
        ctx = mp.get_context("fork" if "fork" in methods else "spawn")
        with cf.ProcessPoolExecutor(self.jobs, mp_context=ctx, initializer=initializer,
                                    initargs=initargs) as pool:
            yield from _ordered(pool.submit, fn, chunks, 2 * self.jobs)

    def close(self) -> None:
        pass

    def describe(self) -> str:
        return f"{self.jobs} local process{'es' if self.jobs > 1 else ''}"


class DaskEngine:
    """Chunks of work as tasks on a Dask distributed cluster.

    The scheduler address is what ``dask scheduler`` prints
    (``tcp://host:8786``). Workers need this package installed (same version);
    they need no access to the input files or the output folder: documents
    go to them as text and results come back as records and text.
    """

    def __init__(self, address: str, client=None, timeout: str = "20s"):
        try:
            from distributed import Client
        except ImportError:
            raise ValueError("the dask engine needs dask[distributed]: pip install 'dask[distributed]'") from None
        self.address = address
        self._own = client is None
        try:
            self.client = client or Client(address, timeout=timeout)
        except (OSError, TimeoutError) as err:
            raise ValueError(f"cannot reach the Dask scheduler at {address}: {err}") from None
        self.jobs = max(1, sum(self.client.nthreads().values()))

    def map(self, fn: Callable, chunks: Iterable, initializer: Callable | None = None,
            initargs: tuple = ()) -> Iterator:
        if initargs:  # big tables go to every worker once, not with every task
            initargs = tuple(a if isinstance(a, (str, int, float, type(None)))
                             else self.client.scatter(a, broadcast=True, hash=False) for a in initargs)

        def submit(f, chunk):
            return self.client.submit(_with_init, initializer, initargs, f, chunk, pure=False)

        yield from _ordered(submit, fn, chunks, 2 * self.jobs)

    def close(self) -> None:
        if self._own:
            self.client.close()

    def describe(self) -> str:
        return f"Dask cluster at {self.address} ({self.jobs} worker threads)"


def _ordered(submit, fn, chunks, window: int) -> Iterator:
    pending: collections.deque = collections.deque()
    for chunk in chunks:
        pending.append(submit(fn, chunk))
        if len(pending) >= window:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


_INIT_DONE: dict = {}


def _with_init(initializer, initargs, fn, chunk):
    """A Dask task: run the engine's initializer once per worker process and arguments."""
    if initializer is not None:
        token = (initializer, tuple(id(a) for a in initargs))
        if _INIT_DONE.get(initializer) != token:
            initializer(*initargs)
            _INIT_DONE[initializer] = token
    return fn(chunk)


# ------------------------------------------------------------ worker state

_STATE: dict = {}


def init_extract(home_province: str) -> None:
    from kg.pipeline import shared_nlp
    from kg.resolve import IdentityNames

    _STATE["nlp"] = shared_nlp(home_province)
    _STATE.setdefault("ids", IdentityNames())


def _ids():
    from kg.resolve import IdentityNames

    if "ids" not in _STATE:
        _STATE["ids"] = IdentityNames()
    return _STATE["ids"]


def identity_names(record: DocumentExtraction, ids=None) -> list[tuple[str, ...]]:
    """The sorted identity names of each mention, as :func:`kg.resolve.resolve` sees them."""
    ids = ids or _ids()
    return [tuple(sorted(ids.names(m))) for m in record.mentions]


def identity_summary(record: DocumentExtraction, ids=None) -> list[tuple]:
    """What the identity index reads of each mention: label, surface, name, edition, identity names."""
    return [(m.label, m.text, m.name, m.edition, ns) for m, ns in zip(record.mentions, identity_names(record, ids))]


def extract_chunk_for_cache(docs: list[SourceDocument]) -> list[tuple[str, str, bytes, list]]:
    """Pass 1 for a streaming build: ``(sha256, name, cache blob, identity summary)`` per
    document. The building process stores the blob as it is and never unpickles the record."""
    from kg.cache import dumps
    from kg.extract import extract

    nlp = _STATE["nlp"]
    out = []
    for d in docs:
        record = extract(d, nlp)
        out.append((d.sha256, d.name, dumps(record), identity_summary(record)))
    return out


def extract_chunk(docs: list[SourceDocument]) -> list[tuple[DocumentExtraction, list]]:
    """Pass 1 in a worker: records and the identity names of their mentions."""
    from kg.extract import extract

    nlp = _STATE["nlp"]
    out = []
    for d in docs:
        record = extract(d, nlp)
        out.append((record, identity_names(record)))
    return out


# ----------------------------------------------------------- identity index


class IdentityIndex:
    """The corpus-wide part of identity resolution, fed one document at a time.

    Holds, per identity name, the union-find link, where the name was first
    seen, the label votes and the distinct surface forms of its mentions:
    memory grows with the number of distinct names, not of mentions.
    :meth:`entities` then gives the same entities as :func:`kg.resolve.resolve`.
    """

    def __init__(self):
        from kg.resolve import _UnionFind

        self.uf = _UnionFind()
        self.first_seen: dict[tuple[str, str], tuple] = {}
        self.votes: dict[tuple[str, str], Counter] = {}
        self.reps: dict[tuple[str, str], dict] = {}

    def add(self, sha256: str, name: str, summary: list[tuple]) -> None:
        """One document's :func:`identity_summary`."""
        order = (sha256, name)
        for i, (label, text, mname, edition, ns) in enumerate(summary):
            ct = coarse_type(label)
            first = (ct, ns[0])
            for n in ns[1:]:
                self.uf.union(first, (ct, n))
            seen = self.first_seen.get(first)
            if seen is None or (order, i) < seen:
                self.first_seen[first] = (order, i)
                self.votes.setdefault(first, Counter())
                self.reps.setdefault(first, {})
            self.votes[first][label] += 1
            self.reps[first][(label, text, mname, edition)] = None

    def entities(self) -> tuple[dict[tuple[str, str], Entity], dict[tuple[str, str], tuple[str, str]]]:
        """``(entities by key (without mentions), entity key by first identity name)``."""
        from kg.resolve import IdentityNames, _entity

        ids = IdentityNames()
        clusters: dict = {}
        for first in self.first_seen:
            clusters.setdefault(self.uf.find(first), []).append(first)
        ordered = sorted(clusters.items(), key=lambda kv: min(self.first_seen[f] for f in kv[1]))
        entities: dict = {}
        key_of: dict = {}
        for root, firsts in ordered:
            votes: Counter = Counter()
            reps: dict = {}
            for f in firsts:
                votes.update(self.votes[f])
                reps.update(self.reps[f])
            reps = {Mention(0, 0, label, text, name, "", 1.0, None, edition): None
                    for label, text, name, edition in reps}
            members = [("", r) for r in reps]
            for label, n in votes.items():
                of_label = [r for r in reps if r.label == label]
                members += [("", of_label[0])] * (n - len(of_label))
            ent = _entity(root[0], members, ids)
            ent = dataclasses.replace(ent, mentions=[])
            entities[ent.key] = ent
            for f in firsts:
                key_of[f] = ent.key
        return entities, key_of


# ------------------------------------------------------------------ render


@dataclasses.dataclass
class RenderTables:
    """What a render worker needs to know of the whole corpus (entity-index sized)."""

    key_of: dict
    label_of: dict
    base_iri: str
    home_province: str
    fmt: str                       # "turtle" | "nt" | "nq"
    graph_iri: str | None = None
    namespaces: dict | None = None
    cache_path: str | None = None


@dataclasses.dataclass
class DocRender:
    """One document's share of the output."""

    name: str
    local: list                    # Turtle: (refs, subject, block); lines: the text
    shared: list                   # triples about entities, for the building process to merge
    ext_refs: dict                 # entity IRI -> references from this document's subjects
    prefixes: dict
    stats: dict
    fact_keys: set
    facts: int
    triples: int


def init_render(tables: RenderTables) -> None:
    _STATE["tables"] = tables


class _Collect(list):
    def add(self, triple) -> None:
        self.append(triple)

    def bind(self, *args, **kwargs) -> None:
        pass


def render_chunk(items: list) -> list[DocRender]:
    """Pass 3 in a worker: items are records, or ``(cache key, name)`` read from the cache."""
    from kg.cache import read_records

    tables: RenderTables = _STATE["tables"]
    if items and isinstance(items[0], tuple):
        records = read_records(tables.cache_path, items)
    else:
        records = items
    return [render_document(r, tables) for r in records]


def _turtle_format(t: RenderTables):
    """One per process and build: it memoises how each vocabulary IRI is written."""
    from kg.serialize import TurtleFormat

    if _STATE.get("fmt_for") is not t:
        _STATE["fmt"], _STATE["fmt_for"] = TurtleFormat(t.namespaces or {}, t.base_iri), t
    return _STATE["fmt"]


def _triple_key(s, p, o) -> tuple:
    """A triple as plain strings: rdflib terms hash and compare in Python, strings in C."""
    if type(o) is Literal:
        return (str(s), str(p), str(o), o.language, str(o.datatype))
    return (str(s), str(p), str(o))


def _entity_level_lines(bare: dict, settings, t: RenderTables) -> set[tuple]:
    """What to_graph says of these entities themselves (not of their mentions): the
    building process writes that once, so documents leave it out. Memoised per entity."""
    from kg.rdf import to_graph
    from kg.resolve import Resolution
    from kg.serialize import nt_line

    if _STATE.get("level_for") is not t:
        _STATE["level"], _STATE["level_for"] = {}, t
    memo: dict = _STATE["level"]
    out: set[str] = set()
    for k, e in bare.items():
        lines = memo.get(k)
        if lines is None:
            made = _Collect()
            to_graph(Resolution(entities={k: e}, facts=[], documents=[], _index={}), settings, graph=made)
            lines = memo[k] = frozenset(_triple_key(*x) for x in made)
        out |= lines
    return out


def render_document(d: DocumentExtraction, t: RenderTables) -> DocRender:
    from rdflib import URIRef

    from kg.rdf import to_graph
    from kg.resolve import Resolution, _facts
    from kg.serialize import TurtleTable, nt_line
    from kg.settings import Settings
    from kg.stats import summarise

    ids = _ids()
    index: dict = {}
    members: dict = {}
    for m in d.mentions:
        key = t.key_of[(coarse_type(m.label), sorted(ids.names(m))[0])]
        index[(d.doc_id, m.start, m.end, m.label)] = key
        members.setdefault(key, []).append((d.doc_id, m))
    bare = {k: Entity(key=k, label=t.label_of[k], name=k[1]) for k in members}
    ents = {k: dataclasses.replace(e, mentions=sorted(members[k], key=lambda dm: (dm[1].start, dm[1].end, dm[1].label)))
            for k, e in bare.items()}
    facts = _facts([d], ents, index)
    res = Resolution(entities=ents, facts=facts, documents=[d], _index=index)
    settings = Settings(base_iri=t.base_iri, home_province=t.home_province, progress=False)
    made = _Collect()
    to_graph(res, settings, graph=made)
    drop = _entity_level_lines(bare, settings, t)
    local_prefixes = (f"{t.base_iri}source/{d.doc_id}", f"{t.base_iri}statement/")

    def is_local(node) -> bool:
        return type(node) is URIRef and str.startswith(node, local_prefixes)  # rdflib's startswith takes no tuple

    turtle = t.fmt == "turtle"
    table = TurtleTable(_turtle_format(t)) if turtle else None
    seen: set[str] = set()
    seen_shared: set[tuple] = set()
    local_lines: list[str] = []
    shared: list = []
    ext_refs: Counter = Counter()
    local_subjects: set[str] = set()
    count = 0
    for triple in made:
        s, p, o = triple
        s_local = is_local(s)
        if not s_local and not is_local(o):
            key = _triple_key(s, p, o)
            if key not in drop and key not in seen_shared:
                seen_shared.add(key)
                shared.append(triple)
            continue
        if turtle:
            if not table.add(triple):
                continue
        else:
            line = nt_line(triple, t.graph_iri)
            if line in seen:
                continue
            seen.add(line)
            local_lines.append(line)
        if not s_local:
            if turtle:  # a shared subject's block is written centrally; the reference counted here
                shared.append(triple)
                continue
        else:
            local_subjects.add(str(s))
            if type(o) is URIRef and not is_local(o):
                ext_refs[str(o)] += 1
        count += 1
    if turtle:
        local = table.blocks(subjects=local_subjects)
        prefixes = table.fmt.used
    else:
        local = ["".join(sorted(local_lines))]
        prefixes = {}
    stats = summarise(res, [], 0)["per_document"][d.name]
    return DocRender(d.name, local, shared, dict(ext_refs), dict(prefixes), stats,
                     {(f.subject, f.predicate, f.object) for f in facts}, len(facts), count)
