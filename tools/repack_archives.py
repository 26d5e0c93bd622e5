"""Repack Pyodide's two big zip archives with every member stored, for a smaller download.

Pyodide's standard library (``python_stdlib.zip``) and its numpy wheel are
zip files whose members are each deflated on their own: 2.4 and 3.1 MB that
brotli cannot shrink further.  The same members *stored* (not compressed) make
a 9 and 12 MB archive that brotli, seeing the whole archive at once, brings
down to about 1.5 and 1.9 MB: two megabytes less on a visitor's first visit
(docs/startup.md, Decision 4).  The page then reads the members
without inflating them (js/wheel.js, Python's zipimport).

The wheel holds exactly the original members, bytes, names, order, dates and
modes; only the compression method differs (:func:`verify`).  The standard
library also leaves out what cannot work in a browser or serves only a
developer at a terminal (``LEFT_OUT_OF_STDLIB``), and the modules a start
imports come compiled, by the pinned Pyodide itself, as unchecked-hash
``.pyc`` files in place of their sources (tools/stdlib_bytecode.py): a cold
start then compiles none of them.  Each ``.pyc`` is checked to be made from
exactly the original member's bytes.  The archives
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
import hashlib
import io
import sys
import zipfile
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `tools` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tools import python_manifest, stdlib_bytecode
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


# Left out of the standard library as the game ships it: what cannot work in
# a browser tab (processes, sockets, servers, mail and network clients) or
# serves only a developer at a terminal (test runners, the debugger, help()).
# None of it is imported by the game or by Pyodide; 0.3 MB less on the wire.
LEFT_OUT_OF_STDLIB = (
    "multiprocessing/",
    "xmlrpc/",
    "wsgiref/",
    "socketserver.py",
    "http/server.py",
    "smtplib.py",
    "imaplib.py",
    "poplib.py",
    "ftplib.py",
    "nntplib.py",
    "telnetlib.py",
    "mailbox.py",
    "cgi.py",
    "cgitb.py",
    "unittest/",
    "doctest.py",
    "pdb.py",
    "pydoc.py",
    "tabnanny.py",
    "pickletools.py",
)


@dataclass(frozen=True)
class Changes:
    """How a repacked archive may differ from the original besides being stored:
    members left out (by prefix), and sources replaced by their compiled .pyc."""

    left_out: tuple[str, ...] = ()
    compiled: dict[str, stdlib_bytecode.Compiled] = field(default_factory=dict)

    def leaves_out(self, name: str) -> bool:
        return name.startswith(self.left_out) if self.left_out else False


NO_CHANGES = Changes()


def stored(original: bytes, changes: Changes = NO_CHANGES) -> bytes:
    """The archive with the same members, each stored instead of compressed
    (less those ``changes`` leaves out, with those it compiled as .pyc)."""
    output = io.BytesIO()
    with (
        zipfile.ZipFile(io.BytesIO(original)) as source,
        zipfile.ZipFile(output, "w", zipfile.ZIP_STORED) as target,
    ):
        for member in source.infolist():
            if changes.leaves_out(member.filename):
                continue
            compiled = changes.compiled.get(member.filename)
            name = compiled.member if compiled else member.filename
            copy = zipfile.ZipInfo(name, member.date_time)
            copy.external_attr = member.external_attr
            copy.create_system = member.create_system
            copy.compress_type = zipfile.ZIP_STORED
            target.writestr(copy, compiled.pyc if compiled else source.read(member))
    return output.getvalue()


def verify(original: bytes, repacked: bytes, changes: Changes = NO_CHANGES) -> None:
    """Raise AssetError unless ``repacked`` holds ``original``'s members, all stored,
    as they are but for ``changes``: each left-out member gone, each compiled one
    replaced by a .pyc made from exactly its bytes."""
    with (
        zipfile.ZipFile(io.BytesIO(original)) as before,
        zipfile.ZipFile(io.BytesIO(repacked)) as after,
    ):
        kept = [m for m in before.infolist() if not changes.leaves_out(m.filename)]
        new = after.infolist()
        expected = [
            changes.compiled[m.filename].member if m.filename in changes.compiled else m.filename
            for m in kept
        ]
        if expected != [m.filename for m in new]:
            raise AssetError("the repacked archive's members differ from the original's")
        for a, b in zip(kept, new, strict=True):
            if b.compress_type != zipfile.ZIP_STORED:
                raise AssetError(f"{b.filename}: not stored")
            if (a.date_time, a.external_attr) != (b.date_time, b.external_attr):
                raise AssetError(f"{b.filename}: date or mode changed")
            compiled = changes.compiled.get(a.filename)
            if compiled is None:
                if before.read(a) != after.read(b):
                    raise AssetError(f"{b.filename}: contents changed")
                continue
            if hashlib.sha256(before.read(a)).hexdigest() != compiled.source_sha256:
                raise AssetError(f"{b.filename}: compiled from another source than {a.filename}")
            if after.read(b) != compiled.pyc:
                raise AssetError(f"{b.filename}: not the compiled module")


def changes_for(web_root: Path, original_path: str, repacked_path: str) -> Changes:
    """The standard library loses what a browser cannot use and gets its start's
    modules compiled; a wheel is only repacked."""
    if repacked_path != python_manifest.web_relative(str(python_manifest.read(web_root)["stdlib"])):
        return NO_CHANGES
    compiled = stdlib_bytecode.compiled(web_root)
    return Changes(LEFT_OUT_OF_STDLIB, {module.source: module for module in compiled})


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
            changes = changes_for(web_root, original_path, repacked_path)
            data = stored(original, changes)
        except zipfile.BadZipFile as error:
            raise AssetError(f"{original_path} is not a zip archive: {error}") from None
        verify(original, data, changes)
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
