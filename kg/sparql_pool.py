"""The query processes of ``kg serve``: a pool that keeps itself whole.

Each query runs in a worker process (:mod:`kg.sparql_worker`) so that one
past its time limit or memory cap can be killed. A supervisor thread keeps
the pool at its size: it starts a worker whenever one is missing, checks the
idle ones every second and drops any that died, and when a worker cannot
start it retries with a growing pause (0.25 s doubling to 30 s) instead of
giving up. A request waits for an idle worker as long as its time limit
allows, so ``503 busy`` means every worker really was taken; when no worker
can start at all, the request is answered at once with the reason.
"""
from __future__ import annotations

import json
import os
import select
import signal
import struct
import subprocess
import sys
import threading
import time
from dataclasses import dataclass
from pathlib import Path

WORKER = Path(__file__).with_name("sparql_worker.py")
START_TIMEOUT_S = 60.0
HEALTH_INTERVAL_S = 1.0
BACKOFF_FIRST_S = 0.25
BACKOFF_MAX_S = 30.0
TEXT = "text/plain; charset=utf-8"


@dataclass(frozen=True)
class Limits:
    """What one query may take. Validated: a limit of zero or less would refuse or drop everything."""

    timeout: float = 30.0
    max_bytes: int = 50_000_000
    workers: int = 2
    memory_mb: int = 1024
    idle_timeout: float = 10.0

    MAX_WORKERS = 32
    MIN_MEMORY_MB = 128

    def __post_init__(self) -> None:
        if not self.timeout > 0:
            raise ValueError(f"--timeout must be more than 0 seconds (got {self.timeout:g})")
        if not self.max_bytes > 0:
            raise ValueError("--max-result-mb must be more than 0")
        if not 1 <= self.workers <= self.MAX_WORKERS:
            raise ValueError(f"--workers must be from 1 to {self.MAX_WORKERS} (got {self.workers})")
        if self.memory_mb < self.MIN_MEMORY_MB:
            raise ValueError(f"--max-memory-mb must be at least {self.MIN_MEMORY_MB}: a query process needs "
                             f"about 80 MB before its first query (got {self.memory_mb})")
        if not self.idle_timeout > 0:
            raise ValueError(f"--idle-timeout must be more than 0 seconds (got {self.idle_timeout:g})")


class WorkerGone(Exception):
    """The worker process ended or could not start."""


class _Worker:
    """A query process and its pipes; reads and writes frames with a deadline."""

    def __init__(self, store: Path, memory_mb: int) -> None:
        self.proc = subprocess.Popen([sys.executable, "-I", str(WORKER), str(store), str(memory_mb)],
                                     stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL,
                                     close_fds=True)
        try:
            ready = json.loads(self.read(time.monotonic() + START_TIMEOUT_S))
        except (TimeoutError, WorkerGone, ValueError):
            self.kill()
            raise WorkerGone(f"a query process did not start (exit status {self.proc.returncode})") from None
        if ready.get("status") != "ready":
            self.kill()
            raise WorkerGone(ready.get("error") or "a query process did not start")

    def alive(self) -> bool:
        return self.proc.poll() is None

    def send(self, payload: bytes) -> None:
        try:
            self.proc.stdin.write(struct.pack(">I", len(payload)) + payload)
            self.proc.stdin.flush()
        except (BrokenPipeError, OSError) as err:
            raise WorkerGone(str(err)) from None

    def _read_exact(self, n: int, deadline: float) -> bytes:
        fd = self.proc.stdout.fileno()
        parts, got = [], 0
        while got < n:
            left = deadline - time.monotonic()
            if left <= 0:
                raise TimeoutError()
            ready, _, _ = select.select([fd], [], [], left)
            if not ready:
                raise TimeoutError()
            chunk = os.read(fd, min(n - got, 1 << 20))
            if not chunk:
                raise WorkerGone("the query process ended")
            parts.append(chunk)
            got += len(chunk)
        return b"".join(parts)

    def read(self, deadline: float) -> bytes:
        (n,) = struct.unpack(">I", self._read_exact(4, deadline))
        return self._read_exact(n, deadline)

    def kill(self) -> None:
        if self.proc.poll() is None:
            self.proc.kill()
        try:
            self.proc.wait(timeout=10)
        except subprocess.TimeoutExpired:  # pragma: no cover
            pass
        for pipe in (self.proc.stdin, self.proc.stdout):
            try:
                pipe.close()
            except OSError:
                pass


class QueryPool:
    """Worker processes over one store, kept at ``limits.workers`` by a supervisor thread."""

    def __init__(self, store: Path, union: bool, limits: Limits) -> None:
        self.store, self.union, self.limits = store, union, limits
        self._cond = threading.Condition()
        self._idle: list[_Worker] = []
        self._live: set[_Worker] = set()
        self._closed = False
        self.last_error: str | None = None
        self.restarts = 0
        self._supervisor = threading.Thread(target=self._supervise, name="kg-serve-pool", daemon=True)
        self._supervisor.start()
        with self._cond:
            self._cond.wait_for(lambda: self._live or self.last_error is not None, timeout=START_TIMEOUT_S + 5)
            if not self._live:
                reason = self.last_error or "the query processes did not start in time"
        if not self._live:
            self.close()
            raise WorkerGone(reason)

    # ------------------------------------------------------------ the supervisor

    def _supervise(self) -> None:
        """Start missing workers (with back-off after a failure) and drop idle ones that died.

        Workers are started from this thread, which lives as long as the
        pool: a worker's parent-death signal fires when the thread that
        started it ends.
        """
        backoff = BACKOFF_FIRST_S
        while True:
            with self._cond:
                while not self._closed and len(self._live) >= self.limits.workers:
                    self._cond.wait(HEALTH_INTERVAL_S)
                    self._drop_dead_idle()
                if self._closed:
                    return
            try:
                worker = _Worker(self.store, self.limits.memory_mb)
            except (WorkerGone, OSError) as err:
                with self._cond:
                    self.last_error = str(err)
                    self._cond.notify_all()
                    self._cond.wait(backoff)
                backoff = min(backoff * 2, BACKOFF_MAX_S)
                continue
            backoff = BACKOFF_FIRST_S
            with self._cond:
                if self._closed:
                    worker.kill()
                    return
                self._live.add(worker)
                self._idle.append(worker)
                self.last_error = None
                self._cond.notify_all()

    def _drop_dead_idle(self) -> None:
        for w in [w for w in self._idle if not w.alive()]:
            self._idle.remove(w)
            self._live.discard(w)
            w.kill()
            self.restarts += 1

    def _discard(self, worker: _Worker) -> None:
        worker.kill()
        with self._cond:
            self._live.discard(worker)
            self.restarts += 1
            self._cond.notify_all()

    def _acquire(self, deadline: float) -> _Worker | str:
        """An idle live worker, or the reason there is none before the deadline."""
        with self._cond:
            while True:
                if self._closed:
                    return "The server is shutting down.\n"
                while self._idle:
                    w = self._idle.pop()
                    if w.alive():
                        return w
                    self._live.discard(w)
                    w.kill()
                    self.restarts += 1
                    self._cond.notify_all()
                if not self._live and self.last_error is not None:
                    return f"No query process can start ({self.last_error}); the server keeps trying.\n"
                left = deadline - time.monotonic()
                if left <= 0:
                    return "The server is busy: every query process is taken. Try again.\n"
                self._cond.wait(left)

    def _release(self, worker: _Worker) -> None:
        with self._cond:
            if self._closed:
                worker.kill()
                return
            self._idle.append(worker)
            self._cond.notify_all()

    # ------------------------------------------------------------ queries

    def run(self, query: str, accept: list[str], default_graph: list[str], named_graph: list[str],
            deadline: float | None = None) -> tuple[int, str, bytes]:
        """(HTTP status, content type, body) for one query that must end by ``deadline`` (monotonic clock).

        The deadline is the request's arrival plus the time limit, so a
        request that waited for a worker has that much less to run.
        """
        deadline = deadline or time.monotonic() + self.limits.timeout
        w = self._acquire(deadline)
        if isinstance(w, str):
            return 503, TEXT, w.encode("utf-8")
        request = {"query": query, "accept": accept, "default_graph": default_graph, "named_graph": named_graph,
                   "union": self.union, "max_bytes": self.limits.max_bytes}
        try:
            w.send(json.dumps(request).encode("utf-8"))
            header = json.loads(w.read(deadline))
            body = w.read(deadline + 5) if header["status"] == 200 else (header["error"] + "\n").encode("utf-8")
        except TimeoutError:
            self._discard(w)
            msg = f"The query ran past this server's limit of {self.limits.timeout:g} s and was stopped.\n"
            return 503, TEXT, msg.encode("utf-8")
        except WorkerGone as err:
            try:
                w.proc.wait(timeout=2)
            except subprocess.TimeoutExpired:
                pass
            died_of = w.proc.returncode
            self._discard(w)
            if died_of in (-signal.SIGABRT, -signal.SIGKILL):
                msg = (f"The query needed more than this server's memory limit of {self.limits.memory_mb} MB "
                       "per query and was stopped.\n")
                return 503, TEXT, msg.encode("utf-8")
            return 500, TEXT, f"The query process failed: {err}\n".encode("utf-8")
        self._release(w)
        return header["status"], header.get("content_type", TEXT), body

    def size(self) -> int:
        """Live workers now."""
        with self._cond:
            return len(self._live)

    def close(self) -> None:
        with self._cond:
            self._closed = True
            workers = list(self._live)
            self._live.clear()
            self._idle.clear()
            self._cond.notify_all()
        for w in workers:
            w.kill()
