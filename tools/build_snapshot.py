"""Build the start-up snapshot: ``web/py/snapshot.bin`` and ``web/py/snapshot.json``.

The snapshot is Pyodide's memory with numpy and the game's modules imported
(``tools/make_snapshot.mjs`` makes it in Node, with the page's own code); a
page that has it in its offline cache restores it instead of starting Python
and importing numpy (docs/startup.md).

``snapshot.json`` ties it to what it was made from: the sha256 of every input
(Pyodide's files, the numpy wheel, the game's Python, the page's loader code,
by their paths under ``web/``).  The page uses the snapshot only when each of
those matches the precache manifest and the snapshot's bytes match their
sha256; anything else starts Python the normal way.

Stored form: only the 4 KiB pages of the memory image that are not all zero
(a third of it is zero), as ``runs`` of ``[offset, length]``; the page
rebuilds the full image (``js/python-runtime.js`` ``expandSnapshot``).

``python3 tools/build_snapshot.py [--root WEB_DIR] [--force]``: does nothing
when the snapshot is up to date; needs Node.js 18+ otherwise.
scripts/serve.sh and scripts/test.sh run it before tools/build_precache.py.
"""

from __future__ import annotations

import argparse
import hashlib
import json
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make `tools` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tools import node_script, python_manifest, repack_archives
from tools.atomic import write_atomically
from tools.fetch_assets import AssetError, sha256_file
from tools.python_manifest import MANIFEST, web_relative

ROOT = Path(__file__).resolve().parent.parent
WEB = ROOT / "web"
MAKER = ROOT / "tools" / "make_snapshot.mjs"
MAKER_FILES = (MAKER, ROOT / "tools" / "node_python.mjs")  # the maker and what it imports
FORMAT_VERSION = 1
PAGE_SIZE = 4096
# Pyodide's files a snapshot depends on (besides the wheels), in its folder.
PYODIDE_FILES = (
    "pyodide.mjs",
    "pyodide.asm.js",
    "pyodide.asm.wasm",
    "pyodide-lock.json",
)
# The page code that installs numpy and restores the snapshot: a change to it
# may change what a snapshot must look like.
LOADER_FILES = ("js/wheel.js", "js/python-runtime.js")


def snapshot_paths(web_root: Path) -> tuple[str, str]:
    """(snapshot.json, snapshot.bin) as paths relative to web/."""
    described = web_relative(str(python_manifest.read(web_root)["snapshot"]))
    return described, described.removesuffix(".json") + ".bin"


def input_paths(web_root: Path) -> list[str]:
    """Every file under web/ the snapshot is made from, relative to web/."""
    manifest = python_manifest.read(web_root)
    pyodide = web_relative(str(manifest["pyodide"]))
    paths = [f"{pyodide}/{name}" for name in PYODIDE_FILES]
    # The archives as the pages fetch them (tools/repack_archives.py).
    paths += [web_relative(str(path)) for path in (manifest["stdlib"], *manifest["wheels"])]
    paths += [web_relative(str(file)) for file in manifest["files"]]
    paths += [MANIFEST, *LOADER_FILES]
    return sorted(set(paths))


def input_hashes(web_root: Path) -> dict[str, str]:
    missing = [path for path in input_paths(web_root) if not (web_root / path).is_file()]
    if missing:
        raise AssetError(
            f"cannot build the snapshot: {missing[0]} is missing; "
            "run `python3 tools/fetch_assets.py`"
        )
    return {path: sha256_file(web_root / path) for path in input_paths(web_root)}


def nonzero_runs(image: bytes, page: int = PAGE_SIZE) -> list[list[int]]:
    """[offset, length] of each stretch of pages that are not all zero."""
    zero = bytes(page)
    runs: list[list[int]] = []
    for offset in range(0, len(image), page):
        chunk = image[offset : offset + page]
        if chunk == zero[: len(chunk)]:
            continue
        if runs and runs[-1][0] + runs[-1][1] == offset:
            runs[-1][1] += len(chunk)
        else:
            runs.append([offset, len(chunk)])
    return runs


def pack(image: bytes, runs: Sequence[Sequence[int]]) -> bytes:
    return b"".join(image[offset : offset + length] for offset, length in runs)


def unpack(stored: bytes, runs: Sequence[Sequence[int]], size: int) -> bytes:
    """The inverse of :func:`pack` (what the page does, for tests)."""
    image = bytearray(size)
    at = 0
    for offset, length in runs:
        image[offset : offset + length] = stored[at : at + length]
        at += length
    if at != len(stored):
        raise ValueError("stored bytes and runs disagree")
    return bytes(image)


def maker_sha256() -> str:
    """One sha256 over the maker's own files: a change to either makes the snapshot stale."""
    digest = hashlib.sha256()
    for path in MAKER_FILES:
        digest.update(path.read_bytes())
    return digest.hexdigest()


def is_up_to_date(web_root: Path) -> bool:
    """Whether snapshot.json describes the inputs as they are and snapshot.bin is intact."""
    described, stored = snapshot_paths(web_root)
    try:
        data = json.loads((web_root / described).read_text(encoding="utf-8"))
        return bool(
            data.get("format_version") == FORMAT_VERSION
            and data.get("maker_sha256") == maker_sha256()
            and data.get("inputs") == input_hashes(web_root)
            and (web_root / stored).stat().st_size == data.get("size")
            and sha256_file(web_root / stored) == data.get("sha256")
        )
    except (OSError, ValueError, AssetError):
        return False


def refuse_if_stale(web_root: Path) -> None:
    """Raise AssetError if ``web_root`` has a snapshot that no longer matches what
    it was made from (tools/export_static.py: an export never ships one)."""
    if not (web_root / MANIFEST).is_file():
        return
    described, _ = snapshot_paths(web_root)
    if (web_root / described).is_file() and not is_up_to_date(web_root):
        raise AssetError(
            "refusing to export: the start-up snapshot does not match the files it was made "
            "from; run `python3 tools/build_snapshot.py`"
        )


def make_raw(web_root: Path, work: Path) -> tuple[bytes, dict[str, Any]]:
    """Run the Node maker; (Pyodide's snapshot bytes, its description)."""
    node_script.run(MAKER, web_root, work, what="the snapshot maker")
    raw = (work / "snapshot.raw").read_bytes()
    description = json.loads((work / "snapshot-libraries.json").read_text(encoding="utf-8"))
    return raw, description


def build(web_root: Path = WEB, force: bool = False) -> dict[str, Any] | None:
    """Make and store the snapshot unless it is up to date; its description,
    or None when nothing had to be done."""
    repack_archives.repack(web_root)  # the archives the snapshot is made from
    if not force and is_up_to_date(web_root):
        return None
    hashes = input_hashes(web_root)
    with tempfile.TemporaryDirectory(prefix="sap-snapshot-") as tmp:
        raw, made = make_raw(web_root, Path(tmp))
    runs = nonzero_runs(raw)
    stored = pack(raw, runs)
    described, stored_path = snapshot_paths(web_root)
    data: dict[str, Any] = {
        "comment": "The start-up snapshot (docs/startup.md). Generated by "
        "tools/build_snapshot.py; do not edit.",
        "format_version": FORMAT_VERSION,
        "file": os.path.relpath(stored_path, os.path.dirname(described)).replace(os.sep, "/"),
        "sha256": hashlib.sha256(stored).hexdigest(),
        "size": len(stored),
        "memory_size": len(raw),
        "runs": runs,
        "pyodide_version": made["pyodide_version"],
        "imports": made["imports"],
        "libraries": made["libraries"],
        "table_length": made["table_length"],
        "page_globals": made["page_globals"],
        "inputs": hashes,
        "maker_sha256": maker_sha256(),
    }
    # The bytes first: a description never names a file that is not there yet.
    write_atomically(web_root / stored_path, stored)
    write_atomically(web_root / described, (json.dumps(data, indent=1) + "\n").encode())
    return data


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=WEB, help="web folder (default web/)")
    parser.add_argument("--force", action="store_true", help="rebuild even if up to date")
    args = parser.parse_args(argv)
    try:
        data = build(args.root, args.force)
    except (AssetError, OSError, ValueError, KeyError) as error:
        print(f"build_snapshot: {error}", file=sys.stderr)
        return 1
    if data is None:
        print("start-up snapshot is up to date")
    else:
        print(
            f"wrote the start-up snapshot: {data['size'] / 1e6:.1f} MB stored "
            f"({data['memory_size'] / 1e6:.1f} MB of memory), {len(data['libraries'])} libraries"
        )
    return 0


if __name__ == "__main__":
    sys.exit(main())
