"""The Oxigraph store of a graph file, for ``kg query``, ``kg serve`` and ``kg export``.

Parsing the Turtle is the slow part of a query on a large graph, so the
loaded store is kept on disk beside the graph
(``<graph folder>/.store/<hash of the graph file>/``) and reused while the
file is unchanged: the first user loads it, later ones open it read-only at
once. A changed graph file has another hash and so another store; only the
few most recently used are kept.

Several processes share that folder (a long-running ``kg serve``, a ``kg
query`` after a rebuild, an export), so every user of a cached store *pins*
it: a shared ``flock`` on the store's ``.complete`` marker, held for as long
as the store is open. Pruning removes only stores it can lock exclusively,
so a store in use is never deleted under its reader (a pruned store used to
leave ``kg serve`` unable to restart a worker). A store being loaded is
locked the same way, and the next load removes the leftovers of a loader
that was killed.
"""
from __future__ import annotations

import contextlib
import fcntl
import hashlib
import os
import shutil
import tempfile
import time
from pathlib import Path
from typing import Iterator

import pyoxigraph as ox

from kg.graphio import SYNTAXES, GraphFileError, syntax_of  # noqa: F401  (GraphFileError: kg.store's error too)

RDF_FORMATS = {suffix: s.oxigraph_format() for s in SYNTAXES for suffix in s.suffixes}
QUAD_FORMATS = {ox.RdfFormat.N_QUADS, ox.RdfFormat.TRIG}
STORE_DIR = ".store"
KEEP_STORES = 3
_COMPLETE = ".complete"
_LOADING = ".loading-"
_PRUNING = ".pruning-"
_LOCK = ".lock"
_UNLOCKED_GRACE_S = 5.0


def graph_format(path: Path | str) -> ox.RdfFormat:
    return syntax_of(path).oxigraph_format()


def union_default_graph(graph_path: Path | str) -> bool:
    """Whether queries should see all named graphs as the default graph (a quad file)."""
    return graph_format(graph_path) in QUAD_FORMATS


def file_digest(path: Path) -> str:
    h = hashlib.sha256()
    with open(path, "rb") as f:
        for block in iter(lambda: f.read(1 << 20), b""):
            h.update(block)
    return h.hexdigest()


def check_graph_file(path: Path) -> None:
    if not path.exists():
        raise GraphFileError(f"{path}: graph file not found")
    if not path.is_file():
        raise GraphFileError(f"{path}: not a file")


def load_into(store: ox.Store, path: Path, bulk: bool) -> None:
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
    return path.parent / STORE_DIR / (digest or file_digest(path))[:24]


def cached_store_path(graph_path: Path | str) -> Path:
    """The on-disk store of the graph, loading it first if it is not cached yet.

    The store is loaded into a temporary folder and renamed into place, so a
    reader never sees half a store and two processes loading at once both
    end up with one complete store. Raises :class:`GraphFileError` for a bad
    graph and ``OSError`` when the folder cannot hold a cache.
    """
    path = Path(graph_path)
    check_graph_file(path)
    target = store_dir(path)
    if not (target / _COMPLETE).exists():
        target.parent.mkdir(parents=True, exist_ok=True)
        _remove_leftovers(target.parent)
        tmp = Path(tempfile.mkdtemp(prefix=_LOADING, dir=target.parent))
        lock = os.open(tmp / _LOCK, os.O_WRONLY | os.O_CREAT, 0o644)
        try:
            fcntl.flock(lock, fcntl.LOCK_EX)
            store = ox.Store(str(tmp / "db"))
            load_into(store, path, bulk=True)
            store.flush()
            store.optimize()
            del store
            (tmp / "db" / _COMPLETE).touch()
            if target.exists():
                shutil.rmtree(target, ignore_errors=True)
            try:
                os.rename(tmp / "db", target)
            except OSError:
                if not (target / _COMPLETE).exists():
                    raise
        finally:
            os.close(lock)
            shutil.rmtree(tmp, ignore_errors=True)
        prune(target)
    with contextlib.suppress(OSError):
        os.utime(target / _COMPLETE)
    return target


def _try_lock(path: Path, mode: int) -> int | None:
    """An open descriptor of ``path`` locked with ``mode`` (non-blocking), or None if it is held or gone."""
    try:
        fd = os.open(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        fcntl.flock(fd, mode | fcntl.LOCK_NB)
    except OSError:
        os.close(fd)
        return None
    return fd


def _remove_leftovers(folder: Path) -> None:
    """Folders of loads whose process died (their lock is free) and of interrupted prunes."""
    now = time.time()
    for p in folder.iterdir():
        if p.name.startswith(_PRUNING):
            shutil.rmtree(p, ignore_errors=True)
        elif p.name.startswith(_LOADING):
            with contextlib.suppress(OSError):
                if now - p.stat().st_mtime < _UNLOCKED_GRACE_S:
                    continue
            fd = _try_lock(p / _LOCK, fcntl.LOCK_EX)
            if fd is not None:
                try:
                    shutil.rmtree(p, ignore_errors=True)
                finally:
                    os.close(fd)
            elif not (p / _LOCK).exists():
                shutil.rmtree(p, ignore_errors=True)


def prune(keep: Path) -> None:
    """Drop all but the few most recently used stores of this folder, skipping any store in use."""
    stores = []
    for p in keep.parent.iterdir():
        with contextlib.suppress(OSError):
            stores.append(((p / _COMPLETE).stat().st_mtime, p))
    stores.sort(reverse=True)
    for _, old in stores[KEEP_STORES:]:
        if old == keep:
            continue
        fd = _try_lock(old / _COMPLETE, fcntl.LOCK_EX)
        if fd is None:
            continue
        try:
            doomed = Path(tempfile.mkdtemp(prefix=_PRUNING, dir=old.parent))
            os.rename(old, doomed / "db")
            shutil.rmtree(doomed, ignore_errors=True)
        except OSError:
            pass
        finally:
            os.close(fd)


def _pin(graph_path: Path) -> tuple[Path, int]:
    """The cached store and a descriptor holding a shared lock on it (close it to unpin)."""
    for _ in range(5):
        target = cached_store_path(graph_path)
        fd = _try_lock(target / _COMPLETE, fcntl.LOCK_SH)
        if fd is None:
            continue
        try:
            if os.stat(target / _COMPLETE).st_ino == os.fstat(fd).st_ino:
                return target, fd
        except OSError:
            pass
        os.close(fd)
    raise OSError(f"{graph_path}: the cached store kept disappearing while it was being opened")


@contextlib.contextmanager
def pinned_store(graph_path: Path | str, cache: bool = True) -> Iterator[Path]:
    """The folder of an on-disk store of the graph, there for as long as the block runs.

    The cached store, pinned against pruning; or, when the graph's folder
    cannot hold a cache (or ``cache`` is false), a scratch store in a
    temporary folder that is removed afterwards. On-disk stores list quads in
    key order, a function of the content alone, so an export's bytes never
    depend on which of the two was used.
    """
    path = Path(graph_path)
    check_graph_file(path)
    if cache:
        try:
            folder, fd = _pin(path)
        except GraphFileError:
            raise
        except OSError:
            pass
        else:
            try:
                yield folder
            finally:
                os.close(fd)
            return
    with tempfile.TemporaryDirectory(prefix="kg-store-") as scratch:
        folder = Path(scratch) / "db"
        store = disk_store(path, folder)
        store.flush()
        del store
        yield folder


@contextlib.contextmanager
def opened_store(graph_path: Path | str, cache: bool = True) -> Iterator[ox.Store]:
    """A read-only store holding the graph for the block: the pinned cached one, or one in memory.

    Memory is the fallback when the graph's folder cannot hold a cache (a
    small graph loads faster into memory than into a scratch folder).
    """
    path = Path(graph_path)
    check_graph_file(path)
    if cache:
        try:
            folder, fd = _pin(path)
        except GraphFileError:
            raise
        except OSError:
            pass
        else:
            try:
                yield ox.Store.read_only(str(folder))
            finally:
                os.close(fd)
            return
    store = ox.Store()
    load_into(store, path, bulk=False)
    yield store


def open_store(graph_path: Path | str, cache: bool = True) -> ox.Store:
    """A store holding the graph: the cached on-disk one, read-only (not pinned), or an in-memory one."""
    path = Path(graph_path)
    check_graph_file(path)
    if cache:
        try:
            return ox.Store.read_only(str(cached_store_path(path)))
        except GraphFileError:
            raise
        except OSError:
            pass
    store = ox.Store()
    load_into(store, path, bulk=False)
    return store


def disk_store(graph_path: Path | str, folder: Path | str) -> ox.Store:
    """The graph bulk-loaded into a new on-disk store in ``folder``."""
    path = Path(graph_path)
    check_graph_file(path)
    store = ox.Store(str(folder))
    load_into(store, path, bulk=True)
    return store
