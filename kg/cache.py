"""The extraction cache: what a document yielded, kept between builds.

Extraction is most of a build's time, and its result depends on nothing but
the document's bytes, the rules and the home province. So each
:class:`~kg.model.DocumentExtraction` is kept, keyed by the SHA-256 of the
bytes, :func:`kg.pipeline.rules_version` and the province; a rebuild after
adding or changing documents extracts only those, and any change to a rule
or word list makes every entry stale at once.

The cache is one SQLite file (``OUT/.kg-cache.sqlite``), not a folder of
pickles: an archive of 10^5 articles would be 10^5 files, and a build that
fails half-way must leave it consistent. It also serves as the build's
spill area: records go there as they are extracted and are read back,
one chunk at a time, when the graph is written, so the build never holds
all of them in memory.
"""
from __future__ import annotations

import dataclasses
import pickle
import sqlite3
import zlib
from pathlib import Path
from typing import Iterable, Iterator

from kg.model import DocumentExtraction

CACHE_NAME = ".kg-cache.sqlite"
_SCHEMA = "CREATE TABLE IF NOT EXISTS extraction (key TEXT PRIMARY KEY, rules TEXT NOT NULL, record BLOB NOT NULL)"


def cache_key(sha256: str, rules: str, province: str) -> str:
    return f"{sha256}:{rules}:{province}"


def dumps(record: DocumentExtraction) -> bytes:
    return zlib.compress(pickle.dumps(record, protocol=pickle.HIGHEST_PROTOCOL), 1)


def loads(blob: bytes) -> DocumentExtraction:
    return pickle.loads(zlib.decompress(blob))


class ExtractionCache:
    """Records of documents already extracted, in one SQLite file.

    Only the building process writes; worker processes open it read-only
    (:func:`read_records`) once the records they need are committed.
    """

    def __init__(self, path: Path | str, rules: str, province: str):
        self.path = Path(path)
        self.rules, self.province = rules, province
        self.path.parent.mkdir(parents=True, exist_ok=True)
        try:
            self.db = sqlite3.connect(self.path, isolation_level=None)
            self.db.execute(_SCHEMA)
        except sqlite3.DatabaseError as err:
            raise ValueError(f"{self.path}: not a usable extraction cache ({err}); delete it to start afresh") from None
        self.db.execute("BEGIN")
        self.hits = self.misses = 0

    def key(self, sha256: str) -> str:
        return cache_key(sha256, self.rules, self.province)

    def get(self, sha256: str, name: str | None = None) -> DocumentExtraction | None:
        row = self.db.execute("SELECT record FROM extraction WHERE key = ?", (self.key(sha256),)).fetchone()
        if row is None:
            self.misses += 1
            return None
        self.hits += 1
        record = loads(row[0])
        return dataclasses.replace(record, name=name) if name and record.name != name else record

    def __contains__(self, sha256: str) -> bool:
        return self.db.execute("SELECT 1 FROM extraction WHERE key = ?", (self.key(sha256),)).fetchone() is not None

    def put(self, record: DocumentExtraction) -> None:
        self.put_blob(record.sha256, dumps(record))

    def put_blob(self, sha256: str, blob: bytes) -> None:
        """A record already made into :func:`dumps` bytes (by the worker that extracted it)."""
        self.db.execute("INSERT OR REPLACE INTO extraction VALUES (?, ?, ?)", (self.key(sha256), self.rules, blob))

    def commit(self) -> None:
        self.db.execute("COMMIT")
        self.db.execute("BEGIN")

    def prune(self) -> None:
        """Drop records made by other rule versions: nothing can use them again."""
        self.db.execute("DELETE FROM extraction WHERE rules != ?", (self.rules,))

    def close(self) -> None:
        self.db.execute("COMMIT")
        self.db.close()


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
