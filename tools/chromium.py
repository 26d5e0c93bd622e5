"""How this project starts Debian's Chromium for tests, tools and benchmarks."""

from __future__ import annotations

import os

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")

# This closed network refuses Chromium's background connections (update
# checks, sync, field trials...), so they are all switched off; and every
# host but our own resolves to nowhere, so an attempt to reach one fails loudly.
CHROMIUM_ARGS: tuple[str, ...] = (
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-features=Translate,OptimizationHints,MediaRouter",
    "--host-resolver-rules=MAP * ~NOTFOUND, EXCLUDE 127.0.0.1, EXCLUDE localhost",
)
