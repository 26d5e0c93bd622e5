"""The game's per-frame Python work, timed; runs unchanged under CPython and
in Pyodide (python_cost.py ships this file into the browser).

For each recorded MoveNet frame it times what the shell does per camera
frame (web/py/shell/app.py): turning the detector's flat keypoints into a
pose (``crossing``: in Pyodide this includes converting the JavaScript
Float32Array), the core's ``step`` (``scoring``), and ``to_view`` +
``present`` (``view``; nothing is JSON-encoded per frame: the page pulls the
view as JSON only when a test asks).  Games are played back to back.
Only the standard library, numpy and the game's own modules are used.
"""

from __future__ import annotations

import time
from collections.abc import Callable, Sequence
from typing import Any

FRAME_MS = 1000.0 / 15.0  # the camera's frame interval


def measure(
    pack_json: str,
    frames: Sequence[dict[str, Any]],
    get_flat: Callable[[int], Sequence[float]],
    count: int,
) -> dict[str, list[float]]:
    """Time ``count`` frames; ``get_flat(i)`` gives frame i's 51 values."""
    from shell.presenter import present
    from strike_a_pose import (
        NoPerson,
        Phase,
        PlayAgain,
        PoseSeen,
        Start,
        new_game,
        parse_pack,
        pose_from_flat,
        step,
    )

    pack = parse_pack(pack_json).pack
    if pack is None:
        raise ValueError("the benchmark's level pack does not load")
    now = 0.0
    state = step(new_game(pack), Start(), now)
    out: dict[str, list[float]] = {"crossing": [], "scoring": [], "view": [], "total": []}
    clock = time.perf_counter
    for i in range(count):
        now += FRAME_MS
        index = i % len(frames)
        frame = frames[index]
        t0 = clock()
        flat = get_flat(index)
        pose = pose_from_flat(list(flat), frame["width"], frame["height"])
        t1 = clock()
        state = step(state, PoseSeen(pose), now)
        t2 = clock()
        present(state.to_view(now))
        t3 = clock()
        out["crossing"].append((t1 - t0) * 1000.0)
        out["scoring"].append((t2 - t1) * 1000.0)
        out["view"].append((t3 - t2) * 1000.0)
        out["total"].append((t3 - t0) * 1000.0)
        if state.phase == Phase.RESULTS:
            state = step(state, PlayAgain(), now)
        elif state.phase == Phase.IDLE:
            state = step(state, Start(), now)
        elif i % 97 == 96:
            state = step(state, NoPerson(), now)  # an occasional lost detection
    return out
