"""The souvenir's cost: does keeping the visitor's best frames slow play, and
how long do the picture and the clip take to make?

One page plays rounds of four games of the video pack in a row, photos off,
on, on, off (an ABBA order, so that a machine that drifts faster or slower during
the run favours neither), each with ``loop.py``'s instrumentation.  Figures:

- the loop's frames/s with photos on and off, and their ratio (target: at
  least 0.97, keeping the best frame must not slow play);
- ``capture_ms``: the main-thread time of each frame's copy into the
  keeper's ring (js/souvenir/keeper.js ``capture``), timed by wrapping it;
- ``picture_ms``: composing the souvenir picture (loading the artworks,
  painting, JPEG encoding), and ``clip_ms``: recording the clip, which
  MediaRecorder does in real time (so about the clip's own length), as the
  page times them (the ``souvenir`` test hook's ``timings``).

    .venv/bin/python -m bench.souvenir [--rounds 1]
"""

from __future__ import annotations

import argparse
import json
import statistics
import sys
from typing import Any

from playwright.sync_api import Browser, Page, sync_playwright

from bench import loop
from bench.browser import BOOT_TIMEOUT_MS, game_url, launch, web_root
from bench.stats import summarize
from tests.e2e.helpers import hook, view, wait_for_state
from tools.local_server import LocalServer

SOUVENIR_TIMEOUT_MS = 90_000

# Times keeper.capture (the per-frame cost of photos) from outside the game.
TIME_CAPTURE_JS = """
() => {
  const keeper = globalThis.poseBridge.souvenir.keeper;
  if (globalThis.__captureMs) return;
  globalThis.__captureMs = [];
  const capture = keeper.capture.bind(keeper);
  keeper.capture = (...args) => {
    const start = performance.now();
    capture(...args);
    if (keeper.photos) globalThis.__captureMs.push(performance.now() - start);
  };
}
"""


def play(page: Page, photos: bool) -> dict[str, Any]:
    page.evaluate("(on) => { document.getElementById('photos-toggle').checked = on; }", photos)
    page.evaluate("() => { globalThis.__captureMs = []; }")
    game = loop.play_game(page)
    page.wait_for_selector('#souvenir[data-status="ready"]', timeout=SOUVENIR_TIMEOUT_MS)
    # The clip records after the picture: wait for it (or for "ready" without one).
    page.wait_for_function(
        "() => globalThis.testHooks.souvenir().timings.clip_ms >= 0"
        " || document.getElementById('souvenir-clip').hidden === false",
        timeout=SOUVENIR_TIMEOUT_MS,
    )
    timings = hook(page, "souvenir")["timings"]
    capture = page.evaluate("() => globalThis.__captureMs")
    return {
        "photos": photos,
        "outcome": view(page)["outcome"],
        "loop_fps": game["loop_fps"],
        "frames": game["frames"],
        "inference_ms_median": game["inference_ms"].get("median"),
        "capture_ms": summarize(capture) if capture else {},
        "picture_ms": round(timings["picture_ms"], 1),
        "clip_ms": round(timings["clip_ms"], 1),
    }


def run(browser: Browser, server: LocalServer, rounds: int = 1) -> dict[str, Any]:
    """``rounds`` of four games: photos off, on, on, off."""
    order = [False, True, True, False] * max(1, rounds)
    context = browser.new_context()
    try:
        page = context.new_page()
        page.goto(game_url(server))
        wait_for_state(page, "start", BOOT_TIMEOUT_MS)
        loop.instrument(page)
        page.evaluate(TIME_CAPTURE_JS)
        games = [play(page, photos) for photos in order]
    finally:
        context.close()
    on = [g["loop_fps"] for g in games if g["photos"]]
    off = [g["loop_fps"] for g in games if not g["photos"]]
    captures = [c for g in games if g["photos"] for c in [g["capture_ms"].get("median")] if c]
    return {
        "games": games,
        "loop_fps_photos_on": round(statistics.mean(on), 2),
        "loop_fps_photos_off": round(statistics.mean(off), 2),
        "ratio_on_off": round(statistics.mean(on) / statistics.mean(off), 3),
        "capture_ms_median": round(statistics.median(captures), 3) if captures else None,
        "picture_ms_median": statistics.median(g["picture_ms"] for g in games),
        "clip_ms_median": statistics.median(g["clip_ms"] for g in games),
        "target_ratio": 0.97,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--rounds", type=int, default=1, help="rounds of 4 games: off, on, on, off")
    args = parser.parse_args(argv)
    with web_root() as root, sync_playwright() as playwright:
        browser = launch(playwright)
        try:
            with LocalServer(root) as server:
                result = run(browser, server, args.rounds)
        finally:
            browser.close()
    json.dump(result, sys.stdout, indent=1)
    print()
    return 0


if __name__ == "__main__":
    sys.exit(main())
