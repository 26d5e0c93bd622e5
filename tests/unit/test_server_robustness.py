"""server.py under load, slow clients and hostile requests (issue 14's table).

Each test runs a real server on a free port of 127.0.0.1, and every client
loop is bounded in count and time.  Timeouts are shortened through
make_server's arguments so that the tests take seconds; the defaults are
checked separately.
"""

from __future__ import annotations

import gzip
import os
import re
import socket
import statistics
import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

import pytest

import server
from staticserver import connections
from staticserver.connections import Server
from tests.unit.test_server import assert_security_headers, split_raw
from tools.local_server import LocalServer

HOST = "127.0.0.1"
SECRET = b"hidden-secret-7f3a"
SMALL_JS = b"export const small = 'strike a pose';\n"


@contextmanager
def running(root: Path, **limits: Any) -> Iterator[Server]:
    with LocalServer(root, poll_interval=0.05, **limits) as local:
        get(local.port, "/")  # served once: the worker threads are up
        yield local.httpd


def port_of(httpd: Server) -> int:
    return int(httpd.server_address[1])


def make_root(tmp_path: Path) -> Path:
    root = tmp_path / "root"
    (root / "sub").mkdir(parents=True)
    (root / "index.html").write_bytes(b"<!doctype html><title>Strike a Pose</title>")
    (root / "small.js").write_bytes(SMALL_JS)
    for hidden in (".secret.json", ".git/x.json", "sub/.hidden.js", ".config/app.js"):
        (root / hidden).parent.mkdir(parents=True, exist_ok=True)
        (root / hidden).write_bytes(SECRET)
    (root / "visible.js").symlink_to(root / "sub" / ".hidden.js")
    return root


def get(port: int, path: str, extra: bytes = b"", timeout: float = 10) -> bytes:
    """One GET on a fresh connection that the server closes after answering."""
    with socket.create_connection((HOST, port), timeout=timeout) as sock:
        sock.sendall(
            b"GET %s HTTP/1.1\r\nHost: x\r\n%sConnection: close\r\n\r\n" % (path.encode(), extra)
        )
        return read_until_closed(sock)


def read_until_closed(sock: socket.socket) -> bytes:
    chunks = []
    while chunk := sock.recv(65536):
        chunks.append(chunk)
    return b"".join(chunks)


def wait_until(condition: Any, seconds: float) -> bool:
    deadline = time.monotonic() + seconds
    while time.monotonic() < deadline:
        if condition():
            return True
        time.sleep(0.02)
    return bool(condition())


def resident_bytes() -> int:
    with open("/proc/self/statm", encoding="ascii") as statm:
        return int(statm.read().split()[1]) * os.sysconf("SC_PAGE_SIZE")


# --- defaults ---------------------------------------------------------------


def test_the_default_limits_are_documented_and_sane(capsys: pytest.CaptureFixture[str]) -> None:
    assert 10 <= connections.REQUEST_TIMEOUT_S <= 30
    assert 10 <= connections.IDLE_TIMEOUT_S <= 30
    assert connections.BACKLOG >= 128
    assert 1 <= connections.WORKERS <= 32
    with pytest.raises(SystemExit):
        server.main(["--help"])
    shown = " ".join(capsys.readouterr().out.split())
    assert "seconds to send a request's head (default 10)" in shown
    assert "seconds a kept-alive connection may idle (default 15)" in shown
    assert "open connections; past it: 503 (default 256)" in shown


# --- connects, backlog and the worker pool -----------------------------------


def test_the_listen_backlog_holds_150_connects_before_any_accept(tmp_path: Path) -> None:
    # Python's default backlog was 5: past it the kernel drops the SYN and the
    # client retries after a second.  Here nothing accepts at all.
    httpd = server.make_server(make_root(tmp_path), HOST, 0, quiet=True)
    socks: list[socket.socket] = []
    try:
        for _ in range(150):
            socks.append(socket.create_connection((HOST, port_of(httpd)), timeout=0.5))
    finally:
        for sock in socks:
            sock.close()
        httpd.server_close()
    assert len(socks) == 150


def test_a_burst_of_50_connects_is_answered_at_once(tmp_path: Path) -> None:
    with running(make_root(tmp_path)) as httpd:
        barrier = threading.Barrier(50)
        times: list[float] = []
        replies: list[bytes] = []

        def client() -> None:
            barrier.wait(timeout=10)
            start = time.perf_counter()
            reply = get(port_of(httpd), "/small.js")
            times.append(time.perf_counter() - start)
            replies.append(reply)

        threads = [threading.Thread(target=client) for _ in range(50)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=20)
    assert len(replies) == 50
    assert all(split_raw(reply)[0] == 200 and reply.endswith(SMALL_JS) for reply in replies)
    assert max(times) < 0.5, sorted(times)[-5:]


def test_100_slow_clients_hold_no_thread_and_others_are_served(tmp_path: Path) -> None:
    """Slow-loris: 100 clients each send a header line every 0.4 s while 20
    normal clients fetch; the slow ones cost a socket each, never a thread."""
    with running(make_root(tmp_path), request_timeout=30) as httpd:
        port = port_of(httpd)
        threads_before = threading.active_count()
        slow = [socket.create_connection((HOST, port), timeout=5) for _ in range(100)]
        for sock in slow:
            sock.sendall(b"GET /small.js HTTP/1.1\r\n")
        stop = threading.Event()

        def drip() -> None:
            for round_number in range(25):  # at most 10 s
                for sock in slow:
                    sock.sendall(b"X-Slow-%d: 1\r\n" % round_number)
                if stop.wait(0.4):
                    return

        dripper = threading.Thread(target=drip)
        dripper.start()
        try:
            assert wait_until(lambda: len(httpd._connections) >= 100, 5)
            time.sleep(0.5)  # a drip round or two
            threads_held = threading.active_count() - threads_before  # the dripper only
            latencies: list[float] = []

            def normal_client() -> None:
                for _ in range(5):
                    start = time.perf_counter()
                    reply = get(port, "/small.js")
                    latencies.append(time.perf_counter() - start)
                    assert reply.endswith(SMALL_JS)

            clients = [threading.Thread(target=normal_client) for _ in range(20)]
            for client in clients:
                client.start()
            for client in clients:
                client.join(timeout=30)
            still_open = sum(1 for c in httpd._connections if c.reading_head)
        finally:
            stop.set()
            dripper.join(timeout=5)
            for sock in slow:
                sock.close()
    assert len(latencies) == 100
    p95 = statistics.quantiles(latencies, n=20)[-1]
    assert p95 < 0.3, f"p95 {p95:.3f} s"
    assert threads_held <= 1
    assert len(httpd._threads) == connections.WORKERS  # the pool: fixed, whatever the load
    assert still_open >= 100  # the slow clients were held, not dropped, meanwhile


def test_past_the_connection_limit_a_clear_503(tmp_path: Path) -> None:
    with running(make_root(tmp_path), max_connections=3) as httpd:
        port = port_of(httpd)
        held = [socket.create_connection((HOST, port), timeout=5) for _ in range(3)]
        try:
            assert wait_until(lambda: len(httpd._connections) == 3, 5)
            status, headers, body = split_raw(get(port, "/small.js"))
            assert status == 503
            assert headers["retry-after"] == "1" and headers["connection"] == "close"
            assert_security_headers(headers)
            assert body.startswith(b"503")
        finally:
            held.pop().close()
        assert wait_until(lambda: len(httpd._connections) == 2, 5)
        assert get(port, "/small.js").endswith(SMALL_JS)
        for sock in held:
            sock.close()


# --- timeouts ------------------------------------------------------------------


def test_an_idle_connection_is_closed_within_the_idle_timeout(tmp_path: Path) -> None:
    with running(make_root(tmp_path), idle_timeout=0.5) as httpd:
        with socket.create_connection((HOST, port_of(httpd)), timeout=5) as sock:
            start = time.monotonic()
            assert sock.recv(1) == b""  # closed by the server, nothing sent
            assert 0.4 <= time.monotonic() - start < 1.5
        # And after a request on a kept-alive connection.
        with socket.create_connection((HOST, port_of(httpd)), timeout=5) as sock:
            sock.sendall(b"GET /small.js HTTP/1.1\r\nHost: x\r\n\r\n")
            start = time.monotonic()
            data = read_until_closed(sock)
            assert data.endswith(SMALL_JS) and data.count(b"HTTP/1.1 200") == 1
            assert 0.4 <= time.monotonic() - start < 1.5


def test_a_request_head_that_takes_too_long_gets_408(tmp_path: Path) -> None:
    with (
        running(make_root(tmp_path), request_timeout=0.6) as httpd,
        socket.create_connection((HOST, port_of(httpd)), timeout=5) as sock,
    ):
        sock.sendall(b"GET /small.js HTTP/1.1\r\n")
        start = time.monotonic()
        for number in range(30):  # a header line every 0.1 s, for at most 3 s
            try:
                sock.sendall(b"X-Slow-%d: 1\r\n" % number)
            except OSError:
                break
            time.sleep(0.1)
            if time.monotonic() - start > 1.0:
                break
        data = read_until_closed(sock)
    status, headers, _ = split_raw(data)
    assert status == 408
    assert_security_headers(headers)
    assert SMALL_JS not in data


def test_a_client_that_stops_reading_is_dropped_after_the_send_timeout(tmp_path: Path) -> None:
    root = make_root(tmp_path)
    (root / "big.bin").write_bytes(os.urandom(16 * 1024 * 1024))
    with running(root, send_timeout=0.5) as httpd:
        sock = socket.socket()
        sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
        sock.settimeout(5)
        sock.connect((HOST, port_of(httpd)))
        try:
            sock.sendall(b"GET /big.bin HTTP/1.1\r\nHost: x\r\n\r\n")
            assert wait_until(lambda: any(c.outgoing for c in httpd._connections), 5)
            assert wait_until(lambda: not httpd._connections, 5)
        finally:
            sock.close()


# --- memory: files are streamed ---------------------------------------------------


def test_20_clients_that_read_nothing_cost_no_memory(tmp_path: Path) -> None:
    # Bug fixed: each response read the whole file into memory (193 MB for 20
    # clients asking for pyodide.asm.wasm).  Now it is sent with sendfile.
    root = make_root(tmp_path)
    size = 24 * 1024 * 1024
    (root / "engine.wasm").write_bytes(os.urandom(size))
    with running(root) as httpd:
        before = resident_bytes()
        clients = []
        try:
            for _ in range(20):
                sock = socket.socket()
                sock.setsockopt(socket.SOL_SOCKET, socket.SO_RCVBUF, 4096)
                sock.settimeout(5)
                sock.connect((HOST, port_of(httpd)))
                # gzip accepted: random bytes do not shrink, so the file goes as it is.
                sock.sendall(
                    b"GET /engine.wasm HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\n\r\n"
                )
                clients.append(sock)
            assert wait_until(lambda: sum(1 for c in httpd._connections if c.outgoing) == 20, 10), (
                "the responses did not start"
            )
            growth = resident_bytes() - before
        finally:
            for sock in clients:
                sock.close()
    assert growth < 40 * 1024 * 1024, f"grew by {growth / 1e6:.0f} MB"


# --- hostile request lines and paths ------------------------------------------------


@pytest.mark.parametrize(
    "path",
    [
        "/.secret.json",
        "/.git/x.json",
        "/sub/.hidden.js",
        "/.config/app.js",
        "/%2esecret.json",
        "/sub/%2Ehidden.js",
        "/visible.js",  # a symlink whose target is hidden
    ],
)
def test_hidden_paths_are_404(tmp_path: Path, path: str) -> None:
    with running(make_root(tmp_path)) as httpd:
        data = get(port_of(httpd), path)
    status, headers, _ = split_raw(data)
    assert status == 404
    assert SECRET not in data
    assert_security_headers(headers)


@pytest.mark.parametrize("line", [b"GET /small.js\r\n", b"GET /small.js\n", b"GET /\r\n\r\n"])
def test_http_0_9_request_lines_are_refused_with_headers(tmp_path: Path, line: bytes) -> None:
    # Bug fixed: an HTTP/0.9 line got the file with no status line and none of
    # the security headers.  It is answered at once: an HTTP/0.9 client sends
    # no empty line after its request.
    with (
        running(make_root(tmp_path)) as httpd,
        socket.create_connection((HOST, port_of(httpd)), timeout=5) as sock,
    ):
        sock.sendall(line)
        data = read_until_closed(sock)
    status, headers, body = split_raw(data)
    assert data.startswith(b"HTTP/1.1 400 ")
    assert status == 400 and headers["connection"] == "close"
    assert_security_headers(headers)
    assert SMALL_JS not in body and b"<title>" not in body


def test_pipelined_requests_are_answered_in_order(tmp_path: Path) -> None:
    with (
        running(make_root(tmp_path)) as httpd,
        socket.create_connection((HOST, port_of(httpd)), timeout=5) as sock,
    ):
        sock.sendall(
            b"GET /small.js HTTP/1.1\r\nHost: x\r\n\r\n"
            b"GET /missing.js HTTP/1.1\r\nHost: x\r\n\r\n"
            b"GET /index.html HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n"
        )
        data = read_until_closed(sock)
    assert re.findall(rb"HTTP/1\.1 (\d{3}) ", data) == [b"200", b"404", b"200"]
    assert data.index(SMALL_JS) < data.index(b"404 Not Found") < data.index(b"<title>")


def test_a_get_with_a_body_is_not_kept_alive(tmp_path: Path) -> None:
    # A body the server does not read must not be parsed as the next request.
    smuggled = b"GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n"
    with (
        running(make_root(tmp_path)) as httpd,
        socket.create_connection((HOST, port_of(httpd)), timeout=5) as sock,
    ):
        sock.sendall(
            b"GET /small.js HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n" % len(smuggled)
            + smuggled
        )
        data = read_until_closed(sock)
    assert data.count(b"HTTP/1.1 ") == 1 and data.endswith(SMALL_JS)


def test_responses_are_not_held_back_by_nagle(tmp_path: Path) -> None:
    # Separate header and body writes on a kept-alive connection would wait
    # for the client's delayed ACK: every accepted socket has TCP_NODELAY.
    with (
        running(make_root(tmp_path)) as httpd,
        socket.create_connection((HOST, port_of(httpd)), timeout=5) as sock,
    ):
        sock.sendall(b"GET /small.js HTTP/1.1\r\n")  # half a head: the server holds it
        assert wait_until(lambda: any(c.buffer for c in list(httpd._connections)), 5)
        (connection,) = [c for c in list(httpd._connections) if c.buffer]
        assert connection.sock.getsockopt(socket.IPPROTO_TCP, socket.TCP_NODELAY) != 0


# --- compression happens once -----------------------------------------------------


def test_ten_concurrent_first_requests_compress_a_file_once(tmp_path: Path) -> None:
    # Bug fixed: each of 10 concurrent first requests gzipped the same file again.
    root = make_root(tmp_path)
    text = b"".join(b"export const line%d = 'strike a pose';\n" % i for i in range(200_000))
    (root / "app.js").write_bytes(text)  # no pre-compressed copy: compressed in memory
    with running(root) as httpd:
        barrier = threading.Barrier(10)
        bodies: list[bytes] = []

        def client() -> None:
            barrier.wait(timeout=10)
            bodies.append(get(port_of(httpd), "/app.js", b"Accept-Encoding: gzip\r\n", 60))

        threads = [threading.Thread(target=client) for _ in range(10)]
        for thread in threads:
            thread.start()
        for thread in threads:
            thread.join(timeout=60)
        again = get(port_of(httpd), "/app.js", b"Accept-Encoding: gzip\r\n")
        compressions = httpd.RequestHandlerClass.compress_once.compressions  # type: ignore[attr-defined]
    assert len(bodies) == 10
    for reply in [*bodies, again]:
        status, headers, body = split_raw(reply)
        assert status == 200 and headers["content-encoding"] == "gzip"
        assert gzip.decompress(body) == text
    assert compressions == 1
