"""MoveNet Lightning per frame, per TF.js backend, in Chromium.

Each variant runs in a fresh page of the bare benchmark page (TF.js only, no
Python competing for the CPU): the project's own ``createPoseDetector`` loads
the model on one backend, then ``detector.estimate`` is timed on the five
real camera frames of the video pack, drawn on a canvas, in turn.

Variants: wasm with SIMD, wasm with SIMD and threads (needs a cross-origin
isolated page, so it is served with COEP by a benchmark-only server), wasm
without SIMD, webgl (here SwiftShader: Chromium runs without a GPU) and cpu.
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import Any

from playwright.sync_api import Browser
from playwright.sync_api import Error as PlaywrightError

from bench.browser import BENCH_PAGE, BenchServer
from bench.stats import per_second, summarize
from tools.fetch_test_media import POSE_SEGMENTS

EVALUATE_TIMEOUT_MS = 180_000
FRAME_NAMES = [name for name, _ in POSE_SEGMENTS]

MEASURE_JS = """
async ({backend, simd, threads, threadsCount, frames, warmup, names}) => {
  const tf = globalThis.tf;
  if (backend === "wasm") {
    tf.env().set("WASM_HAS_SIMD_SUPPORT", simd);
    tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", threads);
    // TF.js's default on this machine is half the cores; 0 keeps it.
    if (threadsCount) tf.wasm.setThreadsCount(threadsCount);
  }
  const { createPoseDetector } = await import("/js/detector.js");
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
  // TF.js's threaded wasm starts workers from blob: URLs; if the CSP blocks
  // them it waits forever, so a blocked worker (or a minute) ends the attempt.
  const blocked = new Promise((_, reject) => {
    document.addEventListener("securitypolicyviolation", (event) => {
      reject(new Error(`blocked by the CSP: ${event.violatedDirective} ${event.blockedURI}`));
    });
    setTimeout(() => reject(new Error("backend did not start within 60 s")), 60000);
  });
  const loadStart = performance.now();
  let detector;
  try {
    detector = await Promise.race([createPoseDetector(backend), blocked]);
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
    cross_origin_isolated: globalThis.crossOriginIsolated === true,
  };
  if (backend === "wasm") {
    info.simd = await tf.env().getAsync("WASM_HAS_SIMD_SUPPORT");
    info.threads = await tf.env().getAsync("WASM_HAS_MULTITHREAD_SUPPORT");
    info.threads_count = tf.wasm.getThreadsCount ? tf.wasm.getThreadsCount() : null;
  }
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


@dataclass(frozen=True)
class Variant:
    name: str
    backend: str
    simd: bool = True
    threads: bool = False
    isolated: bool = False
    blob_workers: bool = False
    threads_count: int = 0  # 0: TF.js's default


VARIANTS = (
    Variant("wasm-simd", "wasm"),
    # As the game is served today (plus COEP): the CSP blocks the blob: workers.
    Variant("wasm-simd-threads", "wasm", threads=True, isolated=True),
    # What threads would give if the CSP allowed blob: workers (benchmark-only CSP).
    Variant("wasm-simd-threads-blob", "wasm", threads=True, isolated=True, blob_workers=True),
    Variant(
        "wasm-simd-2threads-blob",
        "wasm",
        threads=True,
        isolated=True,
        blob_workers=True,
        threads_count=2,
    ),
    Variant("wasm-nosimd", "wasm", simd=False),
    Variant("webgl", "webgl"),
    Variant("cpu", "cpu"),
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
    with BenchServer(root, isolated=variant.isolated, blob_workers=variant.blob_workers) as server:
        context = browser.new_context()
        try:
            page = context.new_page()
            page.set_default_timeout(EVALUATE_TIMEOUT_MS)
            console: list[str] = []
            page.on("console", lambda m: console.append(m.text) if m.type == "error" else None)
            page.goto(f"{server.url}/{BENCH_PAGE}")
            try:
                raw: dict[str, Any] = page.evaluate(
                    MEASURE_JS,
                    {
                        "backend": variant.backend,
                        "simd": variant.simd,
                        "threads": variant.threads,
                        "threadsCount": variant.threads_count,
                        "frames": frames,
                        "warmup": warmup,
                        "names": FRAME_NAMES,
                    },
                )
            except PlaywrightError as error:  # a backend that hangs or crashes
                raw = {"error": str(error).splitlines()[0]}
        finally:
            context.close()
    result: dict[str, Any] = {"variant": variant.name, "backend": variant.backend}
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
    if variant.threads and not (raw.get("threads") and raw.get("cross_origin_isolated")):
        result["available"] = False
        result["error"] = "threads did not start (page not cross-origin isolated?)"
    if console:
        result["console"] = sorted(set(console))[:3]
    return result


def run(browser: Browser, root: Path, quick: bool) -> dict[str, Any]:
    variants = [measure(browser, root, variant, quick) for variant in VARIANTS]
    # Best among what the game can use as served (not the relaxed-CSP variants).
    usable = [v for v in variants if v.get("available") and "blob" not in v["variant"]]
    best = min(usable, key=lambda v: v["inference_ms"]["median"]) if usable else None
    return {"variants": variants, "best": best["variant"] if best else None}
