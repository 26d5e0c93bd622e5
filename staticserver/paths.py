"""A request path to a servable file under the root, or None."""

from __future__ import annotations

import posixpath
import urllib.parse
from pathlib import Path


def is_hidden(parts: list[str] | tuple[str, ...]) -> bool:
    """Whether any segment is hidden (``.git``, ``.env``, an editor's ``.x.swp``)."""
    return any(part.startswith(".") for part in parts)


def resolve_request_path(root: Path, raw_path: str) -> Path | None:
    """Map a request path to a file under ``root``, or None if it is not servable.

    Refuses encoded or plain ``..``, NUL, backslashes, hidden segments (a name
    starting with ``.``, in the URL or in the real path a symlink leads to),
    and anything whose real path (after following symlinks) leaves the root.
    A directory maps to its index.html; there are no listings.
    """
    if raw_path.startswith("/"):
        # Origin form.  Not urlsplit: it would read "//etc/x" as host "etc", path "/x".
        path = raw_path.partition("?")[0].partition("#")[0]
    else:
        # Absolute form ("GET http://host/path"), which HTTP/1.1 servers must accept.
        parts_of_url = urllib.parse.urlsplit(raw_path)
        if parts_of_url.scheme not in ("http", "https"):
            return None
        path = parts_of_url.path
    try:
        path = urllib.parse.unquote(path, errors="strict")
    except UnicodeDecodeError:
        return None
    if "\x00" in path or "\\" in path or not path.startswith("/"):
        return None
    parts = [p for p in path.split("/") if p]
    if is_hidden(parts):  # also catches "." and ".."
        return None
    normal = posixpath.normpath("/" + "/".join(parts))
    try:
        real_root = root.resolve()
        candidate = (root / normal.lstrip("/")).resolve()
        if candidate != real_root and real_root not in candidate.parents:
            return None
        if candidate.is_dir():
            candidate = (candidate / "index.html").resolve()
            if real_root not in candidate.parents:
                return None
        if is_hidden(candidate.relative_to(real_root).parts):
            return None
        return candidate if candidate.is_file() else None
    except (OSError, RuntimeError):
        # A name too long for the filesystem, a symlink loop (RuntimeError before
        # Python 3.13), a file we may not read: not servable, and no crash.
        return None
