"""Endurance: N games in a row in one page with the video pack (Play again
between games); JS heap (after a forced garbage collection), TF.js tensors
and frame rate at the start and end of each game.  They must stay flat.
"""

from __future__ import annotations

from typing import Any

from playwright.sync_api import Browser

from bench import loop
from bench.browser import BOOT_TIMEOUT_MS, game_url
from tests.e2e.helpers import view, wait_for_state
from tools.local_server import LocalServer


def run(browser: Browser, server: LocalServer, games: int) -> dict[str, Any]:
    context = browser.new_context()
    rows = []
    try:
        page = context.new_page()
        page.goto(game_url(server))
        wait_for_state(page, "start", BOOT_TIMEOUT_MS)
        loop.instrument(page)
        for number in range(1, games + 1):
            game = loop.play_game(page)
            first, last = game["samples"][0], game["samples"][-1]
            rows.append(
                {
                    "game": number,
                    "outcome": view(page)["outcome"],
                    "loop_fps": game["loop_fps"],
                    "inference_ms_median": game["inference_ms"].get("median"),
                    "python_ms_median": game["python_ms"].get("median"),
                    "heap_mb_start": round(first["heap_mb"], 2),
                    "heap_mb_end": round(last["heap_mb"], 2),
                    "tensors_start": first["tensors"],
                    "tensors_end": last["tensors"],
                }
            )
    finally:
        context.close()
    start, end = rows[0], rows[-1]
    return {
        "games": games,
        "rows": rows,
        "heap_mb": [start["heap_mb_start"], end["heap_mb_end"]],
        "heap_growth_mb": round(end["heap_mb_end"] - start["heap_mb_start"], 2),
        "tensors": [start["tensors_start"], end["tensors_end"]],
        "fps": [start["loop_fps"], end["loop_fps"]],
    }
