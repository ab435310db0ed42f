"""Every way a build can fail is one ``kg: error:`` line naming the file or resource and the
cause, with the exit status of the README's table, and the previous outputs kept.

The full and read-only disks are real: a small tmpfs mounted for the test (the tests run as
root in CI, which may mount). Where mounting is refused, the full disk is simulated by a
``kg build`` whose ``os.fsync`` fails with ENOSPC, and the read-only folder by a build in a
forked process that has given up root's rights: the same assertions hold.
"""
from __future__ import annotations

import contextlib
import json
import os
import shutil
import signal
import socket
import sqlite3
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import pytest

from tests.conftest import SEEDS, copy_seeds, output_files

KG_CMD = [sys.executable, "-m", "kg.cli"]
NAMES = sorted(p.name for p in SEEDS.glob("*.txt"))
ENOSPC_BUILD = ("import errno, os, sys\n"
                "def full(fd): raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))\n"
                "os.fsync = full\n"
                "from kg.cli import main; sys.argv = ['kg'] + sys.argv[1:]; main()\n")


def _one_error_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("kg: error: "), lines
    return lines[0]


def _outputs(out: Path) -> dict:
    return {k: v for k, v in output_files(out).items() if k != ".kg-cache.sqlite"}


@contextlib.contextmanager
def _tmpfs(where: Path, size: str):
    """A tmpfs of ``size`` at ``where``, or None when this process may not mount one."""
    where.mkdir(parents=True, exist_ok=True)
    mounted = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                             capture_output=True).returncode == 0 if os.geteuid() == 0 else False
    try:
        yield where if mounted else None
    finally:
        if mounted:
            subprocess.run(["umount", "-l", str(where)], check=True)


def _old_build(out: Path, tmp_path: Path) -> dict:
    import kg

    kg.build(copy_seeds(tmp_path / "one", NAMES[2:3]), out, kg.Settings(progress=False, jobs=1))
    return _outputs(out)


@pytest.mark.parametrize("size,fails_at", [("700k", ".kg-cache.sqlite"), ("1100k", "graph.ttl"),
                                           ("1600k", "graph.html")])
def test_a_full_disk_is_one_line_and_keeps_the_previous_outputs(tmp_path, size, fails_at):
    """The old set (one article) fits; the new one (five) runs out of space in the cache, the
    graph or the page, depending on the disk's size."""
    with _tmpfs(tmp_path / "disk", size) as disk:
        if disk is None:
            out = tmp_path / "out"
            before = _old_build(out, tmp_path)
            proc = subprocess.run([sys.executable, "-c", ENOSPC_BUILD, "build", str(SEEDS), "--out", str(out), "-q"],
                                  capture_output=True, text=True, timeout=300)
            fails_at = "graph.ttl"
        else:
            out = disk / "out"
            before = _old_build(out, tmp_path)
            proc = subprocess.run(KG_CMD + ["build", str(SEEDS), "--out", str(out), "-q"], capture_output=True,
                                  text=True, timeout=300)
        assert proc.returncode == 1
        line = _one_error_line(proc.stderr)
        assert line.startswith(f"kg: error: {out / fails_at}: "), line
        assert "No space left on device" in line or "disk is full" in line
        assert f"outputs in {out} are unchanged" in line
        assert _outputs(out) == before
        assert sorted(p.name for p in (out / ".kg-generations").iterdir()) == ["1"], "the failed one is removed"
        if disk is not None:
            subprocess.run(["mount", "-o", "remount,size=8m", str(disk)], check=True)
            again = subprocess.run(KG_CMD + ["build", str(SEEDS), "--out", str(out), "-q"], capture_output=True,
                                   text=True, timeout=300)
            assert again.returncode == 0, again.stderr
            assert json.loads((out / "stats.json").read_text(encoding="utf-8"))["documents"] == 5


def test_a_read_only_out_is_one_line(tmp_path):
    with _tmpfs(tmp_path / "disk", "4m") as disk:
        if disk is None:
            return _read_only_without_mount(tmp_path)
        out = disk / "out"
        before = _old_build(out, tmp_path)
        subprocess.run(["mount", "-o", "remount,ro", str(disk)], check=True)
        for target in (out, disk / "new"):
            proc = subprocess.run(KG_CMD + ["build", str(SEEDS), "--out", str(target), "-q"], capture_output=True,
                                  text=True, timeout=300)
            assert proc.returncode == 1
            assert _one_error_line(proc.stderr) == f"kg: error: {target}: cannot write here: Read-only file system"
        assert _outputs(out) == before


def _read_only_without_mount(tmp_path: Path) -> None:
    """Without a mount: a folder this process may not write. As root that needs a process that
    is not root, and root's interpreter may sit where nobody can read it (so ``kg`` cannot be
    run as nobody): a forked child gives up root and calls the build the command line calls,
    whose error is the line the command prints."""
    base = Path(tempfile.mkdtemp(prefix="kg-read-only-"))  # pytest's own folders are root's alone
    out = base / "out"
    try:
        os.chmod(base, 0o755)
        before = _old_build(out, tmp_path)
        os.chmod(out, 0o555)
        message = _build_as_nobody(out)
        os.chmod(out, 0o755)
        assert message == f"OutputFolderError: {out}: cannot write here: Permission denied"
        assert _outputs(out) == before
    finally:
        shutil.rmtree(base, ignore_errors=True)


def _build_as_nobody(out: Path) -> str:
    import kg
    import kg.rdf, kg.sinks, kg.stream  # noqa: E401, F401 - what build() imports, before giving up root

    settings = kg.Settings(progress=False, jobs=1)
    read, write = os.pipe()
    pid = os.fork()
    if pid == 0:
        try:
            if os.geteuid() == 0:
                os.setgroups([])
                os.setgid(65534)
                os.setuid(65534)
            kg.build(SEEDS, out, settings)
            os.write(write, b"built")
        except BaseException as err:
            os.write(write, f"{type(err).__name__}: {err}".encode())
        finally:
            os._exit(0)
    os.close(write)
    with os.fdopen(read, "rb") as f:
        message = f.read().decode()
    os.waitpid(pid, 0)
    return message


def test_out_naming_a_file_is_a_usage_error(tmp_path):
    target = tmp_path / "graph.ttl"
    target.write_text("mine")
    proc = subprocess.run(KG_CMD + ["build", str(SEEDS), "--out", str(target), "-q"], capture_output=True, text=True)
    assert proc.returncode == 2
    assert _one_error_line(proc.stderr) == \
        f"kg: error: {target}: is a file, not a folder (--out names the folder to build into)"
    assert target.read_text() == "mine"


def test_a_cache_locked_by_another_process_is_one_line(tmp_path):
    out = tmp_path / "out"
    before = _old_build(out, tmp_path)
    holder = sqlite3.connect(out / ".kg-cache.sqlite", isolation_level=None)
    holder.execute("BEGIN EXCLUSIVE")
    try:
        proc = subprocess.run(KG_CMD + ["build", str(SEEDS), "--out", str(out), "-q"], capture_output=True,
                              text=True, timeout=300)
    finally:
        holder.execute("ROLLBACK")
        holder.close()
    assert proc.returncode == 2
    line = _one_error_line(proc.stderr)
    assert line.startswith(f"kg: error: {out / '.kg-cache.sqlite'}: the extraction cache is locked by another "
                           f"process"), line
    assert _outputs(out) == before


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def test_a_dask_scheduler_dying_mid_build_is_one_line(tmp_path):
    out = tmp_path / "out"
    before = _old_build(out, tmp_path)
    src = tmp_path / "src"
    src.mkdir()
    for i in range(16):
        for name in NAMES:
            (src / f"{i:02d}-{name}").write_text((SEEDS / name).read_text(encoding="utf-8") + f"\n编号{i}\n",
                                                 encoding="utf-8")
    address = f"tcp://127.0.0.1:{_free_port()}"
    dask = [sys.executable, "-m", "distributed.cli.dask_scheduler"]
    scheduler = subprocess.Popen([*dask, "--host", "127.0.0.1", "--port", address.rsplit(":", 1)[1],
                                  "--no-dashboard"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    worker = subprocess.Popen([sys.executable, "-m", "distributed.cli.dask_worker", address, "--nworkers", "1",
                               "--nthreads", "1", "--no-dashboard"],
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    build = None
    try:
        _wait_for_workers(address)
        build = subprocess.Popen(KG_CMD + ["build", str(src), "--out", str(out), "-q", "--engine", "dask",
                                           "--scheduler", address],
                                 stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
        cache = out / ".kg-cache.sqlite"
        first = _cache_rows(cache)
        deadline = time.monotonic() + 120
        while _cache_rows(cache) == first:  # the first chunk came back: the build is in mid-flight
            assert build.poll() is None and time.monotonic() < deadline, build.stderr.read()
            time.sleep(0.05)
        scheduler.send_signal(signal.SIGKILL)
        _, stderr = build.communicate(timeout=120)
    finally:
        for p in (build, worker, scheduler):
            if p is not None:
                p.kill()
                p.wait()
    assert build.returncode == 1
    line = _one_error_line(stderr)
    assert line.startswith(f"kg: error: {address}: the Dask cluster was lost mid-build"), line
    assert line.endswith(f"the previous outputs in {out} are unchanged")
    assert _outputs(out) == before
    assert _cache_rows(out / ".kg-cache.sqlite") > first, "what came back is kept"


def _wait_for_workers(address: str) -> None:
    from distributed import Client

    deadline = time.monotonic() + 60
    while True:
        try:
            with Client(address, timeout="5s") as client:
                client.wait_for_workers(1, timeout=30)
                return
        except (OSError, TimeoutError):
            if time.monotonic() > deadline:
                raise
            time.sleep(0.5)


def _cache_rows(path: Path) -> int:
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=0.1)
        try:
            return db.execute("SELECT count(*) FROM extraction").fetchone()[0]
        finally:
            db.close()
    except sqlite3.Error:
        return 0
