"""Write ``web/precache.json``: every file the service worker keeps for offline play.

The list has two parts:

* every pinned third-party file of ``assets.lock.json`` (Pyodide, numpy,
  TF.js, pose-detection, MoveNet), with the lock's sha256 and size;
* our own files under ``web/`` (pages, styles, scripts, Python, level packs,
  favicon), hashed as they are on disk now.

Left out: ``vendor/`` and ``models/`` beyond what the lock lists, the pinned
archives the pages fetch repacked (tools/repack_archives.py), the tests'
temporary packs ``levels/test-*``, hidden and backup files, caches, types the
server does not serve, and ``precache.json`` itself.

Paths are URL paths relative to ``web/``.  ``version`` is derived from every
path and hash, so any change to any file gives a new version, a new cache name
in the service worker (web/sw.js) and a clean replacement of the old cache.

It also makes the pre-compressed copies (``X.br``, ``X.gz``) of every listed
file worth compressing (tools/precompress.py) and records each copy's sha256
and size under the file's ``encodings``: that generated manifest is the lock
of the copies (they depend on the compressors' versions, so they are made on
each machine, never committed), and tests/unit/test_precompress.py checks
that every copy it lists decompresses to exactly the file whose sha256 it
gives (for pinned assets, the sha256 of assets.lock.json).

Before listing, the command compiles the translations (tools/catalogues.py:
``locale/*.po`` into ``web/locale/``), lists the installed level packs
(tools/pack_index.py: ``web/levels/index.json``) and rewrites
``web/js/constants.js`` and the repacked archives ``web/py/lib/`` if they are
stale (tools/js_constants.py, tools/repack_archives.py), so what is listed,
and cached for offline play, is current (:func:`generate`).

``python3 tools/build_precache.py [--root WEB_DIR]``; scripts/serve.sh and
scripts/test.sh run it after fetching the assets.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `tools` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from server import MIME_TYPES
from tools import catalogues, js_constants, pack_index, python_manifest, repack_archives
from tools.atomic import write_atomically
from tools.fetch_assets import LOCK_PATH, AssetError, LockedFile, read_lock, sha256_file
from tools.precompress import compress_file, compress_files, remove_orphans

ROOT = Path(__file__).resolve().parent.parent
WEB = ROOT / "web"
MANIFEST_NAME = "precache.json"
LOCK_PREFIX = "web/"  # the lock's paths are relative to the repository root
FORMAT_VERSION = 1

# Folders filled from the lock only: nothing else in them is ours to cache.
LOCKED_FOLDERS = ("vendor/", "models/")
# Level packs the tests write into a copy of web/ (tests/e2e/conftest.py).
TEST_PACK_PREFIX = "levels/test-"
# What server.py serves; anything else it answers with 404.
SERVED_SUFFIXES = frozenset(MIME_TYPES)


@dataclass(frozen=True)
class PrecacheEntry:
    path: str  # URL path relative to web/, e.g. "vendor/tfjs-4.22.0/tf.min.js"
    sha256: str
    size: int
    # Pre-compressed copies: coding ("br", "gzip") -> {"sha256": ..., "size": ...}.
    encodings: dict[str, dict[str, object]] = field(default_factory=dict)

    def as_json(self) -> dict[str, object]:
        data: dict[str, object] = {"path": self.path, "sha256": self.sha256, "size": self.size}
        if self.encodings:
            data["encodings"] = self.encodings
        return data


def web_path(dest: str) -> str:
    """A lock ``dest`` ("web/vendor/x.js") as a path relative to web/ ("vendor/x.js")."""
    if not dest.startswith(LOCK_PREFIX):
        raise AssetError(f"lock entry {dest!r} is not under web/")
    return dest.removeprefix(LOCK_PREFIX)


def is_own_file(relative: str) -> bool:
    """Whether a file under web/ (path relative to it, with /) is ours to precache."""
    parts = relative.split("/")
    if any(part.startswith(".") or part == "__pycache__" for part in parts):
        return False
    if parts[-1].endswith("~") or relative == MANIFEST_NAME:
        return False
    if relative.startswith(LOCKED_FOLDERS) or relative.startswith(TEST_PACK_PREFIX):
        return False
    return Path(relative).suffix.lower() in SERVED_SUFFIXES


def own_files(web_root: Path) -> list[str]:
    """Our own files under ``web_root``, sorted, as paths relative to it."""
    found = []
    for folder, dirs, files in os.walk(web_root):
        dirs.sort()
        base = Path(folder).relative_to(web_root)
        for name in files:
            relative = (base / name).as_posix()
            if is_own_file(relative):
                found.append(relative)
    return sorted(found)


def manifest_version(entries: Iterable[PrecacheEntry]) -> str:
    """A short hash of every path, hash and size: any change makes a new version."""
    digest = hashlib.sha256()
    for entry in sorted(entries, key=lambda e: e.path):
        digest.update(f"{entry.path}\0{entry.sha256}\0{entry.size}\n".encode())
    return digest.hexdigest()[:16]


def collect(web_root: Path, locked: Sequence[LockedFile]) -> list[PrecacheEntry]:
    """Entries for the lock's files (hashes from the lock) and our own files (hashed now).

    Raises :class:`AssetError` if a locked file is not in ``web_root``.
    """
    entries: dict[str, PrecacheEntry] = {}
    missing = []
    # The pinned archives the pages fetch repacked instead (tools/repack_archives.py).
    replaced = (
        repack_archives.replaced_originals(web_root)
        if (web_root / python_manifest.MANIFEST).is_file()
        else set()
    )
    for item in locked:
        path = web_path(item.dest)
        if path in replaced:
            continue
        if not (web_root / path).is_file():
            missing.append(path)
        entries[path] = PrecacheEntry(path, item.sha256, item.size)
    if missing:
        raise AssetError(
            f"{len(missing)} pinned asset(s) missing in {web_root}, e.g. {missing[0]}; "
            "run `python3 tools/fetch_assets.py`"
        )
    for path in own_files(web_root):
        file = web_root / path
        entries[path] = PrecacheEntry(path, sha256_file(file), file.stat().st_size)
    return [entries[path] for path in sorted(entries)]


def manifest(entries: Sequence[PrecacheEntry]) -> dict[str, object]:
    return {
        "comment": "Files web/sw.js keeps for offline play. Generated by "
        "tools/build_precache.py; do not edit.",
        "format_version": FORMAT_VERSION,
        "version": manifest_version(entries),
        "files": [entry.as_json() for entry in entries],
    }


def write_manifest(web_root: Path, data: dict[str, object]) -> Path:
    """Write ``web_root/precache.json`` atomically (a reader never sees half a file)."""
    target = web_root / MANIFEST_NAME
    write_atomically(target, (json.dumps(data, indent=1) + "\n").encode("utf-8"))
    return target


def with_copies(web_root: Path, entries: Sequence[PrecacheEntry]) -> list[PrecacheEntry]:
    """Make the entries' pre-compressed copies (once) and record them in the entries."""
    remove_orphans(web_root)
    copies = compress_files(web_root, [entry.path for entry in entries])
    return [
        replace(
            entry,
            encodings={
                copy.coding: {"sha256": copy.sha256, "size": copy.size}
                for copy in copies.get(entry.path, [])
            },
        )
        for entry in entries
    ]


def generate(web_root: Path = WEB) -> None:
    """Write the generated files the pages read: the compiled translations
    (``locale/``), the list of installed packs (``levels/index.json``) and,
    when stale, the constants JavaScript shares with Python
    (``js/constants.js``, tools/js_constants.py) and Pyodide's archives
    repacked (``py/lib/``, tools/repack_archives.py).
    Raises AssetError for a translation that cannot be read."""
    if (web_root / "js").is_dir():
        js_constants.write(web_root / "js" / "constants.js")
    if (web_root / python_manifest.MANIFEST).is_file():
        repack_archives.repack(web_root)
    try:
        catalogues.build(catalogues.LOCALE, web_root / "locale")
    except catalogues.CatalogueError as error:
        raise AssetError(f"translations: {error}") from None
    levels = web_root / "levels"
    if levels.is_dir():
        _, _, warnings = pack_index.build(levels)
        for warning in warnings:
            print(f"build_precache: {warning}", file=sys.stderr)


def build(web_root: Path = WEB, lock_path: Path = LOCK_PATH) -> dict[str, object]:
    """Collect the entries for ``web_root``, make their compressed copies, write its
    precache.json (compressed too: every page load asks for it); return the data."""
    data = manifest(with_copies(web_root, collect(web_root, read_lock(lock_path))))
    compress_file(write_manifest(web_root, data))
    return data


def compressed_total(data: dict[str, object], coding: str) -> tuple[int, int]:
    """(files with a ``coding`` copy, bytes on the wire if a browser took the best of each)."""
    files = data["files"]
    assert isinstance(files, list)
    count, total = 0, 0
    for entry in files:
        copy = entry.get("encodings", {}).get(coding)
        count += copy is not None
        total += int(copy["size"]) if copy else int(entry["size"])
    return count, total


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=WEB, help="web folder (default web/)")
    parser.add_argument("--lock", type=Path, default=LOCK_PATH, help="asset lock file")
    args = parser.parse_args(argv)
    try:
        generate(args.root)
        data = build(args.root, args.lock)
    except AssetError as error:
        print(f"build_precache: {error}", file=sys.stderr)
        return 1
    files = data["files"]
    assert isinstance(files, list)
    total = sum(int(entry["size"]) for entry in files)
    compressed, wire = compressed_total(data, "br")
    print(
        f"wrote {args.root / MANIFEST_NAME}: {len(files)} files, "
        f"{total / 1e6:.1f} MB, version {data['version']}; "
        f"{compressed} pre-compressed (.br and .gz): {wire / 1e6:.1f} MB with brotli"
    )
    return 0


if __name__ == "__main__":
    sys.exit(main())
