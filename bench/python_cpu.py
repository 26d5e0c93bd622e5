"""Python's per-frame work in the game: the main thread's CPU time against
the wall clock, and what else uses the machine's cores meanwhile.

    .venv/bin/python bench/python_cpu.py [--games 2] [--camera-fps 30] [--out DIR]

loop.py's ``python_own`` is wall-clock time: from Python taking a frame to
publishing its view.  When the operating system gives the main thread's
core to another thread in between, the wall clock counts that too.  Here
the games are played under a Chromium trace, and each frame's work is
marked with ``performance.measure`` (the benchmark wraps ``publishView``, as
loop.py does; the game is not changed).  The trace gives every main-thread
task its wall duration (``dur``) and the CPU time its thread spent in it
(``tdur``).  Per frame:

- ``work_wall``: Python's own work, wall clock (loop.py's figure);
- ``task_wall`` and ``task_cpu``: the task that ran it (the worker's message
  that brought the frame, Python's work, the little JavaScript around it);
  ``task_cpu`` bounds the work's CPU time from above;
- ``work_cpu_estimate``: ``work_wall`` times its task's ``task_cpu /
  task_wall``, the work's CPU time if the time off the CPU fell evenly
  over the task.

On Linux, each thread's scheduler figures from /proc (schedstat) over each
game, from the press on Start to the results: how many of the machine's
cores were busy and with what, and how long each busy thread waited for a
CPU while ready to run.  Writes ``python-cpu-DATE.{json,md}`` (with a camera
other than 30 frames/s, ``python-cpu-<N>fps-DATE``).
"""

from __future__ import annotations

import argparse
import bisect
import collections
import json
import os
import sys
import tempfile
import time
from dataclasses import dataclass
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make bench, server, tests, tools importable
    sys.path[:0] = [
        str(Path(__file__).resolve().parent.parent),
        str(Path(__file__).resolve().parent.parent / "web" / "py"),
    ]

from playwright.sync_api import sync_playwright

from bench import loop
from bench.browser import BOOT_TIMEOUT_MS, camera_at, game_url, launch, make_web_root
from bench.report import RESULTS_DIR, write_dated
from bench.run_all import load_average
from bench.stats import summarize
from tests.e2e.helpers import wait_for_state
from tools.local_server import LocalServer

MEASURE_NAME = "python-frame-work"
TRACE_CATEGORIES = ["toplevel", "blink.user_timing"]
TASK_NAMES = ("ThreadControllerImpl::RunTask", "RunTask")  # a main-thread task, with tdur
PROC = Path("/proc")
TOP_THREADS = 8
CAMERA_FPS = 30

# After loop.instrument: each frame's own work becomes a user-timing measure.
MARK_JS = f"""
() => {{
  const bridge = globalThis.poseBridge;
  const publishView = bridge.publishView.bind(bridge);
  bridge.publishView = (workMs = -1) => {{
    const now = performance.now();
    publishView(workMs);
    if (workMs >= 0) performance.measure("{MEASURE_NAME}", {{ start: now - workMs, end: now }});
  }};
}}
"""


@dataclass(frozen=True)
class ThreadTimes:
    """One thread's scheduler figures so far (Linux's /proc/PID/task/TID)."""

    kind: str  # the process: a command, or "chromium <type>" for Chromium's children
    name: str  # the thread's; a process's first thread is called "main" here
    nice: int
    running_s: float  # on a CPU
    waiting_s: float  # ready to run, waiting for a CPU


def thread_times() -> dict[tuple[str, str], ThreadTimes]:
    """Every thread's times so far, by (pid, tid); empty where /proc has no
    schedstat (not Linux, or a kernel without it)."""
    threads: dict[tuple[str, str], ThreadTimes] = {}
    for pid in (entry.name for entry in PROC.glob("[0-9]*")):
        try:
            command = (PROC / pid / "cmdline").read_bytes().replace(b"\0", b" ").decode()
            kind = (PROC / pid / "comm").read_text().strip()
            for process_type in ("gpu-process", "renderer", "utility"):
                if f"--type={process_type}" in command:
                    kind = f"chromium {process_type}"
            for task in (PROC / pid / "task").iterdir():
                stat = (task / "stat").read_text()
                name = "main" if task.name == pid else stat[stat.index("(") + 1 : stat.rindex(")")]
                nice = int(stat[stat.rindex(")") + 2 :].split()[16])
                running_ns, waiting_ns, _ = (task / "schedstat").read_text().split()
                threads[(pid, task.name)] = ThreadTimes(
                    kind, name, nice, int(running_ns) / 1e9, int(waiting_ns) / 1e9
                )
        except (OSError, ValueError, IndexError):
            continue  # the process ended meanwhile, or /proc lacks the figure
    return threads


def cores_busy(
    before: dict[tuple[str, str], ThreadTimes],
    after: dict[tuple[str, str], ThreadTimes],
    seconds: float,
) -> dict[str, Any]:
    """Between two snapshots: cores' worth of CPU used by each kind of
    process and in all, and the busiest threads, each with the share of the
    time it ran and the share it waited for a CPU while ready to run."""
    by_kind: collections.Counter[str] = collections.Counter()
    threads: list[tuple[float, float, ThreadTimes]] = []
    for key, now in after.items():
        then = before.get(key, ThreadTimes(now.kind, now.name, now.nice, 0.0, 0.0))
        running = (now.running_s - then.running_s) / seconds
        if running > 0:
            waiting = (now.waiting_s - then.waiting_s) / seconds
            threads.append((running, waiting, now))
            by_kind[now.kind] += running
    threads.sort(key=lambda row: row[0], reverse=True)
    return {
        "seconds": round(seconds, 1),
        "cores_busy": round(sum(by_kind.values()), 2),
        "by_process": {kind: round(used, 3) for kind, used in by_kind.most_common()},
        "top_threads": [
            {
                "thread": f"{thread.kind}: {thread.name}",
                "nice": thread.nice,
                "running": round(running, 3),
                "waiting": round(waiting, 3),
            }
            for running, waiting, thread in threads[:TOP_THREADS]
        ],
    }


def frame_times(trace: Any) -> list[dict[str, float]]:
    """Each marked frame's work (wall) and the main-thread task that ran it
    (wall and CPU), in ms, from a trace's events."""
    events = trace["traceEvents"] if isinstance(trace, dict) else trace
    opened: dict[Any, dict[str, Any]] = {}
    spans: list[tuple[tuple[int, int], float, float]] = []  # (thread, begin, end) in us
    marks = [e for e in events if e.get("name") == MEASURE_NAME and e.get("ph") in ("b", "e")]
    for event in sorted(marks, key=lambda e: e["ts"]):
        key = (event["pid"], event.get("id2", {}).get("local", event.get("id")))
        if event["ph"] == "b":
            opened[key] = event
        elif key in opened:
            opening = opened.pop(key)
            spans.append(((opening["pid"], opening["tid"]), opening["ts"], event["ts"]))
    threads = {thread for thread, _, _ in spans}
    tasks = sorted(
        (
            e
            for e in events
            if e.get("ph") == "X"
            and e.get("name") in TASK_NAMES
            and "tdur" in e
            and (e["pid"], e["tid"]) in threads
        ),
        key=lambda e: e["ts"],
    )
    starts = [task["ts"] for task in tasks]
    frames = []
    for thread, begin, end in spans:
        # The innermost task that holds the whole span: the latest one to start before it.
        index = bisect.bisect_right(starts, begin) - 1
        while index >= 0 and not (
            (tasks[index]["pid"], tasks[index]["tid"]) == thread
            and tasks[index]["ts"] + tasks[index]["dur"] >= end
        ):
            index -= 1
        if index < 0:
            continue
        task = tasks[index]
        work_wall = (end - begin) / 1000.0
        task_wall, task_cpu = task["dur"] / 1000.0, task["tdur"] / 1000.0
        frames.append(
            {
                "work_wall": work_wall,
                "task_wall": task_wall,
                "task_cpu": task_cpu,
                "work_cpu_estimate": work_wall * min(1.0, task_cpu / task_wall)
                if task_wall
                else 0.0,
            }
        )
    return frames


def measure(games: int, camera_fps: int = CAMERA_FPS) -> dict[str, Any]:
    frames: list[dict[str, float]] = []
    machine: list[dict[str, Any]] = []
    own_p95: list[float] = []
    load_before = load_average()
    with tempfile.TemporaryDirectory(prefix="sap-cpu-") as tmp, sync_playwright() as playwright:
        web = make_web_root(Path(tmp))
        browser = launch(playwright, camera_at(camera_fps))
        try:
            with LocalServer(web) as server:
                page = browser.new_context().new_page()
                page.goto(game_url(server, nosw="1"))
                wait_for_state(page, "start", BOOT_TIMEOUT_MS)
                loop.instrument(page)
                page.evaluate(MARK_JS)
                for index in range(games):
                    trace_path = Path(tmp) / f"trace-{index}.json"
                    browser.start_tracing(
                        page=page, path=str(trace_path), categories=TRACE_CATEGORIES
                    )
                    before, started = thread_times(), time.monotonic()
                    played = loop.play_game(page)
                    machine.append(cores_busy(before, thread_times(), time.monotonic() - started))
                    browser.stop_tracing()
                    own_p95.append(played["python_own_ms"]["p95"])
                    frames += frame_times(json.loads(trace_path.read_text("utf-8")))
        finally:
            browser.close()
    if not frames:
        raise RuntimeError("the trace holds no marked frame: did publishView change?")
    figures = {
        name: summarize([frame[name] for frame in frames])
        for name in ("work_wall", "task_wall", "task_cpu", "work_cpu_estimate")
    }
    slowest = sorted(frames, key=lambda frame: frame["work_wall"])[-max(1, len(frames) // 20) :]
    return {
        "games": games,
        "camera_fps": camera_fps,
        "cpus": os.cpu_count(),
        "load_before": load_before,
        "load_after": load_average(),
        "frames": len(frames),
        "per_frame_ms": figures,
        # The slowest 5% of frames by the wall clock: how much of their task was off the CPU.
        "slowest_5pct_off_cpu_share": round(
            1.0 - sum(f["task_cpu"] for f in slowest) / sum(f["task_wall"] for f in slowest), 3
        ),
        "python_own_ms_p95_by_game": own_p95,
        "machine": machine,
    }


def markdown(result: dict[str, Any]) -> str:
    rows = {
        "work_wall": "Python's own work, wall clock (loop.py's figure)",
        "work_cpu_estimate": "Python's own work, CPU time (estimate)",
        "task_wall": "The task that ran it, wall clock",
        "task_cpu": "The task that ran it, CPU time (bounds the work's)",
    }
    lines = [
        "# Python's per-frame work in the game: CPU time against the wall clock",
        "",
        f"{result['date']}; {result['games']} games of the video pack, "
        f"{result['camera_fps']} frames/s camera, "
        f"MoveNet in its worker, under a Chromium trace ({result['frames']} frames).  "
        f"Load average before {result['load_before']}, after {result['load_after']}.",
        "",
        "| Per frame, ms | median | p95 | max |",
        "|---|---|---|---|",
    ]
    for name, label in rows.items():
        summary = result["per_frame_ms"][name]
        lines.append(f"| {label} | {summary['median']} | {summary['p95']} | {summary['max']} |")
    lines += [
        "",
        "In the slowest 5% of frames (wall clock), the share of their task's time "
        f"the main thread was off the CPU: {result['slowest_5pct_off_cpu_share']}.",
        "",
        "Each game, from the press on Start to the results: the cores busy (of "
        f"the machine's {result['cpus']}), and the busiest threads, with the share of the "
        "time each ran on a CPU and the share it waited for one while ready to run "
        "(nice: its priority, lower runs first).",
        "",
        "| Game | Thread | Nice | Running | Waiting for a CPU |",
        "|---|---|---|---|---|",
    ]
    for index, game in enumerate(result["machine"], start=1):
        label = f"{index} ({game['seconds']} s, {game['cores_busy']} cores busy)"
        for thread in game["top_threads"]:
            lines.append(
                f"| {label} | {thread['thread']} | {thread['nice']} | {thread['running']} | "
                f"{thread['waiting']} |"
            )
            label = ""
    lines.append("")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Python's per-frame work: CPU against wall clock")
    parser.add_argument("--games", type=int, default=2)
    parser.add_argument("--camera-fps", type=int, default=CAMERA_FPS)
    parser.add_argument("--out", type=Path, default=RESULTS_DIR)
    args = parser.parse_args(argv)
    suffix = "" if args.camera_fps == CAMERA_FPS else f"-{args.camera_fps}fps"
    result = measure(args.games, args.camera_fps)
    print(write_dated(result, args.out, f"python-cpu{suffix}", markdown))
    return 0


if __name__ == "__main__":
    sys.exit(main())
