"""tools/repack_archives.py: Pyodide's archives repacked with their members stored
hold exactly the original members; the precache list names them instead."""

from __future__ import annotations

import hashlib
import io
import json
import os
import shutil
import zipfile
from pathlib import Path

import pytest

from tools import build_precache, repack_archives
from tools.fetch_assets import AssetError, LockedFile

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


def test_the_served_archives_are_the_pinned_ones_repacked() -> None:
    # The real files, as tools/build_precache.py left them under web/.
    for original, repacked in repack_archives.archive_pairs(WEB):
        repack_archives.verify((WEB / original).read_bytes(), (WEB / repacked).read_bytes())
