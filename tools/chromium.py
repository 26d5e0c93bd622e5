"""How this project starts Debian's Chromium for tests, tools and benchmarks."""

from __future__ import annotations

import os
from pathlib import Path

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


def fake_camera_args(video: Path | None, auto_accept: bool = True) -> list[str]:
    """CHROMIUM_ARGS plus a fake camera that plays the y4m file ``video`` (None:
    no camera device at all), its permission granted without asking unless
    ``auto_accept`` is false (then the page's request is refused)."""
    args = list(CHROMIUM_ARGS)
    if video is not None:
        if not video.is_file():
            raise FileNotFoundError(f"{video} is missing: run tools/fetch_test_media.py")
        args += ["--use-fake-device-for-media-stream", f"--use-file-for-fake-video-capture={video}"]
    if auto_accept:
        args.append("--use-fake-ui-for-media-stream")
    return args
