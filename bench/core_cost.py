"""The game's per-frame Python work, timed; runs unchanged under CPython and
in Pyodide (python_cost.py ships this file into the browser).

For each recorded MoveNet frame it times what the shell does per camera
frame (web/py/shell/app.py): turning the detector's flat keypoints into a
pose (``crossing``: in Pyodide this includes converting the JavaScript
Float32Array), the core's ``step`` (``scoring``), and ``to_view`` +
``present`` (``view``; nothing is JSON-encoded per frame: the page pulls the
view as JSON only when a test asks).  Games are played back to back
(``measure``), or one frame per camera interval with the event loop idle in
between, as the game gets them (``measure_paced``).
Only the standard library, numpy and the game's own modules are used.
"""

from __future__ import annotations

import asyncio
import time
from collections.abc import Callable, Sequence
from typing import Any

FRAME_MS = 1000.0 / 15.0  # the camera's frame interval
PARTS = ("crossing", "scoring", "view", "total")


class Replay:
    """The recorded frames as a game, one camera frame per :meth:`frame`."""

    def __init__(
        self,
        pack_json: str,
        frames: Sequence[dict[str, Any]],
        get_flat: Callable[[int], Sequence[float]],
    ) -> None:
        from strike_a_pose import Start, new_game, parse_pack, step

        pack = parse_pack(pack_json).pack
        if pack is None:
            raise ValueError("the benchmark's level pack does not load")
        self.frames = frames
        self.get_flat = get_flat
        self.now = 0.0
        self.state = step(new_game(pack), Start(), self.now)
        self.count = 0
        self.samples: dict[str, list[float]] = {part: [] for part in PARTS}

    def frame(self) -> None:
        """Time one frame's work, as the shell does it, and record it."""
        from shell.presenter import present
        from strike_a_pose import NoPerson, Phase, PlayAgain, PoseSeen, Start, pose_from_flat, step

        clock = time.perf_counter
        i = self.count
        self.count += 1
        self.now += FRAME_MS
        index = i % len(self.frames)
        frame = self.frames[index]
        t0 = clock()
        flat = self.get_flat(index)
        pose = pose_from_flat(list(flat), frame["width"], frame["height"])
        t1 = clock()
        state = step(self.state, PoseSeen(pose), self.now)
        t2 = clock()
        present(state.to_view(self.now))
        t3 = clock()
        for part, ms in zip(PARTS, (t1 - t0, t2 - t1, t3 - t2, t3 - t0), strict=True):
            self.samples[part].append(ms * 1000.0)
        if state.phase == Phase.RESULTS:
            state = step(state, PlayAgain(), self.now)
        elif state.phase == Phase.IDLE:
            state = step(state, Start(), self.now)
        elif i % 97 == 96:
            state = step(state, NoPerson(), self.now)  # an occasional lost detection
        self.state = state


def measure(
    pack_json: str,
    frames: Sequence[dict[str, Any]],
    get_flat: Callable[[int], Sequence[float]],
    count: int,
) -> dict[str, list[float]]:
    """Time ``count`` frames back to back; ``get_flat(i)`` gives frame i's 51 values."""
    replay = Replay(pack_json, frames, get_flat)
    for _ in range(count):
        replay.frame()
    return replay.samples


async def measure_paced(
    pack_json: str,
    frames: Sequence[dict[str, Any]],
    get_flat: Callable[[int], Sequence[float]],
    count: int,
    interval_ms: float,
) -> dict[str, list[float]]:
    """Time ``count`` frames, one every ``interval_ms`` as a camera brings
    them, the event loop idle in between (as in the game, where Python
    waits for the next frame): the work then starts with colder caches than
    back to back, and meets whatever else the machine does meanwhile."""
    replay = Replay(pack_json, frames, get_flat)
    for _ in range(count):
        started = time.perf_counter()
        replay.frame()
        spent_s = time.perf_counter() - started
        await asyncio.sleep(max(0.0, interval_ms / 1000.0 - spent_s))
    return replay.samples
