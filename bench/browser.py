"""Shared pieces for the browser benchmarks: a private web root with the test
video pack and a bare benchmark page (also of an earlier git revision, for
before/after figures in one run), our own server, and Debian's Chromium with
the fake camera.

Reuses the browser tests' web-root copy, level packs and helpers (tests/e2e),
and the tools' Chromium flags, server thread and ffmpeg (tools/), so the
benchmarks run the page exactly as the tests do.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import tarfile
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser, Page, Playwright

from server import SECURITY_HEADERS
from tests.e2e.conftest import MEDIA, copy_web_root
from tests.e2e.helpers import with_hooks
from tests.e2e.packs import write_impossible_pack, write_video_pack
from tools.chromium import CHROMIUM, fake_camera_args
from tools.ffmpeg import ffmpeg
from tools.local_server import LocalServer

ROOT = Path(__file__).resolve().parent.parent
VIDEO_PACK = "levels/test-video/pack.json"
BENCH_PAGE = "bench.html"
BARE_PAGE = "bare.html"
# What a revision's web folder is built from (those it has: older ones lack some).
REVISION_PATHS = ("web", "tools", "server.py", "staticserver", "locale", "assets.lock.json")
BOOT_TIMEOUT_MS = 120_000  # longer than the tests': benchmarks also start throttled pages
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

# The start-up benchmark's baseline: Pyodide's own start and numpy's import,
# the plain way (no preloads, no snapshot), and nothing else.
BARE_HTML = """<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>bare</title>
<link rel="icon" href="favicon.svg" type="image/svg+xml">
<script type="module" src="bare.js"></script>
</head><body data-state="loading"></body></html>
"""
BARE_JS = """import { loadPyodide } from "./vendor/pyodide-0.27.7/pyodide.mjs";
const pyodide = await loadPyodide();
await pyodide.loadPackage("numpy");
pyodide.runPython("import numpy");
document.body.dataset.state = "start";
"""

# Extra flags: exact heap sizes (performance.memory) and window.gc() so that
# heap samples are taken after a collection, not at a random point.
BENCH_ARGS = ("--enable-precise-memory-info", "--js-flags=--expose-gc")


def add_bench_pages(root: Path) -> Path:
    """The video pack (tests/e2e/packs.py), bench.html and the bare page, in ``root``."""
    write_video_pack(root / "levels" / "test-video")
    write_impossible_pack(root / "levels" / "test-impossible")
    (root / BENCH_PAGE).write_text(BENCH_HTML, encoding="utf-8")
    (root / BARE_PAGE).write_text(BARE_HTML, encoding="utf-8")
    (root / "bare.js").write_text(BARE_JS, encoding="utf-8")
    return root


def make_web_root(parent: Path) -> Path:
    """A copy of web/ plus the bench pages."""
    return add_bench_pages(copy_web_root(parent / "web"))


@contextmanager
def web_root() -> Iterator[Path]:
    with tempfile.TemporaryDirectory(prefix="sap-bench-") as tmp:
        yield make_web_root(Path(tmp))


@contextmanager
def web_root_at(revision: str) -> Iterator[Path]:
    """The web folder of git ``revision`` (for before/after in the same run): its
    own files from git, the pinned assets its lock names linked from this
    checkout's web/, its own precache.json (and start-up snapshot, if it has
    one) made by its own tools, plus the bench pages."""
    with tempfile.TemporaryDirectory(prefix="sap-bench-rev-") as tmp:
        tree = Path(tmp) / "tree"
        tree.mkdir()
        present = subprocess.run(
            ["git", "ls-tree", "--name-only", revision, "--", *REVISION_PATHS],
            cwd=ROOT,
            capture_output=True,
            text=True,
            check=True,
        ).stdout.split()
        archive = subprocess.run(
            ["git", "archive", "--format=tar", revision, *present],
            cwd=ROOT,
            capture_output=True,
            check=True,
        ).stdout
        with tarfile.open(fileobj=io.BytesIO(archive)) as tar:
            tar.extractall(tree, filter="data")
        lock = json.loads((tree / "assets.lock.json").read_text(encoding="utf-8"))
        for entry in lock["files"]:
            source, target = ROOT / entry["dest"], tree / entry["dest"]
            if not source.is_file():
                raise FileNotFoundError(f"{revision} needs {entry['dest']}, not in this checkout")
            target.parent.mkdir(parents=True, exist_ok=True)
            os.link(source, target)
        env = {**os.environ, "PYTHONPATH": str(tree)}
        for tool in ("build_snapshot.py", "build_precache.py"):
            if (tree / "tools" / tool).is_file():
                subprocess.run([sys.executable, f"tools/{tool}"], cwd=tree, env=env, check=True)
        yield add_bench_pages(tree / "web")


def revision_headers(revision: str) -> dict[str, str | None]:
    """The security headers server.py sent at ``revision`` (for LocalServer):
    its SECURITY_HEADERS, and None for any header it did not send."""
    source = subprocess.run(
        ["git", "-C", str(ROOT), "show", f"{revision}:server.py"],
        check=True,
        capture_output=True,
        text=True,
    ).stdout
    namespace: dict[str, Any] = {"__name__": "server_at_revision", "__file__": str(ROOT / "x.py")}
    exec(compile(source, f"{revision}:server.py", "exec"), namespace)
    old: dict[str, str] = namespace["SECURITY_HEADERS"]
    return {name: old.get(name) for name in {*SECURITY_HEADERS, *old}}


def pretend_worker_cores(root: Path, cores: int) -> None:
    """Make the detector worker in this (copied) web root see ``cores``
    logical cores.  TF.js caps its wasm thread pool at half the logical cores
    the worker sees, so on a 2-core machine it never runs 2 threads; with 4
    it may.  Benchmark-only: the copy's detector-worker.js is replaced (never
    written through a hard link to web/)."""
    worker = root / "js" / "detector-worker.js"
    text = worker.read_text("utf-8")
    (root / "js" / "bench-cores.js").write_text(
        "Object.defineProperty(WorkerNavigator.prototype, 'hardwareConcurrency', "
        f"{{ get: () => {cores} }});\n",
        encoding="utf-8",
    )
    worker.unlink()  # a hard link to web/js/detector-worker.js: never write through it
    worker.write_text('import "./bench-cores.js";\n' + text, encoding="utf-8")


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
        ffmpeg(["-i", str(source), "-vf", f"fps={fps}", "-pix_fmt", "yuv420p", str(target)])
    return name


def launch(playwright: Playwright, camera: str = "poses") -> Browser:
    """Chromium with ``.cache/media/<camera>.y4m`` as its camera, auto-accepted."""
    args = [*fake_camera_args(MEDIA / f"{camera}.y4m"), *BENCH_ARGS]
    return playwright.chromium.launch(executable_path=CHROMIUM, args=args)


def game_url(server: LocalServer, **query: str) -> str:
    """The game with the video pack (and ``query``), its test hooks on (helpers.view)."""
    params = "&".join(f"{k}={v}" for k, v in {"pack": VIDEO_PACK, **query}.items())
    return with_hooks(f"{server.url}/index.html?{params}")


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
                detector: s.detector || "main",
                threads: s.threads || 1,
                heap_mb: performance.memory ? performance.memory.usedJSHeapSize / 1e6 : null,
            };
        }"""
    )
    return result


def chromium_version() -> str:
    try:
        out = subprocess.run([CHROMIUM, "--version"], capture_output=True, text=True, timeout=30)
        return out.stdout.strip()
    except (OSError, subprocess.SubprocessError) as error:
        return f"unknown ({error})"


def evaluate_in_worker(browser: Browser, page: Page, url_part: str, expression: str) -> Any:
    """Evaluate ``expression`` in the page's dedicated worker whose script URL
    contains ``url_part`` (over CDP: Playwright has no handle on a worker's
    own scope), and return its value (JSON-serialisable)."""
    origin = page.evaluate("() => location.origin")
    session = browser.new_browser_cdp_session()
    try:
        targets = session.send("Target.getTargets")["targetInfos"]
        workers = [
            t
            for t in targets
            if t["type"] == "worker" and t["url"].startswith(origin) and url_part in t["url"]
        ]
        if not workers:
            raise RuntimeError(f"no worker {url_part!r} on {origin}")
        attached = session.send(
            "Target.attachToTarget", {"targetId": workers[-1]["targetId"], "flatten": False}
        )
        replies: list[dict[str, Any]] = []
        session.on(
            "Target.receivedMessageFromTarget",
            lambda event: replies.append(json.loads(event["message"])),
        )
        message = {
            "id": 1,
            "method": "Runtime.evaluate",
            "params": {"expression": expression, "returnByValue": True, "awaitPromise": True},
        }
        session.send(
            "Target.sendMessageToTarget",
            {"sessionId": attached["sessionId"], "message": json.dumps(message)},
        )
        for _ in range(300):  # events arrive while Playwright waits, not during time.sleep
            answer = next((r for r in replies if r.get("id") == 1), None)
            if answer is not None:
                if "error" in answer or "exceptionDetails" in answer.get("result", {}):
                    raise RuntimeError(f"worker evaluation failed: {answer}")
                return answer["result"]["result"].get("value")
            page.wait_for_timeout(100)
        raise TimeoutError("the worker did not answer")
    finally:
        session.detach()


# The detector worker's Resource Timing (it fetches TF.js, the wasm backend
# and MoveNet itself), with times moved to the page's clock.
WORKER_RESOURCES_JS = """
({
  origin: performance.timeOrigin,
  entries: performance.getEntriesByType("resource").map((e) => ({
    url: new URL(e.name).pathname,
    start_ms: e.startTime,
    end_ms: e.responseEnd,
    transfer: e.transferSize,
    encoded: e.encodedBodySize,
    decoded: e.decodedBodySize,
  })),
})
"""


def detector_worker_resources(browser: Browser, page: Page) -> list[dict[str, Any]]:
    """What the detector worker downloaded, as the page's own Resource Timing rows."""
    found = evaluate_in_worker(browser, page, "detector-worker.js", WORKER_RESOURCES_JS)
    shift = float(found["origin"]) - float(page.evaluate("() => performance.timeOrigin"))
    rows: list[dict[str, Any]] = found["entries"]
    for row in rows:
        row["start_ms"] += shift
        row["end_ms"] += shift
    return rows
