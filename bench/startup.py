"""Start-up: time to 'ready to play' (the start screen), cold, warm and on a
phone-class CPU, against a bare page that only starts Pyodide and imports
numpy, all in the same run.

Cold: a fresh browser context (empty HTTP cache, no service worker).  Warm: a
reload in the same context once the service worker has saved the game for
offline play (the start screen says "Ready for offline"), as on a visitor's
second visit; that is when the start-up snapshot is used (docs/startup.md).
Throttled: cold with ``Emulation.setCPUThrottlingRate`` 4.  Bare:
``bare.html`` (written by bench/browser.py) loads Pyodide and numpy the plain
way, ``loadPyodide()`` then ``loadPackage("numpy")`` and ``import numpy``.

Times are from navigation start, taken by a MutationObserver on the loading
stages (#stage-python / #stage-model / #stage-levels data-status) and on
<body data-state>, plus the loader's own marks (``python:*``, see
js/python-loader.js).  Each cold page's resource list (with the detector
worker's own downloads) feeds the bytes benchmark and the check that the big
downloads run at once.

Before/after in the same run: ``python bench/startup.py --before REF`` builds
the web folder of git revision REF beside the current one and measures both,
interleaved, with the bare page (results in bench/results/startup-*.json/md).
"""

from __future__ import annotations

import argparse
import contextlib
import sys
import time
from collections.abc import Iterator
from contextlib import ExitStack
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make bench, server, tests, tools importable
    sys.path[:0] = [str(Path(__file__).resolve().parent.parent)]

from playwright.sync_api import Browser, Page, sync_playwright

from bench import bytes as bytes_bench
from bench import loop
from bench.browser import (
    BARE_PAGE,
    BOOT_TIMEOUT_MS,
    detector_worker_resources,
    game_url,
    launch,
    revision_headers,
    web_root,
    web_root_at,
)
from bench.report import RESULTS_DIR, write_dated
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
  request_ms: e.requestStart,
  end_ms: e.responseEnd,
  transfer: e.transferSize,
  encoded: e.encodedBodySize,
  decoded: e.decodedBodySize,
}))
"""

LOADER_MARKS_JS = """
() => Object.fromEntries(performance.getEntriesByType("mark")
  .filter((m) => m.name.startsWith("python:")).map((m) => [m.name.slice(7), m.startTime]))
"""

MARKS = {
    "python_ms": "stage-python:done",
    "model_ms": "stage-model:done",
    "levels_ms": "stage-levels:done",
    "ready_ms": "body:start",
}
# The big downloads, by a fragment of their path: when each finished arriving.
KEY_FILES = {
    "pyodide.asm.wasm": "pyodide_wasm_arrived_ms",
    "python_stdlib.zip": "stdlib_arrived_ms",
    "pyodide-lock.json": "pyodide_lock_arrived_ms",
    "numpy-": "numpy_wheel_arrived_ms",
    "tfjs-backend-wasm-simd.wasm": "tfjs_wasm_arrived_ms",
    "movenet-lightning.json": "model_json_arrived_ms",
    "movenet-lightning.bin": "model_weights_arrived_ms",
    "tf.min.js": "tfjs_arrived_ms",
    "/pack.json": "pack_arrived_ms",
}
THROTTLE_RATE = 4  # Emulation.setCPUThrottlingRate: a phone-class CPU
OFFLINE_READY_TIMEOUT_MS = 300_000


def downloads_at_once(resources: list[dict[str, Any]]) -> dict[str, Any]:
    """Whether every big download started before the first of them finished
    (each URL's first request: a second one is answered from the cache)."""
    first: dict[str, dict[str, Any]] = {}
    for r in resources:
        first.setdefault(r["url"], r)
    big = [r for r in first.values() if any(f in r["url"] for f in KEY_FILES) and r["end_ms"] > 0]
    if not big:
        return {"files": 0}
    last_start = max(big, key=lambda r: r["start_ms"])
    first_end = min(big, key=lambda r: r["end_ms"])
    return {
        "files": len(big),
        "last_start_ms": round(last_start["start_ms"], 1),
        "last_started": last_start["url"],
        "first_end_ms": round(first_end["end_ms"], 1),
        "first_finished": first_end["url"],
        "at_once": last_start["start_ms"] < first_end["end_ms"],
    }


def measure_page(browser: Browser, page: Page, camera: bool = True) -> dict[str, Any]:
    """Figures of the page just navigated (or reloaded), once it is ready."""
    wait_for_state(page, "start", BOOT_TIMEOUT_MS)
    marks: dict[str, float] = page.evaluate("() => globalThis.__startup")
    resources: list[dict[str, Any]] = page.evaluate(RESOURCES_JS)
    # The detector worker fetches TF.js, its wasm and MoveNet itself (from the
    # HTTP cache the page's preloads filled): its own Resource Timing, after
    # the page's rows (there is no worker on the bare page).
    with contextlib.suppress(RuntimeError):
        resources += detector_worker_resources(browser, page)
    figures: dict[str, Any] = {
        name: round(marks[key], 1) if key in marks else None for name, key in MARKS.items()
    }
    for resource in resources:
        for fragment, name in KEY_FILES.items():
            if fragment in resource["url"] and name not in figures:
                figures[name] = round(resource["end_ms"], 1)
    for name, at in page.evaluate(LOADER_MARKS_JS).items():
        figures[f"loader_{name.replace('-', '_')}_ms"] = round(at, 1)
    figures["python_start"] = page.evaluate("() => document.body.dataset.pythonStart || ''")
    if camera and page.locator("#start-button").count():
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


def wait_until_offline_ready(page: Page) -> float:
    """Seconds until the service worker has saved the game (0 if the page has none)."""
    started = time.monotonic()
    if page.locator("#offline-status").count():
        ready = '#offline-status[data-status="ready"]'
        page.wait_for_selector(ready, state="attached", timeout=OFFLINE_READY_TIMEOUT_MS)
    return round(time.monotonic() - started, 1)


def cold_and_warm(browser: Browser, url: str, camera: bool = True) -> dict[str, Any]:
    """One cold start, then a warm one (reload once saved for offline) in the same context."""
    context = browser.new_context()
    try:
        context.add_init_script(MARKS_JS)
        page = context.new_page()
        page.goto(url)
        cold = measure_page(browser, page, camera)
        saved_s = wait_until_offline_ready(page)
        page.reload()
        warm = measure_page(browser, page, camera)
        warm["figures"]["offline_saved_after_s"] = saved_s
        return {"cold": cold, "warm": warm}
    finally:
        context.close()


def throttled_cold(browser: Browser, url: str) -> dict[str, Any]:
    context = browser.new_context()
    try:
        context.add_init_script(MARKS_JS)
        page = context.new_page()
        session = context.new_cdp_session(page)
        session.send("Emulation.setCPUThrottlingRate", {"rate": THROTTLE_RATE})
        page.goto(url)
        return measure_page(browser, page, camera=False)
    finally:
        context.close()


def combine(runs: list[dict[str, Any]]) -> dict[str, Any]:
    """The median of each numeric figure over the runs (text figures: the last)."""
    names = sorted({name for run in runs for name in run})
    combined: dict[str, Any] = {}
    for name in names:
        values = [run[name] for run in runs if run.get(name) is not None]
        numbers = [v for v in values if isinstance(v, int | float) and not isinstance(v, bool)]
        if numbers:
            combined[name] = summarize(numbers, digits=1)["median"]
        else:
            combined[name] = values[-1] if values else None
    return combined


def _ratio(a: Any, b: Any) -> float | None:
    if isinstance(a, int | float) and isinstance(b, int | float) and b:
        return round(a / b, 2)
    return None


def measure(
    browser: Browser, targets: dict[str, str], repeats: int, throttle: bool = True
) -> dict[str, Any]:
    """Interleaved runs of each target URL (name -> URL): cold, warm, and throttled cold."""
    runs: dict[str, dict[str, list[dict[str, Any]]]] = {
        name: {"cold": [], "warm": [], "throttled_cold": []} for name in targets
    }
    resources: dict[str, list[dict[str, Any]]] = {}
    for repeat in range(repeats):
        for name, url in targets.items():
            print(f"  start-up {name}, run {repeat + 1}/{repeats}", flush=True)
            camera = name != "bare"
            both = cold_and_warm(browser, url, camera)
            runs[name]["cold"].append(both["cold"]["figures"])
            runs[name]["warm"].append(both["warm"]["figures"])
            at_once = downloads_at_once(both["cold"]["resources"])
            runs[name].setdefault("at_once", []).append(at_once)
            resources[name] = both["cold"]["resources"]
        if throttle:
            for name, url in targets.items():
                print(f"  start-up {name}, CPU x{THROTTLE_RATE}, run {repeat + 1}", flush=True)
                runs[name]["throttled_cold"].append(throttled_cold(browser, url)["figures"])
    result: dict[str, Any] = {"repeats": repeats, "throttle_rate": THROTTLE_RATE}
    for name in targets:
        result[name] = {
            kind: combine(values) for kind, values in runs[name].items() if kind != "at_once"
        }
        result[name]["runs"] = {k: v for k, v in runs[name].items() if k != "at_once"}
        result[name]["downloads_at_once"] = runs[name].get("at_once", [])
        result[name]["first_visit_resources"] = resources[name]
    return result


def ratios(result: dict[str, Any], new: str, old: str | None) -> dict[str, Any]:
    """Same-run ratios: new/old for each kind, and warm start / bare page."""
    out: dict[str, Any] = {}
    for kind in ("cold", "warm", "throttled_cold"):
        if old:
            out[f"{kind}_{new}_over_{old}"] = _ratio(
                result[new][kind].get("ready_ms"), result[old][kind].get("ready_ms")
            )
    if "bare" in result:
        for name in (new, old):
            if name:
                for kind in ("cold", "warm", "throttled_cold"):
                    out[f"{kind}_{name}_over_bare"] = _ratio(
                        result[name][kind].get("ready_ms"), result["bare"][kind].get("ready_ms")
                    )
    return out


def run(
    browser: Browser, server: LocalServer, quick: bool, repeats: int = 0, extras: bool = True
) -> dict[str, Any]:
    """The current game (bench/run_all.py); with ``extras``, also throttled and the bare page."""
    repeats = repeats or (1 if quick else 3)
    targets = {"game": game_url(server)}
    if extras:
        targets["bare"] = f"{server.url}/{BARE_PAGE}"
    result = measure(browser, targets, repeats, throttle=extras)
    result["ratios"] = ratios(result, "game", None)
    # What the other benchmarks read: the game's figures at the top level.
    result["cold"] = result["game"]["cold"]
    result["warm"] = result["game"]["warm"]
    result["throttled_cold"] = result["game"]["throttled_cold"]
    result["first_visit_resources"] = result["game"]["first_visit_resources"]
    return result


def compare(before: str, repeats: int) -> dict[str, Any]:
    """``before`` (a git revision) against the working tree, and the bare page."""
    with ExitStack() as stack:
        old_root = stack.enter_context(web_root_at(before))
        new_root = stack.enter_context(web_root())
        # The before page with the headers it was served with then.
        old = stack.enter_context(LocalServer(old_root, revision_headers(before)))
        new = stack.enter_context(LocalServer(new_root))
        playwright = stack.enter_context(sync_playwright())
        browser = launch(playwright)
        stack.callback(browser.close)
        targets = {
            "before": game_url(old),
            "after": game_url(new),
            "bare": f"{new.url}/{BARE_PAGE}",
        }
        result = measure(browser, targets, repeats)
        for name, server, root in (("before", old, old_root), ("after", new, new_root)):
            result[name]["bytes"] = {
                "first_visit": bytes_bench.first_visit_summary(
                    result[name]["first_visit_resources"]
                ),
                "offline_copy": bytes_bench.offline_copy(server, root),
            }
    result["before_revision"] = before
    result["ratios"] = ratios(result, "after", "before")
    return result


def _rows(result: dict[str, Any], names: list[str]) -> Iterator[str]:
    figures = [
        ("ready_ms", "Ready to play (start screen)"),
        ("python_ms", "Python ready"),
        ("model_ms", "Model ready"),
        ("levels_ms", "Level pack loaded"),
    ]
    yield (
        "| Milestone (ms from navigation) | "
        + " | ".join(
            f"{name} {kind}" for kind in ("cold", "warm", "throttled_cold") for name in names
        )
        + " |"
    )
    yield "|---|" + "---|" * (3 * len(names))
    for key, label in figures:
        cells = [
            str(result[name][kind].get(key))
            for kind in ("cold", "warm", "throttled_cold")
            for name in names
        ]
        yield f"| {label} | " + " | ".join(cells) + " |"


def markdown(result: dict[str, Any]) -> str:
    names = [n for n in ("before", "after", "game", "bare") if n in result]
    lines = [
        f"# Start-up, {result.get('date', '')}",
        "",
        f"Before: `{result.get('before_revision', '-')}`; {result['repeats']} run(s) each, "
        f"medians; throttled: CPU x{result['throttle_rate']}.",
        "",
        *_rows(result, names),
        "",
        "| Same-run ratio | Value |",
        "|---|---|",
        *(f"| {k} | {v} |" for k, v in result["ratios"].items()),
        "",
        "Python started from: "
        + ", ".join(
            f"{n} warm = {result[n]['warm'].get('python_start') or '-'}"
            for n in names
            if n != "bare"
        ),
        "",
        "| First visit, MB | uncompressed | on the wire | offline copy (service worker), "
        "on the wire |",
        "|---|---|---|---|",
        *(
            f"| {n} | {result[n]['bytes']['first_visit']['uncompressed_mb']} | "
            f"{result[n]['bytes']['first_visit']['on_the_wire_mb']} | "
            f"{result[n]['bytes']['offline_copy']['on_the_wire_mb']} |"
            for n in names
            if "bytes" in result[n]
        ),
        "",
        "Big downloads at once (cold, each run): "
        + "; ".join(
            f"{n}: {[r.get('at_once') for r in result[n]['downloads_at_once']]}"
            for n in names
            if n != "bare"
        ),
    ]
    return "\n".join(lines) + "\n"


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="start-up before/after in the same run")
    parser.add_argument("--before", default="main", help="git revision to compare against")
    parser.add_argument("--repeats", type=int, default=3)
    parser.add_argument("--out", type=Path, default=RESULTS_DIR)
    args = parser.parse_args(argv)
    print(write_dated(compare(args.before, args.repeats), args.out, "startup", markdown))
    return 0


if __name__ == "__main__":
    sys.exit(main())
