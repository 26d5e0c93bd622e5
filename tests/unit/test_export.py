"""tools/export_static.py and deploy/nginx.conf, without a browser."""

from __future__ import annotations

import json
import re
import stat
from pathlib import Path

import pytest

from server import IMMUTABLE_PREFIXES, MIME_TYPES, SECURITY_HEADERS
from tests.unit.test_precache import fake_site
from tools import export_static as ex
from tools.build_precache import MANIFEST_NAME, PrecacheEntry, manifest_version
from tools.fetch_assets import AssetError, sha256_file

REPO = Path(ex.__file__).resolve().parent.parent
NGINX_CONF = REPO / "deploy" / "nginx.conf"


def test_the_export_is_complete_verified_and_readable(tmp_path: Path) -> None:
    web, lock = fake_site(tmp_path)
    (web / "vendor" / "lib-1.0" / "lib.js").chmod(0o600)  # as fetched files may be
    out = tmp_path / "site"
    data = ex.export(out, web, lock)

    files = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    assert files == sorted([entry["path"] for entry in data["files"]] + [MANIFEST_NAME])  # type: ignore[union-attr, index]
    assert "levels/test-video/pack.json" not in files
    written = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert written == data
    for entry in written["files"]:
        path = out / entry["path"]
        assert sha256_file(path) == entry["sha256"] and path.stat().st_size == entry["size"]
        assert stat.S_IMODE(path.stat().st_mode) == 0o644, entry["path"]
    assert written["version"] == manifest_version(PrecacheEntry(**e) for e in written["files"])
    assert not list(tmp_path.glob(".site.partial-*"))


def test_a_tampered_asset_is_refused(tmp_path: Path) -> None:
    web, lock = fake_site(tmp_path)
    (web / "vendor" / "lib-1.0" / "lib.js").write_bytes(b"library, changed")
    out = tmp_path / "site"
    with pytest.raises(AssetError, match=r"(?s)refusing to export.*vendor/lib-1\.0/lib\.js"):
        ex.export(out, web, lock)
    assert not out.exists()
    assert not list(tmp_path.glob(".site.partial-*"))


def test_a_missing_asset_is_refused_by_the_command(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    web, lock = fake_site(tmp_path)
    (web / "models" / "model.bin").unlink()
    assert ex.main([str(tmp_path / "site"), "--root", str(web), "--lock", str(lock)]) == 1
    assert "models/model.bin: missing" in capsys.readouterr().err
    assert not (tmp_path / "site").exists()


def test_an_earlier_export_is_replaced_but_nothing_else(tmp_path: Path) -> None:
    web, lock = fake_site(tmp_path)
    out = tmp_path / "site"
    first = ex.export(out, web, lock)
    (web / "index.html").write_bytes(b"<!doctype html><title>new</title>")
    second = ex.export(out, web, lock)
    assert second["version"] != first["version"]
    assert (out / "index.html").read_bytes().endswith(b"new</title>")

    precious = tmp_path / "precious"
    precious.mkdir()
    (precious / "thesis.txt").write_text("do not delete")
    with pytest.raises(AssetError, match="not an earlier export"):
        ex.export(precious, web, lock)
    assert (precious / "thesis.txt").read_text() == "do not delete"
    with pytest.raises(AssetError, match="inside the web folder"):
        ex.export(web / "out", web, lock)


# --- deploy/nginx.conf ------------------------------------------------------


def nginx_conf() -> str:
    return NGINX_CONF.read_text(encoding="utf-8")


def test_nginx_sends_the_same_security_headers_as_server_py() -> None:
    headers = dict(re.findall(r'add_header\s+([\w-]+)\s+"([^"]*)"\s+always;', nginx_conf()))
    for name, value in SECURITY_HEADERS.items():
        assert headers.get(name) == value, name


def test_nginx_types_match_server_py() -> None:
    block = re.search(r"types\s*\{(.*?)\}", nginx_conf(), re.S)
    assert block
    types = {}
    for line in block.group(1).strip().splitlines():
        mime, *extensions = line.strip().rstrip(";").split()
        types.update({f".{ext}": mime for ext in extensions})
    for suffix, mime in MIME_TYPES.items():
        assert types.get(suffix) == mime.split(";")[0], suffix
    assert types[".wasm"] == "application/wasm" and types[".mjs"] == "text/javascript"


def test_nginx_caches_like_server_py() -> None:
    conf = nginx_conf()
    assert IMMUTABLE_PREFIXES == ("vendor/",)
    assert '~^/vendor/  "public, max-age=31536000, immutable";' in conf
    assert 'default     "no-cache";' in conf
    assert "gzip on;" in conf and "application/wasm" in conf.split("gzip_types", 1)[1]
