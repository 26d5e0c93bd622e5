"""Start-up: time to 'ready to play' (the start screen), cold and warm.

Cold: a fresh browser context, so an empty HTTP cache.  Warm: a reload in the
same context (the pinned vendor/ files are cached as immutable; the rest is
revalidated).  Times are from navigation start, taken by a MutationObserver
on the loading stages (#stage-python / #stage-model / #stage-levels
data-status) and on <body data-state>.  Python (Pyodide + numpy + the game's
files) and the model load in parallel.  Camera: from the Start click to the
first analysed frame.  Each page's resource list (with the detector worker's
own downloads) feeds the bytes benchmark.
"""

from __future__ import annotations

import contextlib
import time
from typing import Any

from playwright.sync_api import Browser, Page

from bench import loop
from bench.browser import BOOT_TIMEOUT_MS, detector_worker_resources, game_url
from bench.stats import summarize
from tests.e2e.helpers import wait_for_state
from tools.local_server import LocalServer

MARKS_JS = """
(() => {
  const marks = {};
  globalThis.__startup = marks;
  new MutationObserver((records) => {
    for (const record of records) {
      const element = record.target;
      const name = element.id || element.tagName.toLowerCase();
      const key = `${name}:${element.getAttribute(record.attributeName)}`;
      if (!(key in marks)) marks[key] = performance.now();
    }
  }).observe(document, {
    subtree: true, attributes: true, attributeFilter: ["data-status", "data-state"],
  });
})();
"""

RESOURCES_JS = """
() => [
  ...performance.getEntriesByType("navigation"),
  ...performance.getEntriesByType("resource"),
].map((e) => ({
  url: new URL(e.name).pathname,
  start_ms: e.startTime,
  end_ms: e.responseEnd,
  transfer: e.transferSize,
  encoded: e.encodedBodySize,
  decoded: e.decodedBodySize,
}))
"""

MARKS = {
    "python_ms": "stage-python:done",
    "model_ms": "stage-model:done",
    "levels_ms": "stage-levels:done",
    "ready_ms": "body:start",
}
# Downloads worth naming in the split: when each finished arriving.
KEY_FILES = {
    "pyodide.asm.wasm": "pyodide_wasm_arrived_ms",
    "python_stdlib.zip": "stdlib_arrived_ms",
    "numpy-": "numpy_wheel_arrived_ms",
    "movenet-lightning.bin": "model_weights_arrived_ms",
    "tf.min.js": "tfjs_arrived_ms",
}


def measure_page(browser: Browser, page: Page) -> dict[str, Any]:
    wait_for_state(page, "start", BOOT_TIMEOUT_MS)
    marks: dict[str, float] = page.evaluate("() => globalThis.__startup")
    resources: list[dict[str, Any]] = page.evaluate(RESOURCES_JS)
    # The detector worker fetches TF.js, its wasm and MoveNet itself: its own
    # Resource Timing holds them (there is no worker with ?detector=main).
    with contextlib.suppress(RuntimeError):
        resources += detector_worker_resources(browser, page)
    figures: dict[str, Any] = {
        name: round(marks[key], 1) if key in marks else None for name, key in MARKS.items()
    }
    for resource in resources:
        for fragment, name in KEY_FILES.items():
            if fragment in resource["url"] and name not in figures:
                figures[name] = round(resource["end_ms"], 1)
    loop.instrument(page)
    page.locator("#start-button").click()
    deadline = time.monotonic() + 30
    first = None
    while first is None and time.monotonic() < deadline:
        first = page.evaluate(
            "() => globalThis.__bench.first_frame_at === null ? null"
            " : globalThis.__bench.first_frame_at - globalThis.__bench.clicked_at"
        )
        time.sleep(0.05)
    figures["camera_ms"] = round(first, 1) if first is not None else None
    return {"figures": figures, "resources": resources}


def run(browser: Browser, server: LocalServer, quick: bool, repeats: int = 0) -> dict[str, Any]:
    repeats = repeats or (1 if quick else 3)
    cold: list[dict[str, Any]] = []
    warm: list[dict[str, Any]] = []
    first_visit: list[dict[str, Any]] = []
    for _ in range(repeats):
        context = browser.new_context()
        try:
            context.add_init_script(MARKS_JS)
            page = context.new_page()
            page.goto(game_url(server))
            measured = measure_page(browser, page)
            cold.append(measured["figures"])
            first_visit = measured["resources"]
            page.reload()
            warm.append(measure_page(browser, page)["figures"])
        finally:
            context.close()
    return {
        "repeats": repeats,
        "cold": combine(cold),
        "warm": combine(warm),
        "cold_runs": cold,
        "warm_runs": warm,
        "first_visit_resources": first_visit,
    }


def combine(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The median of each figure over the runs."""
    names = sorted({name for run in runs for name in run})
    combined: dict[str, Any] = {}
    for name in names:
        values = [run[name] for run in runs if run.get(name) is not None]
        combined[name] = summarize(values, digits=1)["median"] if values else None
    return combined
