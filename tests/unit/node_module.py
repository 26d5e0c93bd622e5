"""Running an ES module in Node from a unit test: it may import the page's
modules (web/js/) by their file URLs. scripts/test.sh needs Node.js anyway
(the assets, the snapshot, tsc), so a missing Node fails, never skips."""

from __future__ import annotations

import json
import shutil
import subprocess
import tempfile
from pathlib import Path
from typing import Any

NODE = shutil.which("node")


def run_module(script: str, *args: str, timeout_s: float = 120) -> Any:
    """Run ``script`` as an ES module with ``args`` (its ``process.argv.slice(2)``);
    what it printed, read as JSON."""
    assert NODE, "node is not installed (scripts/test.sh needs Node.js for the assets anyway)"
    with tempfile.TemporaryDirectory(prefix="sap-node-") as work:
        module = Path(work) / "check.mjs"
        module.write_text(script, encoding="utf-8")
        done = subprocess.run(
            [NODE, "--no-warnings", str(module), *args],
            capture_output=True,
            text=True,
            timeout=timeout_s,
        )
    assert done.returncode == 0, done.stderr[-2000:]
    return json.loads(done.stdout)
