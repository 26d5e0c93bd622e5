"""Server: many concurrent clients on loopback fetching the first visit's
assets (keep-alive, gzip accepted, as browsers do) from server.py's server
running in its own process.  A fixed number of requests per level of
concurrency, and a time cap.  Loopback only.
"""

from __future__ import annotations

import http.client
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import Any

from bench.stats import summarize

ROOT = Path(__file__).resolve().parent.parent
TIME_CAP_S = 30.0
SERVE_PY = (
    "import sys; from server import make_server; "
    "s = make_server(sys.argv[1], '127.0.0.1', 0, quiet=True); "
    "s.RequestHandlerClass.disable_nagle_algorithm = sys.argv[2] == 'nodelay'; "
    "print(s.server_address[1], flush=True); s.serve_forever()"
)


def load(port: int, paths: list[str], clients: int, requests: int) -> dict[str, Any]:
    lock = threading.Lock()
    counter = {"next": 0, "errors": 0, "bytes": 0}
    latencies: list[float] = []
    deadline = time.monotonic() + TIME_CAP_S

    def client() -> None:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
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
                connection.request("GET", path, headers={"Accept-Encoding": "gzip"})
                response = connection.getresponse()
                received += len(response.read())
                if response.status != 200:
                    errors += 1
            except (OSError, http.client.HTTPException):
                errors += 1
                connection.close()
                connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
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


def run(root: Path, paths: list[str], quick: bool) -> dict[str, Any]:
    """server.py as it is, and with TCP_NODELAY (a benchmark-only switch).

    http.server writes a response's headers and body in separate sends; on a
    kept-alive connection Nagle's algorithm holds the second until the
    client's delayed ACK (about 40 ms on Linux).  The second run shows what
    setting ``disable_nagle_algorithm`` on the handler would change.
    """
    return {
        "as_is": run_one(root, paths, quick, nodelay=False),
        "nodelay": run_one(root, paths, quick, nodelay=True),
    }


def run_one(root: Path, paths: list[str], quick: bool, nodelay: bool) -> dict[str, Any]:
    levels = (8, 32) if quick else (8, 32, 64)
    requests = 1000 if quick else 4000
    process = subprocess.Popen(
        [sys.executable, "-c", SERVE_PY, str(root), "nodelay" if nodelay else "as-is"],
        cwd=ROOT,
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        port = int(process.stdout.readline())
        load(port, paths, 4, 100)  # warm the server's gzip cache
        results = [load(port, paths, clients, requests) for clients in levels]
    finally:
        process.terminate()
        process.wait(timeout=10)
    return {"paths": len(paths), "time_cap_s": TIME_CAP_S, "levels": results}
