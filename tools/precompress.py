"""Pre-compressed copies of the served files, made once at build time.

For each file worth compressing (a type in server.py's ``COMPRESSIBLE``, at
least ``MIN_COMPRESS_BYTES``), ``X.br`` (brotli, quality 11) and ``X.gz``
(gzip, level 9) are written beside ``X``.  server.py and nginx (``gzip_static``,
``brotli_static``) send them as they are: nothing is compressed per request.

* A copy is kept only if it is at most ``MAX_COMPRESSED_RATIO`` of the
  original's size; files that do not shrink (zip, wheel, pictures) get none.
* Each copy's modification time is set to exactly its source's: that is how
  the server tells a copy made from the file as it is now from a stale one
  (staticserver/compressed.py).  A source edited since gets fresh copies on
  the next build; until then the server ignores the stale ones.
* A valid copy is not made again (brotli 11 takes half a minute on
  pyodide.asm.wasm); copies whose source is gone are deleted.
* Written atomically: a reader never sees half a copy.

brotli comes from the pinned PyPI package ``brotli`` (pyproject.toml, extra
``build``), used here at build time only; the server needs only the standard
library.  tools/build_precache.py and tools/export_static.py call this and
record each copy's sha256 and size in the precache manifest.
"""

from __future__ import annotations

import hashlib
import os
import sys
import zlib
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `server` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from server import COMPRESSIBLE
from staticserver.compressed import (
    COPY_SUFFIXES,
    MAX_COMPRESSED_RATIO,
    MIN_COMPRESS_BYTES,
    copy_path,
    valid_copy,
)
from tools.atomic import write_atomically
from tools.fetch_assets import AssetError

BROTLI_QUALITY = 11
GZIP_LEVEL = 9
# Brotli's text mode tunes its model for UTF-8; the rest (wasm, weights) is generic.
TEXT_SUFFIXES = frozenset(
    {".html", ".js", ".mjs", ".css", ".json", ".webmanifest", ".toml", ".py", ".txt", ".md", ".svg"}
)
INSTALL_HINT = "pip install -e '.[build]' (the pinned brotli package)"


@dataclass(frozen=True)
class CompressedCopy:
    coding: str  # "br" or "gzip"
    sha256: str
    size: int


def worth_compressing(path: Path, size: int) -> bool:
    return path.suffix.lower() in COMPRESSIBLE and size >= MIN_COMPRESS_BYTES


def _brotli(data: bytes, text: bool) -> bytes:
    try:
        import brotli  # type: ignore[import-untyped]  # build time only, never in the server
    except ImportError:
        raise AssetError(f"brotli is missing: {INSTALL_HINT}") from None
    mode = brotli.MODE_TEXT if text else brotli.MODE_GENERIC
    compressed: bytes = brotli.compress(data, mode=mode, quality=BROTLI_QUALITY)
    return compressed


def _gzip(data: bytes) -> bytes:
    # No file name and time 0 in the header: the same input gives the same bytes.
    compressor = zlib.compressobj(GZIP_LEVEL, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    return compressor.compress(data) + compressor.flush()


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def compress_file(source: Path) -> list[CompressedCopy]:
    """Make (or keep) the copies of one file; return the ones that exist now."""
    stat = source.stat()
    if not worth_compressing(source, stat.st_size):
        for coding in COPY_SUFFIXES:
            copy_path(source, coding).unlink(missing_ok=True)
        return []
    data: bytes | None = None
    made = []
    makers: dict[str, Callable[[bytes], bytes]] = {
        "br": lambda raw: _brotli(raw, source.suffix.lower() in TEXT_SUFFIXES),
        "gzip": _gzip,
    }
    for coding, make in makers.items():
        target = copy_path(source, coding)
        if valid_copy(source, stat, coding):
            compressed = target.read_bytes()
        else:
            if data is None:
                data = source.read_bytes()
            compressed = make(data)
            if len(compressed) > stat.st_size * MAX_COMPRESSED_RATIO:
                target.unlink(missing_ok=True)  # not worth it: sent as it is
                continue
            write_atomically(target, compressed, mtime_ns=stat.st_mtime_ns)
        made.append(CompressedCopy(coding, _sha256(compressed), len(compressed)))
    if source.stat().st_mtime_ns != stat.st_mtime_ns:
        raise AssetError(f"{source} changed while it was being compressed; run the build again")
    return made


def compress_files(root: Path, relative_paths: Iterable[str]) -> dict[str, list[CompressedCopy]]:
    """Copies for each of ``relative_paths`` under ``root`` (only those that have any)."""
    found = {}
    for relative in relative_paths:
        copies = compress_file(root / relative)
        if copies:
            found[relative] = copies
    return found


def remove_orphans(root: Path) -> list[Path]:
    """Delete copies whose source is gone (a renamed or deleted file); return them."""
    removed = []
    suffixes = tuple(COPY_SUFFIXES.values())
    for folder, _dirs, files in os.walk(root):
        for name in files:
            if not name.endswith(suffixes):
                continue
            copy = Path(folder) / name
            source = copy.with_name(copy.stem)  # "x.js.br" -> "x.js"
            if source.suffix.lower() in COMPRESSIBLE and not source.exists():
                copy.unlink()
                removed.append(copy)
    return removed
