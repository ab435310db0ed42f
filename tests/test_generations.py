"""A build folder's outputs change as one set: every kill leaves the old set or the new, whole.

The kill tests use real signals on real processes: a forked child builds
and SIGKILLs itself just before its N-th change to the file system (every
rename, link, unlink, mkdir, fsync and removal a build makes), for every N
until a build runs through; a ``kg build`` process is killed from outside
at moments spread over its run.
"""
from __future__ import annotations

import json
import os
import shutil
import signal
import subprocess
import sys
import time
from pathlib import Path

import pytest

import kg
from kg.build import OUTPUT_NAMES
from kg.files import CURRENT, GENERATIONS, OutputFolder, OutputFolderBusy
from tests.conftest import SEEDS, copy_seeds, output_files

KG_CMD = [sys.executable, "-m", "kg.cli"]
NAMES = sorted(p.name for p in SEEDS.glob("*.txt"))


def _outputs(out: Path) -> dict[str, bytes]:
    return {k: v for k, v in output_files(out).items() if k in OUTPUT_NAMES}


def _build(src, out, **kw):
    return kg.build(src, out, kg.Settings(jobs=1, progress=False), **kw)


def _leftovers(out: Path) -> list[str]:
    """What a finished build should not leave: other generations, temporary files, dangling links."""
    current = os.readlink(out / CURRENT)
    gens = [f"{GENERATIONS}/{p.name}" for p in (out / GENERATIONS).iterdir()]
    odd = [g for g in gens if g != current]
    odd += [p.name for p in out.iterdir() if p.name.endswith((".part", ".new", ".link-new"))
            or p.name.startswith(".kg-sort-")]
    odd += [p.name for p in out.iterdir() if p.is_symlink() and not p.exists()]
    return odd


_MUTATIONS = [(os, "replace"), (os, "rename"), (os, "symlink"), (os, "unlink"), (os, "link"), (os, "mkdir"),
              (os, "fsync"), (os, "rmdir"), (shutil, "rmtree")]


def _killed_build_at(step: int, src: Path, out: Path, **kw) -> bool:
    """Build in a forked child that SIGKILLs itself before its ``step``-th file-system change;
    True if it was killed (False: the build had fewer changes and finished)."""
    pid = os.fork()
    if pid == 0:  # the child: never returns into pytest
        count = [0]
        try:
            for module, name in _MUTATIONS:
                real = getattr(module, name)

                def counted(*args, _real=real, **kwargs):
                    count[0] += 1
                    if count[0] == step:
                        os.kill(os.getpid(), signal.SIGKILL)
                    return _real(*args, **kwargs)

                setattr(module, name, counted)
            _build(src, out, **kw)
        except BaseException:
            import traceback

            traceback.print_exc()
            os._exit(1)
        os._exit(0)
    _, status = os.waitpid(pid, 0)
    if os.WIFSIGNALED(status):
        assert os.WTERMSIG(status) == signal.SIGKILL
        return True
    assert os.WEXITSTATUS(status) == 0
    return False


@pytest.mark.parametrize("old_layout", ["generations", "plain files"])
def test_a_kill_at_every_step_leaves_the_old_set_or_the_new(tmp_path, nlp, old_layout):
    """Old: Turtle + page + stats of one article; new: N-Triples + stats of two, no page (so the
    switch adds one output and drops two). Before generations, OUT held plain files: the first
    build takes them over, and a kill during that must not show a mix either."""
    old_src = copy_seeds(tmp_path / "old", NAMES[:1])
    new_src = copy_seeds(tmp_path / "new", NAMES[:2])
    ref_old, ref_new, out = tmp_path / "ref-old", tmp_path / "ref-new", tmp_path / "out"
    _build(old_src, ref_old)
    _build(new_src, ref_new, fmt="nt", html=False)
    old, new = _outputs(ref_old), _outputs(ref_new)
    assert set(old) == {"graph.ttl", "graph.html", "stats.json"} and set(new) == {"graph.nt", "stats.json"}

    def fresh_out():
        shutil.rmtree(out, ignore_errors=True)
        if old_layout == "plain files":
            out.mkdir()
            for name, data in old.items():
                (out / name).write_bytes(data)
        else:
            _build(old_src, out)
        shutil.copy(ref_new / ".kg-cache.sqlite", out / ".kg-cache.sqlite")  # the kills are about the outputs

    seen_new = 0
    for step in range(1, 200):
        fresh_out()
        killed = _killed_build_at(step, new_src, out, fmt="nt", html=False)
        state = _outputs(out)
        assert state in (old, new), (step, sorted(state))
        seen_new += state == new
        _build(new_src, out, fmt="nt", html=False)  # the next build cleans up after the killed one
        assert _outputs(out) == new and not _leftovers(out), step
        if not killed:
            break
    else:
        pytest.fail("the build never ran through")
    assert step > 10 and 1 <= seen_new < step, (step, seen_new)


def test_stale_files_of_killed_builds_are_removed(tmp_path):
    src = copy_seeds(tmp_path / "src", NAMES[:1])
    out = tmp_path / "out"
    _build(src, out)
    before = _outputs(out)
    (out / ".graph.ttl.abc123.part").write_text("half a graph")
    (out / ".stats.json.x.part").write_text("{")
    (out / ".kg-sort-q1w2e3").mkdir()
    (out / ".kg-sort-q1w2e3" / "run0").write_bytes(b"x" * 100)
    (out / GENERATIONS / "77").mkdir()
    (out / GENERATIONS / "77" / "graph.ttl").write_text("unfinished")
    os.symlink(f"{GENERATIONS}/77", out / f"{CURRENT}.new")
    (out / "notes.txt").write_text("mine")           # not the build's: stays
    _build(src, out)
    assert _outputs(out) == before and not _leftovers(out)
    assert (out / "notes.txt").read_text() == "mine"
    assert sorted(p.name for p in (out / GENERATIONS).iterdir()) == [os.readlink(out / CURRENT).split("/")[-1]]


def test_usual_paths_and_formats_follow_the_current_set(tmp_path, seeds_build):
    out = tmp_path / "out"
    src = copy_seeds(tmp_path / "src", NAMES[:1])
    _build(src, out)
    assert (out / "graph.ttl").is_symlink() and (out / "graph.html").is_file()
    _build(src, out, fmt="nt", html=False)
    assert not (out / "graph.ttl").exists() and not (out / "graph.html").exists()
    assert not (out / "graph.ttl").is_symlink(), "links of outputs the set lacks are removed"
    from kg.graphio import graph_file

    assert graph_file(out) == out / "graph.nt"
    stats = json.loads((out / "stats.json").read_text(encoding="utf-8"))
    assert list(stats["per_document"]) == NAMES[:1]


def test_a_second_build_into_the_same_folder_is_refused_and_says_who_holds_it(tmp_path):
    src = tmp_path / "src"
    src.mkdir()
    for i in range(12):  # distinct contents, so the first build runs for some seconds
        for name in NAMES:
            (src / f"{i}-{name}").write_text((SEEDS / name).read_text(encoding="utf-8") + f"\n编号{i}\n",
                                             encoding="utf-8")
    out = tmp_path / "out"
    first = subprocess.Popen(KG_CMD + ["build", str(src), "--out", str(out), "-q", "--jobs", "1"],
                             stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        deadline = time.monotonic() + 60
        while f'"pid": {first.pid}' not in _read(out / ".kg-lock"):
            assert first.poll() is None and time.monotonic() < deadline, first.stderr.read()
            time.sleep(0.05)
        second = subprocess.run(KG_CMD + ["build", str(src), "--out", str(out), "-q"],
                                capture_output=True, text=True, timeout=120)
        assert second.returncode == 2
        lines = second.stderr.strip().splitlines()
        assert len(lines) == 1 and lines[0].startswith(f"kg: error: {out}: another build is writing here"), lines
        assert f"pid {first.pid}" in lines[0] and f"kg build {src}" in lines[0]
        assert first.wait(timeout=300) == 0, first.stderr.read()
    finally:
        first.kill()
        first.wait()
    stats = json.loads((out / "stats.json").read_text(encoding="utf-8"))
    assert stats["documents"] == 12 * len(NAMES)
    assert subprocess.run(KG_CMD + ["build", str(src), "--out", str(out), "-q"]).returncode == 0  # lock released


def test_the_lock_is_per_folder_and_also_holds_in_one_process(tmp_path):
    with OutputFolder(tmp_path / "a", OUTPUT_NAMES):
        with pytest.raises(OutputFolderBusy, match=f"pid {os.getpid()}"):
            with OutputFolder(tmp_path / "a", OUTPUT_NAMES):
                pass
        with OutputFolder(tmp_path / "b", OUTPUT_NAMES):
            pass
    with OutputFolder(tmp_path / "a", OUTPUT_NAMES):  # released
        pass


def test_a_killed_build_keeps_its_extractions(tmp_path):
    """The cache commits as chunks finish: SIGKILL in the middle of extraction, and the next
    build reuses what was done."""
    src = tmp_path / "src"
    src.mkdir()
    for i in range(8):
        for name in NAMES:
            (src / f"{i}-{name}").write_text((SEEDS / name).read_text(encoding="utf-8") + f"\n编号{i}\n",
                                             encoding="utf-8")
    total = 8 * len(NAMES)
    out = tmp_path / "out"
    code = ("import sys, kg.stream; kg.stream.CHUNK_CHARS = 1; from kg.cli import main; "
            "sys.argv = ['kg'] + sys.argv[1:]; main()")
    proc = subprocess.Popen([sys.executable, "-c", code, "build", str(src), "--out", str(out), "-q", "--jobs", "1"],
                            stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    try:
        deadline = time.monotonic() + 120
        while _cached(out) < 3:
            assert proc.poll() is None and time.monotonic() < deadline, proc.stderr.read()
            time.sleep(0.05)
        proc.send_signal(signal.SIGKILL)
        proc.wait(timeout=30)
    finally:
        proc.kill()
        proc.wait()
    kept = _cached(out)
    assert 3 <= kept < total
    assert not (out / "graph.ttl").exists()
    again = _build(src, out, html=False)
    assert again.reused == kept and again.extracted == total - kept


def _read(path: Path) -> str:
    try:
        return path.read_text(encoding="utf-8")
    except OSError:
        return ""


def _cached(out: Path) -> int:
    import sqlite3

    if not (out / ".kg-cache.sqlite").exists():
        return 0
    try:
        db = sqlite3.connect(f"file:{out / '.kg-cache.sqlite'}?mode=ro", uri=True, timeout=0.1)
        try:
            return db.execute("SELECT count(*) FROM extraction").fetchone()[0]
        finally:
            db.close()
    except sqlite3.Error:
        return 0
