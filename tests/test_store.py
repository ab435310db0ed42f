"""kg.store: the store cached beside a graph is shared by processes; a store in use is never pruned, and the
leftovers of a killed load are removed by the next one (real processes, real SIGKILL)."""
from __future__ import annotations

import fcntl
import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import pyoxigraph as ox

from kg.query import run_query
from kg.store import KEEP_STORES, cached_store_path, pinned_store, store_dir

GRAPH = """@prefix kg: <https://w3id.org/cn-union-kg/ontology#> .
<https://example.org/id/p1> a kg:Person .
"""


def _variant(graph: Path, i: int) -> None:
    graph.write_text(GRAPH + f"<https://example.org/id/p{i + 2}> a kg:Person .\n", encoding="utf-8")


def test_a_pinned_store_outlives_pruning_and_goes_when_unpinned(tmp_path):
    graph = tmp_path / "g.ttl"
    graph.write_text(GRAPH, encoding="utf-8")
    with pinned_store(graph) as folder:
        store = ox.Store.read_only(str(folder))
        for i in range(KEEP_STORES + 1):
            _variant(graph, i)
            assert len(run_query(graph, "SELECT ?p WHERE { ?p a kg:Person }").rows) == 2
        assert folder.is_dir(), "pruned while in use"
        assert len(list(store.quads_for_pattern(None, None, None))) == 1
        del store
    _variant(graph, 99)
    run_query(graph, "ASK {}")
    assert not folder.exists(), "unpinned, the oldest store is pruned"
    assert len([p for p in (tmp_path / ".store").iterdir()]) == KEEP_STORES


def test_without_a_cache_the_scratch_store_is_removed(tmp_path):
    graph = tmp_path / "g.ttl"
    graph.write_text(GRAPH, encoding="utf-8")
    with pinned_store(graph, cache=False) as folder:
        assert tmp_path not in folder.parents
        assert len(ox.Store.read_only(str(folder))) == 1
    assert not folder.exists() and not (tmp_path / ".store").exists()


LOADER = """
import sys, kg.store as ks
real = ks.load_into
def load_then_hang(store, path, bulk):
    real(store, path, bulk)
    print("loaded", flush=True)
    import time; time.sleep(600)
ks.load_into = load_then_hang
ks.cached_store_path(sys.argv[1])
"""


def test_leftovers_of_a_killed_load_are_removed_and_a_running_load_is_not(tmp_path, monkeypatch):
    import kg.store as ks

    monkeypatch.setattr(ks, "_UNLOCKED_GRACE_S", 0.0)
    graph = tmp_path / "g.ttl"
    graph.write_text(GRAPH, encoding="utf-8")
    killed = subprocess.Popen([sys.executable, "-c", LOADER, str(graph)], stdout=subprocess.PIPE)
    assert killed.stdout.readline() == b"loaded\n"
    killed.send_signal(signal.SIGKILL)
    killed.wait(10)
    running = subprocess.Popen([sys.executable, "-c", LOADER, str(graph)], stdout=subprocess.PIPE)
    try:
        assert running.stdout.readline() == b"loaded\n"
        loading = sorted(p for p in (tmp_path / ".store").iterdir() if p.name.startswith(".loading-"))
        assert len(loading) == 2
        _variant(graph, 1)
        target = cached_store_path(graph)
        left = sorted(p for p in (tmp_path / ".store").iterdir() if p.name.startswith(".loading-"))
        assert len(left) == 1, "the killed load's folder is gone, the running one's is kept"
        fd = os.open(left[0] / ".lock", os.O_RDONLY)
        try:
            try:
                fcntl.flock(fd, fcntl.LOCK_EX | fcntl.LOCK_NB)
                raise AssertionError("the kept folder should belong to the running load")
            except BlockingIOError:
                pass
        finally:
            os.close(fd)
        assert target == store_dir(graph) and (target / ".complete").exists()
    finally:
        running.kill()
        running.wait(10)


def test_two_processes_loading_at_once_share_one_store(tmp_path):
    graph = tmp_path / "g.ttl"
    graph.write_text(GRAPH * 1, encoding="utf-8")
    code = "import sys, kg.store as ks; print(ks.cached_store_path(sys.argv[1]))"
    procs = [subprocess.Popen([sys.executable, "-c", code, str(graph)], stdout=subprocess.PIPE, text=True)
             for _ in range(2)]
    outs = {p.communicate(timeout=120)[0].strip() for p in procs}
    assert all(p.returncode == 0 for p in procs)
    assert outs == {str(store_dir(graph))}
    assert time.time() - (store_dir(graph) / ".complete").stat().st_mtime < 120
    assert [p.name for p in (tmp_path / ".store").iterdir()] == [store_dir(graph).name]
