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
import threading
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


def raw_exchange(port: int, data: bytes, wait: float = 3.0, host: str = "127.0.0.1") -> tuple[bytes, bool]:
    """Send raw bytes to 127.0.0.1:port; (everything read back, whether the server closed the connection).

    Reads until the server closes or nothing more comes for ``wait`` seconds.
    """
    with socket.create_connection((host, port), timeout=10) as s:
        s.sendall(data)
        got, closed = b"", False
        s.settimeout(wait)
        while True:
            try:
                chunk = s.recv(65536)
            except socket.timeout:
                break
            except ConnectionResetError:
                closed = True
                break
            if not chunk:
                closed = True
                break
            got += chunk
    return got, closed


def status_lines(data: bytes) -> list[bytes]:
    """The HTTP status lines in a raw response stream."""
    return [line for line in data.split(b"\r\n") if line.startswith(b"HTTP/1.")]


class Listener:
    """A TCP listener on 127.0.0.1 that records every connection it gets, answers nothing and closes."""

    def __init__(self) -> None:
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.connections = 0
        self._stop = False
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        self.sock.settimeout(0.2)
        while not self._stop:
            try:
                conn, _ = self.sock.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            self.connections += 1
            conn.close()

    def close(self) -> None:
        self._stop = True
        self._thread.join(timeout=5)
        self.sock.close()

    def __enter__(self) -> "Listener":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class FakeServer:
    """A scripted HTTP server on 127.0.0.1, one thread per connection, for the failures real stores rarely show.

    ``mode``: ``silent`` (accepts, reads, never answers), ``trickle`` (answers one byte every half second, for
    ever), ``record`` (answers 204 and records each request line and body).
    """

    def __init__(self, mode: str) -> None:
        self.mode = mode
        self.requests: list[tuple[bytes, bytes]] = []
        self.sock = socket.create_server(("127.0.0.1", 0))
        self.port = self.sock.getsockname()[1]
        self.url = f"http://127.0.0.1:{self.port}"
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)
        self._thread.start()

    def _run(self) -> None:
        self.sock.settimeout(0.2)
        while not self._stop.is_set():
            try:
                conn, _ = self.sock.accept()
            except socket.timeout:
                continue
            except OSError:
                return
            threading.Thread(target=self._serve, args=(conn,), daemon=True).start()

    def _read_request(self, conn: socket.socket) -> tuple[bytes, bytes] | None:
        buf = b""
        while b"\r\n\r\n" not in buf:
            chunk = conn.recv(65536)
            if not chunk:
                return None
            buf += chunk
        head, _, body = buf.partition(b"\r\n\r\n")
        length = 0
        for line in head.split(b"\r\n")[1:]:
            name, _, value = line.partition(b":")
            if name.strip().lower() == b"content-length":
                length = int(value.strip())
        while len(body) < length:
            chunk = conn.recv(65536)
            if not chunk:
                break
            body += chunk
        return head, body

    def _serve(self, conn: socket.socket) -> None:
        conn.settimeout(1)
        try:
            while not self._stop.is_set():
                try:
                    got = self._read_request(conn)
                except socket.timeout:
                    continue
                if got is None:
                    return
                self.requests.append(got)
                if self.mode == "record":
                    conn.sendall(b"HTTP/1.1 204 No Content\r\nContent-Length: 0\r\n\r\n")
                    continue
                answer = b"HTTP/1.1 200 OK\r\nContent-Length: 1000\r\n\r\n" + b"x" * 1000
                while not self._stop.is_set():
                    if self.mode == "trickle" and answer:
                        conn.sendall(answer[:1])
                        answer = answer[1:]
                    self._stop.wait(0.5)
                return
        except OSError:
            return
        finally:
            conn.close()

    def close(self) -> None:
        self._stop.set()
        self._thread.join(timeout=5)
        self.sock.close()

    def __enter__(self) -> "FakeServer":
        return self

    def __exit__(self, *exc) -> None:
        self.close()


class FailingProxy:
    """A forwarding HTTP proxy on 127.0.0.1 in front of a real store that answers ``500`` to its Nth POST.

    Requests are passed on whole (method, path, headers, body) and the store's answer returned whole.
    """

    def __init__(self, upstream: str, fail_post: int) -> None:
        import http.server
        import urllib.request as ureq

        proxy = self
        self.posts = 0
        self.fail_post = fail_post
        self.seen: list[tuple[str, str]] = []

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def log_message(self, *args) -> None:
                pass

            def _forward(self) -> None:
                body = self.rfile.read(int(self.headers.get("Content-Length") or 0))
                proxy.seen.append((self.command, self.path))
                if self.command == "POST":
                    proxy.posts += 1
                    if proxy.posts == proxy.fail_post:
                        msg = b"injected failure"
                        self.send_response(500)
                        self.send_header("Content-Length", str(len(msg)))
                        self.end_headers()
                        self.wfile.write(msg)
                        return
                headers = {k: v for k, v in self.headers.items() if k.lower() not in ("host", "content-length")}
                req = ureq.Request(upstream + self.path, data=body if self.command != "GET" else None,
                                   headers=headers, method=self.command)
                try:
                    with ureq.urlopen(req, timeout=60) as r:
                        status, data = r.status, r.read()
                except urllib.error.HTTPError as err:
                    status, data = err.code, err.read()
                self.send_response(status)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST = do_PUT = do_DELETE = _forward

        self.server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.server.daemon_threads = True
        self.url = f"http://127.0.0.1:{self.server.server_address[1]}"
        self._thread = threading.Thread(target=self.server.serve_forever, kwargs={"poll_interval": 0.1}, daemon=True)
        self._thread.start()

    def close(self) -> None:
        self.server.shutdown()
        self.server.server_close()

    def __enter__(self) -> "FailingProxy":
        return self

    def __exit__(self, *exc) -> None:
        self.close()
