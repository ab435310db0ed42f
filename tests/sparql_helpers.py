"""Real SPARQL servers for the tests: the Oxigraph server from PyPI and `kg serve`, both on 127.0.0.1,
started with bounded waits and always stopped; and SPARQLWrapper as the client."""
from __future__ import annotations

import contextlib
import os
import select
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path
from typing import Iterator

import psutil
import pytest

START_TIMEOUT = 60.0


def free_port() -> int:
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def http(url: str, data: bytes | None = None, headers: dict | None = None, method: str | None = None,
         timeout: float = 30) -> tuple[int, dict, bytes]:
    req = urllib.request.Request(url, data=data, headers=headers or {}, method=method)
    try:
        with urllib.request.urlopen(req, timeout=timeout) as r:
            return r.status, dict(r.headers), r.read()
    except urllib.error.HTTPError as err:
        return err.code, dict(err.headers), err.read()


def wait_http(url: str, proc: subprocess.Popen, deadline: float) -> None:
    while time.monotonic() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"server exited with {proc.returncode}")
        try:
            status, _, _ = http(url, timeout=2)
            if status < 500:
                return
        except OSError:
            pass
        time.sleep(0.1)
    raise TimeoutError(f"{url} not ready in time")


def stop(proc: subprocess.Popen) -> None:
    """Terminate a server we started and every process it started, waiting a bounded time."""
    try:
        children = psutil.Process(proc.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        children = []
    if proc.poll() is None:
        proc.terminate()
        try:
            proc.wait(timeout=15)
        except subprocess.TimeoutExpired:
            proc.kill()
            proc.wait(timeout=15)
    _, alive = psutil.wait_procs(children, timeout=10)
    for p in alive:
        p.kill()
    for stream in (proc.stdout, proc.stderr):
        if stream:
            stream.close()


def oxigraph_binary() -> str:
    """The `oxigraph` server binary installed by the PyPI package `oxigraph` (the test extra)."""
    here = Path(sys.executable).parent / "oxigraph"
    found = str(here) if here.exists() else shutil.which("oxigraph")
    if not found:
        pytest.fail("the oxigraph server binary is missing: pip install 'oxigraph>=0.5,<0.6' (in the test extra)")
    return found


@contextlib.contextmanager
def oxigraph_server(data_dir: Path) -> Iterator[str]:
    """`oxigraph serve` (read-write, so the test can load through HTTP) on a free loopback port; its base URL."""
    binary = oxigraph_binary()
    for attempt in range(3):
        port = free_port()
        proc = subprocess.Popen([binary, "serve", "--location", str(data_dir), "--bind", f"127.0.0.1:{port}"],
                                stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
        base = f"http://127.0.0.1:{port}"
        try:
            wait_http(f"{base}/query?query=ASK%7B%7D", proc, time.monotonic() + START_TIMEOUT)
        except RuntimeError:
            stop(proc)
            if attempt == 2:
                raise
            continue
        except BaseException:
            stop(proc)
            raise
        try:
            yield base
        finally:
            stop(proc)
        return


@contextlib.contextmanager
def kg_server(graph: Path, *options: str) -> Iterator[tuple[str, subprocess.Popen]]:
    """`kg serve GRAPH --port 0` as a user runs it; the endpoint URL it prints, and the process."""
    proc = subprocess.Popen([sys.executable, "-m", "kg.cli", "serve", str(graph), "--port", "0", "--quiet", *options],
                            stdout=subprocess.PIPE, stderr=subprocess.PIPE, env={**os.environ, "PYTHONUNBUFFERED": "1"})
    try:
        line = _read_line(proc, time.monotonic() + START_TIMEOUT)
        url = next(word for word in line.split() if word.startswith("http://"))
        assert url.startswith("http://127.0.0.1:"), line
        yield url, proc
    finally:
        stop(proc)


def _read_line(proc: subprocess.Popen, deadline: float) -> str:
    fd, buf = proc.stdout.fileno(), b""
    while b"\n" not in buf:
        left = deadline - time.monotonic()
        if left <= 0 or proc.poll() is not None:
            err = proc.stderr.read().decode("utf-8", "replace") if proc.poll() is not None else ""
            raise RuntimeError(f"kg serve did not start: {err}")
        ready, _, _ = select.select([fd], [], [], min(left, 0.5))
        if ready:
            chunk = os.read(fd, 4096)
            if not chunk:
                continue
            buf += chunk
    return buf.decode("utf-8").splitlines()[0]


def sparqlwrapper_rows(endpoint: str, query: str, default_graphs: list[str] = (), method: str = "GET"):
    """(variables, rows) from an endpoint through SPARQLWrapper, rows as tuples of plain values."""
    from SPARQLWrapper import JSON, SPARQLWrapper

    client = SPARQLWrapper(endpoint)
    client.setQuery(query)
    client.setReturnFormat(JSON)
    client.setMethod(method)
    client.setTimeout(60)
    for g in default_graphs:
        client.addDefaultGraph(g)
    data = client.queryAndConvert()
    variables = data["head"]["vars"]
    return variables, [tuple(b.get(v, {}).get("value") for v in variables) for b in data["results"]["bindings"]]


def canonical(rows) -> list[tuple]:
    """Rows in a comparable form: GROUP_CONCAT lists ("、") sorted, row order ignored."""
    def cell(v):
        return "、".join(sorted(v.split("、"))) if isinstance(v, str) and "、" in v else v
    return sorted((tuple(cell(v) for v in row) for row in rows), key=repr)
