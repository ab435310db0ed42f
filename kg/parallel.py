"""Where the build's per-document work runs: local worker processes or a Dask cluster.

An engine maps a task over chunks of work and gives the results back in the
order the chunks went in, with a bounded number in flight, so a long input
streams through in bounded memory. The tasks themselves (extract a chunk,
emit a chunk's triples) are in :mod:`kg.stream`; what crosses a process
boundary is a plain record, a table or text, so the same tasks run on
either engine.
"""
from __future__ import annotations

import collections
import concurrent.futures as cf
import multiprocessing as mp
import os
from typing import Callable, Iterable, Iterator

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
