"""Where the build's per-document work runs: local worker processes or a Dask cluster.

An engine maps a task over chunks of work and gives the results back in the
order the chunks went in, with a bounded number in flight, so a long input
streams through in bounded memory. The tasks themselves (extract a chunk,
emit a chunk's triples) are in :mod:`kg.stream`; what crosses a process
boundary is a plain record, a table or text, so the same tasks run on
either engine.

Local workers never outlive the build: each asks the kernel to kill it when
its parent dies (Linux ``PR_SET_PDEATHSIG``; elsewhere a thread watches the
parent's pid), so a build killed with SIGKILL leaves no orphan holding
memory or its parent's pipes; they ignore Ctrl-C (the building process
stops them); and a build that stops early, by an error or a signal, kills
them at once instead of waiting for their chunks.
"""
from __future__ import annotations

import collections
import concurrent.futures as cf
import contextlib
import multiprocessing as mp
import os
import signal
import sys
import threading
from typing import Callable, Iterable, Iterator

# ------------------------------------------------------------------ engines


class EngineError(Exception):
    """The engine itself failed (a Dask scheduler lost mid-build, a worker process killed);
    the message names it."""


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

    remote = False   # workers share this machine's files (they read the extraction cache themselves)

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
        pool = cf.ProcessPoolExecutor(self.jobs, mp_context=ctx, initializer=_worker_start,
                                      initargs=(os.getpid(), initializer, initargs))
        try:
            yield from _ordered(pool.submit, fn, chunks, 2 * self.jobs)
        except cf.process.BrokenProcessPool as err:
            _kill_workers(pool)
            raise EngineError(f"a worker process of this build died ({_first_line(err)}); "
                              f"the documents extracted so far are kept in the cache") from None
        except BaseException:  # an error, Ctrl-C, SIGTERM, or the consumer stopped early
            _kill_workers(pool)
            raise
        else:
            pool.shutdown(wait=True)

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

    remote = True

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
            return _DaskTask(self, self.client.submit(_with_init, initializer, initargs, f, chunk, pure=False))

        yield from _ordered(submit, fn, chunks, 2 * self.jobs)

    def lost(self, err: BaseException) -> EngineError:
        why = getattr(err, "reason", None) or _first_line(err)
        return EngineError(f"{self.address}: the Dask cluster was lost mid-build ({why}); "
                           f"the documents extracted so far are kept in the cache")

    def close(self) -> None:
        if self._own:
            with contextlib.suppress(Exception):
                self.client.close(timeout=5)


class _DaskTask:
    """A Dask future whose loss (scheduler gone, connection closed) is an :class:`EngineError`;
    an error raised by the task itself comes through as it was."""

    def __init__(self, engine: DaskEngine, future):
        self.engine, self.future = engine, future

    def result(self):
        from concurrent.futures import CancelledError

        try:
            return self.future.result()
        except (CancelledError, OSError, TimeoutError) as err:
            if self.future.status == "error":  # the task raised it: the task's own error
                raise
            raise self.engine.lost(err) from None

    def describe(self) -> str:
        return f"Dask cluster at {self.address} ({self.jobs} worker threads)"


def _worker_start(parent: int, initializer: Callable | None, initargs: tuple) -> None:
    """First thing in a local worker: die with the parent, leave Ctrl-C to it, then the task's own set-up."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    signal.signal(signal.SIGTERM, signal.SIG_DFL)
    _die_with_parent(parent)
    with contextlib.suppress(OSError):
        devnull = os.open(os.devnull, os.O_RDONLY)
        os.dup2(devnull, 0)  # a worker reads nothing from the terminal or its parent's input pipe
        os.close(devnull)
    if initializer is not None:
        initializer(*initargs)


def _die_with_parent(parent: int) -> None:
    if sys.platform.startswith("linux"):
        try:
            import ctypes

            libc = ctypes.CDLL(None, use_errno=True)
            PR_SET_PDEATHSIG = 1
            if libc.prctl(PR_SET_PDEATHSIG, signal.SIGKILL, 0, 0, 0) == 0:
                if os.getppid() != parent:  # the parent died before the request was made
                    os._exit(1)
                return
        except (OSError, AttributeError):
            pass

    def watch() -> None:
        while os.getppid() == parent:
            threading.Event().wait(0.5)
        os._exit(1)

    threading.Thread(target=watch, name="kg-parent-watch", daemon=True).start()


def _kill_workers(pool: cf.ProcessPoolExecutor) -> None:
    """Stop a pool now: running chunks are abandoned, not waited for."""
    processes = list((getattr(pool, "_processes", None) or {}).values())  # no public list before 3.14
    manager = getattr(pool, "_executor_manager_thread", None)  # read before shutdown() forgets it
    pool.shutdown(wait=False, cancel_futures=True)
    for p in processes:
        with contextlib.suppress(Exception):
            p.kill()
    for p in processes:
        with contextlib.suppress(Exception):
            p.join(5)
    with contextlib.suppress(Exception):
        pool.shutdown(wait=True)
    # the pool is gone: at exit CPython 3.11 may still wake its manager through a pipe the manager
    # closes at the same moment, and print an OSError traceback after our one-line error (the
    # gh-125451 family); so the manager is waited for and forgotten here
    wakeups = getattr(cf.process, "_threads_wakeups", None)
    if manager is not None:
        with contextlib.suppress(Exception):
            manager.join(5)
        if wakeups is not None:
            wakeups.pop(manager, None)


def _ordered(submit, fn, chunks, window: int) -> Iterator:
    pending: collections.deque = collections.deque()
    for chunk in chunks:
        pending.append(submit(fn, chunk))
        if len(pending) >= window:
            yield pending.popleft().result()
    while pending:
        yield pending.popleft().result()


def _first_line(err: BaseException) -> str:
    text = str(err).strip() or type(err).__name__
    return text.splitlines()[0][:200]


_INIT_DONE: dict = {}


def _with_init(initializer, initargs, fn, chunk):
    """A Dask task: run the engine's initializer once per worker process and arguments."""
    if initializer is not None:
        token = (initializer, tuple(id(a) for a in initargs))
        if _INIT_DONE.get(initializer) != token:
            initializer(*initargs)
            _INIT_DONE[initializer] = token
    return fn(chunk)
