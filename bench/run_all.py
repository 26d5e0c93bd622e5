"""Run every benchmark and write bench/results/latest.json and RESULTS.md.

    .venv/bin/python bench/run_all.py [--quick] [--no-wait]

--quick: fewer frames, one start-up of each kind, 3 endurance games (10 in
full).  Before measuring, it waits (up to 15 minutes) for the 1-minute load
average to drop below 1.0, since other work on the machine skews every
figure; the load is recorded either way.
"""

from __future__ import annotations

import argparse
import datetime
import json
import os
import platform
import sys
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
    BenchServer,
    camera_at,
    chromium_version,
    game_url,
    launch,
    wait_for_state,
    web_root,
)
from bench.report import markdown

RESULTS = Path(__file__).resolve().parent / "results"
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


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="fewer samples (a few minutes)")
    parser.add_argument("--no-wait", action="store_true", help="do not wait for a quiet machine")
    parser.add_argument("--games", type=int, help="endurance games (default 3 quick, 10 full)")
    parser.add_argument("--out", type=Path, default=RESULTS, help="folder for the results")
    args = parser.parse_args(argv)
    games = args.games or (3 if args.quick else 10)

    load = wait_for_quiet_machine(0 if args.no_wait else LOAD_WAIT_S)
    results: dict[str, Any] = {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "mode": "quick" if args.quick else "full",
        "machine": machine(),
        "load": load,
    }
    with web_root() as root, sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            attempt("inference", results, lambda: inference.run(browser, root, args.quick))
            attempt("python_cost", results, lambda: python_cost.run(browser, root, args.quick))
            with BenchServer(root) as server:

                def one_game(browser: Browser = browser) -> dict[str, Any]:
                    context = browser.new_context()
                    try:
                        page = context.new_page()
                        page.goto(game_url(server))
                        wait_for_state(page, "start")
                        return loop.run(page)
                    finally:
                        context.close()

                attempt("loop", results, one_game)
                # The same with a 30 frames/s camera (the tests' is 15): the target's rate.
                fast = launch(playwright, camera_at(30))
                try:
                    attempt("loop_30fps", results, lambda: one_game(fast))
                finally:
                    fast.close()
                start = attempt(
                    "startup", results, lambda: startup.run(browser, server, args.quick)
                )
                visit = start.get("first_visit_resources", []) if isinstance(start, dict) else []
            with BenchServer(root) as server:
                attempt("bytes", results, lambda: bytes_bench.run(server, visit))
                attempt("endurance", results, lambda: endurance.run(browser, server, games))
                attempt(
                    "souvenir",
                    results,
                    lambda: souvenir_bench.run(browser, server, 1 if args.quick else 2),
                )
            paths = sorted({r["url"] for r in visit}) or ["/index.html"]
            attempt("server", results, lambda: server_load.run(root, paths, args.quick))
        finally:
            browser.close()
    results["load"]["load_after"] = load_average()

    args.out.mkdir(parents=True, exist_ok=True)
    (args.out / "latest.json").write_text(json.dumps(results, indent=1) + "\n", encoding="utf-8")
    (args.out / "RESULTS.md").write_text(markdown(results), encoding="utf-8")
    print(f"wrote {args.out / 'latest.json'} and {args.out / 'RESULTS.md'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
