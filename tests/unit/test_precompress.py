"""tools/precompress.py and the copies' lock: every .br and .gz copy that
precache.json lists decompresses to exactly its file, whose sha256 it gives
(for the pinned assets, the sha256 of assets.lock.json)."""

from __future__ import annotations

import gzip
import hashlib
import io
import json
import os
import random
import zipfile
from pathlib import Path

import brotli  # type: ignore[import-untyped]
import pytest

from tools import precompress as pc
from tools.build_precache import MANIFEST_NAME, build
from tools.fetch_assets import read_lock

REPO = Path(pc.__file__).resolve().parent.parent
WEB = REPO / "web"
TEXT = b"".join(b"def line_%d(): return 'strike a pose'\n" % i for i in range(3000))

DECOMPRESS = {"br": brotli.decompress, "gzip": gzip.decompress}
SUFFIX = {"br": ".br", "gzip": ".gz"}


def zipped(method: int) -> bytes:
    """A wheel-like archive of Python sources (compressed, they look like noise)."""
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", method) as files:
        rng = random.Random(5)
        for index in range(40):
            source = "".join(f"x_{rng.getrandbits(64):016x} = {i}\n" for i in range(200))
            files.writestr(f"numpy/module_{index}.py", source)
    return archive.getvalue()


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def test_copies_decompress_to_the_original_and_carry_its_time(tmp_path: Path) -> None:
    source = tmp_path / "game.py"
    source.write_bytes(TEXT)
    copies = pc.compress_file(source)
    assert [copy.coding for copy in copies] == ["br", "gzip"]
    for copy in copies:
        path = tmp_path / f"game.py{SUFFIX[copy.coding]}"
        data = path.read_bytes()
        assert DECOMPRESS[copy.coding](data) == TEXT
        assert (copy.sha256, copy.size) == (sha256(data), len(data))
        assert path.stat().st_mtime_ns == source.stat().st_mtime_ns
        assert len(data) < len(TEXT) * 0.5
    # The same bytes on every run: no file name, no time in the gzip header.
    assert (tmp_path / "game.py.gz").read_bytes()[4:8] == b"\0\0\0\0"


def test_an_archive_of_stored_members_gets_copies(tmp_path: Path) -> None:
    # As tools/repack_archives.py writes Pyodide's (py/lib/).
    source = tmp_path / "stored.whl"
    source.write_bytes(zipped(zipfile.ZIP_STORED))
    copies = pc.compress_file(source)
    assert [copy.coding for copy in copies] == ["br", "gzip"]
    assert all(copy.size < source.stat().st_size / 2 for copy in copies)


@pytest.mark.parametrize(
    ("name", "data"),
    [
        ("small.js", b"export const x = 1;\n"),  # below MIN_COMPRESS_BYTES
        ("noise.wasm", os.urandom(200_000)),  # does not shrink
        ("picture.png", TEXT),  # a type that is never compressed
        ("deflated.whl", zipped(zipfile.ZIP_DEFLATED)),  # already compressed
    ],
)
def test_no_copy_where_it_would_not_help(tmp_path: Path, name: str, data: bytes) -> None:
    source = tmp_path / name
    source.write_bytes(data)
    assert pc.compress_file(source) == []
    assert sorted(p.name for p in tmp_path.iterdir()) == [name]


def test_valid_copies_are_reused_and_stale_ones_made_again(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = tmp_path / "app.js"
    source.write_bytes(TEXT)
    pc.compress_file(source)
    calls = []
    real = pc._brotli
    monkeypatch.setattr(pc, "_brotli", lambda data, text: calls.append(1) or real(data, text))
    pc.compress_file(source)
    assert calls == []  # brotli 11 is slow: a valid copy is not made again
    source.write_bytes(TEXT + b"# edited\n")
    pc.compress_file(source)
    assert calls == [1]
    assert brotli.decompress((tmp_path / "app.js.br").read_bytes()) == TEXT + b"# edited\n"


def test_copies_of_removed_files_are_deleted(tmp_path: Path) -> None:
    source = tmp_path / "sub" / "old.js"
    source.parent.mkdir()
    source.write_bytes(TEXT)
    pc.compress_file(source)
    keep = tmp_path / "data.tar.gz"  # not a copy: its "source" is not a served type
    keep.write_bytes(b"x")
    source.unlink()
    removed = pc.remove_orphans(tmp_path)
    assert sorted(p.name for p in removed) == ["old.js.br", "old.js.gz"]
    assert keep.exists()


def test_the_build_records_each_copy_in_the_manifest(tmp_path: Path) -> None:
    from tests.unit.test_precache import fake_site

    web, lock = fake_site(tmp_path)
    (web / "js" / "boot.js").write_bytes(TEXT)
    data = build(web, lock)
    entries = {entry["path"]: entry for entry in data["files"]}  # type: ignore[union-attr]
    boot = entries["js/boot.js"]
    assert set(boot["encodings"]) == {"br", "gzip"}
    for coding, copy in boot["encodings"].items():
        stored = (web / f"js/boot.js{SUFFIX[coding]}").read_bytes()
        assert copy == {"sha256": sha256(stored), "size": len(stored)}
    assert "encodings" not in entries["index.html"]  # too small to be worth it
    # precache.json itself is asked for on every page load: compressed too, if worth it.
    assert json.loads((web / MANIFEST_NAME).read_text()) == data


# --- the real web/ (scripts/test.sh builds it before the suite) ------------------


def test_every_copy_in_web_matches_its_lock_entry() -> None:
    manifest_path = WEB / MANIFEST_NAME
    assert manifest_path.is_file(), "run tools/build_precache.py (scripts/test.sh does)"
    manifest = json.loads(manifest_path.read_text(encoding="utf-8"))
    locked = {entry.dest.removeprefix("web/"): entry.sha256 for entry in read_lock()}
    checked = 0
    for entry in manifest["files"]:
        source = (WEB / entry["path"]).read_bytes()
        assert sha256(source) == entry["sha256"], (
            f"{entry['path']} changed: run tools/build_precache.py"
        )
        if entry["path"] in locked:
            assert entry["sha256"] == locked[entry["path"]], entry["path"]
        for coding, copy in entry.get("encodings", {}).items():
            data = (WEB / f"{entry['path']}{SUFFIX[coding]}").read_bytes()
            assert (sha256(data), len(data)) == (copy["sha256"], copy["size"]), entry["path"]
            assert DECOMPRESS[coding](data) == source, f"{entry['path']} ({coding})"
            checked += 1
    # The big ones are there: Pyodide's wasm, TF.js, the game's own scripts.
    encoded = {e["path"] for e in manifest["files"] if e.get("encodings")}
    assert "vendor/pyodide-0.27.7/pyodide.asm.wasm" in encoded
    assert "vendor/tfjs-4.22.0/tf.min.js" in encoded
    assert "js/boot.js" in encoded
    assert checked >= 2 * len(encoded)
