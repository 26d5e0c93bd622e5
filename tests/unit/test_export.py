"""tools/export_static.py and deploy/nginx.conf, without a browser."""

from __future__ import annotations

import json
import re
import stat
from pathlib import Path

import pytest

from server import CONTENT_SECURITY_POLICY, IMMUTABLE_PREFIXES, MIME_TYPES, SECURITY_HEADERS
from tests.unit.test_precache import fake_site
from tools import export_static as ex
from tools.build_precache import MANIFEST_NAME, PrecacheEntry, manifest_version
from tools.fetch_assets import AssetError, sha256_file

REPO = Path(ex.__file__).resolve().parent.parent
NGINX_CONF = REPO / "deploy" / "nginx.conf"
DEPLOY_README = REPO / "deploy" / "README.md"


def test_the_export_is_complete_verified_and_readable(tmp_path: Path) -> None:
    web, lock = fake_site(tmp_path)
    (web / "vendor" / "lib-1.0" / "lib.js").chmod(0o600)  # as fetched files may be
    out = tmp_path / "site"
    data = ex.export(out, web, lock)

    files = sorted(str(p.relative_to(out)) for p in out.rglob("*") if p.is_file())
    copies = [
        f"{entry['path']}{'.br' if coding == 'br' else '.gz'}"
        for entry in data["files"]  # type: ignore[union-attr]
        for coding in entry.get("encodings", {})  # type: ignore[union-attr]
    ]
    manifest_copies = [p.name for p in out.glob(f"{MANIFEST_NAME}.*")]
    assert files == sorted(
        [entry["path"] for entry in data["files"]]  # type: ignore[union-attr, index]
        + [MANIFEST_NAME, *copies, *manifest_copies]
    )
    assert "levels/test-video/pack.json" not in files
    written = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
    assert written == data
    for entry in written["files"]:
        path = out / entry["path"]
        assert sha256_file(path) == entry["sha256"] and path.stat().st_size == entry["size"]
        assert stat.S_IMODE(path.stat().st_mode) == 0o644, entry["path"]
    assert written["version"] == manifest_version(PrecacheEntry(**e) for e in written["files"])
    assert not list(tmp_path.glob(".site.partial-*"))


def test_every_page_carries_the_servers_policy_as_a_meta_tag(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    web, lock = fake_site(tmp_path)
    (web / "js" / "boot.js").write_bytes(b"// boot\n" * 400)  # worth compressing
    out = tmp_path / "site"
    assert ex.main([str(out), "--root", str(web), "--lock", str(lock)]) == 0
    html = (out / "index.html").read_text(encoding="utf-8")
    meta = re.search(r'<meta http-equiv="Content-Security-Policy" content="([^"]*)">', html)
    assert meta, html
    policy = meta.group(1)
    # Derived from server.py's one constant: the same directives but frame-ancestors.
    expected = [d.strip() for d in CONTENT_SECURITY_POLICY.split(";") if d.strip()]
    assert policy.split("; ") == [d for d in expected if not d.startswith("frame-ancestors")]
    assert "frame-ancestors" in CONTENT_SECURITY_POLICY and "frame-ancestors" not in policy
    assert html.index(meta.group(0)) < html.index("<title>")  # before anything it governs
    assert "<meta http-equiv" not in (web / "index.html").read_text()  # web/ untouched
    said = capsys.readouterr().out
    assert "Content-Security-Policy is in index.html as <meta http-equiv>" in said
    assert "without frame-ancestors" in said
    # The precache list holds the page as exported, with its compressed copies.
    written = json.loads((out / MANIFEST_NAME).read_text(encoding="utf-8"))
    entries = {entry["path"]: entry for entry in written["files"]}
    assert entries["index.html"]["sha256"] == sha256_file(out / "index.html")
    assert set(entries["js/boot.js"]["encodings"]) == {"br", "gzip"}
    assert (out / "js" / "boot.js.br").stat().st_mtime_ns == (out / "js/boot.js").stat().st_mtime_ns


def test_the_real_pages_get_the_policy(tmp_path: Path) -> None:
    for page in ("index.html", "curator.html", "selftest.html"):
        copy = tmp_path / page
        copy.write_bytes((REPO / "web" / page).read_bytes())
        ex.add_policy_meta(copy)
        html = copy.read_text(encoding="utf-8")
        assert html.count('http-equiv="Content-Security-Policy"') == 1
        assert html.index("Content-Security-Policy") < html.index("<script")


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
    (web / "index.html").write_bytes(b'<!doctype html><meta charset="utf-8"><title>new</title>')
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


def test_nginx_makes_the_page_cross_origin_isolated_for_wasm_threads() -> None:
    headers = dict(re.findall(r'add_header\s+([\w-]+)\s+"([^"]*)"\s+always;', nginx_conf()))
    assert headers["Cross-Origin-Opener-Policy"] == "same-origin"
    assert headers["Cross-Origin-Embedder-Policy"] == "require-corp"
    assert headers["Cross-Origin-Resource-Policy"] == "same-origin"
    csp = {
        words[0]: words[1:]
        for part in headers["Content-Security-Policy"].split(";")
        if (words := part.split())
    }
    assert "blob:" in csp["worker-src"] and "blob:" in csp["script-src"]


def test_the_export_docs_list_every_header_server_py_sends() -> None:
    # deploy/README.md's table: | `Name` | `value` | why |
    rows = re.findall(r"^\| `([\w-]+)` \| `([^`]*)` \|", DEPLOY_README.read_text("utf-8"), re.M)
    documented = dict(rows)
    for name, value in SECURITY_HEADERS.items():
        assert documented.get(name) == value, name
    assert "require-corp" in documented["Cross-Origin-Embedder-Policy"]


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


def test_nginx_sends_the_pre_compressed_copies() -> None:
    lines = [line.strip() for line in nginx_conf().splitlines()]
    assert "gzip_static on;" in lines
    assert "#brotli_static on;" in lines  # switched on where the module exists


def test_a_stale_start_up_snapshot_is_refused(tmp_path: Path) -> None:
    """An export never ships a snapshot made from other files than its own."""
    web, lock = fake_site(tmp_path)
    (web / "py").mkdir(exist_ok=True)
    (web / "py" / "python.json").write_bytes((REPO / "web" / "py" / "python.json").read_bytes())
    (web / "py" / "snapshot.json").write_text('{"format_version": 1, "inputs": {}}')
    (web / "py" / "snapshot.bin").write_bytes(b"old")
    out = tmp_path / "site"
    with pytest.raises(AssetError, match=r"start-up snapshot does not match"):
        ex.export(out, web, lock)
    assert not out.exists()
