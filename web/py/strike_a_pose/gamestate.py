"""The game's state: its phases, its settings, and how a game begins.

:class:`GameState` is everything the screen needs and everything the next
step needs; :func:`new_game` makes one in IDLE.  What changes it is in
transitions.py (when the phase changes) and actions.py (what each event and
each phase change does); game.py's :func:`~strike_a_pose.game.step` runs it.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import Any, Literal

from . import reasons
from .difficulty import NORMAL, Difficulty, get_difficulty
from .events import Event
from .levelpack import Level, LevelPack
from .reading import ReadingRules
from .reasons import Reason
from .similarity import MirrorMode
from .temporal import FIT_TAU_MS, POSE_TAU_MS, HoldTracker, SmoothedPose
from .verdicts import Hint, Verdict
from .view import game_view


class Phase(StrEnum):
    IDLE = "idle"
    FRAMING = "framing"
    COUNTDOWN = "countdown"
    PLAYING = "playing"
    LEVEL_CLEARED = "level_cleared"
    RESULTS = "results"


Outcome = Literal["won", "finished", "time_up"]
LevelResult = Literal["cleared", "skipped", "time_up"]


@dataclass(frozen=True)
class GameConfig:
    """Timings in milliseconds."""

    total_ms: float = 30_000.0  # playing-time budget for the whole game
    countdown_ms: float = 3_000.0  # 3-2-1 before the first level
    framing_ms: float = 1_000.0  # body steadily visible this long before the countdown
    framing_grace_ms: float = 250.0  # a dropped frame while framing is forgiven
    framing_timeout_ms: float = 30_000.0  # nobody seen this long while framing: back to IDLE
    reading: ReadingRules = field(default_factory=ReadingRules)  # the story after a match
    results_ms: float = 10_000.0  # results shown this long, then IDLE; 0 = until PlayAgain
    levels_per_game: int = 5
    auto_start: bool = False  # kiosk: a visitor standing in view starts the game
    presence_ms: float = 1_500.0  # ...after being steadily in view this long
    abandon_ms: float = 0.0  # kiosk: nobody seen this long mid-game -> IDLE (0 = never)
    pose_tau_ms: float = POSE_TAU_MS  # keypoint smoothing time constant
    fit_tau_ms: float = FIT_TAU_MS  # smoothing of the fit shown on screen

    def __post_init__(self) -> None:
        for name in (
            "total_ms",
            "countdown_ms",
            "framing_ms",
            "framing_grace_ms",
            "framing_timeout_ms",
            "results_ms",
            "presence_ms",
            "abandon_ms",
            "pose_tau_ms",
            "fit_tau_ms",
        ):
            value = getattr(self, name)
            if not (isinstance(value, (int, float)) and math.isfinite(value) and value >= 0):
                raise ValueError(f"GameConfig.{name} must be a finite number >= 0, got {value!r}")
        if self.total_ms <= 0:
            raise ValueError(f"GameConfig.total_ms must be > 0, got {self.total_ms!r}")
        if not 1 <= self.levels_per_game <= 20:
            raise ValueError(
                f"GameConfig.levels_per_game must be 1..20, got {self.levels_per_game!r}"
            )


class IllegalTransition(Exception):
    """An event that makes no sense in the current phase (a bug in the caller)."""

    def __init__(self, state: GameState, event: Event) -> None:
        self.phase = state.phase
        self.event = event
        where = state.phase.name
        if state.phase in (Phase.PLAYING, Phase.LEVEL_CLEARED):
            where += f" (level {state.level_index + 1} of {state.level_count})"
        super().__init__(f"{type(event).__name__} is not allowed in phase {where}")


@dataclass(frozen=True)
class GameState:
    """Everything the screen needs, and everything the next step needs."""

    pack: LevelPack = field(repr=False, compare=False)
    config: GameConfig
    difficulty: Difficulty
    level_order: tuple[int, ...]  # indices into pack.levels, in play order
    language: str = "en"  # the visitor's language: which level texts are read
    # The levels the caller asked for (new_game, Start), before seated play
    # leaves some out; None: the pack's first levels.
    requested_order: tuple[int, ...] | None = None
    phase: Phase = Phase.IDLE
    now_ms: float | None = None  # time of the latest step
    phase_started_ms: float = 0.0
    level_index: int = 0  # position in level_order
    play_elapsed_ms: float = 0.0  # PLAYING time spent on finished levels
    countdown: int = 0  # 3, 2, 1 during COUNTDOWN, else 0
    fit: float = 0.0  # smoothed fit for the gauge, 0..1
    hold_progress: float = 0.0  # 0..1
    frame_fit: float = 0.0  # raw fit of the latest frame judged on this level, 0..1
    level_best_fit: float = 0.0  # best raw fit seen on this level, 0..1
    level_best_ms: float | None = None  # the time of the frame that had it
    story_ms: float = 0.0  # how long LEVEL_CLEARED shows this level's story
    framing_progress: float = 0.0  # 0..1
    hold: HoldTracker = field(default_factory=lambda: HoldTracker(0.0, 0.0))
    framing: HoldTracker = field(default_factory=lambda: HoldTracker(0.0, 0.0))
    framing_reason: Reason | None = reasons.NO_PERSON
    last_person_ms: float | None = None
    limb_verdicts: Mapping[str, Verdict] = field(default_factory=dict)
    hint: Hint | None = None
    mirror_mode: MirrorMode | None = None
    score: int = 0
    streak: int = 0
    best_streak: int = 0
    level_times_ms: tuple[float, ...] = ()
    level_fits: tuple[float, ...] = ()
    level_points: tuple[int, ...] = ()
    level_results: tuple[LevelResult, ...] = ()
    outcome: Outcome | None = None
    smoothed: SmoothedPose | None = field(default=None, compare=False)

    @property
    def level_count(self) -> int:
        return len(self.level_order)

    @property
    def level(self) -> Level | None:
        """The level being played or just cleared."""
        if self.phase in (Phase.PLAYING, Phase.LEVEL_CLEARED):
            return self.pack.levels[self.level_order[self.level_index]]
        return None

    @property
    def shown_level(self) -> Level | None:
        """The artwork on screen: the level being played or just cleared, or
        the first one while the visitor gets ready (framing, countdown)."""
        if self.phase in (Phase.FRAMING, Phase.COUNTDOWN):
            return self.pack.levels[self.level_order[0]]
        return self.level

    def story_progress(self, now_ms: float) -> float:
        """0..1: how much of the story's reading time has passed (LEVEL_CLEARED)."""
        if self.phase != Phase.LEVEL_CLEARED or self.story_ms <= 0:
            return 0.0
        return min(1.0, max(0.0, (now_ms - self.phase_started_ms) / self.story_ms))

    @property
    def seated(self) -> bool:
        """Seated play: the visitor chose it (SetSeated), or the difficulty says so."""
        return self.difficulty.upper_body_only

    @property
    def upper_body_framing(self) -> bool:
        """Framing needs only the upper body (seated mode, or no level shows legs)."""
        return self.difficulty.upper_body_only or all(
            self.pack.levels[i].upper_body_only for i in self.level_order
        )

    def playing_ms(self, now_ms: float) -> float:
        """PLAYING time spent so far in this game."""
        running = now_ms - self.phase_started_ms if self.phase == Phase.PLAYING else 0.0
        return self.play_elapsed_ms + max(0.0, running)

    def time_left_ms(self, now_ms: float | None = None) -> float:
        """Playing time left, in ms (the timer stops outside PLAYING)."""
        now = self.now_ms if now_ms is None else now_ms
        if now is None:
            return self.config.total_ms
        return min(self.config.total_ms, max(0.0, self.config.total_ms - self.playing_ms(now)))

    def to_view(self, now_ms: float | None = None) -> dict[str, Any]:
        """A JSON-serialisable snapshot for the page (see view.py)."""
        return game_view(self, now_ms)


_STATE_FIELDS = frozenset(f.name for f in fields(GameState))


def replace(state: GameState, **changes: Any) -> GameState:
    """``dataclasses.replace`` for a GameState, made for the per-frame path: a
    step makes several copies, and the generic version inspects every field
    and runs the whole ``__init__`` each time.  GameState has no
    ``__post_init__``, so copying its attributes gives the same object."""
    unknown = changes.keys() - _STATE_FIELDS
    if unknown:
        raise TypeError(f"GameState has no field(s) {sorted(unknown)}")
    copy = object.__new__(GameState)
    attributes = copy.__dict__
    attributes.update(state.__dict__)
    attributes.update(changes)
    return copy


def _check_level_order(pack: LevelPack, levels: Sequence[int]) -> tuple[int, ...]:
    order = tuple(levels)
    if not 1 <= len(order) <= 20:
        raise ValueError(f"level order must have 1 to 20 levels, got {len(order)}: {order!r}")
    for i in order:
        if isinstance(i, bool) or not isinstance(i, int) or not 0 <= i < len(pack.levels):
            raise ValueError(
                f"level order entry {i!r} is not an index into the pack's {len(pack.levels)} levels"
            )
    return order


def game_order(
    pack: LevelPack, config: GameConfig, seated: bool, requested: Sequence[int] | None = None
) -> tuple[int, ...]:
    """The levels a game plays: ``requested`` (all of them), or the pack's
    first ``levels_per_game``; seated play leaves out the levels it cannot
    judge.  Raises ValueError when no level is left."""
    candidates = list(requested) if requested is not None else list(range(len(pack.levels)))
    if seated:
        candidates = [
            i
            for i in candidates
            if not (isinstance(i, int) and 0 <= i < len(pack.levels))
            or pack.levels[i].seated_playable
        ]
        if not candidates:
            raise ValueError(f"no level of pack {pack.id!r} can be played seated")
    if requested is None:
        candidates = candidates[: config.levels_per_game]
    return _check_level_order(pack, candidates)


def plays_seated(pack: LevelPack) -> bool:
    """Whether seated play has at least one level of ``pack`` to play."""
    return any(level.seated_playable for level in pack.levels)


def new_game(
    pack: LevelPack,
    config: GameConfig | None = None,
    difficulty: Difficulty | str = NORMAL,
    level_order: Sequence[int] | None = None,
    language: str = "en",
) -> GameState:
    """A game in IDLE.  By default it plays the pack's first ``levels_per_game``
    levels (seated play: the first that it can judge, see :func:`game_order`).

    ``language`` is the visitor's: the level texts shown, and so the story's
    reading time, are in it (or the pack's fallback, ``Level.text``).
    """
    config = config or GameConfig()
    if isinstance(difficulty, str):
        difficulty = get_difficulty(difficulty)
    requested = None if level_order is None else tuple(level_order)
    return GameState(
        pack=pack,
        config=config,
        difficulty=difficulty,
        level_order=game_order(pack, config, difficulty.upper_body_only, requested),
        language=language,
        requested_order=requested,
    )
