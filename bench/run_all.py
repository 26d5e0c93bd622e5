"""Run every benchmark and write bench/results/latest.json and RESULTS.md.

    .venv/bin/python bench/run_all.py [--quick] [--no-wait] [--before REV]

--quick: fewer frames, one start-up of each kind, 3 endurance games (10 in
full), fewer Skip presses.  --before REV: also run the loop, tap-to-paint and
throttled-CPU benchmarks on the game as it was at git revision REV (its web/,
served with the headers its server.py sent), in the same run, for
before/after ratios.  Before measuring, it waits (up to 15 minutes) for the
1-minute load average to drop below 1.0, since other work on the machine
skews every figure; the load is recorded either way.
"""

from __future__ import annotations

import argparse
import contextlib
import datetime
import json
import os
import platform
import sys
import tempfile
import time
import traceback
from collections.abc import Callable
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make bench, server, tests, tools importable
    sys.path[:0] = [
        str(Path(__file__).resolve().parent.parent),
        str(Path(__file__).resolve().parent.parent / "web" / "py"),
    ]

from playwright.sync_api import Browser, sync_playwright

from bench import bytes as bytes_bench
from bench import endurance, inference, loop, python_cost, server_load, startup
from bench import souvenir as souvenir_bench
from bench.browser import (
    BOOT_TIMEOUT_MS,
    camera_at,
    chromium_version,
    game_url,
    launch,
    make_web_root,
    pretend_worker_cores,
    revision_headers,
    web_root_at,
)
from bench.report import RESULTS_DIR, markdown
from tests.e2e.helpers import view, wait_for_state
from tools.local_server import LocalServer

LOAD_LIMIT = 1.0
LOAD_WAIT_S = 15 * 60
LOAD_POLL_S = 20


def load_average() -> list[float]:
    return [round(x, 2) for x in os.getloadavg()]


def wait_for_quiet_machine(max_wait_s: float) -> dict[str, Any]:
    started = time.monotonic()
    while True:
        one_minute = load_average()[0]
        waited = time.monotonic() - started
        if one_minute < LOAD_LIMIT:
            return {"quiet": True, "waited_s": round(waited), "load_before": load_average()}
        if waited >= max_wait_s:
            return {"quiet": False, "waited_s": round(waited), "load_before": load_average()}
        print(f"load {one_minute} >= {LOAD_LIMIT}: waiting", flush=True)
        time.sleep(LOAD_POLL_S)


def machine() -> dict[str, Any]:
    cpu = "unknown"
    with open("/proc/cpuinfo", encoding="utf-8") as info:
        for line in info:
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    with open("/proc/meminfo", encoding="utf-8") as info:
        total_kb = int(info.readline().split()[1])
    return {
        "cpu": cpu,
        "cores": os.cpu_count(),
        "ram_gb": round(total_kb / 1e6, 1),
        "gpu": "none (Chromium runs with --disable-gpu; WebGL is SwiftShader)",
        "os": platform.platform(),
        "python": platform.python_version(),
        "chromium": chromium_version(),
    }


def attempt(name: str, results: dict[str, Any], work: Callable[[], Any]) -> Any:
    """Run one benchmark; a failure is recorded, not fatal to the others."""
    print(f"[{time.strftime('%H:%M:%S')}] {name} ...", flush=True)
    started = time.monotonic()
    try:
        value = work()
    except Exception as error:
        traceback.print_exc()
        value = {"error": f"{type(error).__name__}: {error}"}
    results[name] = value
    print(f"  {name}: {time.monotonic() - started:.0f} s", flush=True)
    return value


IMPOSSIBLE_PACK = "levels/test-impossible/pack.json"
THROTTLE_RATE = 4  # CDP Emulation.setCPUThrottlingRate: a phone-class CPU


def play_one(
    browser: Browser,
    server: LocalServer,
    throttle: int = 1,
    watch_results_s: float = 0.0,
    **query: str,
) -> dict[str, Any]:
    """One game of the video pack in a fresh context: the loop's figures and
    the outcome.  ``throttle``: CPU throttling from the start screen on (CDP
    throttles the page's main thread only; Chrome refuses it for workers).
    ``watch_results_s``: then watch the results screen for that long (the
    souvenir is made) and add its longest main-thread task,
    ``results_longest_task_ms``."""
    context = browser.new_context()
    try:
        page = context.new_page()
        # No service worker: its background download of the whole game for
        # offline play would compete with the game for the CPU.
        page.goto(game_url(server, nosw="1", **query))
        wait_for_state(page, "start", BOOT_TIMEOUT_MS)
        if throttle > 1:
            cdp = context.new_cdp_session(page)
            cdp.send("Emulation.setCPUThrottlingRate", {"rate": throttle})
        game = loop.run(page)
        game["outcome"] = view(page)["outcome"]
        game["throttle"] = throttle
        if watch_results_s > 0:
            time.sleep(watch_results_s)
            after = page.evaluate(loop.DRAIN_JS)["long_tasks"] or []
            game["results_longest_task_ms"] = round(max((d for _, d in after), default=0.0), 1)
        return game
    finally:
        context.close()


def tap_one(browser: Browser, server: LocalServer, presses: int, **query: str) -> dict[str, Any]:
    """Skip presses during play of a pack nobody can win (so levels never clear)."""
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(game_url(server, pack=IMPOSSIBLE_PACK, nosw="1", **query))
        wait_for_state(page, "start", BOOT_TIMEOUT_MS)
        return loop.tap_to_paint(page, presses)
    finally:
        context.close()


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer samples (a few minutes)")
    parser.add_argument("--no-wait", action="store_true", help="do not wait for a quiet machine")
    parser.add_argument("--games", type=int, help="endurance games (default 3 quick, 10 full)")
    parser.add_argument("--before", metavar="REV", help="git revision to compare with")
    parser.add_argument("--out", type=Path, default=RESULTS_DIR, help="folder for the results")
    args = parser.parse_args(argv)
    games = args.games or (3 if args.quick else 10)
    presses = 10 if args.quick else 20

    load = wait_for_quiet_machine(0 if args.no_wait else LOAD_WAIT_S)
    results: dict[str, Any] = {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "mode": "quick" if args.quick else "full",
        "machine": machine(),
        "load": load,
        "before_revision": args.before,
    }
    with (
        tempfile.TemporaryDirectory(prefix="sap-bench-") as tmp,
        sync_playwright() as playwright,
        contextlib.ExitStack() as stack,
    ):
        root = make_web_root(Path(tmp) / "now")
        four_cores = make_web_root(Path(tmp) / "four-cores")
        pretend_worker_cores(four_cores, 4)
        before_root = stack.enter_context(web_root_at(args.before)) if args.before else None
        before_headers = revision_headers(args.before) if args.before else None
        browser = launch(playwright)
        fast = launch(playwright, camera_at(30))
        try:
            attempt(
                "inference", results, lambda: inference.run(browser, root, four_cores, args.quick)
            )
            attempt("python_cost", results, lambda: python_cost.run(browser, root, args.quick))
            with (
                LocalServer(root) as server,
                LocalServer(four_cores) as threaded,
                LocalServer(before_root or root, headers=before_headers) as before,
            ):
                # The tests' 15 frames/s camera, then a 30 frames/s copy of the
                # same video (the target's rate), in the worker and on the main
                # thread, with 2 wasm threads, and as the game was (--before).
                attempt("loop", results, lambda: play_one(browser, server))
                attempt("loop_30fps", results, lambda: play_one(fast, server))
                attempt("loop_30fps_main", results, lambda: play_one(fast, server, detector="main"))
                attempt("loop_30fps_2threads", results, lambda: play_one(fast, threaded))
                if args.before:
                    attempt("loop_30fps_before", results, lambda: play_one(fast, before))
                # Tap-to-paint for Skip during play.
                attempt("tap", results, lambda: tap_one(fast, server, presses))
                attempt(
                    "tap_main", results, lambda: tap_one(fast, server, presses, detector="main")
                )
                if args.before:
                    attempt("tap_before", results, lambda: tap_one(fast, before, presses))
                # A phone-class CPU: does the video still win, at what rate?
                attempt("throttled", results, lambda: play_one(fast, server, THROTTLE_RATE))
                attempt(
                    "throttled_main",
                    results,
                    lambda: play_one(fast, server, THROTTLE_RATE, detector="main"),
                )
                if args.before:
                    attempt(
                        "throttled_before", results, lambda: play_one(fast, before, THROTTLE_RATE)
                    )
                start = attempt(
                    "startup", results, lambda: startup.run(browser, server, args.quick)
                )
                visit = start.get("first_visit_resources", []) if isinstance(start, dict) else []
            with LocalServer(root) as server:
                attempt("bytes", results, lambda: bytes_bench.run(server, root, visit))
                attempt("endurance", results, lambda: endurance.run(browser, server, games))
                attempt(
                    "souvenir",
                    results,
                    lambda: souvenir_bench.run(browser, server, 1 if args.quick else 2),
                )
            paths = sorted({r["url"] for r in visit}) or ["/index.html"]
            attempt("server", results, lambda: server_load.run(root, paths, args.quick))
        finally:
            fast.close()
            browser.close()
    results["load"]["load_after"] = load_average()

    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "latest.json").write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    (args.out / "RESULTS.md").write_text(markdown(results), encoding="utf-8")
    print(f"wrote {args.out / 'latest.json'} and {args.out / 'RESULTS.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
