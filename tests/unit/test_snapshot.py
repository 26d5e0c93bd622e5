"""tools/build_snapshot.py and the page's JavaScript that reads what it writes
(js/python-runtime.js, js/wheel.js, run in Node), without a browser.

The restore itself (numpy working after it, the fallbacks) is tested in
Chromium: tests/e2e/test_startup.py.
"""

from __future__ import annotations

import hashlib
import io
import json
import shutil
import zipfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from tests.unit.node_module import run_module
from tools import build_snapshot as bs
from tools import node_script, repack_archives
from tools.fetch_assets import AssetError

REPO = Path(bs.__file__).resolve().parent.parent
WEB = REPO / "web"
NODE = shutil.which("node")


@given(st.lists(st.tuples(st.booleans(), st.integers(1, 3 * bs.PAGE_SIZE)), max_size=12))
@settings(max_examples=60)
def test_the_stored_form_keeps_every_nonzero_byte(parts: list[tuple[bool, int]]) -> None:
    image = b"".join(
        (bytes([7]) * size if filled else bytes(size)) + b"\x01" * filled for filled, size in parts
    )
    runs = bs.nonzero_runs(image)
    stored = bs.pack(image, runs)
    assert bs.unpack(stored, runs, len(image)) == image
    assert len(stored) <= len(image)
    for offset, length in runs:
        assert offset % bs.PAGE_SIZE == 0 and length > 0


def test_zero_pages_are_left_out() -> None:
    page = bs.PAGE_SIZE
    image = bytes(page) + b"x" * page + bytes(3 * page) + b"y" + bytes(page - 1) + bytes(page)
    runs = bs.nonzero_runs(image)
    assert runs == [[page, page], [5 * page, page]]
    assert len(bs.pack(image, runs)) == 2 * page


def fake_web(tmp_path: Path) -> Path:
    """A web folder with every file the snapshot is made from."""
    web = tmp_path / "web"
    manifest = json.loads((WEB / "py" / "python.json").read_text(encoding="utf-8"))
    (web / "py").mkdir(parents=True)
    (web / "py" / "python.json").write_text(json.dumps(manifest), encoding="utf-8")
    for original, _ in repack_archives.archive_pairs(web):  # small, real zip archives
        (web / original).parent.mkdir(parents=True, exist_ok=True)
        with zipfile.ZipFile(web / original, "w", zipfile.ZIP_DEFLATED) as archive:
            archive.writestr("module.py", f"# from {original}\n" * 50)
    repack_archives.repack(web)
    for path in bs.input_paths(web):
        target = web / path
        target.parent.mkdir(parents=True, exist_ok=True)
        if not target.exists():
            target.write_bytes(f"contents of {path}".encode())
    return web


def fake_maker(calls: list[Path]) -> Any:
    image = bytes(8192) + b"python" * 1000 + bytes(5000)

    def make_raw(web_root: Path, work: Path) -> tuple[bytes, dict[str, Any]]:
        calls.append(web_root)
        return image, {
            "pyodide_version": "0.27.7",
            "imports": ["numpy"],
            "libraries": [{"path": "/lib/x.so", "handle": 4096}],
            "table_length": 123,
            "page_globals": ["document"],
        }

    return make_raw


def test_a_build_describes_its_inputs_and_is_then_up_to_date(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    web = fake_web(tmp_path)
    calls: list[Path] = []
    monkeypatch.setattr(bs, "make_raw", fake_maker(calls))
    data = bs.build(web)
    assert data is not None and calls == [web]
    described = json.loads((web / "py" / "snapshot.json").read_text(encoding="utf-8"))
    assert described == data
    stored = (web / "py" / "snapshot.bin").read_bytes()
    assert described["file"] == "snapshot.bin"
    assert described["sha256"] == hashlib.sha256(stored).hexdigest()
    assert described["size"] == len(stored) < described["memory_size"]
    assert set(described["inputs"]) == set(bs.input_paths(web))
    for path in (
        "vendor/pyodide-0.27.7/pyodide.asm.wasm",
        "py/lib/python_stdlib.zip",  # as the pages fetch them (repacked)
        "py/lib/numpy-2.0.2-cp312-cp312-pyodide_2024_0_wasm32.whl",
        "py/shell/app.py",
        "py/strike_a_pose/game.py",
        "js/python-runtime.js",
        "py/python.json",
    ):
        assert described["inputs"][path] == hashlib.sha256((web / path).read_bytes()).hexdigest()
    assert bs.is_up_to_date(web)
    assert bs.build(web) is None and len(calls) == 1  # nothing to do


@pytest.mark.parametrize(
    "change", ["py/strike_a_pose/game.py", "vendor/pyodide-0.27.7/pyodide.asm.wasm"]
)
def test_a_changed_input_or_damaged_snapshot_makes_it_stale(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, change: str
) -> None:
    web = fake_web(tmp_path)
    calls: list[Path] = []
    monkeypatch.setattr(bs, "make_raw", fake_maker(calls))
    bs.build(web)
    (web / change).write_bytes(b"edited")
    assert not bs.is_up_to_date(web)
    assert bs.build(web) is not None and len(calls) == 2
    stored = web / "py" / "snapshot.bin"
    stored.write_bytes(stored.read_bytes()[:-1] + b"!")
    assert not bs.is_up_to_date(web)


def test_a_failed_build_leaves_the_last_snapshot_and_says_why(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    web = fake_web(tmp_path)
    monkeypatch.setattr(bs, "make_raw", fake_maker([]))
    bs.build(web)
    before = (web / "py" / "snapshot.bin").read_bytes()

    def broken(web_root: Path, work: Path) -> tuple[bytes, dict[str, Any]]:
        raise AssetError("the snapshot maker failed:\nImportError: no module named x")

    monkeypatch.setattr(bs, "make_raw", broken)
    assert bs.main(["--root", str(web), "--force"]) == 1
    assert "ImportError" in capsys.readouterr().err
    assert (web / "py" / "snapshot.bin").read_bytes() == before
    assert not list((web / "py").glob(".partial-*"))


def test_a_missing_input_is_named(tmp_path: Path) -> None:
    web = fake_web(tmp_path)
    (web / "vendor" / "pyodide-0.27.7" / "pyodide.asm.wasm").unlink()
    with pytest.raises(AssetError, match=r"pyodide\.asm\.wasm is missing"):
        bs.build(web)


def test_a_missing_original_archive_is_named(tmp_path: Path) -> None:
    web = fake_web(tmp_path)
    (web / "vendor" / "pyodide-0.27.7" / "python_stdlib.zip").unlink()
    with pytest.raises(AssetError, match=r"python_stdlib\.zip.*tools/fetch_assets\.py"):
        bs.build(web)


def test_no_node_is_a_clear_error(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(node_script.shutil, "which", lambda name: None)
    with pytest.raises(AssetError, match=r"node is not installed"):
        bs.make_raw(tmp_path, tmp_path)


def test_the_built_snapshot_is_current() -> None:
    """scripts/test.sh and serve.sh build it; an edit to the game's Python
    without a rebuild would make every page fall back to the normal start."""
    assert (WEB / "py" / "snapshot.json").is_file(), "run python3 tools/build_snapshot.py"
    assert bs.is_up_to_date(WEB), "stale: run python3 tools/build_snapshot.py"


def test_the_page_expands_the_stored_form_as_python_packs_it(tmp_path: Path) -> None:
    page = bs.PAGE_SIZE
    image = bytes(page) + bytes(range(256)) * 16 + bytes(2 * page) + b"end" + bytes(page - 3)
    runs = bs.nonzero_runs(image)
    (tmp_path / "stored.bin").write_bytes(bs.pack(image, runs))
    runtime = (WEB / "js" / "python-runtime.js").as_uri()
    result = run_module(
        f"""
import {{ readFileSync }} from "node:fs";
import {{ expandSnapshot }} from "{runtime}";
const stored = new Uint8Array(readFileSync("{tmp_path / "stored.bin"}"));
const image = expandSnapshot(stored, {json.dumps(runs)}, {len(image)});
let bad = null;
try {{ expandSnapshot(stored.subarray(1), {json.dumps(runs)}, {len(image)}); }}
catch (error) {{ bad = String(error); }}
console.log(JSON.stringify({{ image: Buffer.from(image).toString("hex"), bad }}));
"""
    )
    assert bytes.fromhex(result["image"]) == image
    assert "runs" in result["bad"]


def test_the_page_unpacks_a_wheel_as_python_packs_it(tmp_path: Path) -> None:
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w") as archive:
        archive.writestr("pkg/__init__.py", b"x = 1\n" * 100, zipfile.ZIP_DEFLATED)
        archive.writestr("pkg/_core.so", bytes(range(256)) * 40, zipfile.ZIP_STORED)
        archive.writestr("pkg/sub/", b"")
        archive.writestr("pkg-1.0.dist-info/METADATA", "Name: pkg\n", zipfile.ZIP_DEFLATED)
    (tmp_path / "pkg.whl").write_bytes(buffer.getvalue())
    evil = io.BytesIO()
    with zipfile.ZipFile(evil, "w") as archive:
        archive.writestr("../outside.py", b"x")
    (tmp_path / "evil.whl").write_bytes(evil.getvalue())
    wheel = (WEB / "js" / "wheel.js").as_uri()
    result = run_module(
        f"""
import {{ readFileSync }} from "node:fs";
import {{ unzip }} from "{wheel}";
const files = await unzip(readFileSync("{tmp_path / "pkg.whl"}"));
let evil = null;
try {{ await unzip(readFileSync("{tmp_path / "evil.whl"}")); }}
catch (error) {{ evil = String(error); }}
let notZip = null;
try {{ await unzip(new Uint8Array(100)); }} catch (error) {{ notZip = String(error); }}
const only = await unzip(readFileSync("{tmp_path / "pkg.whl"}"), (name) => name.endsWith(".so"));
console.log(JSON.stringify({{
  files: Object.fromEntries(files.map((f) => [f.name, Buffer.from(f.bytes).toString("hex")])),
  only: only.map((f) => f.name), evil, notZip,
}}));
"""
    )
    with zipfile.ZipFile(tmp_path / "pkg.whl") as archive:
        expected = {
            name: archive.read(name).hex() for name in archive.namelist() if not name.endswith("/")
        }
    assert result["files"] == expected
    assert result["only"] == ["pkg/_core.so"]
    assert "unsafe path" in result["evil"]
    assert "not a zip" in result["notZip"]
