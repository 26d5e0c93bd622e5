"""When the page keeps, seals, composes and erases the visitor's souvenir.

The core knows, for each level, which camera frame fitted best so far
(``GameState.level_best_ms``).  This module watches each step of the game
(the state before and after) and tells the page's souvenir keeper
(js/souvenir/) what to do:

- a new game begins (FRAMING): erase the last souvenir, begin a new one,
  with the visitor's photo choice of that moment;
- a level's best moment changes: keep that frame (the page holds the last
  few frames by capture time, which is the core's ``now_ms``);
- a level is cleared: seal its moment (and the frames before it, for the clip);
- the results: compose the picture and, unless on a kiosk, the clip;
- back to the start screen (a reset, a kiosk timing out): erase everything,
  and on a kiosk forget the photo choice, so the next visitor chooses anew.

Camera frames never reach Python: only slots (play positions) and times
cross.  Pure: the page is reached through the injected ``SouvenirPage``.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from dataclasses import dataclass
from typing import Protocol

from strike_a_pose import GameState, Phase

from .i18n import Words
from .presenter import score_line
from .souvenir_layout import ClearedLevel, clip_spec, picture_spec


class SouvenirPage(Protocol):
    """What the page's souvenir keeper offers Python (js/bridge.js)."""

    def souvenirBegin(self, photos: bool) -> None: ...
    def souvenirKeep(self, slot: int, t_ms: float) -> None: ...
    def souvenirSeal(self, slot: int, t_ms: float) -> None: ...
    # A promise of the souvenir on show; Python does not wait for it.
    def souvenirCompose(self, picture_json: str, clip_json: str, kiosk: bool) -> object: ...
    def souvenirErase(self) -> None: ...


@dataclass
class SouvenirFlow:
    page: SouvenirPage
    photos_wanted: Callable[[], bool]  # the visitor's choice on the start screen, now
    forget_choice: Callable[[], None]  # untick it (a kiosk's next visitor)
    picture_url: Callable[[str], str]  # a pack picture's name -> URL the page can load
    words: Words  # the visitor's language
    kiosk: bool = False
    museum: str = ""
    camera_size: tuple[int, int] | None = None  # of the camera frames, set by the shell
    photos: bool = False  # this game's choice, fixed when it began

    def update(self, before: GameState, after: GameState) -> None:
        """React to one step of the game, ``before`` -> ``after``."""
        if after.phase == Phase.FRAMING and before.phase != Phase.FRAMING:
            self.page.souvenirErase()
            self.photos = bool(self.photos_wanted())
            self.page.souvenirBegin(self.photos)
        elif after.phase == Phase.IDLE and before.phase != Phase.IDLE:
            self.erase()
            return
        if after.phase in (Phase.PLAYING, Phase.LEVEL_CLEARED) and after.level_best_ms is not None:
            new_level = after.level_index != before.level_index
            if new_level or after.level_best_ms != before.level_best_ms:
                self.page.souvenirKeep(after.level_index, after.level_best_ms)
        if after.phase == Phase.LEVEL_CLEARED and before.phase != Phase.LEVEL_CLEARED:
            self.page.souvenirSeal(after.level_index, after.phase_started_ms)
        if after.phase == Phase.RESULTS and before.phase != Phase.RESULTS:
            self.compose(after)

    def erase(self) -> None:
        """Everything of the souvenir goes, at once (and a kiosk's photo choice)."""
        self.page.souvenirErase()
        if self.kiosk:
            self.forget_choice()

    def compose(self, state: GameState) -> None:
        levels = self.cleared_levels(state)
        if not levels or self.camera_size is None:
            self.page.souvenirCompose("null", "null", self.kiosk)
            return
        picture = picture_spec(
            levels,
            self.camera_size,
            photos=self.photos,
            museum=self.museum,
            score_line=score_line(state.score, self.words),
        )
        # A kiosk shows the picture only: the clip could not leave it anyway.
        clip = (
            None
            if self.kiosk
            else clip_spec(levels, self.camera_size, photos=self.photos, museum=self.museum)
        )
        self.page.souvenirCompose(json.dumps(picture), json.dumps(clip), self.kiosk)

    def cleared_levels(self, state: GameState) -> list[ClearedLevel]:
        """The game's cleared levels, in play order, as the souvenir shows them."""
        levels = []
        for slot, result in enumerate(state.level_results):
            if result != "cleared":
                continue
            level = state.pack.levels[state.level_order[slot]]
            levels.append(
                ClearedLevel(
                    slot=slot,
                    url=self.picture_url(level.image),
                    image_size=level.image_size,
                    keypoints=level.keypoints,
                    title=level.title,
                    artist=level.artist,
                    date=level.date,
                )
            )
        return levels
