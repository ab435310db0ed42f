"""Writing outputs safely: whole or not at all, one file or a set of them.

A single output goes to a temporary file in its folder and is renamed over
the old one only when complete (:func:`atomic_write`).

A build's outputs (``graph.ttl``, ``graph.html``, ``stats.json``) are a set:
a graph with the page and statistics of another build is wrong even if each
file is whole. So a build folder (:class:`OutputFolder`) holds its outputs
as *generations*::

    OUT/.kg-generations/7/graph.ttl, graph.html, stats.json   (one build's set)
    OUT/.kg-current  -> .kg-generations/7                     (the one pointer)
    OUT/graph.ttl    -> .kg-current/graph.ttl                 (the usual paths)

A build writes its set into a new generation folder, then renames one new
symbolic link over ``.kg-current``: the only step that changes what the
usual paths show, and a rename is atomic. So a kill or a full disk at any
moment leaves exactly the old set or exactly the new one, never a mix.
Links for outputs the old set lacks are made before the switch (they dangle,
so the file reads as absent, until it); links for outputs the new set lacks
are removed after it. An older folder whose outputs are plain files is
taken over once, without a moment where they change: the files are hard
linked into a first generation and each replaced by its link in one rename.

The folder is locked while a build writes to it (``OUT/.kg-lock``, a POSIX
record lock: the kernel drops it when its process dies, and forked workers
do not inherit it), and the lock file says who holds it. Whatever a killed
build left (an unfinished generation, a half-made pointer, temporary files
of earlier versions) is removed by the next build, under the lock.
"""
from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import shutil
import socket
import sys
import tempfile
import time
from pathlib import Path
from typing import IO, Iterator

GENERATIONS = ".kg-generations"
CURRENT = ".kg-current"
LOCK = ".kg-lock"
_LOCKED_HERE: dict[tuple[int, int], str] = {}  # lock files this process holds (a POSIX lock is per process)


@contextlib.contextmanager
def naming(path: Path | str) -> Iterator[None]:
    """An ``OSError`` raised inside names ``path`` (a failed ``write`` names no file)."""
    try:
        yield
    except OSError as err:
        if err.filename is None and err.errno is not None:
            raise OSError(err.errno, err.strerror, str(path)) from err
        raise


@contextlib.contextmanager
def atomic_write(path: Path | str, mode: str = "w", encoding: str | None = "utf-8") -> Iterator[IO]:
    path = Path(path)
    with naming(path):
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".part", dir=path.parent)
        try:
            with os.fdopen(fd, mode, encoding=None if "b" in mode else encoding) as f:
                yield f
                f.flush()
                os.fsync(f.fileno())
            os.chmod(tmp, 0o666 & ~_umask())
            os.replace(tmp, path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(tmp)
            raise


def _umask() -> int:
    mask = os.umask(0)
    os.umask(mask)
    return mask


def write_text(path: Path | str, text: str) -> None:
    with atomic_write(path) as f:
        f.write(text)


def write_bytes(path: Path | str, data: bytes) -> None:
    with atomic_write(path, "wb") as f:
        f.write(data)


# ------------------------------------------------------------------ build folders


class OutputFolderError(Exception):
    """OUT cannot take a build (it is a file, or cannot be written); the message names it."""


class OutputFolderBusy(OutputFolderError):
    """Another process holds OUT's lock; the message says which."""


class OutputFolder:
    """A build folder written as generations (see the module docstring).

    Use as a context manager: entering makes and locks the folder and removes
    what earlier killed builds left; :meth:`new_generation` gives a folder to
    write a set into, :meth:`commit` makes it the current set; leaving
    removes an uncommitted generation and releases the lock.
    """

    def __init__(self, path: Path | str, names: tuple[str, ...]):
        self.path = Path(path)
        self.names = names  # every output name the folder's builds can write
        self._lock_fd: int | None = None
        self._new: Path | None = None

    # -------------------------------------------------------------- lock

    def __enter__(self) -> "OutputFolder":
        if self.path.exists() and not self.path.is_dir():
            raise OutputFolderError(f"{self.path}: is a file, not a folder (--out names the folder to build into)")
        lock_path = self.path / LOCK
        with contextlib.suppress(OSError):
            # Closing any descriptor of a file drops this process's lock on it, so a second build
            # in this process is refused before it opens the file.
            holder = _LOCKED_HERE.get(_identity(os.stat(lock_path)))
            if holder is not None:
                raise OutputFolderBusy(f"{self.path}: another build is writing here ({holder}); "
                                       f"wait for it to end, or build into another folder")
        try:
            self.path.mkdir(parents=True, exist_ok=True)
            fd = os.open(lock_path, os.O_RDWR | os.O_CREAT, 0o644)
        except OSError as err:
            raise OutputFolderError(f"{self.path}: cannot write here: {err.strerror or err}") from None
        try:
            fcntl.lockf(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except OSError as err:
            holder = _read_holder(fd)
            os.close(fd)
            if err.errno in (errno.EACCES, errno.EAGAIN):
                raise OutputFolderBusy(f"{self.path}: another build is writing here ({holder}); "
                                       f"wait for it to end, or build into another folder") from None
            raise OutputFolderError(f"{self.path}: cannot lock {LOCK}: {err.strerror or err}") from None
        self._lock_fd, self._ident = fd, _identity(os.fstat(fd))
        try:
            _write_holder(fd)
            _LOCKED_HERE[self._ident] = _read_holder(fd)
            self.clean()
        except OSError as err:
            self._release()
            raise OutputFolderError(f"{self.path}: cannot write here: {err.strerror or err}") from None
        except BaseException:
            self._release()
            raise
        return self

    def __exit__(self, *exc) -> None:
        try:
            if self._new is not None:
                shutil.rmtree(self._new, ignore_errors=True)
                self._new = None
        finally:
            self._release()

    def _release(self) -> None:
        if self._lock_fd is not None:
            _LOCKED_HERE.pop(self._ident, None)
            os.close(self._lock_fd)  # closing drops the record lock
            self._lock_fd = None

    # -------------------------------------------------------------- generations

    @property
    def generations(self) -> Path:
        return self.path / GENERATIONS

    def current(self) -> Path | None:
        """The current generation's folder, or None (no build yet, or a folder of plain files)."""
        link = self.path / CURRENT
        if not link.is_symlink():
            return None
        target = self.path / os.readlink(link)
        return target if target.is_dir() else None

    def new_generation(self) -> Path:
        """A new, empty generation folder (numbered after every existing one)."""
        self.generations.mkdir(exist_ok=True)
        numbers = [int(p.name) for p in self.generations.iterdir() if p.name.isdigit()]
        gen = self.generations / str(max(numbers, default=0) + 1)
        gen.mkdir()
        self._new = gen
        return gen

    def commit(self, gen: Path) -> None:
        """Make ``gen`` the current set, in one rename; then drop what the new set does not hold."""
        names = [n for n in self.names if (gen / n).is_file()]
        for name in names:
            _fsync_file(gen / name)
        _fsync_dir(gen)
        _fsync_dir(self.generations)
        if self.current() is None:
            self._adopt_plain_files()
        for name in names:
            if not self._is_our_link(name):
                self._link(name)
        rel = f"{GENERATIONS}/{gen.name}"
        tmp = self.path / f"{CURRENT}.new"
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        os.symlink(rel, tmp)
        os.replace(tmp, self.path / CURRENT)   # the switch
        _fsync_dir(self.path)
        self._new = None
        for name in self.names:
            if name not in names and self._is_our_link(name):
                with contextlib.suppress(FileNotFoundError):
                    os.unlink(self.path / name)
        self._remove_old_generations(keep=gen)

    def _link_target(self, name: str) -> str:
        return f"{CURRENT}/{name}"

    def _is_our_link(self, name: str) -> bool:
        p = self.path / name
        return p.is_symlink() and os.readlink(p) == self._link_target(name)

    def _link(self, name: str) -> None:
        """``OUT/name`` -> ``.kg-current/name``, put in place by one rename."""
        tmp = self.path / f".{name}.link-new"
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        os.symlink(self._link_target(name), tmp)
        os.replace(tmp, self.path / name)

    def _adopt_plain_files(self) -> None:
        """A folder of plain output files (built before generations) becomes generation 0,
        each file replaced by its link to the same bytes, so nobody sees it change."""
        plain = [n for n in self.names if (self.path / n).is_file() and not (self.path / n).is_symlink()]
        if not plain:
            return
        gen0 = self.generations / "0"
        shutil.rmtree(gen0, ignore_errors=True)
        gen0.mkdir(parents=True)
        for name in plain:
            try:
                os.link(self.path / name, gen0 / name)
            except OSError:  # a file system without hard links: a copy, made whole before it is used
                shutil.copy2(self.path / name, gen0 / name)
                _fsync_file(gen0 / name)
        _fsync_dir(gen0)
        tmp = self.path / f"{CURRENT}.new"
        with contextlib.suppress(FileNotFoundError):
            os.unlink(tmp)
        os.symlink(f"{GENERATIONS}/0", tmp)
        os.replace(tmp, self.path / CURRENT)
        for name in plain:
            self._link(name)

    def _remove_old_generations(self, keep: Path) -> None:
        if not self.generations.is_dir():
            return
        for p in self.generations.iterdir():
            if p.name != keep.name:
                _remove(p)

    def clean(self) -> None:
        """Remove what a killed build left: generations that are not current, a half-made
        pointer or link, an interrupted take-over of plain files, and the temporary files of
        earlier versions (``.graph.ttl.*.part``, ``.kg-sort-*``)."""
        current = self.current()
        for p in self.path.glob(f"{CURRENT}.new"):
            _remove(p)
        for name in self.names:
            for p in self.path.glob(f".{name}.link-new"):
                _remove(p)
            for p in self.path.glob(f".{name}.*.part"):
                _remove(p)
        for p in self.path.glob(".kg-sort-*"):
            _remove(p)
        if self.generations.is_dir():
            for p in self.generations.iterdir():
                if current is None or p.name != current.name:
                    _remove(p)
        if current is not None:
            for name in self.names:
                plain = self.path / name
                if plain.is_file() and not plain.is_symlink() and (current / name).is_file() \
                        and os.path.samefile(plain, current / name):
                    self._link(name)


def _remove(p: Path) -> None:
    if p.is_dir() and not p.is_symlink():
        shutil.rmtree(p, ignore_errors=True)
    else:
        with contextlib.suppress(FileNotFoundError):
            os.unlink(p)


def _fsync_file(path: Path) -> None:
    fd = os.open(path, os.O_RDONLY)
    try:
        os.fsync(fd)
    finally:
        os.close(fd)


def _fsync_dir(path: Path) -> None:
    with contextlib.suppress(OSError):  # not every file system syncs a folder
        fd = os.open(path, os.O_RDONLY)
        try:
            os.fsync(fd)
        finally:
            os.close(fd)


def _identity(st: os.stat_result) -> tuple[int, int]:
    return (st.st_dev, st.st_ino)


def _write_holder(fd: int) -> None:
    program = Path(sys.argv[0]).name if sys.argv and sys.argv[0] else "python"
    if program in ("cli.py", "__main__.py", "-c"):  # python -m kg, python -m kg.cli
        program = "kg"
    info = {"pid": os.getpid(), "host": socket.gethostname(), "started": time.strftime("%Y-%m-%d %H:%M:%S"),
            "command": " ".join([program, *sys.argv[1:]])[:300]}
    os.ftruncate(fd, 0)
    os.pwrite(fd, (json.dumps(info, ensure_ascii=False) + "\n").encode("utf-8"), 0)


def _read_holder(fd: int) -> str:
    try:
        info = json.loads(os.pread(fd, 4096, 0).decode("utf-8"))
        return f"pid {info['pid']} on {info['host']}, started {info['started']}: {info['command']}"
    except (OSError, ValueError, KeyError, TypeError):
        return "a process that has not said who it is yet"
