"""What the game loop shows after each step (shell/app.py).

The presenter turns the game's view into a :class:`~shell.presenter.Screen`,
which the page's screen applies; this module adds what follows the level
being played (its artwork and target skeleton), a kiosk's attract picture,
the camera overlay's colours, the heartbeat the page's kiosk watchdog and
probes read, and the debug panel (at most every ``DEBUG_EVERY_MS``).
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from strike_a_pose import GameState, Phase

from .i18n import Words
from .options import Options
from .ports import DetectorStats, GameScreen, PoseBridge
from .presenter import artwork_alt, attract_index, present

DEBUG_EVERY_MS = 500.0  # debug panel refresh
TARGET_COLOUR = "#ffb703"


def debug_text(stats: DetectorStats, phase: Phase, python_start: str) -> str:
    """The debug panel: where and how fast the model runs, the phase, and
    how Python started (from the start-up snapshot or not)."""
    return (
        f"backend {stats.backend} in {stats.detector}, {stats.threads} thread(s) "
        f"(measured ms {stats.measured})\n"
        f"{stats.fps:.1f} frames/s, inference {stats.inference_ms:.1f} ms, "
        f"python {stats.python_ms:.1f} ms\n"
        f"tensors {stats.tensors}, phase {phase.value}\n"
        f"python started: {python_start}"
    )


class Renderer:
    def __init__(
        self,
        bridge: PoseBridge,
        screen: GameScreen,
        options: Options,
        words: Words,
        confidence_floor: float,
        picture_url: Callable[[str], str],
    ) -> None:
        self.bridge = bridge
        self.screen = screen
        self.options = options
        self.words = words
        self.confidence_floor = confidence_floor  # keypoints below it are not drawn
        self.picture_url = picture_url  # a pack picture's name -> URL
        self.shown_level: int | None = None  # the pack index of the artwork on show
        self.attract_shown: int | None = None
        self.overlay_style: tuple[tuple[str, ...], float] | None = None  # as last sent
        self.frame_taken_s: float | None = None  # when the current camera frame reached Python
        self.last_render_ms = 0.0
        self.last_debug_ms = 0.0

    def forget_level(self) -> None:
        """Show the level's artwork again on the next render (a new pack, an error)."""
        self.shown_level = None

    def forget_pack(self) -> None:
        self.shown_level = None
        self.attract_shown = None

    def frame_taken(self) -> None:
        """A camera frame reached Python: the next render says how long its work took."""
        self.frame_taken_s = time.perf_counter()

    def render(self, state: GameState, now_ms: float) -> None:
        view = state.to_view(now_ms)
        screen = present(view, self.words, kiosk=self.options.kiosk)
        if self.screen.showing_error and screen.page_state == "start":
            return  # the error stays until the visitor presses retry
        self.screen.apply(screen, self.picture_url)
        self._show_level(view)
        if self.options.kiosk and state.phase == Phase.IDLE:
            self._show_attract(state, now_ms)
        style = (screen.bone_colours, self.confidence_floor)
        if style != self.overlay_style:  # JSON only when the colours change
            self.overlay_style = style
            self.bridge.setOverlayStyle(json.dumps(style[0]), style[1])
        self.bridge.paintOverlay()
        work_ms = -1.0
        if self.frame_taken_s is not None:
            work_ms = (time.perf_counter() - self.frame_taken_s) * 1000.0
            self.frame_taken_s = None
        self.last_render_ms = now_ms
        self.bridge.publishView(work_ms)
        if self.options.debug and now_ms - self.last_debug_ms >= DEBUG_EVERY_MS:
            self.last_debug_ms = now_ms
            self.screen.show_debug(
                debug_text(self.bridge.stats(), state.phase, self.screen.python_start())
            )

    def _show_level(self, view: dict[str, Any]) -> None:
        level = view.get("level")
        index = level["pack_index"] if level else None
        if index == self.shown_level or level is None:
            return
        self.shown_level = index
        self.screen.show_artwork(self.picture_url(level["image"]))
        width, height = level["image_size"]
        flat = [value for point in level["keypoints"] for value in (*point[:2], 1.0)]
        self.bridge.drawTarget("target-skeleton", json.dumps(flat), width, height, TARGET_COLOUR)

    def _show_attract(self, state: GameState, now_ms: float) -> None:
        levels = state.pack.levels
        index = attract_index(now_ms, len(levels))
        if index != self.attract_shown:
            self.attract_shown = index
            level = levels[index]
            alt = artwork_alt({"title": level.title, "artist": level.artist}, self.words)
            self.screen.show_attract(self.picture_url(level.image), alt)
