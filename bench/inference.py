"""MoveNet Lightning per frame, bare (no game, no Python competing for the
CPU), in the detector worker as the game runs it and on a page's main thread,
per TF.js backend.

Each variant runs in a fresh page of the bare benchmark page: the project's
own ``WorkerDetector`` (web/js/detector-client.js) or ``createPoseDetector``
(web/js/detector.js) loads the model on one backend, then each of the five
real camera frames of the video pack is analysed in turn.  In the worker a
frame is an ImageBitmap, transferred, read back to pixels in the worker and
analysed, exactly as in the game: the time is from handing it over to the
keypoints coming back.  The worker variants are the game's bare inference
rate, the figure the loop's frame rate is compared with.

Threads: TF.js caps its wasm thread pool at half the logical cores the
worker sees, so on this 2-core machine it always runs one thread; the
threaded variant runs in a copy of web/ whose worker pretends to see 4 cores
(browser.pretend_worker_cores) to measure 2 threads against 1 on the same
2 cores.  The page is cross-origin isolated (server.py's COOP + COEP).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser
from playwright.sync_api import Error as PlaywrightError

from bench.browser import BENCH_PAGE
from bench.stats import per_second, summarize
from tools.fetch_test_media import POSE_SEGMENTS
from tools.local_server import LocalServer

EVALUATE_TIMEOUT_MS = 180_000
FRAME_NAMES = [name for name, _ in POSE_SEGMENTS]

# Shared by both kinds of variant: the five real frames, as canvases.
LOAD_FRAMES_JS = """
async function loadFrames(names) {
  const canvases = [];
  for (const name of names) {
    const image = new Image();
    image.src = `/levels/test-video/${name}.png`;
    await image.decode();
    const canvas = document.createElement("canvas");
    canvas.width = image.naturalWidth;
    canvas.height = image.naturalHeight;
    canvas.getContext("2d").drawImage(image, 0, 0);
    canvases.push(canvas);
  }
  return canvases;
}
"""

WORKER_JS = (
    "async ({backend, threads, frames, warmup, names}) => {"
    + LOAD_FRAMES_JS
    + """
  const { WorkerDetector } = await import("/js/detector-client.js");
  const canvases = await loadFrames(names);
  const loadStart = performance.now();
  let detector;
  try {
    detector = await WorkerDetector.create(backend, threads);
  } catch (error) {
    return { error: String(error && error.message || error) };
  }
  const loadMs = performance.now() - loadStart;
  const analyse = async (canvas) => {
    const image = await createImageBitmap(canvas);
    const start = performance.now();
    const { width, height } = canvas;
    const found = await detector.estimate({ image, t_ms: 0, width, height });
    return [performance.now() - start, found];
  };
  for (let i = 0; i < warmup; i += 1) await analyse(canvases[i % canvases.length]);
  const tensorsBefore = detector.tensorCount();
  const times = [];
  let seen = 0;
  for (let i = 0; i < frames; i += 1) {
    const [ms, found] = await analyse(canvases[i % canvases.length]);
    times.push(ms);
    if (found && found.keypoints) seen += 1;
  }
  const info = {
    backend: detector.backend,
    times,
    load_ms: loadMs,
    found: seen,
    tensors_before: tensorsBefore,
    tensors_after: detector.tensorCount(),
    threads_count: detector.threads,
    cross_origin_isolated: globalThis.crossOriginIsolated === true,
  };
  detector.dispose();
  return info;
}
"""
)

MAIN_JS = (
    "async ({backend, simd, frames, warmup, names}) => {"
    + LOAD_FRAMES_JS
    + """
  const tf = globalThis.tf;
  if (backend === "wasm") tf.env().set("WASM_HAS_SIMD_SUPPORT", simd);
  const { createPoseDetector } = await import("/js/detector.js");
  const canvases = await loadFrames(names);
  const loadStart = performance.now();
  let detector;
  try {
    detector = await createPoseDetector(backend);
  } catch (error) {
    return { error: String(error && error.message || error) };
  }
  const loadMs = performance.now() - loadStart;
  if (detector.backend !== backend) {
    return { error: `asked for ${backend}, got ${detector.backend}` };
  }
  for (let i = 0; i < warmup; i += 1) await detector.estimate(canvases[i % canvases.length]);
  const tensorsBefore = tf.memory().numTensors;
  const times = [];
  let found = 0;
  for (let i = 0; i < frames; i += 1) {
    const start = performance.now();
    const keypoints = await detector.estimate(canvases[i % canvases.length]);
    times.push(performance.now() - start);
    if (keypoints) found += 1;
  }
  const info = {
    backend: detector.backend,
    times,
    load_ms: loadMs,
    found,
    tensors_before: tensorsBefore,
    tensors_after: tf.memory().numTensors,
    threads_count: detector.threads,
    cross_origin_isolated: globalThis.crossOriginIsolated === true,
  };
  if (backend === "wasm") info.simd = await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT");
  if (backend === "webgl") {
    const gl = document.createElement("canvas").getContext("webgl2");
    const ext = gl && gl.getExtension("WEBGL_debug_renderer_info");
    const name = ext ? ext.UNMASKED_RENDERER_WEBGL : gl && gl.RENDERER;
    info.renderer = gl ? String(gl.getParameter(name)) : "no webgl2";
  }
  detector.dispose();
  return info;
}
"""
)


@dataclass(frozen=True)
class Variant:
    name: str
    where: str  # "worker" or "main"
    backend: str
    simd: bool = True
    threads: int = 1  # worker only: wasm threads asked for (needs the 4-core root)


VARIANTS = (
    # The game as it runs: MoveNet in the detector worker.
    Variant("worker-wasm", "worker", "wasm"),
    Variant("worker-wasm-2threads", "worker", "wasm", threads=2),
    # On the page's main thread (?detector=main, and every page before the worker).
    Variant("main-wasm", "main", "wasm"),
    Variant("main-wasm-nosimd", "main", "wasm", simd=False),
    Variant("main-webgl", "main", "webgl"),
    Variant("main-cpu", "main", "cpu"),
)


def frame_counts(variant: Variant, quick: bool) -> tuple[int, int]:
    """(timed frames, warm-up frames): the cpu backend is slow, so fewer."""
    if variant.backend == "cpu":
        return (10, 2) if quick else (30, 3)
    if variant.backend == "webgl":
        return (30, 5) if quick else (100, 10)
    return (60, 10) if quick else (300, 20)


def measure(browser: Browser, root: Path, variant: Variant, quick: bool) -> dict[str, Any]:
    frames, warmup = frame_counts(variant, quick)
    arguments = {
        "backend": variant.backend,
        "simd": variant.simd,
        "threads": variant.threads,
        "frames": frames,
        "warmup": warmup,
        "names": FRAME_NAMES,
    }
    with LocalServer(root) as server:
        context = browser.new_context()
        try:
            page = context.new_page()
            page.set_default_timeout(EVALUATE_TIMEOUT_MS)
            console: list[str] = []
            page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
            page.goto(f"{server.url}/{BENCH_PAGE}")
            script = WORKER_JS if variant.where == "worker" else MAIN_JS
            try:
                raw: dict[str, Any] = page.evaluate(script, arguments)
            except PlaywrightError as error:  # a backend that hangs or crashes
                raw = {"error": str(error).splitlines()[0]}
        finally:
            context.close()
    result: dict[str, Any] = {
        "variant": variant.name,
        "where": variant.where,
        "backend": variant.backend,
    }
    if "error" in raw:
        result["available"] = False
        result["error"] = raw["error"]
        result["console"] = sorted(set(console))[:3]
        return result
    times = raw.pop("times")
    summary = summarize(times)
    result.update(
        available=True,
        inference_ms=summary,
        inferences_per_s=per_second(float(summary["median"])),
        load_ms=round(raw.pop("load_ms"), 1),
        **raw,
    )
    if variant.threads > 1 and raw.get("threads_count") != variant.threads:
        result["available"] = False
        ran = raw.get("threads_count")
        result["error"] = f"asked for {variant.threads} threads, TF.js ran {ran}"
    if console:
        result["console"] = sorted(set(console))[:3]
    return result


def run(browser: Browser, root: Path, threaded_root: Path, quick: bool) -> dict[str, Any]:
    """``threaded_root``: a web root whose worker sees 4 cores (pretend_worker_cores)."""
    variants = [
        measure(browser, threaded_root if v.threads > 1 else root, v, quick) for v in VARIANTS
    ]
    by_name = {v["variant"]: v for v in variants}
    one, two = by_name["worker-wasm"], by_name["worker-wasm-2threads"]
    ratio = None
    if one.get("available") and two.get("available"):
        ratio = round(two["inference_ms"]["median"] / one["inference_ms"]["median"], 3)
    return {
        "variants": variants,
        "bare_worker_rate": one.get("inferences_per_s"),
        "threads_2_vs_1_ms_ratio": ratio,
    }
