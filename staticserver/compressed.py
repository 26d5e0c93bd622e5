"""Compressed representations of a file, never made per request.

1. **Pre-compressed copies.**  ``X.br`` and ``X.gz`` beside ``X``, made once at
   build time by tools/precompress.py (also how nginx's ``gzip_static`` and
   ``brotli_static`` find them).  A copy counts only while it is a regular
   file, smaller than ``X``, whose modification time is exactly ``X``'s (the
   build tool sets it so): when ``X`` is edited, replaced or fetched again its
   time changes and the stale copy is ignored until the next build.  A copy
   is never served for a source it was not made from.
2. **Compress once.**  A compressible file without a valid gzip copy (a file
   edited since the build, a folder nobody built) is gzipped in memory at most
   once per (path, size, mtime), however many requests ask at the same time:
   the first compresses, the others wait for its result.  The results are
   kept in a bounded least-recently-used cache.

:data:`COPY_SUFFIXES` lists the codings in the server's order of preference.
"""

from __future__ import annotations

import os
import stat
import threading
import zlib
from collections import OrderedDict
from dataclasses import dataclass, field
from pathlib import Path

# Coding -> suffix of its pre-compressed copy, best first.
COPY_SUFFIXES: dict[str, str] = {"br": ".br", "gzip": ".gz"}
# Smaller files are sent as they are: compression would save less than a packet.
MIN_COMPRESS_BYTES = 1024
# A compressed form is used only if at most this fraction of the original's
# size (the build tool keeps no copy above it; the memory cache sends the
# original instead): a few percent is not worth the client's decoding.
MAX_COMPRESSED_RATIO = 0.95
MEMORY_CACHE_BYTES = 64 * 1024 * 1024
GZIP_LEVEL_IN_MEMORY = 6  # the build uses 9; at request time speed matters more
WAIT_FOR_OTHER_S = 120.0  # how long a request waits for another's compression
READ_BLOCK = 1 << 20


def copy_path(source: Path, coding: str) -> Path:
    return source.with_name(source.name + COPY_SUFFIXES[coding])


def valid_copy(source: Path, source_stat: os.stat_result, coding: str) -> os.stat_result | None:
    """The stat of ``source``'s pre-compressed copy for ``coding`` if it may be served."""
    try:
        copy_stat = os.lstat(copy_path(source, coding))
    except OSError:
        return None
    if (
        stat.S_ISREG(copy_stat.st_mode)
        and copy_stat.st_mtime_ns == source_stat.st_mtime_ns
        and 0 < copy_stat.st_size < source_stat.st_size
    ):
        return copy_stat
    return None


def gzip_stream(path: Path, level: int) -> bytes:
    """``path`` gzipped (RFC 1952, no name, time 0), read in blocks."""
    compressor = zlib.compressobj(level, zlib.DEFLATED, 16 + zlib.MAX_WBITS)
    parts = []
    with path.open("rb") as stream:
        for block in iter(lambda: stream.read(READ_BLOCK), b""):
            parts.append(compressor.compress(block))
    parts.append(compressor.flush())
    return b"".join(parts)


@dataclass
class _Pending:
    done: threading.Event = field(default_factory=threading.Event)
    body: bytes | None = None


class CompressOnce:
    """Gzipped bodies by (path, size, mtime): each compressed at most once."""

    def __init__(self, limit_bytes: int = MEMORY_CACHE_BYTES) -> None:
        self.limit_bytes = limit_bytes
        self.compressions = 0  # how many files were compressed (tests and benchmarks read it)
        self._items: OrderedDict[tuple[str, int, int], bytes | None] = OrderedDict()
        self._pending: dict[tuple[str, int, int], _Pending] = {}
        self._bytes = 0
        self._lock = threading.Lock()

    def gzip(self, path: Path, size: int, mtime_ns: int) -> bytes | None:
        """The gzipped file, or None when gzip does not make it small enough."""
        key = (str(path), size, mtime_ns)
        with self._lock:
            if key in self._items:
                self._items.move_to_end(key)
                return self._items[key]
            pending = self._pending.get(key)
            mine = pending is None
            if pending is None:
                pending = self._pending[key] = _Pending()
        if not mine:
            pending.done.wait(WAIT_FOR_OTHER_S)
            return pending.body
        body: bytes | None = None
        keep = False
        try:
            body = gzip_stream(path, GZIP_LEVEL_IN_MEMORY)
            with self._lock:
                self.compressions += 1
            if len(body) > size * MAX_COMPRESSED_RATIO:
                body = None
            after = path.stat()
            # Changed while we read it: answer this once, keep nothing.
            keep = (after.st_size, after.st_mtime_ns) == (size, mtime_ns)
            if not keep:
                body = None
        finally:
            pending.body = body
            with self._lock:
                del self._pending[key]
                if keep:
                    self._store(key, body)
            pending.done.set()
        return body

    def _store(self, key: tuple[str, int, int], body: bytes | None) -> None:
        cost = len(body) if body else 0
        if cost > self.limit_bytes:
            return
        self._items[key] = body
        self._bytes += cost
        while self._bytes > self.limit_bytes:
            _, dropped = self._items.popitem(last=False)
            self._bytes -= len(dropped) if dropped else 0
