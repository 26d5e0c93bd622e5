"""Server under load on loopback: server.py against a bare baseline, same run.

Keep-alive clients (20, then 100) fetch the first visit's files the way a
browser does (``Accept-Encoding: gzip, deflate, br``), a fixed number of
requests per level with a time cap; then the same while 100 slow clients are
held open, each sending one header line every 0.4 s and never finishing its
request (a slow-loris; one whose connection the server cuts reconnects, so
100 stay held).  Reported: requests/s, MB/s on the wire, latency, errors
(anything but a 200, or a failed connection; zero expected), and the
server's thread count (from /proc).

The baseline is the standard library's own ``ThreadingHTTPServer`` with
``SimpleHTTPRequestHandler`` on the same files (a thread per connection, no
compression, files read through a buffer): what server.py was built on.
Both servers run in their own process.  Loopback only; every loop is bounded.

``.venv/bin/python bench/server_load.py [--quick]`` runs it alone on a copy
of web/ with the test pack (the first visit's files: precache.json's list,
which the service worker downloads on a first visit); bench/run_all.py runs
it with the files the cold start-up fetched.
"""

from __future__ import annotations

import argparse
import http.client
import json
import socket
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.stats import summarize

ROOT = Path(__file__).resolve().parent.parent
HOST = "127.0.0.1"
TIME_CAP_S = 30.0
SLOW_CLIENTS = 100
SLOW_LINE_EVERY_S = 0.4
ACCEPT = "gzip, deflate, br"
SERVERS = {
    "server.py": (
        "import sys; from server import make_server; "
        "s = make_server(sys.argv[1], '127.0.0.1', 0, quiet=True); "
        "print(s.server_address[1], flush=True); s.serve_forever()"
    ),
    "baseline": (
        "import functools, sys, http.server as h\n"
        "class Quiet(h.SimpleHTTPRequestHandler):\n"
        "    protocol_version = 'HTTP/1.1'\n"
        "    def log_message(self, *args): pass\n"
        "handler = functools.partial(Quiet, directory=sys.argv[1])\n"
        "s = h.ThreadingHTTPServer(('127.0.0.1', 0), handler)\n"
        "s.daemon_threads = True\n"
        "print(s.server_address[1], flush=True); s.serve_forever()"
    ),
}


def threads_of(pid: int) -> int:
    with open(f"/proc/{pid}/status", encoding="ascii") as status:
        for line in status:
            if line.startswith("Threads:"):
                return int(line.split()[1])
    return 0


def load(port: int, paths: list[str], clients: int, requests: int) -> dict[str, Any]:
    lock = threading.Lock()
    counter = {"next": 0, "errors": 0, "bytes": 0}
    latencies: list[float] = []
    deadline = time.monotonic() + TIME_CAP_S

    def client() -> None:
        connection = http.client.HTTPConnection(HOST, port, timeout=30)
        mine: list[float] = []
        errors = 0
        received = 0
        while time.monotonic() < deadline:
            with lock:
                index = counter["next"]
                counter["next"] += 1
            if index >= requests:
                break
            path = paths[index % len(paths)]
            start = time.perf_counter()
            try:
                connection.request("GET", path, headers={"Accept-Encoding": ACCEPT})
                response = connection.getresponse()
                received += len(response.read())
                if response.status != 200:
                    errors += 1
            except (OSError, http.client.HTTPException):
                errors += 1
                connection.close()
                connection = http.client.HTTPConnection(HOST, port, timeout=30)
            mine.append((time.perf_counter() - start) * 1000.0)
        connection.close()
        with lock:
            latencies.extend(mine)
            counter["errors"] += errors
            counter["bytes"] += received

    threads = [threading.Thread(target=client) for _ in range(clients)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - started
    return {
        "clients": clients,
        "requests": len(latencies),
        "errors": counter["errors"],
        "seconds": round(elapsed, 2),
        "requests_per_s": round(len(latencies) / elapsed, 1),
        "mb_per_s": round(counter["bytes"] / elapsed / 1e6, 1),
        "latency_ms": summarize(latencies, digits=1),
        "capped": len(latencies) < requests,
    }


class SlowClients:
    """``count`` connections that each send a header line every 0.4 s, forever
    (until stopped); one the server closes is opened again."""

    def __init__(self, port: int, count: int) -> None:
        self.port = port
        self.socks: list[socket.socket | None] = [None] * count
        self.cut = 0  # connections the server closed (a request timeout)
        self.stop = threading.Event()
        self.thread = threading.Thread(target=self._drip, daemon=True)

    def _open(self) -> socket.socket:
        sock = socket.create_connection((HOST, self.port), timeout=5)
        sock.sendall(b"GET /index.html HTTP/1.1\r\nHost: bench\r\n")
        return sock

    def __enter__(self) -> SlowClients:
        for i in range(len(self.socks)):
            self.socks[i] = self._open()
        self.thread.start()
        return self

    def _drip(self) -> None:
        line = 0
        deadline = time.monotonic() + 10 * TIME_CAP_S
        while not self.stop.wait(SLOW_LINE_EVERY_S) and time.monotonic() < deadline:
            line += 1
            for i, sock in enumerate(self.socks):
                try:
                    assert sock is not None
                    sock.sendall(b"X-Slow-%d: 1\r\n" % line)
                except (OSError, AssertionError):
                    self.cut += 1
                    if sock is not None:
                        sock.close()
                    try:
                        self.socks[i] = self._open()
                    except OSError:
                        self.socks[i] = None

    def __exit__(self, *_: object) -> None:
        self.stop.set()
        self.thread.join(timeout=10)
        for sock in self.socks:
            if sock is not None:
                sock.close()


class Running:
    """One server in its own process, with its port and thread count."""

    def __init__(self, name: str, root: Path) -> None:
        self.name = name
        self.process = subprocess.Popen(
            [sys.executable, "-c", SERVERS[name], str(root)],
            cwd=ROOT,
            stdout=subprocess.PIPE,
            text=True,
        )
        assert self.process.stdout is not None
        self.port = int(self.process.stdout.readline())

    def load(self, paths: list[str], clients: int, requests: int) -> dict[str, Any]:
        """``load`` while the server's thread count is sampled: the most seen."""
        most = [threads_of(self.process.pid)]
        done = threading.Event()

        def sample() -> None:
            while not done.wait(0.05):
                most[0] = max(most[0], threads_of(self.process.pid))

        sampler = threading.Thread(target=sample)
        sampler.start()
        try:
            result = load(self.port, paths, clients, requests)
        finally:
            done.set()
            sampler.join()
        result["server_threads_max"] = most[0]
        return result

    def stop(self) -> None:
        self.process.terminate()
        self.process.wait(timeout=10)


def run(root: Path, paths: list[str], quick: bool) -> dict[str, Any]:
    """server.py and the baseline on the same files, each level run on both
    back to back (so that both see the same machine), first alone, then with
    100 slow clients held open on each."""
    requests = 600 if quick else 2000
    names = ("baseline", "server.py")
    servers = {name: Running(name, root) for name in names}
    levels: dict[str, list[dict[str, Any]]] = {name: [] for name in names}
    try:
        for running in servers.values():
            load(running.port, paths, 4, len(paths))  # every file once: caches warm
        for clients in (20, 100):
            for name in names:
                levels[name].append(servers[name].load(paths, clients, requests))
        holders = [SlowClients(servers[name].port, SLOW_CLIENTS) for name in names]
        for holder in holders:
            holder.__enter__()
        try:
            time.sleep(1.0)
            for clients in (20, 100):
                for name, holder in zip(names, holders, strict=True):
                    measured = servers[name].load(paths, clients, requests)
                    measured["slow_clients"] = SLOW_CLIENTS
                    measured["slow_clients_cut"] = holder.cut
                    levels[name].append(measured)
        finally:
            for holder in holders:
                holder.__exit__()
    finally:
        for running in servers.values():
            running.stop()
    result: dict[str, Any] = {
        name: {"paths": len(paths), "time_cap_s": TIME_CAP_S, "levels": levels[name]}
        for name in names
    }
    result["ratio_requests_per_s"] = [
        round(ours["requests_per_s"] / base["requests_per_s"], 2)
        for base, ours in zip(levels["baseline"], levels["server.py"], strict=True)
    ]
    return result


def first_visit_paths(root: Path) -> list[str]:
    manifest = json.loads((root / "precache.json").read_text(encoding="utf-8"))
    return ["/" + entry["path"] for entry in manifest["files"]]


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer requests")
    parser.add_argument("--out", type=Path, help="write the figures here as JSON")
    args = parser.parse_args(argv)
    from bench.browser import web_root
    from tools.build_precache import build

    with web_root() as root:
        build(root)
        result = run(root, first_visit_paths(root), args.quick)
    text = json.dumps(result, indent=1)
    if args.out:
        args.out.write_text(text + "\n", encoding="utf-8")
    print(text)
    return 0


if __name__ == "__main__":
    sys.exit(main())
