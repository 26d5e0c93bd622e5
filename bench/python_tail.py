"""The tail of Python's per-frame work in the game page, against a control:

    .venv/bin/python bench/python_tail.py [--games 2] [--out DIR]

In the game, Python's own work per camera frame (loop.py's ``python_own``)
has a p95 several times its median.  Is the tail the work, or the page's
surroundings?  A fixed piece of the same kind of work, the core's step of a
game in PLAYING on one recorded pose (the same state every time, so the
same work), is timed in the page:

- ``control_idle``: on the start screen, every ``IDLE_EVERY_S``, while
  nothing else happens (the camera closed, the detector idle);
- ``control_play``: during play, right after each frame's own work;

beside the game's own ``python_own`` in the same games.  The page is served
from a copy of the web root whose ``py/shell/app.py`` runs the control (the
served tree is not touched); the copy fails loudly if app.py no longer has
the lines the control hooks onto.  Writes ``python-tail-DATE.{json,md}``.
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make bench, server, tests, tools importable
    sys.path[:0] = [
        str(Path(__file__).resolve().parent.parent),
        str(Path(__file__).resolve().parent.parent / "web" / "py"),
    ]

from playwright.sync_api import ConsoleMessage, sync_playwright

from bench import loop
from bench.browser import BOOT_TIMEOUT_MS, camera_at, game_url, launch, make_web_root
from bench.report import RESULTS_DIR, write_dated
from bench.run_all import load_average
from bench.stats import summarize
from tests.e2e.helpers import wait_for_state
from tests.e2e.packs import FIXTURE
from tools.local_server import LocalServer

CONTROL_FRAME = 8  # the recorded frame the control steps on (a T-pose)
IDLE_SAMPLES = 300
IDLE_EVERY_S = 0.03  # about a camera frame's interval
REPORT_PREFIX = "CONTROL"  # the console line that carries the samples

# Python added to app.py: the control, and the idle loop that times it.
CONTROL_SOURCE = """
import time as _bench_time

_BENCH_SAMPLES = {{"idle": [], "play": []}}
_BENCH_GAME = []


def _bench_control(kind, pack):
    from strike_a_pose import Phase, PoseSeen, Start, new_game, pose_from_flat, step

    pose = pose_from_flat({flat!r}, {width!r}, {height!r})
    if not _BENCH_GAME:
        state, now = step(new_game(pack), Start(), 0.0), 0.0
        while state.phase != Phase.PLAYING:
            now += 66.0
            state = step(state, PoseSeen(pose), now)
        _BENCH_GAME.append((state, now))
    state, now = _BENCH_GAME[0]
    started = _bench_time.perf_counter()
    step(state, PoseSeen(pose), now + 66.0)
    _BENCH_SAMPLES[kind].append((_bench_time.perf_counter() - started) * 1000.0)


async def _bench_idle_control(pack):
    for _ in range({idle_samples}):
        _bench_control("idle", pack)
        await asyncio.sleep({idle_every_s})

"""
# (what app.py has, what it becomes): each must be found exactly once.
HOOKS = (
    (
        "IDLE_TICK_S = ",
        "{control}IDLE_TICK_S = ",
    ),
    (
        "    async def run(self) -> None:\n",
        "    async def run(self) -> None:\n"
        "        asyncio.ensure_future(_bench_idle_control(self.state.pack))\n",
    ),
    (
        "            self._step(self._event(kind, frame), now_ms)\n"
        "            self.render(now_ms)\n",
        "            self._step(self._event(kind, frame), now_ms)\n"
        "            self.render(now_ms)\n"
        "            if self.state.phase == Phase.PLAYING:\n"
        "                _bench_control('play', self.state.pack)\n"
        "            elif self.state.phase == Phase.RESULTS and _BENCH_SAMPLES['play']:\n"
        f"                print('{REPORT_PREFIX}' + json.dumps(_BENCH_SAMPLES))\n"
        "                _BENCH_SAMPLES['idle'].clear()\n"
        "                _BENCH_SAMPLES['play'].clear()\n",
    ),
)


def add_control(web: Path) -> None:
    """Make the copy's shell/app.py run the control (see HOOKS)."""
    frame = json.loads(FIXTURE.read_text("utf-8"))["frames"][CONTROL_FRAME]
    control = CONTROL_SOURCE.format(
        flat=[value for point in frame["keypoints"] for value in point],
        width=frame["width"],
        height=frame["height"],
        idle_samples=IDLE_SAMPLES,
        idle_every_s=IDLE_EVERY_S,
    )
    app = web / "py" / "shell" / "app.py"
    text = app.read_text("utf-8")
    for old, new in HOOKS:
        if text.count(old) != 1:
            raise RuntimeError(f"shell/app.py no longer has this line once: {old.strip()!r}")
        text = text.replace(old, new.format(control=control) if "{control}" in new else new)
    app.unlink()  # the copy may be a link to the served file: never write through it
    app.write_text(text, encoding="utf-8")


def with_ratio(samples: list[float]) -> dict[str, Any]:
    summary: dict[str, Any] = summarize(samples)
    if samples:
        summary["p95_over_median"] = round(summary["p95"] / summary["median"], 2)
    return summary


def measure(games: int) -> dict[str, Any]:
    reports: list[dict[str, list[float]]] = []
    played: list[dict[str, Any]] = []
    load_before = load_average()
    with tempfile.TemporaryDirectory(prefix="sap-tail-") as tmp, sync_playwright() as playwright:
        web = make_web_root(Path(tmp))
        add_control(web)
        browser = launch(playwright, camera_at(30))
        try:
            with LocalServer(web) as server:
                page = browser.new_context().new_page()

                def collect(message: ConsoleMessage) -> None:
                    if message.text.startswith(REPORT_PREFIX):
                        reports.append(json.loads(message.text[len(REPORT_PREFIX) :]))

                page.on("console", collect)
                page.goto(game_url(server, nosw="1"))
                wait_for_state(page, "start", BOOT_TIMEOUT_MS)
                time.sleep(IDLE_SAMPLES * IDLE_EVERY_S * 1.5)  # the idle control runs
                loop.instrument(page)
                for _ in range(games):
                    played.append(loop.play_game(page))
                    time.sleep(1.0)  # the control's report reaches the console
        finally:
            browser.close()
    idle = [ms for report in reports for ms in report["idle"]]
    play = [ms for report in reports for ms in report["play"]]
    own_p95 = [game["python_own_ms"]["p95"] for game in played]
    own_median = [game["python_own_ms"]["median"] for game in played]
    return {
        "games": games,
        "load_before": load_before,
        "load_after": load_average(),
        "control_idle_ms": with_ratio(idle),
        "control_play_ms": with_ratio(play),
        "python_own_ms_median_mean": round(statistics.mean(own_median), 3),
        "python_own_ms_p95_mean": round(statistics.mean(own_p95), 3),
        "loop_fps": [game["loop_fps"] for game in played],
    }


def markdown(result: dict[str, Any]) -> str:
    def row(name: str, summary: dict[str, Any]) -> str:
        return (
            f"| {name} | {summary.get('n')} | {summary.get('median')} | {summary.get('p95')} | "
            f"{summary.get('p95_over_median')} | {summary.get('max')} |"
        )

    own_median = result["python_own_ms_median_mean"]
    own_p95 = result["python_own_ms_p95_mean"]
    return "\n".join(
        [
            "# Python's per-frame work in the game page: its tail against a control",
            "",
            f"{result['date']}; {result['games']} games of the video pack, 30 frames/s camera, "
            f"MoveNet in its worker; loop frames/s {result['loop_fps']}.  Load average before "
            f"{result['load_before']}, after {result['load_after']}.  The control is one core "
            "step of the same PLAYING game on the same recorded pose, every time.",
            "",
            "| Timed in the page, ms | n | median | p95 | p95 / median | max |",
            "|---|---|---|---|---|---|",
            row("Control, start screen (nothing else going on)", result["control_idle_ms"]),
            row("Control, during play (after each frame's work)", result["control_play_ms"]),
            f"| The game's own work per frame (mean of games) | | {own_median} | {own_p95} | "
            f"{round(own_p95 / own_median, 2) if own_median else '-'} | |",
            "",
        ]
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="the tail of Python's per-frame work")
    parser.add_argument("--games", type=int, default=2)
    parser.add_argument("--out", type=Path, default=RESULTS_DIR)
    args = parser.parse_args(argv)
    print(write_dated(measure(args.games), args.out, "python-tail", markdown))
    return 0


if __name__ == "__main__":
    sys.exit(main())
