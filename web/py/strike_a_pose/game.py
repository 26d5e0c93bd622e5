"""The game as an explicit, pure state machine.

``step(state, event, now_ms) -> state``: no clock, no randomness, no I/O.
``now_ms`` is the caller's monotonic clock (``performance.now()``).

Phases and what moves them (see TRANSITIONS for the full table)::

    IDLE --Start--> FRAMING --body steadily visible for framing_ms--> COUNTDOWN
    COUNTDOWN --countdown_ms--> PLAYING level 1
    PLAYING --pose held for hold_ms--> LEVEL_CLEARED --reading time or Next--> PLAYING next level
    PLAYING --Skip--> PLAYING next level (no points, streak reset)
    LEVEL_CLEARED (last level) / PLAYING (last level skipped) --> RESULTS
    PLAYING --time budget spent--> RESULTS (outcome "time_up")
    RESULTS --results_ms (unless 0)--> IDLE;  RESULTS --PlayAgain--> FRAMING (a fresh game)
    any --Reset--> IDLE;  FRAMING --nobody for framing_timeout_ms--> IDLE
    IDLE --SetSeated--> IDLE (seated play on or off)

Seated play (``SetSeated(True)``, or a difficulty with ``upper_body_only``):
every level is judged on the upper body only, framing asks for the head,
shoulders, arms and hips, hints never mention the legs, and the levels that
seated play cannot judge (``Level.seated_playable``: a pack's
``"seated": "skip"``) are left out of the game.

Touchless kiosk (``GameConfig.auto_start``): in IDLE, a body steadily in view
for ``presence_ms`` starts the game as Start would; and in COUNTDOWN, PLAYING
or LEVEL_CLEARED, nobody seen for ``abandon_ms`` abandons it (back to IDLE).

Timer: the ``total_ms`` budget counts PLAYING time only.  It is paused during
LEVEL_CLEARED, where the artwork's story is shown for a reading time that
follows the length of its ``about`` text in the game's language (reading.py),
so the visitor never loses time to our applause or to reading.

The best moment: while a level is played, ``level_best_fit`` and
``level_best_ms`` hold the best raw fit seen and the time of that frame (the
shell keeps that camera frame for the souvenir, if the visitor allows it).
Timed transitions happen at their exact due time (e.g. the game ends at
exactly ``total_ms`` of playing) whatever event notices them first; the
event is then handled in the new phase.

Outcomes: ``won`` (every level cleared), ``finished`` (reached the end but
skipped some), ``time_up``.
"""

from __future__ import annotations

import dataclasses
import math
from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field, fields
from enum import StrEnum
from typing import Any, Literal

from . import reasons
from .difficulty import NORMAL, Difficulty, get_difficulty, upper_body
from .events import (
    EVENT_TYPES,
    Event,
    Next,
    NoPerson,
    PlayAgain,
    PoseSeen,
    Reset,
    SetSeated,
    Skip,
    Start,
    Tick,
)
from .framing import framing_problem
from .keypoints import LEFT_SHOULDER, RIGHT_SHOULDER, Pose, PoseError, check_pose
from .levelpack import Level, LevelPack
from .reading import ReadingRules, reading_ms
from .reasons import Reason
from .scoring import level_points
from .similarity import MatchSettings, MirrorMode, match_pose, settings_for
from .temporal import (
    FIT_TAU_MS,
    POSE_TAU_MS,
    HoldTracker,
    SmoothedPose,
    smooth_pose,
    smooth_value,
)
from .verdicts import Hint, Verdict, choose_hint, hint_for_reason, limb_verdicts
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


# --- helpers -------------------------------------------------------------


def _fresh(state: GameState, now_ms: float) -> GameState:
    """A new IDLE game with the same pack, settings and levels."""
    fresh = new_game(
        state.pack, state.config, state.difficulty, state.requested_order, state.language
    )
    return replace(fresh, now_ms=now_ms, phase_started_ms=now_ms)


def _presence_tracker(config: GameConfig) -> HoldTracker:
    """In IDLE (auto-start only): how long a body has been steadily in view."""
    return HoldTracker(config.presence_ms, config.framing_grace_ms)


def _begin_framing(state: GameState, now_ms: float) -> GameState:
    c = state.config
    return replace(
        _fresh(state, now_ms),
        phase=Phase.FRAMING,
        framing=HoldTracker(c.framing_ms, c.framing_grace_ms),
        last_person_ms=now_ms,
        smoothed=state.smoothed,
    )


# Per level and difficulty: the match settings and the reference pose, made
# once instead of on every camera frame.  Keyed by identity (levels are
# immutable); a few entries are enough (one pack at a time, plus tests).
_LEVEL_CACHE: dict[tuple[int, int, bool], tuple[Level, Difficulty, MatchSettings, Pose]] = {}
_LEVEL_CACHE_SIZE = 64


def _level_match(state: GameState, level: Level) -> tuple[MatchSettings, Pose]:
    key = (id(level), id(state.difficulty), state.seated)
    found = _LEVEL_CACHE.get(key)
    if found is None or found[0] is not level or found[1] is not state.difficulty:
        if len(_LEVEL_CACHE) >= _LEVEL_CACHE_SIZE:
            _LEVEL_CACHE.clear()
        settings = settings_for(
            state.difficulty,
            weights=level.weights,
            tolerance=level.tolerance,
            mirror_ok=level.mirror_ok,
            upper_body_only=level.upper_body_only or state.seated,
        )
        reference = level.reference_pose()
        reference.flags.writeable = False
        found = _LEVEL_CACHE[key] = (level, state.difficulty, settings, reference)
    return found[2], found[3]


def _start_level(state: GameState, index: int, at_ms: float) -> GameState:
    d = state.difficulty
    return replace(
        state,
        phase=Phase.PLAYING,
        phase_started_ms=at_ms,
        level_index=index,
        countdown=0,
        fit=0.0,
        hold=HoldTracker(d.hold_ms, d.grace_ms),
        hold_progress=0.0,
        level_best_fit=0.0,
        level_best_ms=None,
        story_ms=0.0,
        limb_verdicts={},
        hint=None,
        mirror_mode=None,
    )


def _end_level(
    state: GameState, at_ms: float, result: LevelResult, fit: float, points: int
) -> GameState:
    level_ms = at_ms - state.phase_started_ms
    return replace(
        state,
        play_elapsed_ms=state.play_elapsed_ms + level_ms,
        level_times_ms=(*state.level_times_ms, level_ms),
        level_fits=(*state.level_fits, fit),
        level_points=(*state.level_points, points),
        level_results=(*state.level_results, result),
        score=state.score + points,
    )


def _results(state: GameState, at_ms: float, outcome: Outcome) -> GameState:
    return replace(
        state,
        phase=Phase.RESULTS,
        phase_started_ms=at_ms,
        outcome=outcome,
        hint=None,
        hold_progress=0.0,
    )


def _after_last_level(state: GameState, at_ms: float) -> GameState:
    won = all(r == "cleared" for r in state.level_results)
    return _results(state, at_ms, "won" if won else "finished")


def _after_story(state: GameState, at_ms: float) -> GameState:
    """LEVEL_CLEARED is over (read, or Next): the next level, or the results."""
    if state.level_index + 1 < state.level_count:
        return _start_level(state, state.level_index + 1, at_ms)
    return _after_last_level(state, at_ms)


def _story_ms(state: GameState, level: Level) -> float:
    """How long the cleared level's story stays: its reading time in the game's language."""
    about = level.text(state.language, state.pack.default_language).about
    return reading_ms(about, state.config.reading)


def _advance_time(state: GameState, now_ms: float) -> GameState:
    """Apply every timed transition due by ``now_ms``, each at its exact due time."""
    c = state.config
    while True:
        start = state.phase_started_ms
        if state.phase == Phase.COUNTDOWN:
            if now_ms >= start + c.countdown_ms:
                state = _start_level(state, 0, start + c.countdown_ms)
                continue
            state = replace(state, countdown=math.ceil((start + c.countdown_ms - now_ms) / 1000.0))
        elif state.phase == Phase.PLAYING:
            end = start + (c.total_ms - state.play_elapsed_ms)
            if now_ms >= end:
                state = _end_level(state, end, "time_up", state.fit, 0)
                state = replace(state, streak=0)
                state = _results(state, end, "time_up")
                continue
        elif state.phase == Phase.LEVEL_CLEARED:
            if now_ms >= start + state.story_ms:
                state = _after_story(state, start + state.story_ms)
                continue
        elif state.phase == Phase.RESULTS:
            if c.results_ms > 0 and now_ms >= start + c.results_ms:
                state = replace(_fresh(state, start + c.results_ms), smoothed=state.smoothed)
                continue
        elif state.phase == Phase.FRAMING:
            last = state.last_person_ms if state.last_person_ms is not None else start
            if now_ms >= last + c.framing_timeout_ms:
                state = _fresh(state, last + c.framing_timeout_ms)
                continue
        if c.abandon_ms > 0 and state.phase in _ABANDONABLE:
            last = state.last_person_ms if state.last_person_ms is not None else start
            due = max(last + c.abandon_ms, start)  # counted from the last sighting
            if now_ms >= due:
                state = _fresh(state, due)
                continue
        return state


# Phases a kiosk abandons when the visitor walks away (abandon_ms).
_ABANDONABLE = (Phase.COUNTDOWN, Phase.PLAYING, Phase.LEVEL_CLEARED)


def _see(state: GameState, event: PoseSeen | NoPerson, now_ms: float) -> GameState:
    """Fold a frame into the smoothed pose and the framing message (display only)."""
    if isinstance(event, NoPerson):
        # Forget the skeleton: the page should not draw a ghost, and the next
        # detection may be someone else.
        return replace(state, smoothed=None, framing_reason=reasons.NO_PERSON)
    try:
        pose = check_pose(event.pose)
    except PoseError as exc:
        raise PoseError(f"PoseSeen in phase {state.phase.name}: {exc}") from None
    smoothed = smooth_pose(
        state.smoothed, pose, now_ms, state.difficulty.confidence_floor, state.config.pose_tau_ms
    )
    problem = framing_problem(
        smoothed.pose, state.difficulty.confidence_floor, state.upper_body_framing, state.seated
    )
    return replace(state, smoothed=smoothed, framing_reason=problem, last_person_ms=now_ms)


def _dt(state: GameState, now_ms: float) -> float:
    return 0.0 if state.now_ms is None else now_ms - state.now_ms


# --- handlers: (state, event, now_ms) -> state ----------------------------

Handler = Callable[[GameState, Any, float], GameState]


def _display_only(state: GameState, event: Event, now_ms: float) -> GameState:
    if isinstance(event, (PoseSeen, NoPerson)):
        return _see(state, event, now_ms)
    return state


def _reset(state: GameState, event: Reset, now_ms: float) -> GameState:
    return replace(_fresh(state, now_ms), smoothed=state.smoothed)


def _idle_start(state: GameState, event: Start, now_ms: float) -> GameState:
    if event.levels is not None:
        requested = tuple(event.levels)
        order = game_order(state.pack, state.config, state.seated, requested)
        state = replace(state, level_order=order, requested_order=requested)
    return _begin_framing(state, now_ms)


def _set_seated(state: GameState, event: SetSeated, now_ms: float) -> GameState:
    d = state.difficulty
    difficulty = upper_body(d) if event.seated else dataclasses.replace(d, upper_body_only=False)
    order = game_order(state.pack, state.config, event.seated, state.requested_order)
    return replace(state, difficulty=difficulty, level_order=order)


def _idle_frame(state: GameState, event: PoseSeen | NoPerson | Tick, now_ms: float) -> GameState:
    """IDLE: display only, unless auto-start watches for a visitor standing in view."""
    if not isinstance(event, Tick):
        state = _see(state, event, now_ms)
    if not state.config.auto_start:
        return state
    presence = state.framing if state.framing.hold_ms else _presence_tracker(state.config)
    if isinstance(event, Tick):
        presence = presence.tick(now_ms)
    else:
        presence = presence.observe(state.framing_reason is None, now_ms)
    if presence.complete(now_ms):
        return _begin_framing(state, now_ms)
    return replace(state, framing=presence, framing_progress=presence.progress(now_ms))


def _play_again(state: GameState, event: PlayAgain, now_ms: float) -> GameState:
    return _begin_framing(state, now_ms)


def _framing_frame(state: GameState, event: PoseSeen | NoPerson | Tick, now_ms: float) -> GameState:
    if isinstance(event, Tick):
        framing = state.framing.tick(now_ms)
    else:
        state = _see(state, event, now_ms)
        framing = state.framing.observe(state.framing_reason is None, now_ms)
    state = replace(state, framing=framing, framing_progress=framing.progress(now_ms))
    if framing.complete(now_ms):
        c = state.config
        return replace(
            state,
            phase=Phase.COUNTDOWN,
            phase_started_ms=now_ms,
            countdown=math.ceil(c.countdown_ms / 1000.0),
            framing_progress=1.0,
        )
    return state


def _playing_pose(state: GameState, event: PoseSeen, now_ms: float) -> GameState:
    state = _see(state, event, now_ms)
    assert state.smoothed is not None
    level = state.level
    assert level is not None
    settings, reference = _level_match(state, level)
    pose = state.smoothed.pose
    result = match_pose(pose, reference, settings)
    fit = smooth_value(state.fit, result.fit, _dt(state, now_ms), state.config.fit_tau_ms)
    verdicts = limb_verdicts(result, settings.angle_tolerance_rad, state.limb_verdicts)
    left_is_plus_x = float(pose[LEFT_SHOULDER, 0] - pose[RIGHT_SHOULDER, 0])
    hint = choose_hint(result, verdicts, state.hint, left_is_plus_x, state.seated)
    matched = result.ok and result.fit >= state.difficulty.match_threshold
    hold = state.hold.observe(matched, now_ms)
    best = result.ok and (state.level_best_ms is None or result.fit > state.level_best_fit)
    state = replace(
        state,
        fit=fit,
        hold=hold,
        hold_progress=hold.progress(now_ms),
        limb_verdicts=verdicts,
        hint=hint,
        mirror_mode=result.mode,
        level_best_fit=result.fit if best else state.level_best_fit,
        level_best_ms=now_ms if best else state.level_best_ms,
    )
    if not hold.complete(now_ms):
        return state
    streak = state.streak + 1
    level_ms = now_ms - state.phase_started_ms
    par_ms = state.config.total_ms / state.level_count
    points = level_points(result.fit, state.difficulty.match_threshold, level_ms, par_ms, streak)
    state = _end_level(state, now_ms, "cleared", result.fit, points)
    return replace(
        state,
        phase=Phase.LEVEL_CLEARED,
        phase_started_ms=now_ms,
        streak=streak,
        best_streak=max(state.best_streak, streak),
        hold_progress=1.0,
        hint=None,
        story_ms=_story_ms(state, level),
    )


def _playing_no_person(state: GameState, event: NoPerson, now_ms: float) -> GameState:
    state = _see(state, event, now_ms)
    hold = state.hold.observe(False, now_ms)
    fit = smooth_value(state.fit, 0.0, _dt(state, now_ms), state.config.fit_tau_ms)
    unseen: dict[str, Verdict] = {name: "unseen" for name in state.limb_verdicts}
    return replace(
        state,
        fit=fit,
        hold=hold,
        hold_progress=hold.progress(now_ms),
        limb_verdicts=unseen,
        hint=hint_for_reason(reasons.NO_PERSON),
    )


def _playing_tick(state: GameState, event: Tick, now_ms: float) -> GameState:
    hold = state.hold.tick(now_ms)
    return replace(state, hold=hold, hold_progress=hold.progress(now_ms))


def _next(state: GameState, event: Next, now_ms: float) -> GameState:
    """The visitor has read enough: on at once (the clock is still paused)."""
    return _after_story(state, now_ms)


def _skip(state: GameState, event: Skip, now_ms: float) -> GameState:
    state = _end_level(state, now_ms, "skipped", state.fit, 0)
    state = replace(state, streak=0)
    if state.level_index + 1 < state.level_count:
        return _start_level(state, state.level_index + 1, now_ms)
    return _after_last_level(state, now_ms)


def _build_table() -> dict[tuple[Phase, type], Handler]:
    table: dict[tuple[Phase, type], Handler] = {}
    for phase in Phase:
        # Frames and ticks are always welcome; Reset always works.
        for kind in (PoseSeen, NoPerson, Tick):
            table[phase, kind] = _display_only
        table[phase, Reset] = _reset
    table[Phase.IDLE, Start] = _idle_start
    table[Phase.IDLE, SetSeated] = _set_seated
    for kind in (PoseSeen, NoPerson, Tick):
        table[Phase.IDLE, kind] = _idle_frame
    for kind in (PoseSeen, NoPerson, Tick):
        table[Phase.FRAMING, kind] = _framing_frame
    table[Phase.PLAYING, PoseSeen] = _playing_pose
    table[Phase.PLAYING, NoPerson] = _playing_no_person
    table[Phase.PLAYING, Tick] = _playing_tick
    table[Phase.PLAYING, Skip] = _skip
    table[Phase.LEVEL_CLEARED, Next] = _next
    table[Phase.RESULTS, PlayAgain] = _play_again
    return table


# (phase, event type) -> handler.  A pair that is missing is an illegal
# transition: Start outside IDLE, Skip outside PLAYING, Next outside
# LEVEL_CLEARED, PlayAgain outside RESULTS, SetSeated outside IDLE.
TRANSITIONS: dict[tuple[Phase, type], Handler] = _build_table()


def step(state: GameState, event: Event, now_ms: float) -> GameState:
    """The state after ``event`` at time ``now_ms`` (pure; ``state`` is unchanged).

    Raises :class:`IllegalTransition` for an event the phase does not accept,
    ``ValueError`` for a non-finite or backwards ``now_ms`` or a bad pose.
    """
    if not isinstance(event, EVENT_TYPES):
        raise TypeError(f"not a game event: {event!r} (phase {state.phase.name})")
    name = type(event).__name__
    if (
        isinstance(now_ms, bool)
        or not isinstance(now_ms, (int, float))
        or not math.isfinite(now_ms)
    ):
        raise ValueError(
            f"now_ms must be a finite number, got {now_ms!r} ({name} in {state.phase.name})"
        )
    if state.now_ms is not None and now_ms < state.now_ms:
        raise ValueError(
            f"now_ms={now_ms!r} is earlier than the previous step at {state.now_ms!r} "
            f"({name} in {state.phase.name}); the clock must not go backwards"
        )
    now_ms = float(now_ms)
    if state.now_ms is None:
        state = replace(state, now_ms=now_ms, phase_started_ms=now_ms)
    state = _advance_time(state, now_ms)
    handler = TRANSITIONS.get((state.phase, type(event)))
    if handler is None:
        raise IllegalTransition(state, event)
    return replace(handler(state, event, now_ms), now_ms=now_ms)
