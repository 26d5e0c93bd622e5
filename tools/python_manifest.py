"""``web/py/python.json``, the game's Python for the pages' loader, as the build tools read it.

One reader for tools/build_snapshot.py (what a snapshot is made from) and
tools/repack_archives.py (which archives the pages fetch): the manifest's
paths are relative to it, and none may leave web/.
"""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

from tools.fetch_assets import AssetError

MANIFEST = "py/python.json"  # relative to web/


def web_relative(relative: str) -> str:
    """A path of python.json (relative to it) as a path relative to web/."""
    joined = os.path.normpath(os.path.join(os.path.dirname(MANIFEST), relative))
    if joined.startswith(".."):
        raise AssetError(f"{MANIFEST}: {relative!r} is outside web/")
    return joined.replace(os.sep, "/")


def read(web_root: Path) -> dict[str, Any]:
    """The manifest under ``web_root``; AssetError if it cannot be read or is not an object."""
    try:
        data = json.loads((web_root / MANIFEST).read_text(encoding="utf-8"))
    except (OSError, ValueError) as error:
        raise AssetError(f"cannot read {MANIFEST}: {error}") from error
    if not isinstance(data, dict):
        raise AssetError(f"{MANIFEST} is not a JSON object")
    return data
