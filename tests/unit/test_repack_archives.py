"""tools/repack_archives.py: Pyodide's archives repacked with their members stored
hold exactly the original members; the precache list names them instead."""

from __future__ import annotations

import base64
import hashlib
import io
import json
import os
import shutil
import zipfile
from pathlib import Path

import pytest

from tests.unit.node_module import run_module
from tools import build_precache, repack_archives, stdlib_bytecode
from tools.fetch_assets import AssetError, LockedFile
from tools.stdlib_bytecode import UNCHECKED_HASH_FLAGS, Compiled

REPO = Path(repack_archives.__file__).resolve().parent.parent
WEB = REPO / "web"
MEMBERS = {
    "numpy/__init__.py": b"from numpy._core import *\n" * 40,
    "numpy/_core/_multiarray_umath.so": bytes(range(256)) * 30,
    "numpy-2.0.2.dist-info/RECORD": b"numpy/__init__.py,sha256=x,1040\n",
}


def deflated_archive(members: dict[str, bytes] = MEMBERS) -> bytes:
    archive = io.BytesIO()
    with zipfile.ZipFile(archive, "w", zipfile.ZIP_DEFLATED) as files:
        for index, (name, data) in enumerate(members.items()):
            info = zipfile.ZipInfo(name, (2025, 6, 5, 3, 9, 2 * index))
            info.external_attr = (0o755 if name.endswith(".so") else 0o644) << 16
            files.writestr(info, data, compress_type=zipfile.ZIP_DEFLATED)
    return archive.getvalue()


def fake_web(tmp_path: Path) -> Path:
    """A web folder with python.json and small original archives where it says."""
    web = tmp_path / "web"
    (web / "py").mkdir(parents=True)
    shutil.copy(WEB / "py" / "python.json", web / "py" / "python.json")
    for original, _ in repack_archives.archive_pairs(web):
        (web / original).parent.mkdir(parents=True, exist_ok=True)
        (web / original).write_bytes(deflated_archive())
    return web


def test_the_repacked_archive_holds_the_same_members_stored() -> None:
    original = deflated_archive()
    repacked = repack_archives.stored(original)
    repack_archives.verify(original, repacked)
    with zipfile.ZipFile(io.BytesIO(original)) as a, zipfile.ZipFile(io.BytesIO(repacked)) as b:
        assert [m.filename for m in b.infolist()] == list(MEMBERS)
        for before, after in zip(a.infolist(), b.infolist(), strict=True):
            assert after.compress_type == zipfile.ZIP_STORED
            assert after.date_time == before.date_time
            assert after.external_attr == before.external_attr
            assert b.read(after) == MEMBERS[after.filename]
    assert repack_archives.stored(original) == repacked  # the same bytes every time


@pytest.mark.parametrize(
    "tampered",
    [
        {**MEMBERS, "numpy/__init__.py": b"import os\n"},  # contents changed
        {k: v for k, v in MEMBERS.items() if k != "numpy-2.0.2.dist-info/RECORD"},  # one missing
        dict(reversed(MEMBERS.items())),  # another order
    ],
)
def test_verify_refuses_anything_but_the_same_members(tampered: dict[str, bytes]) -> None:
    original = deflated_archive()
    with pytest.raises(AssetError):
        repack_archives.verify(original, repack_archives.stored(deflated_archive(tampered)))


def test_verify_refuses_a_member_left_compressed() -> None:
    original = deflated_archive()
    with pytest.raises(AssetError, match="not stored"):
        repack_archives.verify(original, original)


def test_repack_writes_once_and_then_leaves_the_files_alone(tmp_path: Path) -> None:
    web = fake_web(tmp_path)
    pairs = repack_archives.archive_pairs(web)
    assert [Path(repacked).parent.as_posix() for _, repacked in pairs] == ["py/lib", "py/lib"]
    assert sorted(repack_archives.repack(web)) == sorted(repacked for _, repacked in pairs)
    times = {path: (web / path).stat().st_mtime_ns for _, path in pairs}
    os.utime(web / pairs[0][1], ns=(1, 1))  # as if long ago: an unchanged file is not rewritten
    assert repack_archives.repack(web) == []
    assert (web / pairs[0][1]).stat().st_mtime_ns == 1
    assert (web / pairs[1][1]).stat().st_mtime_ns == times[pairs[1][1]]
    (web / pairs[1][1]).write_bytes(b"damaged")
    assert repack_archives.repack(web) == [pairs[1][1]]
    repack_archives.verify((web / pairs[1][0]).read_bytes(), (web / pairs[1][1]).read_bytes())
    assert not list((web / "py" / "lib").glob(".*"))  # no temporary file left behind


def test_a_missing_or_broken_original_is_a_clear_error(tmp_path: Path) -> None:
    web = fake_web(tmp_path)
    original = web / repack_archives.archive_pairs(web)[0][0]
    original.write_bytes(b"<html>not found</html>")
    with pytest.raises(AssetError, match="is not a zip archive"):
        repack_archives.repack(web)
    original.unlink()
    with pytest.raises(AssetError, match=r"python_stdlib\.zip.*tools/fetch_assets\.py"):
        repack_archives.repack(web)
    assert repack_archives.main(["--root", str(web)]) == 1


def test_a_manifest_without_archives_is_a_clear_error(tmp_path: Path) -> None:
    web = fake_web(tmp_path)
    manifest = json.loads((web / "py" / "python.json").read_text(encoding="utf-8"))
    del manifest["repacked_from"]
    (web / "py" / "python.json").write_text(json.dumps(manifest), encoding="utf-8")
    with pytest.raises(AssetError, match="names no archives"):
        repack_archives.repack(web)


def test_the_precache_list_has_the_repacked_archives_instead_of_the_originals(
    tmp_path: Path,
) -> None:
    web = fake_web(tmp_path)
    build_precache.generate(web)  # repacks them, among the other generated files
    locked = [
        LockedFile(
            dest=f"web/{original}",
            source="test",
            sha256=hashlib.sha256((web / original).read_bytes()).hexdigest(),
            size=(web / original).stat().st_size,
            license="test",
        )
        for original, _ in repack_archives.archive_pairs(web)
    ]
    listed = {entry.path for entry in build_precache.collect(web, locked)}
    for original, repacked in repack_archives.archive_pairs(web):
        assert repacked in listed
        assert original not in listed


def compiled_module(source: str, data: bytes, magic: bytes = b"\xcb\r\r\n") -> Compiled:
    pyc = magic + UNCHECKED_HASH_FLAGS + bytes(8) + b"code of " + source.encode()
    return Compiled(source, hashlib.sha256(data).hexdigest(), pyc)


def test_the_standard_library_may_lose_members_and_get_them_compiled() -> None:
    original = deflated_archive()
    init = compiled_module("numpy/__init__.py", MEMBERS["numpy/__init__.py"])
    changes = repack_archives.Changes(("numpy-2.0.2.dist-info/",), {init.source: init})
    repacked = repack_archives.stored(original, changes)
    repack_archives.verify(original, repacked, changes)
    with zipfile.ZipFile(io.BytesIO(repacked)) as files:
        assert files.namelist() == ["numpy/__init__.pyc", "numpy/_core/_multiarray_umath.so"]
        assert files.read("numpy/__init__.pyc") == init.pyc
    with pytest.raises(AssetError, match="members differ"):  # unless they are the changes
        repack_archives.verify(original, repacked)


def test_a_pyc_made_from_another_source_is_refused() -> None:
    original = deflated_archive()
    wrong = compiled_module("numpy/__init__.py", b"import os\n")
    changes = repack_archives.Changes((), {wrong.source: wrong})
    with pytest.raises(AssetError, match="another source"):
        repack_archives.verify(original, repack_archives.stored(original, changes), changes)


def answer(*modules: Compiled, magic: str = "cb0d0d0a") -> bytes:
    return json.dumps(
        {
            "python": "3.12.7",
            "magic": magic,
            "modules": [
                {
                    "source": m.source,
                    "source_sha256": m.source_sha256,
                    "pyc": base64.b64encode(m.pyc).decode(),
                }
                for m in modules
            ],
        }
    ).encode()


def test_the_compilers_answer_is_checked() -> None:
    good = compiled_module("json/__init__.py", b"x = 1\n")
    assert stdlib_bytecode.parse(answer(good)) == (b"\xcb\r\r\n", [good])
    other_python = compiled_module("json/__init__.py", b"x = 1\n", magic=b"\xa7\r\r\n")
    with pytest.raises(AssetError, match=r"not an unchecked-hash \.pyc"):
        stdlib_bytecode.parse(answer(other_python))
    with pytest.raises(AssetError, match="odd member"):
        stdlib_bytecode.parse(answer(compiled_module("/etc/passwd.py", b"")))
    with pytest.raises(AssetError, match="cannot be read"):
        stdlib_bytecode.parse(b"{")


def test_without_its_inputs_the_standard_library_keeps_its_sources(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    web = fake_web(tmp_path)  # no Pyodide to compile with
    assert stdlib_bytecode.compiled(web) == []
    assert "keeps its sources only" in capsys.readouterr().err


def test_the_served_archives_are_the_pinned_ones_repacked() -> None:
    # The real files, as tools/build_precache.py left them under web/.
    for original, repacked in repack_archives.archive_pairs(WEB):
        changes = repack_archives.changes_for(WEB, original, repacked)
        repack_archives.verify(
            (WEB / original).read_bytes(), (WEB / repacked).read_bytes(), changes
        )
        with zipfile.ZipFile(WEB / repacked) as files:
            names = set(files.namelist())
        if repacked.endswith("python_stdlib.zip"):
            # What every start imports comes compiled, by Pyodide's own Python.
            for module in ("json/__init__", "asyncio/__init__", "_pyodide/_base", "typing"):
                assert f"{module}.pyc" in names and f"{module}.py" not in names
            assert len(changes.compiled) > 100
            assert not any(name.startswith(changes.left_out) for name in names)
        else:
            assert changes == repack_archives.NO_CHANGES
            assert not any(name.endswith(".pyc") for name in names)


NODE_CHECK = """
import { pathToFileURL } from "node:url";
const [pyodideDir, stdlib] = process.argv.slice(2);
await import(pathToFileURL(pyodideDir + "pyodide.asm.js").href);
const { loadPyodide } = await import(pathToFileURL(pyodideDir + "pyodide.mjs").href);
const pyodide = await loadPyodide({ indexURL: pyodideDir, stdLibURL: stdlib });
console.log(pyodide.runPython(`
import json, importlib.util, sys, typing
try:
    import xmlrpc.client
    left_out = False
except ModuleNotFoundError:
    left_out = True
statistics = importlib.util.find_spec("statistics").origin
json.dumps([json.__file__, typing.__file__, left_out, statistics])
`));
"""


def test_pyodide_starts_from_the_compiled_modules() -> None:
    # The served standard library, in the pinned Pyodide (in Node): the start's
    # modules come from their .pyc, what was left out is gone, the rest is source.
    pyodide = f"{WEB / 'vendor' / 'pyodide-0.27.7'}/"
    stdlib = str(WEB / "py" / "lib" / "python_stdlib.zip")
    json_file, typing_file, left_out, statistics = run_module(NODE_CHECK, pyodide, stdlib)
    assert json_file == "/lib/python312.zip/json/__init__.pyc"
    assert typing_file == "/lib/python312.zip/typing.pyc"
    assert left_out
    assert statistics == "/lib/python312.zip/statistics.py"  # not imported at start: its source
