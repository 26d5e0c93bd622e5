"""Writing a generated file so that a reader (the server, a browser) never sees half of it.

Every build tool writes through here: the data goes to a hidden temporary
file in the target's folder (the server never serves hidden files), is made
readable by all and then renamed over the target in one step.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path


def write_atomically(target: Path, data: bytes, *, mtime_ns: int | None = None) -> None:
    """Replace ``target`` with ``data`` in one step; ``mtime_ns`` sets its modification time
    (tools/precompress.py gives a copy exactly its source's)."""
    target.parent.mkdir(parents=True, exist_ok=True)
    handle, temporary = tempfile.mkstemp(dir=target.parent, prefix=".partial-")
    try:
        with os.fdopen(handle, "wb") as stream:
            stream.write(data)
        os.chmod(temporary, 0o644)
        if mtime_ns is not None:
            os.utime(temporary, ns=(mtime_ns, mtime_ns))
        os.replace(temporary, target)
    finally:
        if os.path.exists(temporary):
            os.unlink(temporary)


def write_if_changed(target: Path, data: bytes) -> bool:
    """Write ``target`` unless it already holds ``data``; whether it was written.
    An untouched file keeps its time, so its compressed copies stay valid."""
    try:
        if target.read_bytes() == data:
            return False
    except OSError:
        pass
    write_atomically(target, data)
    return True
