"""tools/build_precache.py: what the service worker saves for offline play."""

from __future__ import annotations

import hashlib
import json
import re
from dataclasses import replace
from pathlib import Path

import pytest

from tools import build_precache as bp
from tools import js_constants
from tools.fetch_assets import AssetError, LockedFile, read_lock, write_lock

REPO = Path(bp.__file__).resolve().parent.parent
WEB = REPO / "web"


def sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def fake_site(tmp_path: Path) -> tuple[Path, Path]:
    """A web root with two pinned files, a few own files and things to leave out."""
    web = tmp_path / "web"
    locked = []
    for dest, data in (
        ("web/vendor/lib-1.0/lib.js", b"library"),
        ("web/models/model.bin", b"\x00weights"),
    ):
        (tmp_path / dest).parent.mkdir(parents=True, exist_ok=True)
        (tmp_path / dest).write_bytes(data)
        locked.append(LockedFile(dest, f"npm:x@1:{dest}", sha256(data), len(data), "MIT"))
    own = {
        "index.html": b'<!doctype html><meta charset="utf-8"><title>x</title>',
        "sw.js": b"// worker",
        "js/boot.js": b"// boot",
        "levels/default/pack.json": b"{}",
        "levels/default/a.svg": b"<svg/>",
        # Left out:
        "levels/test-video/pack.json": b"{}",
        "vendor/stale-0.9/old.js": b"// not in the lock",
        "models/notes.txt": b"not in the lock",
        "js/.boot.js.swp": b"editor",
        "js/boot.js~": b"backup",
        "py/__pycache__/x.py": b"cache",
        "README.unknown": b"not served",
        "precache.json": b"{}",
    }
    for path, data in own.items():
        (web / path).parent.mkdir(parents=True, exist_ok=True)
        (web / path).write_bytes(data)
    lock = tmp_path / "assets.lock.json"
    write_lock(locked, lock)
    return web, lock


def test_the_list_holds_the_pinned_files_and_own_files_only(tmp_path: Path) -> None:
    web, lock = fake_site(tmp_path)
    data = bp.build(web, lock)
    written = json.loads((web / "precache.json").read_text(encoding="utf-8"))
    assert written == data
    assert [f["path"] for f in written["files"]] == [
        "index.html",
        "js/boot.js",
        "levels/default/a.svg",
        "levels/default/pack.json",
        "models/model.bin",
        "sw.js",
        "vendor/lib-1.0/lib.js",
    ]
    by_path = {f["path"]: f for f in written["files"]}
    assert by_path["vendor/lib-1.0/lib.js"] == {
        "path": "vendor/lib-1.0/lib.js",
        "sha256": sha256(b"library"),
        "size": 7,
    }
    assert by_path["levels/default/a.svg"]["sha256"] == sha256(b"<svg/>")
    assert re.fullmatch(r"[0-9a-f]{16}", written["version"])
    assert written["version"] == bp.manifest_version(
        bp.PrecacheEntry(**f) for f in written["files"]
    )


def test_a_missing_pinned_file_is_refused(tmp_path: Path) -> None:
    web, lock = fake_site(tmp_path)
    (web / "models" / "model.bin").unlink()
    with pytest.raises(AssetError, match=r"models/model\.bin"):
        bp.build(web, lock)
    assert json.loads((web / "precache.json").read_text()) == {}  # the old file, untouched


def test_the_version_changes_with_any_hash_size_or_path() -> None:
    entries = [bp.PrecacheEntry(f"f{i}.js", sha256(bytes([i])), i + 1) for i in range(5)]
    version = bp.manifest_version(entries)
    assert bp.manifest_version(reversed(entries)) == version  # order does not matter
    for i in range(len(entries)):
        for change in (
            {"sha256": sha256(b"changed")},
            {"size": 999},
            {"path": f"moved/f{i}.js"},
        ):
            changed = [*entries[:i], replace(entries[i], **change), *entries[i + 1 :]]  # type: ignore[arg-type]
            assert bp.manifest_version(changed) != version, (i, change)
    assert bp.manifest_version([*entries, bp.PrecacheEntry("new.js", sha256(b""), 0)]) != version
    assert bp.manifest_version(entries[1:]) != version


def test_editing_an_own_file_changes_the_version(tmp_path: Path) -> None:
    web, lock = fake_site(tmp_path)
    before = bp.build(web, lock)["version"]
    (web / "js" / "boot.js").write_bytes(b"// boot, edited")
    assert bp.build(web, lock)["version"] != before


# --- the real web/ --------------------------------------------------------


def real_own_files() -> set[str]:
    return set(bp.own_files(WEB))


def test_every_pinned_asset_of_the_lock_is_listed(tmp_path: Path) -> None:
    """With the real lock (placeholders stand in for the fetched files)."""
    locked = read_lock(REPO / "assets.lock.json")
    for entry in locked:
        placeholder = tmp_path / entry.dest
        placeholder.parent.mkdir(parents=True, exist_ok=True)
        placeholder.write_bytes(b"")
    entries = {e.path: e for e in bp.collect(tmp_path / "web", locked)}
    for entry in locked:
        listed = entries[entry.dest.removeprefix("web/")]
        assert (listed.sha256, listed.size) == (entry.sha256, entry.size)


def referenced_by_html(page: str) -> set[str]:
    html = (WEB / page).read_text(encoding="utf-8")
    found = set(re.findall(r'(?:src|href|config)="([^"#?:]+)"', html))
    return {ref for ref in found if not ref.startswith(("http", "//"))}


def imported_modules() -> set[str]:
    found = set()
    for script in (WEB / "js").glob("*.js"):
        for name in re.findall(r'from "\./([\w.-]+\.js)"', script.read_text(encoding="utf-8")):
            found.add(f"js/{name}")
    return found


def test_every_own_file_the_pages_load_is_listed() -> None:
    own = real_own_files()
    locked = {e.dest.removeprefix("web/") for e in read_lock(REPO / "assets.lock.json")}
    listed = own | locked
    needed = referenced_by_html("index.html") | referenced_by_html("selftest.html")
    needed |= imported_modules()
    needed |= referenced_by_html("curator.html")
    config = json.loads((WEB / "py" / "python.json").read_text(encoding="utf-8"))
    needed |= {f"py/{path}" for path in config["files"]}
    needed |= {"py/python.json", "sw.js", "config.json", "favicon.svg", "index.html"}
    needed |= {"py/snapshot.json", "py/snapshot.bin"}  # tools/build_snapshot.py
    needed -= {"precache.json"}  # the list itself
    pack = json.loads((WEB / "levels/default/pack.json").read_text(encoding="utf-8"))
    needed |= {"levels/default/pack.json"} | {
        f"levels/default/{lv['image']}" for lv in pack["levels"]
    }
    missing = sorted(needed - listed)
    assert not missing, f"not precached: {missing}"
    assert "py/main.py" in own and "js/offline.js" in own and "js/selftest.js" in own


def test_nothing_of_the_tests_or_caches_is_listed() -> None:
    for path in real_own_files():
        assert not path.startswith(("levels/test-", "vendor/", "models/")), path
        assert "__pycache__" not in path and path != "precache.json", path


def test_the_command_line_writes_the_list(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    web, lock = fake_site(tmp_path)
    assert bp.main(["--root", str(web), "--lock", str(lock)]) == 0
    # The 7 files, and what the command generates first: the compiled
    # translations, the list of installed packs (none loads here) and the
    # constants JavaScript shares with Python.
    out = capsys.readouterr()
    languages = json.loads((web / "locale" / "languages.json").read_text(encoding="utf-8"))
    codes = [language["code"] for language in languages["languages"]]
    assert codes[0] == "en" and {"it", "ar"} <= set(codes)
    generated = [f"locale/{code}.mo" for code in codes[1:]]
    generated += ["locale/languages.json", "levels/index.json", "js/constants.js"]
    assert f"{7 + len(generated)} files" in out.out
    listed = {f["path"] for f in json.loads((web / "precache.json").read_text())["files"]}
    assert set(generated) <= listed
    assert json.loads((web / "levels" / "index.json").read_text())["packs"] == []
    assert (web / "js" / "constants.js").read_text(encoding="utf-8") == js_constants.render()
    assert "levels/default/pack.json: left out" in out.err
    (web / "vendor" / "lib-1.0" / "lib.js").unlink()
    assert bp.main(["--root", str(web), "--lock", str(lock)]) == 1
    assert "fetch_assets" in capsys.readouterr().err
