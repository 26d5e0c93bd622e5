"""Python's per-frame cost, three ways:

- ``in_game``: from the loop benchmark (loop.py): in the real game page, from
  the frame reaching Python until Python published the view (bridge
  crossing, step, render and DOM updates; overlay drawing excluded);
- ``pyodide``: the same core work as the shell does per frame (core_cost.py)
  in Pyodide in Chromium, fed recorded MoveNet keypoints as Float32Arrays,
  without the page (also gives Pyodide's and numpy's own load times);
- ``pyodide_paced``: the same again, one frame every ``PACED_INTERVAL_MS``
  (a 30 frames/s camera) with the event loop idle in between, as in the
  game: between the two, what the rhythm alone costs (colder caches, the
  machine's other work meeting a frame), without the page's work;
- ``cpython``: core_cost.py under this machine's CPython, for comparison.

Part of run_all.py; alone (the last three ways, written as
``python-cost-DATE.{json,md}``)::

    .venv/bin/python bench/python_cost.py [--quick] [--out DIR]
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make bench, server, tests, tools importable
    sys.path[:0] = [
        str(Path(__file__).resolve().parent.parent),
        str(Path(__file__).resolve().parent.parent / "web" / "py"),
    ]

from playwright.sync_api import Browser, sync_playwright

from bench import core_cost
from bench.browser import BENCH_PAGE, VIDEO_PACK, launch, make_web_root
from bench.report import RESULTS_DIR, write_dated
from bench.stats import summarize
from tests.e2e.packs import FIXTURE
from tools.local_server import LocalServer

ROOT = Path(__file__).resolve().parent.parent
WEB_PY = ROOT / "web" / "py"
PARTS = core_cost.PARTS
PACED_INTERVAL_MS = 1000.0 / 30.0  # as the loop benchmark's 30 frames/s camera
WARM_UP = 200  # frames left out of each figure

PYODIDE_JS = """
async ({ files, frames, packJson, benchSource, count, pacedCount, intervalMs }) => {
  const started = performance.now();
  const { loadPyodide } = await import("/vendor/pyodide-0.27.7/pyodide.mjs");
  const pyodide = await loadPyodide({ indexURL: "/vendor/pyodide-0.27.7/" });
  const pyodideReady = performance.now();
  await pyodide.loadPackage("numpy", { messageCallback: () => {} });
  const numpyReady = performance.now();
  for (const [path, text] of Object.entries(files)) {
    const folder = path.slice(0, path.lastIndexOf("/"));
    pyodide.FS.mkdirTree(folder);
    pyodide.FS.writeFile(path, text);
  }
  pyodide.FS.writeFile("/home/pyodide/core_cost.py", benchSource);
  const flats = frames.map((f) => new Float32Array(f.keypoints.flat()));
  pyodide.globals.set("flats", flats);
  pyodide.globals.set("frames_json", JSON.stringify(frames));
  pyodide.globals.set("pack_json", packJson);
  pyodide.globals.set("count", count);
  pyodide.globals.set("paced_count", pacedCount);
  pyodide.globals.set("interval_ms", intervalMs);
  const result = pyodide.runPython(`
import json, sys
sys.path.insert(0, "/home/pyodide/game")
import core_cost
frames = json.loads(frames_json)
get_flat = lambda i: flats[i].to_py()
json.dumps(core_cost.measure(pack_json, frames, get_flat, count))
`);
  const paced = await pyodide.runPythonAsync(`
json.dumps(await core_cost.measure_paced(pack_json, frames, get_flat, paced_count, interval_ms))
`);
  return {
    load_pyodide_ms: pyodideReady - started,
    load_numpy_ms: numpyReady - pyodideReady,
    samples: JSON.parse(result),
    paced: JSON.parse(paced),
  };
}
"""


def game_files() -> dict[str, str]:
    """The core and the presenter, as /home/pyodide/game/... paths."""
    files = {}
    for path in sorted((WEB_PY / "strike_a_pose").glob("*.py")):
        files[f"/home/pyodide/game/strike_a_pose/{path.name}"] = path.read_text("utf-8")
    files["/home/pyodide/game/shell/__init__.py"] = ""  # the real one imports nothing either
    for name in ("presenter.py", "i18n.py"):  # the presenter and what it imports
        files[f"/home/pyodide/game/shell/{name}"] = (WEB_PY / "shell" / name).read_text("utf-8")
    return files


def summarize_parts(samples: dict[str, list[float]]) -> dict[str, Any]:
    return {part: summarize(samples[part], digits=4) for part in PARTS}


def run_cpython(root: Path, count: int) -> dict[str, Any]:
    frames = json.loads(FIXTURE.read_text("utf-8"))["frames"]
    pack_json = (root / VIDEO_PACK).read_text("utf-8")
    flats = [[v for point in f["keypoints"] for v in point] for f in frames]
    core_cost.measure(pack_json, frames, lambda i: flats[i], 200)  # warm-up
    return summarize_parts(core_cost.measure(pack_json, frames, lambda i: flats[i], count))


def run_pyodide(
    browser: Browser, root: Path, count: int, paced_count: int
) -> tuple[dict[str, Any], dict[str, Any]]:
    """The figures back to back, then paced (each after ``WARM_UP`` frames)."""
    frames = json.loads(FIXTURE.read_text("utf-8"))["frames"]
    with LocalServer(root) as server:
        context = browser.new_context()
        try:
            page = context.new_page()
            page.set_default_timeout(180_000)
            page.goto(f"{server.url}/{BENCH_PAGE}")
            raw: dict[str, Any] = page.evaluate(
                PYODIDE_JS,
                {
                    "files": game_files(),
                    "frames": frames,
                    "packJson": (root / VIDEO_PACK).read_text("utf-8"),
                    "benchSource": Path(core_cost.__file__).read_text("utf-8"),
                    "count": count,
                    "pacedCount": paced_count,
                    "intervalMs": PACED_INTERVAL_MS,
                },
            )
        finally:
            context.close()
    samples = {part: values[WARM_UP:] for part, values in raw["samples"].items()}
    paced = {part: values[WARM_UP:] for part, values in raw["paced"].items()}
    back_to_back = {
        "load_pyodide_ms": round(raw["load_pyodide_ms"], 1),
        "load_numpy_ms": round(raw["load_numpy_ms"], 1),
        **summarize_parts(samples),
    }
    return back_to_back, {"interval_ms": round(PACED_INTERVAL_MS, 1), **summarize_parts(paced)}


def run(browser: Browser, root: Path, quick: bool) -> dict[str, Any]:
    count = 1000 if quick else 5000
    paced_count = 300 if quick else 900  # 10 s or 30 s at the camera's pace
    pyodide, paced = run_pyodide(browser, root, count + WARM_UP, paced_count + WARM_UP)
    return {
        "frames": count,
        "paced_frames": paced_count,
        "pyodide": pyodide,
        "pyodide_paced": paced,
        "cpython": run_cpython(root, count),
    }


WAYS = ("pyodide", "pyodide_paced", "cpython")


def markdown(result: dict[str, Any]) -> str:
    rows = [
        "# Python's per-frame core, without the page",
        "",
        f"{result['date']}; {result['frames']} frames back to back, {result['paced_frames']} "
        f"paced (one every {result['pyodide_paced']['interval_ms']} ms); load average before "
        f"{result['load_before']}, after {result['load_after']}.",
        "",
        "| Where | Part | Median ms | p95 ms |",
        "|---|---|---|---|",
    ]
    for where in WAYS:
        for part in PARTS:
            summary = result[where][part]
            rows.append(f"| {where} | {part} | {summary['median']} | {summary['p95']} |")
    return "\n".join([*rows, ""])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Python's per-frame core, without the page")
    parser.add_argument("--quick", action="store_true", help="fewer frames")
    parser.add_argument("--out", type=Path, default=RESULTS_DIR)
    args = parser.parse_args(argv)
    from bench.run_all import load_average  # run_all imports this module

    load_before = load_average()
    with tempfile.TemporaryDirectory(prefix="sap-pycost-") as tmp, sync_playwright() as playwright:
        root = make_web_root(Path(tmp))
        browser = launch(playwright)
        try:
            result = run(browser, root, args.quick)
        finally:
            browser.close()
    result.update(load_before=load_before, load_after=load_average())
    print(write_dated(result, args.out, "python-cost", markdown))
    return 0


if __name__ == "__main__":
    sys.exit(main())
