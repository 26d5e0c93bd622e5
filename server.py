"""A small static server for Strike a Pose (standard library only).

It serves one folder (``web/`` by default) over GET and HEAD with explicit MIME
types, strict security headers, the pre-compressed copies (brotli, gzip) that
the build makes, and cache headers that let browsers keep the big pinned
assets.  It never lists a directory, never serves a hidden file or anything
outside its root.  Nothing is ever received: there is no upload endpoint, and
the page's Content-Security-Policy forbids sending to any other origin.

A kiosk's server is often reachable by every phone in the museum, so it holds
up under load and slow or hostile clients (staticserver/connections.py): a
bounded pool of worker threads, waiting connections held by one selector
thread instead of a thread each, a request timeout (10 s) and an idle
keep-alive timeout (15 s), a 503 past 256 connections, a listen backlog of
512, and files streamed with sendfile, never read whole into memory.

This file holds the policy (types, headers, caching) and the request logic;
``staticserver/`` holds the parts, one job each.  ``make_server(root, host,
port)`` builds the server (tests use it directly); ``main(argv)`` is the
command line: ``python3 server.py [--host H] [--port P]`` (``--help``).
"""

from __future__ import annotations

import argparse
import contextlib
import email.utils
import json
import os
import sys
from collections.abc import Mapping, Sequence
from http import HTTPStatus
from pathlib import Path
from typing import IO, Any

from staticserver import connections
from staticserver.compressed import (
    COPY_SUFFIXES,
    MIN_COMPRESS_BYTES,
    CompressOnce,
    copy_path,
    valid_copy,
)
from staticserver.connections import Server
from staticserver.encodings import IDENTITY, choose_encoding
from staticserver.paths import resolve_request_path
from staticserver.responses import BufferedRequestHandler

__all__ = ["main", "make_server", "missing_assets", "resolve_request_path"]

HERE = Path(__file__).resolve().parent
DEFAULT_ROOT = HERE / "web"
LOCK_PATH = HERE / "assets.lock.json"
FETCH_COMMAND = "python3 tools/fetch_assets.py"

# Explicit types: the platform's mimetypes table varies between machines, and a
# wrong type for .mjs or .wasm breaks module loading and wasm streaming.
MIME_TYPES: dict[str, str] = {
    ".html": "text/html; charset=utf-8",
    ".js": "text/javascript; charset=utf-8",
    ".mjs": "text/javascript; charset=utf-8",
    ".css": "text/css; charset=utf-8",
    ".json": "application/json",
    ".webmanifest": "application/manifest+json",
    ".toml": "text/plain; charset=utf-8",
    ".py": "text/plain; charset=utf-8",
    ".txt": "text/plain; charset=utf-8",
    ".md": "text/plain; charset=utf-8",
    ".wasm": "application/wasm",
    ".whl": "application/octet-stream",
    ".bin": "application/octet-stream",
    ".mo": "application/octet-stream",  # a compiled translation (web/locale/)
    ".zip": "application/zip",
    ".png": "image/png",
    ".jpg": "image/jpeg",
    ".jpeg": "image/jpeg",
    ".webp": "image/webp",
    ".gif": "image/gif",
    ".svg": "image/svg+xml",
    ".ico": "image/x-icon",
    ".woff2": "font/woff2",
}

# Types worth compressing.  Zip, wheel and images are compressed already.
COMPRESSIBLE = {
    ".html",
    ".js",
    ".mjs",
    ".css",
    ".json",
    ".webmanifest",
    ".toml",
    ".py",
    ".txt",
    ".md",
    ".wasm",
    ".svg",
    ".bin",
    ".mo",
    # Zip archives shrink only when their members are stored (py/lib/,
    # tools/repack_archives.py); a deflated one gets no compressed copy (ratio).
    ".zip",
    ".whl",
}

# Folders whose names carry a version (web/vendor/pyodide-0.27.7/...): a new
# version is a new URL, so their files may be cached for a year untouched.
IMMUTABLE_PREFIXES = ("vendor/",)

# The minimum that works, found by removing sources one by one in Chromium:
# 'wasm-unsafe-eval' lets Pyodide and TF.js compile WebAssembly.  'unsafe-eval'
# is for TF.js alone: its core (tf.min.js 4.22) evaluates a string as
# JavaScript as it loads, and without it the pose model fails, in the
# detector worker as on the page (the main-thread fallback, the curator).
# Re-checked without PyScript (2026-11-29, tests/e2e/test_csp.py): Pyodide
# and numpy start without it.  No inline script or style is needed.
# Images may come from blob:/data: (a curator's local files, canvas snapshots).
# media-src blob:: the souvenir clip is recorded on the device and played
# from an in-memory Blob (js/souvenir/panel.js); no other media is loaded.
# connect-src 'self': nothing can be sent to another origin.
# blob: in worker-src and script-src is for TF.js's wasm thread pool, and only
# for it: inside the detector worker (web/js/detector-worker.js) TF.js starts
# each wasm thread as a Worker from a blob: URL (Emscripten's pthread script,
# which TF.js holds as a string) and that thread then loads the backend's code
# with importScripts() from a second blob: URL.  A blob: URL can only be made
# by script already running on this origin, so no other site's code gains
# anything; data:, other origins and inline scripts stay blocked.  Without
# blob: the thread pool never starts and TF.js waits forever (measured in
# bench/inference.py).  The threads also need the page cross-origin isolated
# (COOP + COEP below) for SharedArrayBuffer; where a host cannot send those
# headers, TF.js sees no SharedArrayBuffer and runs one thread.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'wasm-unsafe-eval' 'unsafe-eval' blob:",
        "style-src 'self'",
        "img-src 'self' blob: data:",
        "media-src 'self' blob:",
        "connect-src 'self'",
        "worker-src 'self' blob:",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'self'",
    ]
)

# COOP same-origin + COEP require-corp make the page cross-origin isolated:
# SharedArrayBuffer exists, so TF.js's wasm backend can run threads in the
# detector worker.  require-corp only lets the page load what its own server
# marks as loadable (every file here is same-origin, with CORP same-origin
# too), which suits a page that loads nothing from anywhere else.
SECURITY_HEADERS: dict[str, str] = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Permissions-Policy": "camera=(self), microphone=(), geolocation=(), fullscreen=(self)",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Embedder-Policy": "require-corp",
    "Cross-Origin-Resource-Policy": "same-origin",
}


class StaticHandler(BufferedRequestHandler):
    """Answers GET and HEAD for files under ``root``; every other method gets 405."""

    server_version = "StrikeAPose"
    sys_version = ""
    root: Path = DEFAULT_ROOT
    compress_once: CompressOnce = CompressOnce()
    quiet: bool = False
    # Added after SECURITY_HEADERS (benchmarks add or relax headers with it).
    extra_headers: Mapping[str, str] = {}

    def do_GET(self) -> None:
        self._serve(send_body=True)

    def do_HEAD(self) -> None:
        self._serve(send_body=False)

    def _refuse_method(self) -> None:
        # The request's body (if any) is not read, so the connection cannot be
        # reused: its unread bytes would be parsed as the next request.
        self.close_connection = True
        extra = {"Allow": "GET, HEAD", "Connection": "close"}
        self._send_error(405, "Method Not Allowed", extra=extra)

    do_POST = do_PUT = do_DELETE = do_PATCH = do_OPTIONS = _refuse_method

    def _serve(self, send_body: bool) -> None:
        if self.headers.get("Content-Length", "0").strip() != "0" or self.headers.get(
            "Transfer-Encoding"
        ):
            # A body we do not read must not be taken for the next request.
            self.close_connection = True
        path = resolve_request_path(self.root, self.path)
        if path is None:
            self._send_error(404, "Not Found")
            return
        suffix = path.suffix.lower()
        content_type = MIME_TYPES.get(suffix)
        if content_type is None:
            # An unknown type is not served: nosniff would make it useless anyway.
            self._send_error(404, "Not Found")
            return
        try:
            source = open_file(path)
        except OSError:
            # Unreadable, or gone since it was resolved.
            self._send_error(404, "Not Found")
            return
        with contextlib.ExitStack() as on_error:
            on_error.callback(source.close)
            self._serve_file(path, source, suffix, content_type, send_body)
            on_error.pop_all()

    def _serve_file(
        self, path: Path, source: IO[bytes], suffix: str, content_type: str, send_body: bool
    ) -> None:
        stat = os.fstat(source.fileno())
        relative = path.relative_to(self.root.resolve()).as_posix()
        coding, body, tag = self._representation(path, source, stat, suffix)
        etag = f'"{stat.st_size:x}-{stat.st_mtime_ns:x}{tag}"'
        headers = {
            "Content-Type": content_type,
            "ETag": etag,
            "Last-Modified": email.utils.formatdate(stat.st_mtime, usegmt=True),
            "Cache-Control": (
                "public, max-age=31536000, immutable"
                if relative.startswith(IMMUTABLE_PREFIXES)
                else "no-cache"
            ),
            "Vary": "Accept-Encoding",
        }
        if self._not_modified(etag, stat.st_mtime):
            _close(body)
            self._send(304, headers, None, send_body=False)
            return
        if coding != IDENTITY:
            headers["Content-Encoding"] = coding
        self._send(200, headers, body, send_body)

    def _representation(
        self, path: Path, source: IO[bytes], stat: os.stat_result, suffix: str
    ) -> tuple[str, bytes | IO[bytes], str]:
        """(coding, body, ETag suffix): the best form the client accepts, never compressed here
        more than once per file (a pre-compressed copy, else the compress-once cache)."""
        if suffix not in COMPRESSIBLE or stat.st_size < MIN_COMPRESS_BYTES:
            return IDENTITY, source, ""
        copies = [c for c in COPY_SUFFIXES if valid_copy(path, stat, c)]
        offered = copies + ([] if "gzip" in copies else ["gzip"])
        coding = choose_encoding(self.headers.get("Accept-Encoding"), offered)
        if coding in copies:
            try:
                copy = open_file(copy_path(path, coding))
            except OSError:
                return IDENTITY, source, ""
            # The copy checked above may have been replaced since: check the one opened.
            if os.fstat(copy.fileno()).st_mtime_ns == stat.st_mtime_ns:
                source.close()
                return coding, copy, f"-{COPY_SUFFIXES[coding].lstrip('.')}"
            copy.close()
        elif coding == "gzip":
            body = self.compress_once.gzip(path, stat.st_size, stat.st_mtime_ns)
            if body is not None:
                source.close()
                return coding, body, "-gzip"
        return IDENTITY, source, ""

    def _not_modified(self, etag: str, mtime: float) -> bool:
        if_none_match = self.headers.get("If-None-Match")
        if if_none_match is not None:
            # If-None-Match wins over If-Modified-Since (RFC 9110, 13.1.3).
            return _etag_matches(etag, if_none_match)
        since = self.headers.get("If-Modified-Since")
        if not since:
            return False
        try:
            when = email.utils.parsedate_to_datetime(since)
        except (TypeError, ValueError, IndexError):
            return False  # not a date: ignored, as RFC 9110 says
        if when.tzinfo is None:
            return False
        return int(mtime) <= when.timestamp()

    def _send(
        self,
        status: int,
        headers: dict[str, str],
        body: bytes | IO[bytes] | None,
        send_body: bool,
    ) -> None:
        """Send a response; ``body`` None (a 304) sends no Content-Length at all."""
        self.send_response(status)
        for name, value in {**SECURITY_HEADERS, **self.extra_headers, **headers}.items():
            self.send_header(name, value)
        length = None
        if isinstance(body, bytes):
            length = len(body)
        elif body is not None:
            length = os.fstat(body.fileno()).st_size
        if length is not None:
            # A 304 must not say "Content-Length: 0": that is not the length of
            # the representation it validates (RFC 9110, 8.6).
            self.send_header("Content-Length", str(length))
        self.end_headers()
        if not send_body or body is None:
            _close(body)
        elif isinstance(body, bytes):
            self.set_body(body)
        else:
            assert length is not None
            self.set_file(body, length)

    def _send_error(self, status: int, reason: str, extra: dict[str, str] | None = None) -> None:
        body = f"{status} {reason}\n".encode()
        headers = {"Content-Type": "text/plain; charset=utf-8", "Cache-Control": "no-store"}
        self._send(status, {**headers, **(extra or {})}, body, self.command != "HEAD")

    def send_error(self, code: int, message: str | None = None, explain: str | None = None) -> None:
        """The base class's errors (400 malformed, 414, 431, 501) with our headers.

        Its own version writes an HTML page without the security headers.
        """
        self.close_connection = True
        reason = self.responses.get(code, ("Error",))[0]
        self._send_error(code, reason, extra={"Connection": "close"})

    def refuse(self, status: HTTPStatus, extra: dict[str, str]) -> None:
        """503 (too many connections) and 408 (request too slow), with our headers."""
        self._send_error(status, status.phrase, extra={**extra, "Connection": "close"})

    def log_message(self, format: str, *args: object) -> None:
        if not self.quiet:
            super().log_message(format, *args)


def open_file(path: Path) -> IO[bytes]:
    """Open a file to send (one place, so tests can make it fail)."""
    return path.open("rb")


def _close(body: bytes | IO[bytes] | None) -> None:
    if body is not None and not isinstance(body, bytes):
        body.close()


def _etag_matches(etag: str, if_none_match: str) -> bool:
    """If-None-Match uses weak comparison: ``W/"x"`` matches ``"x"``; ``*`` matches all."""
    tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return etag in tags or "*" in tags


def make_server(
    root: Path | str = DEFAULT_ROOT,
    host: str = "127.0.0.1",
    port: int = 8000,
    quiet: bool = False,
    *,
    headers: Mapping[str, str] | None = None,
    **limits: Any,
) -> Server:
    """The server for ``root``; port 0 picks a free port.

    ``limits`` are :class:`staticserver.connections.Server`'s keyword arguments
    (``request_timeout``, ``idle_timeout``, ``send_timeout``, ``workers``,
    ``max_connections``, ``backlog``); ``headers`` are added to every response.
    """
    root_path = Path(root).resolve()
    if not root_path.is_dir():
        raise FileNotFoundError(f"web root {root_path} is not a directory")
    handler = type(
        "BoundStaticHandler",
        (StaticHandler,),
        {
            "root": root_path,
            "compress_once": CompressOnce(),
            "quiet": quiet,
            "extra_headers": dict(headers or {}),
        },
    )
    return Server((host, port), handler, **limits)


def missing_assets(lock_path: Path | None = None, repo_root: Path | None = None) -> list[str]:
    """Files listed in the asset lock that are not in place.

    The defaults (:data:`LOCK_PATH`, :data:`HERE`) are read at call time.
    """
    lock_path = LOCK_PATH if lock_path is None else lock_path
    repo_root = HERE if repo_root is None else repo_root
    if not lock_path.is_file():
        return [str(lock_path)]
    files = json.loads(lock_path.read_text(encoding="utf-8"))["files"]
    return [entry["dest"] for entry in files if not (repo_root / entry["dest"]).is_file()]


def _port(text: str) -> int:
    port = int(text)
    if not 0 <= port <= 65535:
        raise argparse.ArgumentTypeError(f"{text} is not a port (0 to 65535)")
    return port


def _seconds(text: str) -> float:
    try:
        seconds = float(text)
    except ValueError:
        seconds = float("nan")
    if not 0.1 <= seconds <= 3600:
        raise argparse.ArgumentTypeError(f"{text} is not a number of seconds (0.1 to 3600)")
    return seconds


def _count(text: str) -> int:
    if not text.isdigit() or not 1 <= int(text) <= 10_000:
        raise argparse.ArgumentTypeError(f"{text} is not a count (1 to 10000)")
    return int(text)


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve Strike a Pose from this machine.")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument(
        "--port", type=_port, default=8000, help="port (default 8000; 0 = any free)"
    )
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT, help="folder to serve")
    parser.add_argument("--quiet", action="store_true", help="do not log requests")
    limits = parser.add_argument_group("limits (the defaults suit a kiosk on a museum network)")
    for name, default, meaning in (
        ("request-timeout", connections.REQUEST_TIMEOUT_S, "seconds to send a request's head"),
        ("idle-timeout", connections.IDLE_TIMEOUT_S, "seconds a kept-alive connection may idle"),
        ("send-timeout", connections.SEND_TIMEOUT_S, "seconds a response may make no progress"),
    ):
        limits.add_argument(
            f"--{name}", type=_seconds, default=default, help=f"{meaning} (default {default:g})"
        )
    for name, count, meaning in (
        ("workers", connections.WORKERS, "worker threads"),
        ("max-connections", connections.MAX_CONNECTIONS, "open connections; past it: 503"),
    ):
        limits.add_argument(
            f"--{name}", type=_count, default=count, help=f"{meaning} (default {count})"
        )
    args = parser.parse_args(argv)

    if not args.root.is_dir():
        print(f"server.py: {args.root} is not a directory", file=sys.stderr)
        return 2
    if args.root.resolve() == DEFAULT_ROOT:
        missing = missing_assets()
        if missing:
            shown = "\n  ".join(missing[:5]) + ("\n  ..." if len(missing) > 5 else "")
            print(
                f"server.py: {len(missing)} pinned asset(s) missing, e.g.\n  {shown}\n"
                f"Fetch and verify them with: {FETCH_COMMAND}",
                file=sys.stderr,
            )
            return 2
    try:
        server = make_server(
            args.root,
            args.host,
            args.port,
            quiet=args.quiet,
            request_timeout=args.request_timeout,
            idle_timeout=args.idle_timeout,
            send_timeout=args.send_timeout,
            workers=args.workers,
            max_connections=args.max_connections,
        )
    except OSError as error:
        print(f"server.py: cannot listen on {args.host}:{args.port}: {error}", file=sys.stderr)
        return 2
    host, port = str(server.server_address[0]), int(server.server_address[1])
    shown_host = f"[{host}]" if ":" in host else host
    print(f"Strike a Pose: http://{shown_host}:{port}/", flush=True)
    try:
        server.serve_forever()
    except KeyboardInterrupt:
        pass
    finally:
        server.server_close()
    return 0


if __name__ == "__main__":
    sys.exit(main())
