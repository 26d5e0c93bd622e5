"""The static server: types, security headers, methods, traversal, gzip, caching, CLI.

Each test talks to a real server on 127.0.0.1 (port 0) over http.client or a raw
socket, so request paths reach the server exactly as written here.
"""

from __future__ import annotations

import gzip
import http.client
import json
import random
import socket
import subprocess
import sys
import threading
import urllib.parse
import urllib.request
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO

import pytest

import server
from tools.local_server import LocalServer

REPO = Path(server.__file__).resolve().parent
SECRET = b"TOP-SECRET-do-not-serve-4b1d"
BIG_JS = b"".join(b"export const line%d = 'strike a pose';\n" % i for i in range(5000))
BIG_WASM = b"\x00asm\x01\x00\x00\x00" + bytes(range(256)) * 400
# Deflated members look like noise: an archive of them does not shrink.
BIG_WHEEL = b"PK\x03\x04" + random.Random(7).randbytes(24000)
# Stored members (py/lib/, tools/repack_archives.py) do.
STORED_WHEEL = b"PK\x03\x04" + b"wheel bytes " * 2000


@dataclass
class Served:
    host: str
    port: int
    root: Path
    outside: Path  # a folder next to root, holding the secret

    def conn(self) -> http.client.HTTPConnection:
        return http.client.HTTPConnection(self.host, self.port, timeout=10)


@dataclass
class Reply:
    status: int
    headers: http.client.HTTPMessage
    body: bytes

    def header(self, name: str) -> str | None:
        return self.headers.get(name)


def build_root(base: Path) -> tuple[Path, Path]:
    root = base / "root"
    outside = base / "outside"
    outside.mkdir()
    (outside / "secret.txt").write_bytes(SECRET)
    (outside / "secret.js").write_bytes(SECRET)
    (base / "secret").write_bytes(SECRET)

    files: dict[str, bytes] = {
        "index.html": b"<!doctype html><title>Strike a Pose</title>",
        "app.js": BIG_JS,
        "small.js": b"export const x = 1;\n",
        "mod.mjs": b"export default 42;\n",
        "engine.wasm": BIG_WASM,
        "data.json": b'{"pose": "contrapposto"}',
        "numpy.whl": BIG_WHEEL,
        "model.bin": b"\x01\x02\x03" * 1000,
        "bundle.zip": b"PK\x05\x06" + random.Random(8).randbytes(4000),
        "stored.whl": STORED_WHEEL,
        "style.css": b"body { margin: 0; }\n",
        "photo.png": b"\x89PNG\r\n\x1a\n" + b"p" * 4000,
        "logo.svg": b'<svg xmlns="http://www.w3.org/2000/svg"/>',
        "notes.xyz": b"unknown type",
        "x.js": b"// top-level x.js\n",
        "sub/x.js": b"// sub/x.js\n",
        "sub/index.html": b"<p>sub index</p>",
        "vendor/lib-1.0/lib.js": b"// pinned library\n",
    }
    for name, data in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_bytes(data)
    (root / "empty").mkdir()
    (root / "nested" / "deeper").mkdir(parents=True)
    # Symlinks: out of the root (a file and a folder), inside it, and a loop.
    (root / "leak.txt").symlink_to(outside / "secret.txt")
    (root / "leak.js").symlink_to(outside / "secret.js")
    (root / "outdir").symlink_to(outside, target_is_directory=True)
    (root / "alias.js").symlink_to(root / "small.js")
    (root / "loop.js").symlink_to(root / "loop.js")
    return root, outside


@pytest.fixture
def static_server(tmp_path: Path) -> Iterator[Served]:
    root, outside = build_root(tmp_path)
    with LocalServer(root, poll_interval=0.05) as running:
        yield Served("127.0.0.1", running.port, root, outside)


def fetch(
    srv: Served,
    path: str,
    method: str = "GET",
    headers: dict[str, str] | None = None,
    body: bytes | None = None,
) -> Reply:
    """One request; no Accept-Encoding unless given (http.client adds 'identity')."""
    conn = srv.conn()
    try:
        conn.putrequest(method, path, skip_accept_encoding=True)
        for name, value in (headers or {}).items():
            conn.putheader(name, value)
        if body is not None:
            conn.putheader("Content-Length", str(len(body)))
        conn.endheaders(body)
        response = conn.getresponse()
        return Reply(response.status, response.headers, response.read())
    finally:
        conn.close()


def raw(srv: Served, data: bytes) -> bytes:
    """Send raw bytes and read until the server closes the connection."""
    with socket.create_connection((srv.host, srv.port), timeout=10) as sock:
        sock.sendall(data)
        chunks = []
        while True:
            try:
                chunk = sock.recv(65536)
            except ConnectionResetError:
                break
            if not chunk:
                break
            chunks.append(chunk)
    return b"".join(chunks)


def split_raw(data: bytes) -> tuple[int, dict[str, str], bytes]:
    head, _, body = data.partition(b"\r\n\r\n")
    lines = head.decode("latin-1").split("\r\n")
    status = int(lines[0].split()[1])
    headers = {}
    for line in lines[1:]:
        name, _, value = line.partition(":")
        headers[name.strip().lower()] = value.strip()
    return status, headers, body


def assert_security_headers(headers: http.client.HTTPMessage | dict[str, str]) -> None:
    get = headers.get
    csp = get("Content-Security-Policy") or get("content-security-policy")
    assert csp, "no Content-Security-Policy"
    check_csp(csp)
    permissions = get("Permissions-Policy") or get("permissions-policy") or ""
    assert "camera=(self)" in permissions
    assert (get("X-Content-Type-Options") or get("x-content-type-options")) == "nosniff"
    assert (get("Referrer-Policy") or get("referrer-policy")) == "no-referrer"
    # Cross-origin isolation (SharedArrayBuffer, so wasm threads in the detector worker).
    assert (get("Cross-Origin-Opener-Policy") or get("cross-origin-opener-policy")) == "same-origin"
    assert (get("Cross-Origin-Embedder-Policy") or get("cross-origin-embedder-policy")) == (
        "require-corp"
    )
    assert (get("Cross-Origin-Resource-Policy") or get("cross-origin-resource-policy")) == (
        "same-origin"
    )


ALLOWED_SOURCES = {
    "'self'",
    "'none'",
    "'wasm-unsafe-eval'",
    "'unsafe-eval'",
    "blob:",
    "data:",
}


def check_csp(csp: str) -> None:
    directives: dict[str, list[str]] = {}
    for directive in csp.split(";"):
        words = directive.split()
        if words:
            assert words[0] not in directives, f"{words[0]} given twice"
            directives[words[0]] = words[1:]
    for name, sources in directives.items():
        for source in sources:
            assert source in ALLOWED_SOURCES, f"{name} allows {source}"
            assert "*" not in source and not source.startswith(("http:", "https:", "ws"))
    assert directives["connect-src"] == ["'self'"]
    assert directives["default-src"] == ["'self'"]
    assert directives["object-src"] == ["'none'"]
    assert "'unsafe-inline'" not in csp


# --- MIME types ------------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "content_type"),
    [
        ("/index.html", "text/html; charset=utf-8"),
        ("/small.js", "text/javascript; charset=utf-8"),
        ("/mod.mjs", "text/javascript; charset=utf-8"),
        ("/engine.wasm", "application/wasm"),
        ("/data.json", "application/json"),
        ("/numpy.whl", "application/octet-stream"),
        ("/model.bin", "application/octet-stream"),
        ("/style.css", "text/css; charset=utf-8"),
        ("/photo.png", "image/png"),
        ("/logo.svg", "image/svg+xml"),
    ],
)
def test_mime_types(static_server: Served, path: str, content_type: str) -> None:
    reply = fetch(static_server, path)
    assert reply.status == 200
    assert reply.header("Content-Type") == content_type
    assert reply.body == (static_server.root / path.lstrip("/")).read_bytes()


def test_unknown_suffix_is_not_served(static_server: Served) -> None:
    reply = fetch(static_server, "/notes.xyz")
    assert reply.status == 404
    assert b"unknown type" not in reply.body


def test_csp_policy_constant_is_strict() -> None:
    check_csp(server.CONTENT_SECURITY_POLICY)


def csp_directives(csp: str) -> dict[str, list[str]]:
    return {words[0]: words[1:] for part in csp.split(";") if (words := part.split())}


def test_csp_allows_the_detector_worker_and_the_wasm_thread_pool_and_no_more() -> None:
    directives = csp_directives(server.CONTENT_SECURITY_POLICY)
    # The detector worker is a module from our own server (web/js/detector-worker.js);
    # TF.js starts its wasm threads as blob: workers, which load the backend's
    # code from a blob: URL: blob: in worker-src and script-src, nothing else.
    assert directives["worker-src"] == ["'self'", "blob:"]
    assert directives["script-src"] == ["'self'", "'wasm-unsafe-eval'", "'unsafe-eval'", "blob:"]
    for name, sources in directives.items():
        if name not in ("worker-src", "script-src", "img-src", "media-src"):
            assert "blob:" not in sources, name
        assert "data:" not in sources or name == "img-src", name
    assert "child-src" not in directives and "frame-src" not in directives


def test_headers_make_the_page_cross_origin_isolated() -> None:
    headers = server.SECURITY_HEADERS
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert headers["Cross-Origin-Embedder-Policy"] == "require-corp"
    assert headers["Cross-Origin-Resource-Policy"] == "same-origin"


def test_the_detector_worker_is_served_with_the_same_headers(static_server: Served) -> None:
    # A dedicated worker takes its policies from its own response: the worker
    # script gets the CSP (blob: for the thread pool) and COEP like the page.
    (static_server.root / "detector-worker.js").write_text("export {};\n", encoding="utf-8")
    reply = fetch(static_server, "/detector-worker.js")
    assert reply.status == 200
    assert reply.header("Content-Type") == "text/javascript; charset=utf-8"
    assert reply.header("Content-Security-Policy") == server.CONTENT_SECURITY_POLICY
    assert reply.header("Cross-Origin-Embedder-Policy") == "require-corp"
    assert_security_headers(reply.headers)


# --- security headers everywhere ------------------------------------------


@pytest.mark.parametrize(
    ("method", "path", "status"),
    [
        ("GET", "/", 200),
        ("GET", "/app.js", 200),
        ("HEAD", "/engine.wasm", 200),
        ("GET", "/missing.js", 404),
        ("GET", "/notes.xyz", 404),
        ("GET", "/../secret", 404),
        ("HEAD", "/missing.js", 404),
        ("POST", "/index.html", 405),
        ("PUT", "/index.html", 405),
        ("DELETE", "/index.html", 405),
    ],
)
def test_security_headers_on_every_response(
    static_server: Served, method: str, path: str, status: int
) -> None:
    reply = fetch(static_server, path, method=method)
    assert reply.status == status
    assert_security_headers(reply.headers)


def test_security_headers_on_304(static_server: Served) -> None:
    etag = fetch(static_server, "/small.js").header("ETag")
    assert etag
    reply = fetch(static_server, "/small.js", headers={"If-None-Match": etag})
    assert reply.status == 304
    assert_security_headers(reply.headers)


def test_the_local_server_records_every_answer(tmp_path: Path) -> None:
    # What the browser tests count downloads with (tests/e2e/test_startup.py).
    root, _ = build_root(tmp_path)
    with LocalServer(root, poll_interval=0.05) as running:
        served = Served("127.0.0.1", running.port, root, tmp_path)
        etag = fetch(served, "/small.js?v=1").header("ETag") or ""
        fetch(served, "/small.js", headers={"If-None-Match": etag})
        fetch(served, "/nothing-here.js")
        fetch(served, "/small.js", method="HEAD")
        assert running.requests == [
            ("GET", "/small.js?v=1", 200),
            ("GET", "/small.js", 304),
            ("GET", "/nothing-here.js", 404),
            ("HEAD", "/small.js", 200),
        ]


@pytest.mark.parametrize(
    ("request_bytes", "status"),
    [
        (b"GARBAGE\r\n\r\n", 400),
        (b"GET /index.html HTTP/9.9\r\n\r\n", 505),
        (b"BREW /pot HTTP/1.1\r\nHost: x\r\n\r\n", 501),
        (b"GET /" + b"a" * 70000 + b" HTTP/1.1\r\n\r\n", 414),
    ],
)
def test_malformed_requests_get_security_headers(
    static_server: Served, request_bytes: bytes, status: int
) -> None:
    # Bug fixed: the base class's send_error wrote an HTML page without them.
    got, headers, body = split_raw(raw(static_server, request_bytes))
    assert got == status
    assert_security_headers(headers)
    assert headers["connection"] == "close"
    assert len(body) < 100 and b"<" not in body


# --- methods ---------------------------------------------------------------


def test_head_has_get_headers_and_no_body(static_server: Served) -> None:
    get = fetch(static_server, "/app.js", headers={"Accept-Encoding": "gzip"})
    data = raw(
        static_server,
        b"HEAD /app.js HTTP/1.1\r\nHost: x\r\nAccept-Encoding: gzip\r\nConnection: close\r\n\r\n",
    )
    status, headers, body = split_raw(data)
    assert status == 200
    assert body == b""  # nothing at all after the headers
    assert headers["content-length"] == get.header("Content-Length")
    for name in ("Content-Type", "Content-Encoding", "ETag", "Cache-Control", "Vary"):
        assert headers[name.lower()] == get.header(name)
    assert_security_headers(headers)


@pytest.mark.parametrize("method", ["POST", "PUT", "DELETE", "PATCH", "OPTIONS"])
def test_other_methods_refused_without_side_effects(static_server: Served, method: str) -> None:
    before = {p: p.read_bytes() for p in static_server.root.rglob("*") if p.is_file()}
    for path in ("/index.html", "/new.js", "/sub/"):
        reply = fetch(static_server, path, method=method, body=b"overwrite me")
        assert reply.status == 405
        assert reply.header("Allow") == "GET, HEAD"
    after = {p: p.read_bytes() for p in static_server.root.rglob("*") if p.is_file()}
    assert after == before


def test_refused_request_body_is_not_read_as_a_second_request(static_server: Served) -> None:
    # Bug fixed: the 405 left the connection open with the body unread, so the
    # body was parsed as the next request (request smuggling over keep-alive).
    smuggled = b"GET /index.html HTTP/1.1\r\nHost: x\r\n\r\n"
    request = (
        b"POST /index.html HTTP/1.1\r\nHost: x\r\nContent-Length: %d\r\n\r\n" % len(smuggled)
    ) + smuggled
    data = raw(static_server, request)
    assert data.count(b"HTTP/1.1 ") == 1
    status, headers, _ = split_raw(data)
    assert status == 405
    assert headers["connection"] == "close"
    assert b"Strike a Pose" not in data


def test_keep_alive_serves_several_gets(static_server: Served) -> None:
    conn = static_server.conn()
    try:
        conn.connect()
        sock = conn.sock
        for path, status in (("/small.js", 200), ("/index.html", 200), ("/missing.js", 404)):
            conn.request("GET", path)
            response = conn.getresponse()
            body = response.read()
            assert response.status == status, path
            assert response.getheader("Connection", "").lower() != "close", path
            assert not response.will_close, path
            if status == 200:
                assert body == (static_server.root / path.lstrip("/")).read_bytes()
        # All over the one connection: http.client would have opened a new
        # one, silently, had the server closed it after a response.
        assert conn.sock is sock
    finally:
        conn.close()


# --- path traversal and odd paths -----------------------------------------

TRAVERSALS = [
    "/../secret",
    "/../../secret",
    "/%2e%2e/secret",
    "/%2E%2E%2Fsecret",
    "/..%2fsecret",
    "/..%2Fsecret",
    "/.%2e/secret",
    "/sub/../../secret",
    "/sub/%2e%2e/%2e%2e/secret",
    "//etc/passwd",
    "/etc/passwd",
    "/%00",
    "/index.html%00.js",
    "/a%5c..%5csecret",
    "/..%5csecret",
    "/%5c..%5csecret",
    "/./index.html",
    "/leak.txt",
    "/leak.js",
    "/outdir/secret.txt",
    "/outdir/secret.js",
    "/outdir/",
    "/%ff%fe.js",
    "/%zz.js",
]


@pytest.mark.parametrize("path", TRAVERSALS)
def test_traversal_is_refused(static_server: Served, path: str) -> None:
    reply = fetch(static_server, path)
    assert reply.status in (403, 404)
    assert SECRET not in reply.body
    assert b"root:" not in reply.body
    assert_security_headers(reply.headers)


def test_absolute_filesystem_paths_are_refused(static_server: Served) -> None:
    for target in (static_server.outside / "secret.js", static_server.root / "small.js"):
        reply = fetch(static_server, urllib.parse.quote(str(target)))
        assert reply.status == 404
        assert SECRET not in reply.body
        # And percent-encoded slashes do not make it absolute either.
        reply = fetch(static_server, "/" + urllib.parse.quote(str(target), safe=""))
        assert reply.status == 404


@pytest.mark.parametrize(
    "request_line",
    [
        b"GET ../secret HTTP/1.1",
        b"GET secret HTTP/1.1",
        b"GET * HTTP/1.1",
        b"GET file:///etc/passwd HTTP/1.1",
        b"GET http://x/../secret HTTP/1.1",
        b"GET http://x/%2e%2e/secret HTTP/1.1",
    ],
)
def test_raw_request_targets_are_refused(static_server: Served, request_line: bytes) -> None:
    data = raw(static_server, request_line + b"\r\nHost: x\r\nConnection: close\r\n\r\n")
    status, headers, _ = split_raw(data)
    assert status in (400, 403, 404)
    assert SECRET not in data and b"root:" not in data
    assert_security_headers(headers)


def test_absolute_form_request_target_is_served(static_server: Served) -> None:
    data = raw(
        static_server,
        b"GET http://127.0.0.1/sub/x.js?v=2 HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n",
    )
    status, _, body = split_raw(data)
    assert status == 200
    assert body == b"// sub/x.js\n"


def test_double_slash_is_a_path_not_a_host(static_server: Served) -> None:
    # Bug fixed: urlsplit read "//sub/x.js" as host "sub" and path "/x.js", a
    # different file.  Python 3.11's request parser happens to collapse a leading
    # "//" before it reaches us, so the function itself is checked too.
    real = static_server.root.resolve()
    assert server.resolve_request_path(static_server.root, "//sub/x.js") == real / "sub" / "x.js"
    assert server.resolve_request_path(static_server.root, "//etc/passwd") is None
    reply = fetch(static_server, "//sub/x.js")
    assert reply.status == 200
    assert reply.body == b"// sub/x.js\n"
    assert fetch(static_server, "//index.html").status == 200


def test_query_string_and_fragment_are_ignored(static_server: Served) -> None:
    reply = fetch(static_server, "/small.js?v=123&x=../../secret")
    assert reply.status == 200
    assert reply.body == b"export const x = 1;\n"
    assert fetch(static_server, "/sub/?x=1").body == b"<p>sub index</p>"
    # A question mark spelled %3F is part of the name, not a query.
    assert fetch(static_server, "/small.js%3Fv=1").status == 404


def test_percent_encoded_names_are_decoded(static_server: Served) -> None:
    (static_server.root / "a b.js").write_bytes(b"// spaced\n")
    assert fetch(static_server, "/a%20b.js").body == b"// spaced\n"
    assert fetch(static_server, "/%73mall.js").status == 200  # %73 is "s"


def test_symlink_inside_root_is_served(static_server: Served) -> None:
    # Documented choice: a link whose target stays inside the root is followed.
    reply = fetch(static_server, "/alias.js")
    assert reply.status == 200
    assert reply.body == b"export const x = 1;\n"


def test_symlink_loop_and_overlong_name_do_not_crash(static_server: Served) -> None:
    # Bug fixed: Path.resolve() raised RuntimeError (loop) and is_file() OSError
    # (ENAMETOOLONG) inside the handler; the client got no response at all.
    assert fetch(static_server, "/loop.js").status == 404
    assert fetch(static_server, "/" + "a" * 300 + ".js").status == 404
    assert fetch(static_server, "/" + "a/" * 3000 + "x.js").status == 404
    assert fetch(static_server, "/small.js").status == 200  # still serving


def test_unreadable_file_is_404_not_a_crash(
    static_server: Served, monkeypatch: pytest.MonkeyPatch
) -> None:
    # chmod 0 cannot lock root (CI runs as root), so make the read fail instead.
    path = static_server.root / "locked.js"
    path.write_bytes(b"// locked\n")
    real_open = server.open_file

    def refuse(path: Path) -> IO[bytes]:
        if path.name == "locked.js":
            raise PermissionError(13, "Permission denied", str(path))
        return real_open(path)

    monkeypatch.setattr(server, "open_file", refuse)
    assert fetch(static_server, "/locked.js").status == 404
    assert fetch(static_server, "/small.js").status == 200  # still serving


def test_resolve_request_path_directly(tmp_path: Path) -> None:
    root, _ = build_root(tmp_path)
    real = root.resolve()
    assert server.resolve_request_path(root, "/") == real / "index.html"
    assert server.resolve_request_path(root, "/sub") == real / "sub" / "index.html"
    assert server.resolve_request_path(root, "/small.js?x#y") == real / "small.js"
    assert server.resolve_request_path(root, "/alias.js") == real / "small.js"
    for bad in ("/../secret", "/%2e%2e/secret", "/leak.txt", "/empty/", "/%ff", "/loop.js", ""):
        assert server.resolve_request_path(root, bad) is None, bad


# --- directories -----------------------------------------------------------


def test_no_directory_listing(static_server: Served) -> None:
    for path in ("/empty/", "/empty", "/nested/", "/nested/deeper/", "/vendor/", "/vendor"):
        reply = fetch(static_server, path)
        assert reply.status == 404, path
        assert b"lib-1.0" not in reply.body and b"deeper" not in reply.body


def test_directory_with_index_serves_it(static_server: Served) -> None:
    assert fetch(static_server, "/").body.startswith(b"<!doctype html>")
    assert fetch(static_server, "/sub/").body == b"<p>sub index</p>"
    # Documented behaviour: without the trailing slash the index is served too.
    assert fetch(static_server, "/sub").body == b"<p>sub index</p>"


def test_404_body_is_short_and_reveals_no_path(static_server: Served) -> None:
    reply = fetch(static_server, "/no/such/file.js")
    assert reply.status == 404
    assert len(reply.body) < 64
    text = reply.body.decode()
    assert str(static_server.root) not in text
    assert "/" not in text and "Traceback" not in text
    assert reply.header("Content-Type") == "text/plain; charset=utf-8"


# --- gzip ------------------------------------------------------------------


@pytest.mark.parametrize("path", ["/app.js", "/engine.wasm", "/stored.whl"])
def test_large_text_wasm_and_stored_archives_are_gzipped(static_server: Served, path: str) -> None:
    reply = fetch(static_server, path, headers={"Accept-Encoding": "gzip, deflate, br"})
    assert reply.status == 200
    assert reply.header("Content-Encoding") == "gzip"
    assert reply.header("Vary") == "Accept-Encoding"
    assert int(reply.header("Content-Length") or -1) == len(reply.body)
    assert gzip.decompress(reply.body) == (static_server.root / path.lstrip("/")).read_bytes()


@pytest.mark.parametrize("path", ["/small.js", "/numpy.whl", "/bundle.zip", "/photo.png"])
def test_small_and_precompressed_files_are_not_gzipped(static_server: Served, path: str) -> None:
    reply = fetch(static_server, path, headers={"Accept-Encoding": "gzip"})
    assert reply.status == 200
    assert reply.header("Content-Encoding") is None
    assert reply.body == (static_server.root / path.lstrip("/")).read_bytes()


@pytest.mark.parametrize("accept", [None, "identity", "br", "gzip;q=0", "*;q=0", "gzip; q=0.0"])
def test_no_gzip_unless_accepted(static_server: Served, accept: str | None) -> None:
    # Bug fixed: "gzip;q=0" (gzip explicitly refused) used to get gzip.
    headers = {"Accept-Encoding": accept} if accept is not None else {}
    reply = fetch(static_server, "/app.js", headers=headers)
    assert reply.header("Content-Encoding") is None
    assert reply.header("Vary") == "Accept-Encoding"
    assert reply.body == BIG_JS


@pytest.mark.parametrize("accept", ["GZIP", "gzip;q=0.5", "*", "br;q=1, gzip;q=0.1"])
def test_gzip_accept_variants(static_server: Served, accept: str) -> None:
    reply = fetch(static_server, "/app.js", headers={"Accept-Encoding": accept})
    assert reply.header("Content-Encoding") == "gzip"
    assert gzip.decompress(reply.body) == BIG_JS


def test_gzip_follows_a_changed_file(static_server: Served) -> None:
    headers = {"Accept-Encoding": "gzip"}
    assert gzip.decompress(fetch(static_server, "/app.js", headers=headers).body) == BIG_JS
    changed = BIG_JS + b"// changed\n"
    (static_server.root / "app.js").write_bytes(changed)
    assert gzip.decompress(fetch(static_server, "/app.js", headers=headers).body) == changed


# --- caching ---------------------------------------------------------------


def test_vendor_files_are_immutable(static_server: Served) -> None:
    reply = fetch(static_server, "/vendor/lib-1.0/lib.js")
    assert reply.status == 200
    cache = reply.header("Cache-Control") or ""
    assert "immutable" in cache
    max_age = int(cache.split("max-age=")[1].split(",")[0])
    assert max_age >= 365 * 24 * 3600


@pytest.mark.parametrize("path", ["/", "/index.html", "/app.js", "/sub/x.js"])
def test_other_files_must_revalidate(static_server: Served, path: str) -> None:
    assert fetch(static_server, path).header("Cache-Control") == "no-cache"


def test_errors_are_not_cached(static_server: Served) -> None:
    assert fetch(static_server, "/missing.js").header("Cache-Control") == "no-store"


def test_etag_revalidation_gives_304_without_body(static_server: Served) -> None:
    first = fetch(static_server, "/app.js")
    etag = first.header("ETag")
    assert etag and etag.startswith('"') and etag.endswith('"')
    assert first.header("Last-Modified")
    for value in (etag, f"W/{etag}", f'"other", {etag}', "*"):
        request = (
            b"GET /app.js HTTP/1.1\r\nHost: x\r\nIf-None-Match: %s\r\n"
            b"Connection: close\r\n\r\n" % value.encode()
        )
        status, headers, body = split_raw(raw(static_server, request))
        assert status == 304, value
        assert body == b""
        assert headers["etag"] == etag
        # Bug fixed: "Content-Length: 0" on a 304 misstates the file's length.
        assert headers.get("content-length") in (None, first.header("Content-Length"))
    assert fetch(static_server, "/app.js", headers={"If-None-Match": '"stale"'}).status == 200


def test_etag_changes_with_the_file(static_server: Served) -> None:
    etag = fetch(static_server, "/small.js").header("ETag")
    (static_server.root / "small.js").write_bytes(b"export const x = 2; // longer\n")
    reply = fetch(static_server, "/small.js", headers={"If-None-Match": etag or ""})
    assert reply.status == 200
    assert reply.header("ETag") != etag


# --- command line ----------------------------------------------------------


def write_lock(path: Path, dests: list[str]) -> None:
    entry = {"source": "npm:x@1:y", "sha256": "0" * 64, "size": 1, "license": "MIT"}
    path.write_text(json.dumps({"files": [dict(entry, dest=dest) for dest in dests]}))


def test_missing_assets_reads_the_lock(tmp_path: Path) -> None:
    (tmp_path / "web" / "vendor").mkdir(parents=True)
    (tmp_path / "web" / "vendor" / "here.js").write_text("x")
    lock = tmp_path / "assets.lock.json"
    write_lock(lock, ["web/vendor/here.js", "web/vendor/gone.js"])
    assert server.missing_assets(lock, tmp_path) == ["web/vendor/gone.js"]
    assert server.missing_assets(tmp_path / "nope.json", tmp_path) == [str(tmp_path / "nope.json")]


def test_main_refuses_to_start_with_missing_assets(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    # Bug fixed: missing_assets() bound LOCK_PATH/HERE as defaults at import time,
    # so main() could not be pointed anywhere else.
    base = tmp_path.resolve()
    web = base / "web"
    web.mkdir()
    lock = base / "assets.lock.json"
    write_lock(lock, [f"web/vendor/f{i}.js" for i in range(7)])
    monkeypatch.setattr(server, "HERE", base)
    monkeypatch.setattr(server, "DEFAULT_ROOT", web)
    monkeypatch.setattr(server, "LOCK_PATH", lock)
    assert server.main(["--port", "0"]) != 0
    err = capsys.readouterr().err
    assert "python3 tools/fetch_assets.py" in err
    assert "web/vendor/f0.js" in err
    assert "7 pinned asset(s) missing" in err


def test_main_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exit_info:
        server.main(["--help"])
    assert exit_info.value.code == 0
    out = capsys.readouterr().out
    assert "--port" in out and "--host" in out and "--root" in out


@pytest.mark.parametrize("port", ["70000", "-1", "eighty"])
def test_main_rejects_bad_port(port: str, capsys: pytest.CaptureFixture[str]) -> None:
    # Bug fixed: 70000 reached bind() and died with an OverflowError traceback.
    with pytest.raises(SystemExit) as exit_info:
        server.main(["--port", port, "--root", "."])
    assert exit_info.value.code == 2
    assert "--port" in capsys.readouterr().err


def test_main_with_a_missing_root(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    assert server.main(["--port", "0", "--root", str(tmp_path / "nope")]) == 2
    assert "not a directory" in capsys.readouterr().err


def test_make_server_rejects_a_missing_root(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        server.make_server(tmp_path / "nope", "127.0.0.1", 0, quiet=True)


def test_command_line_server_binds_localhost(tmp_path: Path) -> None:
    root, _ = build_root(tmp_path)
    process = subprocess.Popen(
        [sys.executable, str(REPO / "server.py"), "--port", "0", "--root", str(root), "--quiet"],
        cwd=REPO,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        stdout = process.stdout
        assert stdout is not None
        line_box: list[str] = []
        reader = threading.Thread(target=lambda: line_box.append(stdout.readline()))
        reader.start()
        reader.join(timeout=20)
        assert line_box, "server printed no URL line"
        line = line_box[0]
        assert line.startswith("Strike a Pose: http://")
        url = line.split(": ", 1)[1].strip()
        parsed = urllib.parse.urlsplit(url)
        assert parsed.hostname == "127.0.0.1"
        assert parsed.port and parsed.port > 0
        with urllib.request.urlopen(url, timeout=10) as response:
            assert response.status == 200
            assert response.read().startswith(b"<!doctype html>")
            assert_security_headers(response.headers)
    finally:
        process.terminate()
        try:
            process.wait(timeout=10)
        except subprocess.TimeoutExpired:
            process.kill()
            process.wait()
        if process.stdout:
            process.stdout.close()
        if process.stderr:
            process.stderr.close()
