"""Shared pieces for the browser benchmarks: a private web root with the test
video pack and a bare benchmark page, our own server (optionally
cross-origin isolated), and Debian's Chromium with the fake camera.

Reuses the browser tests' web-root copy, level pack and Chromium flags
(tests/e2e), so the benchmarks run the page exactly as the tests do.
"""

from __future__ import annotations

import json
import subprocess
import tempfile
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page, Playwright

from server import CONTENT_SECURITY_POLICY, make_server
from staticserver.connections import Server
from tests.e2e.conftest import MEDIA, copy_web_root
from tests.e2e.packs import write_video_pack
from tools.chromium import CHROMIUM, CHROMIUM_ARGS

ROOT = Path(__file__).resolve().parent.parent
VIDEO_PACK = "levels/test-video/pack.json"
BENCH_PAGE = "bench.html"
BOOT_TIMEOUT_MS = 120_000
GAME_TIMEOUT_MS = 120_000

# A page with TF.js and pose-detection only (no Python): the inference and
# Pyodide benchmarks run their own code in it through page.evaluate (the CSP
# allows 'unsafe-eval'; everything else still comes from our own server).
BENCH_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>bench</title>
<link rel="icon" href="favicon.svg" type="image/svg+xml">
<script src="vendor/tfjs-4.22.0/tf.min.js"></script>
<script src="vendor/tfjs-4.22.0/tf-backend-wasm.min.js"></script>
<script src="vendor/pose-detection-2.1.3/pose-detection.min.js"></script>
</head><body></body></html>
"""

# Extra flags: exact heap sizes (performance.memory) and window.gc() so that
# heap samples are taken after a collection, not at a random point.
BENCH_ARGS = ("--enable-precise-memory-info", "--js-flags=--expose-gc")


def make_web_root(parent: Path) -> Path:
    """A copy of web/ plus the video pack (tests/e2e/packs.py) and bench.html."""
    root = copy_web_root(parent / "web")
    write_video_pack(root / "levels" / "test-video")
    (root / BENCH_PAGE).write_text(BENCH_HTML, encoding="utf-8")
    return root


@contextmanager
def web_root() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="sap-bench-") as tmp:
        yield make_web_root(Path(tmp))


class BenchServer:
    """server.py's own server on a free loopback port, in a thread.

    ``isolated=True`` adds ``Cross-Origin-Embedder-Policy: require-corp`` (the
    server already sends COOP and CORP), which makes the page cross-origin
    isolated so that SharedArrayBuffer, and so TF.js's wasm threads, exist.
    ``blob_workers=True`` also adds ``blob:`` to the CSP's worker-src and
    script-src, which TF.js's threaded wasm needs (its workers start from a
    blob: URL and import the backend's code from another blob: URL).
    server.py's defaults are untouched: this is a benchmark-only subclass.
    """

    def __init__(self, root: Path, isolated: bool = False, blob_workers: bool = False) -> None:
        extra: dict[str, str] = {}
        if isolated:
            extra["Cross-Origin-Embedder-Policy"] = "require-corp"
        if blob_workers:
            extra["Content-Security-Policy"] = CONTENT_SECURITY_POLICY.replace(
                "worker-src 'self'", "worker-src 'self' blob:"
            ).replace("script-src 'self'", "script-src 'self' blob:")
        self.httpd: Server = make_server(root, "127.0.0.1", 0, quiet=True, headers=extra)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()

    def __enter__(self) -> BenchServer:
        return self

    def __exit__(self, *_: object) -> None:
        self.stop()


def camera_at(fps: int, camera: str = "poses") -> str:
    """A copy of ``<camera>.y4m`` played at ``fps`` (each frame repeated, so the
    man moves as fast as in the original), made once with ffmpeg; its name.

    The fake camera plays a file at the rate in its header: the tests' 15
    frames/s caps the loop, so the 30 frames/s target needs a faster camera.
    """
    name = f"{camera}-{fps}fps"
    target = MEDIA / f"{name}.y4m"
    if not target.is_file():
        source = MEDIA / f"{camera}.y4m"
        subprocess.run(
            [
                "ffmpeg",
                "-loglevel",
                "error",
                "-y",
                "-i",
                str(source),
                "-vf",
                f"fps={fps}",
                "-pix_fmt",
                "yuv420p",
                str(target),
            ],
            check=True,
        )
    return name


def launch(playwright: Playwright, camera: str = "poses") -> Browser:
    """Chromium with ``.cache/media/<camera>.y4m`` as its camera, auto-accepted."""
    video = MEDIA / f"{camera}.y4m"
    if not video.is_file():
        raise FileNotFoundError(f"{video} is missing: run tools/fetch_test_media.py")
    args = [
        *CHROMIUM_ARGS,
        *BENCH_ARGS,
        "--use-fake-device-for-media-stream",
        f"--use-file-for-fake-video-capture={video}",
        "--use-fake-ui-for-media-stream",
    ]
    return playwright.chromium.launch(executable_path=CHROMIUM, args=args)


def wait_for_state(page: Page, state: str, timeout: float = BOOT_TIMEOUT_MS) -> None:
    """Wait for ``<body data-state=state>``; raise with the page's message on an error screen."""
    page.wait_for_selector(
        f'body[data-state="{state}"], body[data-state="error"]', state="attached", timeout=timeout
    )
    if page.locator("body").get_attribute("data-state") != state:
        detail = page.locator("#error-detail").text_content()
        raise RuntimeError(f"error screen instead of {state!r}: {detail}")


def game_url(server: BenchServer, **query: str) -> str:
    params = "&".join(f"{k}={v}" for k, v in {"pack": VIDEO_PACK, **query}.items())
    return f"{server.url}/index.html?{params}"


def stats(page: Page) -> dict[str, Any]:
    """poseBridge.stats() plus the JS heap (after a garbage collection) and the time."""
    result: dict[str, Any] = page.evaluate(
        """() => {
            if (globalThis.gc) { globalThis.gc(); globalThis.gc(); }
            const s = globalThis.poseBridge.stats();
            return {
                t_ms: performance.now(),
                fps: s.fps,
                inference_ms: s.inference_ms,
                tensors: s.tensors,
                backend: s.backend,
                heap_mb: performance.memory ? performance.memory.usedJSHeapSize / 1e6 : null,
            };
        }"""
    )
    return result


def view(page: Page) -> dict[str, Any]:
    data: dict[str, Any] = json.loads(page.evaluate("() => globalThis.poseBridge.lastView"))
    return data


def chromium_version() -> str:
    try:
        out = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, timeout=30)
        return out.stdout.strip()
    except (OSError, subprocess.SubprocessError) as error:
        return f"unknown ({error})"
