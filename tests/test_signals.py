"""A build's worker processes die with it, and SIGTERM and Ctrl-C stop it cleanly.

Real ``kg build --jobs 2`` processes, real signals, bounded waits: the
parent is killed while its two workers extract, and the test checks that
the workers are gone, that a reader of the build's pipes gets end-of-file,
and that OUT still shows the previous set.
"""
from __future__ import annotations

import os
import signal
import subprocess
import sys
import time
from pathlib import Path

import psutil
import pytest

from tests.conftest import SEEDS, copy_seeds, output_files

KG_CMD = [sys.executable, "-m", "kg.cli"]
NAMES = sorted(p.name for p in SEEDS.glob("*.txt"))


@pytest.fixture(scope="module")
def corpus(tmp_path_factory) -> Path:
    """60 distinct articles: extraction takes a two-job build well over the seconds the tests wait."""
    src = tmp_path_factory.mktemp("signals-src")
    for i in range(12):
        for name in NAMES:
            (src / f"{i:02d}-{name}").write_text((SEEDS / name).read_text(encoding="utf-8") + f"\n编号{i}\n",
                                                 encoding="utf-8")
    return src


@pytest.fixture
def old_build(tmp_path) -> tuple[Path, dict]:
    import kg

    out = tmp_path / "out"
    kg.build(copy_seeds(tmp_path / "one", NAMES[:1]), out, kg.Settings(progress=False, jobs=1))
    return out, {k: v for k, v in output_files(out).items() if k != ".kg-cache.sqlite"}


def _start(corpus: Path, out: Path, **kw) -> tuple[subprocess.Popen, list[psutil.Process]]:
    """``kg build --jobs 2`` with its output in pipes, once both workers are extracting."""
    proc = subprocess.Popen(KG_CMD + ["build", str(corpus), "--out", str(out), "-q", "--jobs", "2"],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, **kw)
    parent = psutil.Process(proc.pid)
    deadline = time.monotonic() + 60
    while True:
        assert proc.poll() is None, proc.stderr.read().decode()
        assert time.monotonic() < deadline, "the workers did not start"
        workers = [p for p in parent.children() if _busy(p)]
        if len(workers) >= 2:
            return proc, workers
        time.sleep(0.1)


def _busy(p: psutil.Process) -> bool:
    try:
        return p.cpu_times().user > 1.0  # past loading the pipeline, into the documents
    except psutil.Error:
        return False


def _gone(processes: list[psutil.Process], within: float = 15.0) -> bool:
    _, alive = psutil.wait_procs(processes, timeout=within)
    return not alive


def _outputs(out: Path) -> dict:
    return {k: v for k, v in output_files(out).items() if k != ".kg-cache.sqlite"}


def test_sigkill_of_the_build_takes_its_workers_and_releases_its_pipes(corpus, old_build):
    out, before = old_build
    proc, workers = _start(corpus, out)
    try:
        proc.send_signal(signal.SIGKILL)
        stdout, stderr = proc.communicate(timeout=30)  # hangs if an orphan keeps the pipes open
        assert proc.returncode == -signal.SIGKILL
        assert _gone(workers), [w.pid for w in workers if w.is_running()]
    finally:
        for w in workers:
            if w.is_running():
                w.kill()
        proc.kill()
    assert _outputs(out) == before


def test_sigterm_stops_the_build_like_ctrl_c(corpus, old_build):
    out, before = old_build
    proc, workers = _start(corpus, out)
    try:
        proc.send_signal(signal.SIGTERM)
        _, stderr = proc.communicate(timeout=60)
        assert _gone(workers)
    finally:
        proc.kill()
    assert proc.returncode == 143
    lines = stderr.decode().strip().splitlines()
    assert lines == [f"kg: error: {out}: the build was stopped (SIGTERM); the previous outputs in {out} are "
                     f"unchanged, what was extracted is kept in its cache"], lines
    assert _outputs(out) == before
    assert not [p for p in (out / ".kg-generations").iterdir() if p.name != os.readlink(out / ".kg-current").split("/")[-1]]


def test_ctrl_c_in_a_terminal_stops_the_build_and_its_workers_quietly(corpus, old_build):
    """A terminal's Ctrl-C is SIGINT to the whole process group: the workers leave it to the build."""
    out, before = old_build
    proc, workers = _start(corpus, out, start_new_session=True)
    try:
        os.killpg(proc.pid, signal.SIGINT)
        _, stderr = proc.communicate(timeout=60)
        assert _gone(workers)
    finally:
        proc.kill()
    assert proc.returncode == 130
    lines = stderr.decode().strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"kg: error: {out}: the build was stopped (Ctrl-C)"), lines
    assert _outputs(out) == before


def test_a_worker_killed_from_outside_is_one_error_line(corpus, old_build):
    out, before = old_build
    proc, workers = _start(corpus, out)
    try:
        workers[0].kill()
        _, stderr = proc.communicate(timeout=60)
        assert _gone(workers)
    finally:
        proc.kill()
    assert proc.returncode == 1
    lines = stderr.decode().strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kg: error: a worker process of this build died"), lines
    assert _outputs(out) == before
