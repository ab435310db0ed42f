"""Extraction on a Dask cluster (a local one, worker processes on 127.0.0.1) gives the local graph."""
from __future__ import annotations

import subprocess
import sys

import distributed
import pytest

import kg
import kg.stream as stream_module
from kg.parallel import DaskEngine
from tests.conftest import SEEDS

build_module = sys.modules["kg.build"]  # `import kg.build` would give the function kg.build


@pytest.fixture(scope="module")
def cluster():
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None, protocol="tcp") as c:
        yield c


def test_dask_build_same_bytes_as_local(tmp_path, cluster, monkeypatch):
    monkeypatch.setattr(stream_module, "CHUNK_CHARS", 15_000)
    monkeypatch.setattr(stream_module, "EMIT_CHUNK", 2)
    settings = kg.Settings(jobs=1, progress=False)
    local = kg.build(SEEDS, tmp_path / "local", settings, html=False)
    engine = DaskEngine(cluster.scheduler_address)
    try:
        remote = kg.build(SEEDS, tmp_path / "dask", settings, html=False, engine=engine)
    finally:
        engine.close()
    assert (tmp_path / "dask" / "graph.ttl").read_bytes() == (tmp_path / "local" / "graph.ttl").read_bytes()
    assert remote.stats == local.stats and remote.extracted == 5


def test_cli_engine_dask(tmp_path, cluster):
    cmd = [sys.executable, "-m", "kg.cli", "build", str(SEEDS), "--out", str(tmp_path / "out"), "-q", "--no-html",
           "--format", "nt", "--engine", "dask", "--scheduler", cluster.scheduler_address]
    proc = subprocess.run(cmd, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr
    local = kg.build(SEEDS, tmp_path / "local", kg.Settings(progress=False), html=False, fmt="nt")
    assert (tmp_path / "out" / "graph.nt").read_bytes() == (tmp_path / "local" / "graph.nt").read_bytes()
    assert local.stats["documents"] == 5


def test_unreachable_scheduler_is_a_clear_error():
    with pytest.raises(ValueError, match="cannot reach the Dask scheduler at tcp://127.0.0.1:9"):
        DaskEngine("tcp://127.0.0.1:9", timeout="2s")


def test_dask_engine_needs_a_scheduler():
    with pytest.raises(ValueError, match="--scheduler"):
        build_module.make_engine(kg.Settings(), "dask", None)
