"""Which representation server.py sends: the pre-compressed copy the browser
accepts best (Accept-Encoding, q-values included), an ETag per encoding,
conditional requests, and never a copy that does not match its source."""

from __future__ import annotations

import email.utils
import gzip
import os
from collections.abc import Iterator
from pathlib import Path

import brotli  # type: ignore[import-untyped]
import pytest

from staticserver.encodings import choose_encoding, parse_accept_encoding
from tests.unit.test_server import Reply, Served, fetch
from tools.local_server import LocalServer
from tools.precompress import compress_file

APP_JS = b"".join(b"export const line%d = 'strike a pose';\n" % i for i in range(5000))
MODEL_BIN = os.urandom(16 * 1024)  # does not shrink: sent as it is


@pytest.fixture
def site(tmp_path: Path) -> Iterator[Served]:
    root = tmp_path / "root"
    root.mkdir()
    (root / "app.js").write_bytes(APP_JS)
    (root / "model.bin").write_bytes(MODEL_BIN)
    (root / "plain.js").write_bytes(APP_JS)  # no copies: gzipped once in memory
    compress_file(root / "app.js")
    compress_file(root / "model.bin")
    with LocalServer(root, poll_interval=0.05) as running:
        yield Served("127.0.0.1", running.port, root, tmp_path)


def decoded(reply: Reply) -> bytes:
    coding = reply.header("Content-Encoding")
    if coding == "br":
        return bytes(brotli.decompress(reply.body))
    if coding == "gzip":
        return gzip.decompress(reply.body)
    assert coding is None
    return reply.body


# --- negotiation ----------------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "expected"),
    [
        (None, "identity"),
        ("", "identity"),
        ("gzip, deflate, br, zstd", "br"),  # what Chromium sends
        ("gzip, deflate", "gzip"),
        ("br", "br"),
        ("BR", "br"),
        ("gzip", "gzip"),
        ("x-gzip", "gzip"),
        ("*", "br"),
        ("identity", "identity"),
        ("deflate", "identity"),
        ("br;q=0, gzip", "gzip"),
        ("br; q=0, gzip;q=0.5", "gzip"),
        ("gzip;q=0, br", "br"),
        ("br;q=0, gzip;q=0", "identity"),
        ("br;q=0, *", "gzip"),
        ("*;q=0", "identity"),
        ("*;q=0, gzip", "gzip"),
        ("gzip;q=1, br;q=0.5", "gzip"),
        ("gzip;q=0.5, br;q=0.5", "br"),  # a tie: the server's preference
        ("gzip;q=0.4, identity;q=0.9", "identity"),
        ("br;q=abc, gzip", "gzip"),  # a malformed q refuses that coding
        ("br;q=1.5", "identity"),  # out of range: refused
        ("br;q=nan", "identity"),
    ],
)
def test_the_best_accepted_encoding_is_sent(
    site: Served, accept: str | None, expected: str
) -> None:
    headers = {"Accept-Encoding": accept} if accept is not None else {}
    reply = fetch(site, "/app.js", headers=headers)
    assert reply.status == 200
    assert (reply.header("Content-Encoding") or "identity") == expected
    assert reply.header("Vary") == "Accept-Encoding"
    assert int(reply.header("Content-Length") or -1) == len(reply.body)
    assert decoded(reply) == APP_JS
    if expected != "identity":  # the very bytes of the copy, not compressed again
        suffix = {"br": ".br", "gzip": ".gz"}[expected]
        assert reply.body == (site.root / f"app.js{suffix}").read_bytes()


def test_choose_encoding_directly() -> None:
    assert choose_encoding("gzip, br", ["br", "gzip"]) == "br"
    assert choose_encoding("gzip, br", ["gzip"]) == "gzip"
    assert choose_encoding("br", ["gzip"]) == "identity"
    assert choose_encoding("gzip", []) == "identity"
    assert parse_accept_encoding("gzip;q=0.5, br;Q=0 , ,x-gzip") == {"gzip": 1.0, "br": 0.0}


def test_a_file_that_does_not_shrink_is_sent_as_it_is(site: Served) -> None:
    assert not (site.root / "model.bin.br").exists()
    assert not (site.root / "model.bin.gz").exists()
    reply = fetch(site, "/model.bin", headers={"Accept-Encoding": "gzip, deflate, br"})
    assert reply.header("Content-Encoding") is None
    assert reply.body == MODEL_BIN


def test_the_copies_themselves_are_not_served_by_name(site: Served) -> None:
    assert fetch(site, "/app.js.br").status == 404
    assert fetch(site, "/app.js.gz").status == 404


# --- ETags and conditional requests ----------------------------------------------


def test_each_encoding_has_its_own_etag(site: Served) -> None:
    tags = {}
    for accept in ("br", "gzip", "identity"):
        reply = fetch(site, "/app.js", headers={"Accept-Encoding": accept})
        tags[accept] = reply.header("ETag")
    plain = fetch(site, "/plain.js", headers={"Accept-Encoding": "gzip"})  # gzipped in memory
    tags["memory gzip"] = plain.header("ETag")
    assert len(set(tags.values())) == 4, tags
    # A tag validates its own representation only.
    for accept, tag in (("br", tags["br"]), ("gzip", tags["gzip"])):
        same = fetch(site, "/app.js", headers={"Accept-Encoding": accept, "If-None-Match": tag})
        assert same.status == 304 and same.header("ETag") == tag and same.body == b""
        other = "gzip" if accept == "br" else "br"
        changed = fetch(site, "/app.js", headers={"Accept-Encoding": other, "If-None-Match": tag})
        assert changed.status == 200 and decoded(changed) == APP_JS


def test_if_modified_since_is_honoured(site: Served) -> None:
    first = fetch(site, "/app.js", headers={"Accept-Encoding": "br"})
    last_modified = first.header("Last-Modified")
    assert last_modified
    later = email.utils.formatdate(
        email.utils.parsedate_to_datetime(last_modified).timestamp() + 60, usegmt=True
    )
    earlier = email.utils.formatdate(
        email.utils.parsedate_to_datetime(last_modified).timestamp() - 60, usegmt=True
    )
    for since, status in ((last_modified, 304), (later, 304), (earlier, 200), ("not a date", 200)):
        reply = fetch(site, "/app.js", headers={"If-Modified-Since": since})
        assert reply.status == status, since
        assert reply.body == (b"" if status == 304 else APP_JS)
    # If-None-Match wins over If-Modified-Since (RFC 9110, 13.1.3).
    reply = fetch(site, "/app.js", headers={"If-Modified-Since": later, "If-None-Match": '"other"'})
    assert reply.status == 200


# --- never a stale copy ---------------------------------------------------------


def test_a_copy_of_an_older_version_is_never_served(site: Served) -> None:
    changed = APP_JS + b"// edited after the build\n"
    (site.root / "app.js").write_bytes(changed)  # new mtime: the copies are stale
    for accept in ("br", "gzip", "gzip, br"):
        reply = fetch(site, "/app.js", headers={"Accept-Encoding": accept})
        assert decoded(reply) == changed, accept
    # The next build makes fresh copies, and they are served again.
    compress_file(site.root / "app.js")
    reply = fetch(site, "/app.js", headers={"Accept-Encoding": "br"})
    assert reply.header("Content-Encoding") == "br" and decoded(reply) == changed


def test_a_copy_whose_time_differs_from_its_source_is_ignored(site: Served) -> None:
    copy = site.root / "app.js.br"
    copy.write_bytes(brotli.compress(b"// not this file\n" * 100))
    source_time = (site.root / "app.js").stat().st_mtime_ns
    os.utime(copy, ns=(source_time + 1, source_time + 1))
    reply = fetch(site, "/app.js", headers={"Accept-Encoding": "br"})
    assert reply.header("Content-Encoding") is None and reply.body == APP_JS


def test_a_copy_that_is_a_symlink_is_ignored(site: Served, tmp_path: Path) -> None:
    outside = tmp_path / "elsewhere.br"
    outside.write_bytes(brotli.compress(b"// a secret elsewhere\n" * 100))
    copy = site.root / "app.js.br"
    copy.unlink()
    copy.symlink_to(outside)
    source_time = (site.root / "app.js").stat().st_mtime_ns
    os.utime(copy, ns=(source_time, source_time), follow_symlinks=False)
    reply = fetch(site, "/app.js", headers={"Accept-Encoding": "br"})
    assert decoded(reply) == APP_JS
