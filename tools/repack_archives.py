"""Repack Pyodide's two big zip archives with every member stored, for a smaller download.

Pyodide's standard library (``python_stdlib.zip``) and its numpy wheel are
zip files whose members are each deflated on their own: 2.4 and 3.1 MB that
brotli cannot shrink further.  The same members *stored* (not compressed) make
a 9 and 12 MB archive that brotli, seeing the whole archive at once, brings
down to about 1.5 and 1.9 MB: two megabytes less on a visitor's first visit
(docs/startup.md, "Smaller on the wire").  The page then reads the members
without inflating them (js/wheel.js, Python's zipimport).

The repacked archives hold exactly the original members, bytes, names, order,
dates and modes; only the compression method differs (:func:`verify`).  They
are written to the folder ``py/python.json`` names (``stdlib`` and
``wheels``), from the files of the same names in its ``repacked_from`` folder
(the pinned, verified Pyodide files of ``assets.lock.json``), and rewritten
only when their bytes would change, so their pre-compressed copies
(tools/precompress.py) stay valid.  The precache manifest lists the repacked
archives instead of the originals (:func:`replaced_originals`), which the
server still serves.

``python3 tools/repack_archives.py [--root WEB_DIR]``; tools/build_snapshot.py
and tools/build_precache.py run it (the snapshot is made from these archives).
"""

from __future__ import annotations

import argparse
import io
import sys
import zipfile
from collections.abc import Sequence
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `tools` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tools import python_manifest
from tools.atomic import write_if_changed
from tools.fetch_assets import AssetError

WEB = Path(__file__).resolve().parent.parent / "web"


def archive_pairs(web_root: Path = WEB) -> list[tuple[str, str]]:
    """(original, repacked) for each archive python.json names, relative to web/."""
    manifest = python_manifest.read(web_root)
    try:
        repacked = [str(manifest["stdlib"]), *map(str, manifest["wheels"])]
        source_folder = str(manifest["repacked_from"])
    except (KeyError, TypeError) as error:
        raise AssetError(f"{python_manifest.MANIFEST} names no archives: {error}") from None
    relative = python_manifest.web_relative
    return [(relative(f"{source_folder}/{Path(path).name}"), relative(path)) for path in repacked]


def replaced_originals(web_root: Path = WEB) -> set[str]:
    """The pinned archives the pages no longer fetch (left out of the precache list)."""
    return {original for original, _ in archive_pairs(web_root)}


def stored(original: bytes) -> bytes:
    """The archive with the same members, each stored instead of compressed."""
    output = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(original)) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_STORED) as target,
    ):
        for member in source.infolist():
            copy = zipfile.ZipInfo(member.filename, member.date_time)
            copy.external_attr = member.external_attr
            copy.create_system = member.create_system
            copy.compress_type = zipfile.ZIP_STORED
            target.writestr(copy, source.read(member))
    return output.getvalue()


def verify(original: bytes, repacked: bytes) -> None:
    """Raise AssetError unless ``repacked`` holds ``original``'s members exactly, all stored."""
    with (
        zipfile.ZipFile(io.BytesIO(original)) as before,
        zipfile.ZipFile(io.BytesIO(repacked)) as after,
    ):
        old, new = before.infolist(), after.infolist()
        if [m.filename for m in old] != [m.filename for m in new]:
            raise AssetError("the repacked archive's members differ from the original's")
        for a, b in zip(old, new, strict=True):
            if b.compress_type != zipfile.ZIP_STORED:
                raise AssetError(f"{b.filename}: not stored")
            if (a.date_time, a.external_attr) != (b.date_time, b.external_attr):
                raise AssetError(f"{b.filename}: date or mode changed")
            if before.read(a) != after.read(b):
                raise AssetError(f"{b.filename}: contents changed")


def repack(web_root: Path = WEB) -> list[str]:
    """Write every repacked archive that is missing or out of date; return those written."""
    written = []
    for original_path, repacked_path in archive_pairs(web_root):
        source = web_root / original_path
        try:
            original = source.read_bytes()
        except OSError as error:
            raise AssetError(
                f"cannot repack {original_path}: {error.strerror}; "
                "run `python3 tools/fetch_assets.py`"
            ) from None
        try:
            data = stored(original)
        except zipfile.BadZipFile as error:
            raise AssetError(f"{original_path} is not a zip archive: {error}") from None
        verify(original, data)
        if write_if_changed(web_root / repacked_path, data):
            written.append(repacked_path)
    return written


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--root", type=Path, default=WEB, help="web folder (default web/)")
    args = parser.parse_args(argv)
    try:
        written = repack(args.root)
    except AssetError as error:
        print(f"repack_archives: {error}", file=sys.stderr)
        return 1
    print(f"repack_archives: wrote {', '.join(written)}" if written else "repack_archives: current")
    return 0


if __name__ == "__main__":
    sys.exit(main())
