"""server.py's own server on a free loopback port, in a background thread:
what the browser tests (tests/e2e/conftest.py), the server's unit tests, the
benchmarks (bench/) and tools/record_keypoints.py serve from."""

from __future__ import annotations

import threading
from pathlib import Path
from typing import Any

from server import make_server
from staticserver.connections import Server


class LocalServer:
    """Serve ``root`` at ``self.url`` until :meth:`stop` (or the end of a ``with``).

    ``headers`` replaces security headers for this server only, and a value of
    None drops the header (a benchmark serves an earlier revision's page with
    the headers it had then); server.py's defaults are untouched.  ``limits``
    are make_server's (timeouts, workers...); ``poll_interval`` is how often,
    in seconds, the serving thread looks for a shutdown (the unit tests stop
    many servers: they poll faster).  ``requests`` lists every answer sent.
    """

    def __init__(
        self,
        root: Path,
        headers: dict[str, str | None] | None = None,
        *,
        poll_interval: float = 0.5,
        **limits: Any,
    ) -> None:
        replaced = {name: value for name, value in (headers or {}).items() if value is not None}
        dropped = {name.lower() for name, value in (headers or {}).items() if value is None}
        self.httpd: Server = make_server(
            root, "127.0.0.1", 0, quiet=True, headers=replaced, **limits
        )
        # Every answer, as (method, path, status): how a test tells which files
        # were sent in full (200) and which the browser's cache revalidated (304).
        self.requests: list[tuple[str, str, int]] = []
        base: Any = self.httpd.RequestHandlerClass

        def log_request(handler: Any, code: int | str = "-", size: int | str = "-") -> None:
            # A request refused before it was read (408, 503) or parsed (400) has no
            # method or path: recorded as "".
            method = getattr(handler, "command", None) or ""
            path = getattr(handler, "path", None) or ""
            self.requests.append((method, path, int(code)))
            base.log_request(handler, code, size)

        def send_header(handler: Any, keyword: str, value: str) -> None:
            if keyword.lower() not in dropped:
                base.send_header(handler, keyword, value)

        self.httpd.RequestHandlerClass = type(
            "LocalHandler", (base,), {"log_request": log_request, "send_header": send_header}
        )
        self.port = int(self.httpd.server_address[1])
        self.url = f"http://127.0.0.1:{self.port}"
        self.thread = threading.Thread(
            target=self.httpd.serve_forever, args=(poll_interval,), daemon=True
        )
        self.thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()
        self.thread.join(timeout=5)

    def __enter__(self) -> LocalServer:
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()
