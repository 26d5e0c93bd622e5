"""The game loop now against the game at an earlier git revision, in one run:

    .venv/bin/python bench/loop_compare.py --before REV [--rounds 3] [--out DIR]

Games of the video pack with the 30 frames/s camera, MoveNet in its worker,
alternating before / now / now / before ... so that the machine's drift
falls on both sides, each in a fresh browser context (as run_all.py plays
them).  The bare worker inference rate (inference.py, MoveNet alone in the
detector worker of the working tree) is measured before and after the games,
and each loop's frames/s is divided by their mean: issue 12's "loop over
bare inference" figure, for both revisions in the same run (the bare rate
is inference.py's, from the median inference; the rate from the mean is
given too, as the loop's frames/s is a mean).  Also per revision: the
in-game inference, the main thread's longest task during play and in the
RESULTS_WATCH_S after the results screen appears (when the souvenir picture
is made), and Python's own work per frame.  Writes ``loop-DATE.json`` and ``loop-DATE.md`` in DIR.
"""

from __future__ import annotations

import argparse
import statistics
import sys
import tempfile
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make bench, server, tests, tools importable
    sys.path[:0] = [
        str(Path(__file__).resolve().parent.parent),
        str(Path(__file__).resolve().parent.parent / "web" / "py"),
    ]

from playwright.sync_api import sync_playwright

from bench import inference
from bench.browser import camera_at, launch, make_web_root, revision_headers, web_root_at
from bench.report import RESULTS_DIR, write_dated
from bench.run_all import load_average, play_one
from tools.local_server import LocalServer

BARE = next(v for v in inference.VARIANTS if v.name == "worker-wasm")
LABELS = ("before", "now")
RESULTS_WATCH_S = 3.0  # after the results screen appears: the souvenir is made


def bare_rates(browser: Any, root: Path) -> tuple[float, float]:
    """Inferences per second of MoveNet alone in the detector worker, from
    the median inference and from the mean."""
    measured = inference.measure(browser, root, BARE, quick=True)
    if not measured.get("available"):
        raise RuntimeError(f"the bare inference did not run: {measured.get('error')}")
    return float(measured["inferences_per_s"]), 1000.0 / float(measured["inference_ms"]["mean"])


def game_figures(game: dict[str, Any]) -> dict[str, Any]:
    return {
        "loop_fps": game["loop_fps"],
        "camera_fps": game["camera_fps"],
        "inference_ms_median": game["inference_ms"].get("median"),
        "longest_task_ms": game.get("longest_task_ms"),
        "long_tasks": game.get("long_tasks"),
        "results_longest_task_ms": game["results_longest_task_ms"],
        "python_own_ms_median": game["python_own_ms"].get("median"),
        "python_own_ms_p95": game["python_own_ms"].get("p95"),
        "frame_to_screen_ms_median": game["frame_to_screen_ms"].get("median"),
        "outcome": game.get("outcome"),
    }


def compare(before: str, rounds: int) -> dict[str, Any]:
    games: dict[str, list[dict[str, Any]]] = {label: [] for label in LABELS}
    bare: list[tuple[float, float]] = []
    load_before = load_average()
    with tempfile.TemporaryDirectory(prefix="sap-loop-") as tmp, sync_playwright() as playwright:
        now_root = make_web_root(Path(tmp))
        with web_root_at(before) as before_root:
            browser = launch(playwright)
            fast = launch(playwright, camera_at(30))
            try:
                bare.append(bare_rates(browser, now_root))
                with (
                    LocalServer(before_root, headers=revision_headers(before)) as old,
                    LocalServer(now_root) as new,
                ):
                    servers = {"before": old, "now": new}
                    for round_index in range(rounds):
                        order = LABELS if round_index % 2 == 0 else LABELS[::-1]
                        for label in order:
                            print(f"round {round_index + 1}: {label}", flush=True)
                            game = play_one(fast, servers[label], watch_results_s=RESULTS_WATCH_S)
                            games[label].append(game_figures(game))
                bare.append(bare_rates(browser, now_root))
            finally:
                fast.close()
                browser.close()
    bare_median_rate = statistics.mean(rate for rate, _ in bare)
    bare_mean_rate = statistics.mean(rate for _, rate in bare)
    summary: dict[str, Any] = {}
    for label in LABELS:
        fps = [g["loop_fps"] for g in games[label]]
        summary[label] = {
            "loop_fps_mean": round(statistics.mean(fps), 2),
            "loop_over_bare": round(statistics.mean(fps) / bare_median_rate, 3),
            "loop_over_bare_mean_rate": round(statistics.mean(fps) / bare_mean_rate, 3),
            "camera_fps_mean": round(statistics.mean(g["camera_fps"] for g in games[label]), 2),
            "inference_ms_median_mean": round(
                statistics.mean(g["inference_ms_median"] for g in games[label]), 2
            ),
            "longest_task_ms_max": max((g["longest_task_ms"] or 0.0) for g in games[label]),
            "results_longest_task_ms_max": max(g["results_longest_task_ms"] for g in games[label]),
            "python_own_ms_median_mean": round(
                statistics.mean(g["python_own_ms_median"] for g in games[label]), 3
            ),
            "python_own_ms_p95_mean": round(
                statistics.mean(g["python_own_ms_p95"] for g in games[label]), 3
            ),
            "outcomes": [g["outcome"] for g in games[label]],
        }
    return {
        "before_revision": before,
        "rounds": rounds,
        "bare_worker_rate": [round(rate, 2) for rate, _ in bare],
        "bare_worker_rate_from_mean": [round(rate, 2) for _, rate in bare],
        "load_before": load_before,
        "load_after": load_average(),
        "summary": summary,
        "ratio_now_over_before_loop_fps": round(
            summary["now"]["loop_fps_mean"] / summary["before"]["loop_fps_mean"], 3
        ),
        "games": games,
    }


def markdown(result: dict[str, Any]) -> str:
    s = result["summary"]
    rows = [
        f"# Game loop, now against {result['before_revision']} (same run)",
        "",
        f"{result['date']}; {result['rounds']} games each, alternating; 30 frames/s camera; "
        f"MoveNet in its worker.  Bare worker inference (before, after the games): "
        f"{result['bare_worker_rate']} frames/s from the median inference, "
        f"{result['bare_worker_rate_from_mean']} from the mean.  Load average before "
        f"{result['load_before']}, after {result['load_after']}.",
        "",
        "| Figure | Before | Now |",
        "|---|---|---|",
    ]
    for name, key in (
        ("Loop frames/s (mean)", "loop_fps_mean"),
        ("Loop over bare inference (bare rate from the median)", "loop_over_bare"),
        ("Loop over bare inference (bare rate from the mean)", "loop_over_bare_mean_rate"),
        ("Camera frames/s (mean)", "camera_fps_mean"),
        ("In-game inference, median ms (mean of games)", "inference_ms_median_mean"),
        ("Longest main-thread task during play, ms (max of games)", "longest_task_ms_max"),
        (
            f"Longest main-thread task in the {RESULTS_WATCH_S:.0f} s after the results "
            "screen appears (the souvenir is made), ms (max of games)",
            "results_longest_task_ms_max",
        ),
        ("Python's own work per frame, median ms (mean of games)", "python_own_ms_median_mean"),
        ("Python's own work per frame, p95 ms (mean of games)", "python_own_ms_p95_mean"),
        ("Outcomes", "outcomes"),
    ):
        rows.append(f"| {name} | {s['before'][key]} | {s['now'][key]} |")
    rows += ["", f"Loop frames/s, now / before: {result['ratio_now_over_before_loop_fps']}", ""]
    return "\n".join(rows)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="the game loop before/after in the same run")
    parser.add_argument("--before", default="main", help="git revision to compare against")
    parser.add_argument("--rounds", type=int, default=3)
    parser.add_argument("--out", type=Path, default=RESULTS_DIR)
    args = parser.parse_args(argv)
    print(write_dated(compare(args.before, args.rounds), args.out, "loop", markdown))
    return 0


if __name__ == "__main__":
    sys.exit(main())
