"""Running one of the build's Node.js scripts (the snapshot maker, the
standard library's compiler), with one way to say why it failed."""

from __future__ import annotations

import shutil
import subprocess
from pathlib import Path

from tools.fetch_assets import AssetError

TIMEOUT_S = 600
# Pyodide prints whole lines of its own minified source with an error: left out.
LONGEST_LINE_SHOWN = 2000


def run(script: Path, *args: Path | str, what: str, timeout_s: float = TIMEOUT_S) -> None:
    """Run ``node script args...``; AssetError naming ``what`` (e.g. "the snapshot
    maker") if Node is missing, takes too long or fails, with the end of its output."""
    node = shutil.which("node")
    if node is None:
        raise AssetError(f"node is not installed: {what} needs Node.js 18+")
    try:
        done = subprocess.run(
            [node, "--no-warnings", str(script), *map(str, args)],
            capture_output=True,
            text=True,
            timeout=timeout_s,
        )
    except subprocess.TimeoutExpired:
        raise AssetError(f"{what} took over {timeout_s:g} s") from None
    if done.returncode != 0:
        lines = (done.stdout + done.stderr).splitlines()
        shown = [line[:300] for line in lines if len(line) < LONGEST_LINE_SHOWN]
        raise AssetError(f"{what} failed:\n" + "\n".join(shown[-15:]))
