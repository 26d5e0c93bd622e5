"""A minimal static server for Strike a Pose (standard library only).

It serves one folder (``web/`` by default) over GET and HEAD with explicit MIME
types, strict security headers, gzip for text and wasm, and cache headers that
let browsers keep the big pinned assets.  It never lists a directory and never
serves anything outside its root.  Nothing is ever received: there is no
upload endpoint, and the page's Content-Security-Policy forbids sending to any
other origin.

``make_server(root, host, port)`` builds the server (tests use it directly);
``main(argv)`` is the command line: ``python3 server.py [--host H] [--port P]``.
"""

from __future__ import annotations

import argparse
import email.utils
import gzip
import http.server
import json
import posixpath
import sys
import threading
import urllib.parse
from collections import OrderedDict
from collections.abc import Sequence
from pathlib import Path

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
}
MIN_GZIP_BYTES = 1024
GZIP_CACHE_BYTES = 64 * 1024 * 1024  # compressed bodies kept in memory, in bytes

# Folders whose names carry a version (web/vendor/pyodide-0.27.7/...): a new
# version is a new URL, so their files may be cached for a year untouched.
IMMUTABLE_PREFIXES = ("vendor/",)

# The minimum that works, found by removing sources one by one in Chromium:
# 'wasm-unsafe-eval' lets Pyodide and TF.js compile WebAssembly, and PyScript
# 0.6 / Pyodide 0.27 evaluate strings as JavaScript at start-up, so the page
# does not start without 'unsafe-eval'.  No inline script or style is needed.
# Images may come from blob:/data: (a curator's local files, canvas snapshots).
# media-src blob:: the souvenir clip is recorded on the device and played
# from an in-memory Blob (js/souvenir/panel.js); no other media is loaded.
# connect-src 'self': nothing can be sent to another origin.
CONTENT_SECURITY_POLICY = "; ".join(
    [
        "default-src 'self'",
        "script-src 'self' 'wasm-unsafe-eval' 'unsafe-eval'",
        "style-src 'self'",
        "img-src 'self' blob: data:",
        "media-src 'self' blob:",
        "connect-src 'self'",
        "worker-src 'self'",
        "object-src 'none'",
        "base-uri 'none'",
        "form-action 'none'",
        "frame-ancestors 'self'",
    ]
)

SECURITY_HEADERS: dict[str, str] = {
    "Content-Security-Policy": CONTENT_SECURITY_POLICY,
    "Permissions-Policy": "camera=(self), microphone=(), geolocation=(), fullscreen=(self)",
    "X-Content-Type-Options": "nosniff",
    "Referrer-Policy": "no-referrer",
    "Cross-Origin-Opener-Policy": "same-origin",
    "Cross-Origin-Resource-Policy": "same-origin",
}


class GzipCache:
    """Compressed bodies by (path, size, mtime), least recently used first out."""

    def __init__(self, limit_bytes: int) -> None:
        self.limit_bytes = limit_bytes
        self._items: OrderedDict[tuple[str, int, int], bytes] = OrderedDict()
        self._bytes = 0
        self._lock = threading.Lock()

    def get(self, path: Path, size: int, mtime_ns: int) -> bytes:
        key = (str(path), size, mtime_ns)
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
        body = gzip.compress(path.read_bytes(), compresslevel=6, mtime=0)
        with self._lock:
            if key not in self._items and len(body) <= self.limit_bytes:
                self._items[key] = body
                self._bytes += len(body)
                while self._bytes > self.limit_bytes:
                    _, dropped = self._items.popitem(last=False)
                    self._bytes -= len(dropped)
        return body


def resolve_request_path(root: Path, raw_path: str) -> Path | None:
    """Map a request path to a file under ``root``, or None if it is not servable.

    Refuses encoded or plain ``..``, NUL, backslashes, and anything whose real
    path (after following symlinks) leaves the root.  A directory maps to its
    index.html; there are no listings.
    """
    if raw_path.startswith("/"):
        # Origin form.  Not urlsplit: it would read "//etc/x" as host "etc", path "/x".
        path = raw_path.partition("?")[0].partition("#")[0]
    else:
        # Absolute form ("GET http://host/path"), which HTTP/1.1 servers must accept.
        parts_of_url = urllib.parse.urlsplit(raw_path)
        if parts_of_url.scheme not in ("http", "https"):
            return None
        path = parts_of_url.path
    try:
        path = urllib.parse.unquote(path, errors="strict")
    except UnicodeDecodeError:
        return None
    if "\x00" in path or "\\" in path or not path.startswith("/"):
        return None
    parts = [p for p in path.split("/") if p]
    if any(p in (".", "..") for p in parts):
        return None
    normal = posixpath.normpath("/" + "/".join(parts))
    try:
        candidate = (root / normal.lstrip("/")).resolve()
        real_root = root.resolve()
        if candidate != real_root and real_root not in candidate.parents:
            return None
        if candidate.is_dir():
            candidate = (candidate / "index.html").resolve()
            if real_root not in candidate.parents:
                return None
        return candidate if candidate.is_file() else None
    except (OSError, RuntimeError):
        # A name too long for the filesystem, a symlink loop (RuntimeError before
        # Python 3.13), a file we may not read: not servable, and no crash.
        return None


class StaticHandler(http.server.BaseHTTPRequestHandler):
    server_version = "StrikeAPose"
    sys_version = ""
    protocol_version = "HTTP/1.1"
    # Headers and body go out in separate writes; with Nagle's algorithm the
    # body then waits for the client's delayed ACK (~40 ms a response on a
    # kept-alive connection; measured in bench/server_load.py).
    disable_nagle_algorithm = True
    # The base class answers a request line it cannot parse in HTTP/0.9 style:
    # a bare body, no status line, no headers (so no security headers either).
    default_request_version = "HTTP/1.0"
    root: Path = DEFAULT_ROOT
    gzip_cache: GzipCache = GzipCache(GZIP_CACHE_BYTES)
    quiet: bool = False

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
            self._serve_file(path, suffix, content_type, send_body)
        except OSError:
            # Unreadable, or gone since it was resolved.
            self._send_error(404, "Not Found")

    def _serve_file(self, path: Path, suffix: str, content_type: str, send_body: bool) -> None:
        stat = path.stat()
        etag = f'"{stat.st_size:x}-{stat.st_mtime_ns:x}"'
        relative = path.relative_to(self.root.resolve()).as_posix()
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
        if _etag_matches(etag, self.headers.get("If-None-Match", "")):
            self._send(304, headers, None, send_body=False)
            return
        accepts_gzip = _accepts_gzip(self.headers.get("Accept-Encoding", ""))
        if suffix in COMPRESSIBLE and stat.st_size >= MIN_GZIP_BYTES and accepts_gzip:
            body = self.gzip_cache.get(path, stat.st_size, stat.st_mtime_ns)
            headers["Content-Encoding"] = "gzip"
        else:
            body = path.read_bytes()
        self._send(200, headers, body, send_body)

    def _send(
        self, status: int, headers: dict[str, str], body: bytes | None, send_body: bool
    ) -> None:
        """Send a response; ``body`` None (a 304) sends no Content-Length at all."""
        self.send_response(status)
        for name, value in {**SECURITY_HEADERS, **headers}.items():
            self.send_header(name, value)
        if body is not None:
            # A 304 must not say "Content-Length: 0": that is not the length of
            # the representation it validates (RFC 9110, 8.6).
            self.send_header("Content-Length", str(len(body)))
        self.end_headers()
        if send_body and body:
            self.wfile.write(body)

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

    def log_message(self, format: str, *args: object) -> None:
        if not self.quiet:
            super().log_message(format, *args)


def _etag_matches(etag: str, if_none_match: str) -> bool:
    """If-None-Match uses weak comparison: ``W/"x"`` matches ``"x"``; ``*`` matches all."""
    tags = {tag.strip().removeprefix("W/") for tag in if_none_match.split(",")}
    return etag in tags or "*" in tags


def _accepts_gzip(accept_encoding: str) -> bool:
    """Whether gzip is acceptable: listed (or ``*`` is) with a q-value above zero."""
    qualities: dict[str, float] = {}
    for item in accept_encoding.split(","):
        coding, *params = (part.strip() for part in item.split(";"))
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value)
                except ValueError:
                    quality = 0.0
        if coding:
            qualities[coding.lower()] = quality
    return qualities.get("gzip", qualities.get("*", 0.0)) > 0


class QuietThreadingServer(http.server.ThreadingHTTPServer):
    daemon_threads = True

    def handle_error(self, request: object, client_address: object) -> None:
        # A browser that closes a connection mid-download is normal, not an error.
        if isinstance(sys.exc_info()[1], ConnectionError):
            return
        super().handle_error(request, client_address)  # type: ignore[arg-type]


def make_server(
    root: Path | str = DEFAULT_ROOT,
    host: str = "127.0.0.1",
    port: int = 8000,
    quiet: bool = False,
) -> QuietThreadingServer:
    """A threading HTTP server for ``root``; port 0 picks a free port."""
    root_path = Path(root).resolve()
    if not root_path.is_dir():
        raise FileNotFoundError(f"web root {root_path} is not a directory")
    handler = type(
        "BoundStaticHandler",
        (StaticHandler,),
        {"root": root_path, "gzip_cache": GzipCache(GZIP_CACHE_BYTES), "quiet": quiet},
    )
    return QuietThreadingServer((host, port), handler)


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


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Serve Strike a Pose from this machine.")
    parser.add_argument("--host", default="127.0.0.1", help="address to bind (default 127.0.0.1)")
    parser.add_argument(
        "--port", type=_port, default=8000, help="port (default 8000; 0 = any free)"
    )
    parser.add_argument("--root", type=Path, default=DEFAULT_ROOT, help="folder to serve")
    parser.add_argument("--quiet", action="store_true", help="do not log requests")
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
        server = make_server(args.root, args.host, args.port, quiet=args.quiet)
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
