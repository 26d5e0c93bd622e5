"""What the game does, as functions of ``(state, event, time)``; never *when*.

Two kinds, and neither chooses a phase (transitions.py does, and sets
``phase`` and ``phase_started_ms`` itself):

* **Updates**: what an event accepted in a phase does within it (a camera
  frame folds into the smoothed pose and the hold, a tick lets the hold's
  grace run out, SetSeated changes the levels).
* **Entries**: what a phase change sets up in the phase it enters (a level
  starts, a level ends and its points are counted, the results are made, a
  fresh game begins).  ``at_ms`` is the time of the change: a timed change
  happens at its due time, which may be before the step that notices it.
"""

from __future__ import annotations

import dataclasses
import math

from . import reasons
from .difficulty import Difficulty, upper_body
from .events import Event, NoPerson, PoseSeen, SetSeated, Start
from .framing import framing_problem
from .gamestate import GameState, LevelResult, Outcome, game_order, new_game, replace
from .keypoints import LEFT_SHOULDER, RIGHT_SHOULDER, Pose, PoseError, check_pose
from .levelpack import Level
from .reading import reading_ms
from .scoring import level_points
from .similarity import MatchSettings, match_pose, settings_for
from .temporal import HoldTracker, smooth_pose, smooth_value
from .verdicts import Verdict, choose_hint, hint_for_reason, limb_verdicts

# --- updates within a phase: (state, event, now_ms) -> state ----------------


def see(state: GameState, event: Event, now_ms: float) -> GameState:
    """Fold a frame into the smoothed pose and the framing message (display
    only); a tick changes nothing."""
    if isinstance(event, NoPerson):
        # Forget the skeleton: the page should not draw a ghost, and the next
        # detection may be someone else.
        return replace(state, smoothed=None, framing_reason=reasons.NO_PERSON)
    if not isinstance(event, PoseSeen):
        return state
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


def watch_for_visitor(state: GameState, event: Event, now_ms: float) -> GameState:
    """IDLE: display only, unless auto-start watches for a visitor standing in
    view (in ``framing``, as a tracker of ``presence_ms``)."""
    state = see(state, event, now_ms)
    if not state.config.auto_start:
        return state
    presence = state.framing
    if not presence.hold_ms:
        presence = HoldTracker(state.config.presence_ms, state.config.framing_grace_ms)
    if isinstance(event, (PoseSeen, NoPerson)):
        presence = presence.observe(state.framing_reason is None, now_ms)
    else:
        presence = presence.tick(now_ms)
    return replace(state, framing=presence, framing_progress=presence.progress(now_ms))


def set_seated(state: GameState, event: Event, now_ms: float) -> GameState:
    """IDLE: seated play on or off, and the levels it plays."""
    assert isinstance(event, SetSeated)
    d = state.difficulty
    difficulty = upper_body(d) if event.seated else dataclasses.replace(d, upper_body_only=False)
    order = game_order(state.pack, state.config, event.seated, state.requested_order)
    return replace(state, difficulty=difficulty, level_order=order)


def frame_the_visitor(state: GameState, event: Event, now_ms: float) -> GameState:
    """FRAMING: how long the visitor has been steadily in view."""
    if isinstance(event, (PoseSeen, NoPerson)):
        state = see(state, event, now_ms)
        framing = state.framing.observe(state.framing_reason is None, now_ms)
    else:
        framing = state.framing.tick(now_ms)
    return replace(state, framing=framing, framing_progress=framing.progress(now_ms))


def count_down(state: GameState, event: Event, now_ms: float) -> GameState:
    """COUNTDOWN: display, and the whole seconds left (3, 2, 1)."""
    state = see(state, event, now_ms)
    due = state.phase_started_ms + state.config.countdown_ms
    return replace(state, countdown=math.ceil((due - now_ms) / 1000.0))


def _dt(state: GameState, now_ms: float) -> float:
    return 0.0 if state.now_ms is None else now_ms - state.now_ms


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


def judge_pose(state: GameState, event: Event, now_ms: float) -> GameState:
    """PLAYING: match the visitor's pose against the figure; the gauge, the
    limbs' colours, the hint and the hold follow."""
    state = see(state, event, now_ms)
    level = state.level
    assert state.smoothed is not None and level is not None
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
    return replace(
        state,
        fit=fit,
        frame_fit=result.fit,
        hold=hold,
        hold_progress=hold.progress(now_ms),
        limb_verdicts=verdicts,
        hint=hint,
        mirror_mode=result.mode,
        level_best_fit=result.fit if best else state.level_best_fit,
        level_best_ms=now_ms if best else state.level_best_ms,
    )


def nobody_to_judge(state: GameState, event: Event, now_ms: float) -> GameState:
    """PLAYING: nobody in view; the hold's grace starts running out."""
    state = see(state, event, now_ms)
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


def hold_on(state: GameState, event: Event, now_ms: float) -> GameState:
    """PLAYING, a tick: the hold's grace may run out."""
    hold = state.hold.tick(now_ms)
    return replace(state, hold=hold, hold_progress=hold.progress(now_ms))


# --- entries: (state, event or None, at_ms) -> the state a phase starts with --


def fresh(state: GameState, event: Event | None, at_ms: float) -> GameState:
    """A new IDLE game with the same pack, settings and levels."""
    game = new_game(
        state.pack, state.config, state.difficulty, state.requested_order, state.language
    )
    return replace(game, now_ms=at_ms, phase_started_ms=at_ms)


def fresh_in_view(state: GameState, event: Event | None, at_ms: float) -> GameState:
    """A fresh game that still shows the skeleton of whoever is in view."""
    return replace(fresh(state, event, at_ms), smoothed=state.smoothed)


def begin_framing(state: GameState, event: Event | None, at_ms: float) -> GameState:
    """A fresh game, waiting for the visitor to be steadily in view; Start
    may choose its levels."""
    if isinstance(event, Start) and event.levels is not None:
        requested = tuple(event.levels)
        order = game_order(state.pack, state.config, state.seated, requested)
        state = replace(state, level_order=order, requested_order=requested)
    c = state.config
    return replace(
        fresh(state, event, at_ms),
        framing=HoldTracker(c.framing_ms, c.framing_grace_ms),
        last_person_ms=at_ms,
        smoothed=state.smoothed,
    )


def start_countdown(state: GameState, event: Event | None, at_ms: float) -> GameState:
    return replace(
        state, countdown=math.ceil(state.config.countdown_ms / 1000.0), framing_progress=1.0
    )


def _start_level(state: GameState, index: int) -> GameState:
    d = state.difficulty
    return replace(
        state,
        level_index=index,
        countdown=0,
        fit=0.0,
        frame_fit=0.0,
        hold=HoldTracker(d.hold_ms, d.grace_ms),
        hold_progress=0.0,
        level_best_fit=0.0,
        level_best_ms=None,
        story_ms=0.0,
        limb_verdicts={},
        hint=None,
        mirror_mode=None,
    )


def first_level(state: GameState, event: Event | None, at_ms: float) -> GameState:
    return _start_level(state, 0)


def next_level(state: GameState, event: Event | None, at_ms: float) -> GameState:
    return _start_level(state, state.level_index + 1)


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


def clear_level(state: GameState, event: Event | None, at_ms: float) -> GameState:
    """The pose was held: the level's points, and its story to read."""
    level = state.level
    assert level is not None
    streak = state.streak + 1
    level_ms = at_ms - state.phase_started_ms
    par_ms = state.config.total_ms / state.level_count
    fit = state.frame_fit
    points = level_points(fit, state.difficulty.match_threshold, level_ms, par_ms, streak)
    state = _end_level(state, at_ms, "cleared", fit, points)
    about = level.text(state.language, state.pack.default_language).about
    return replace(
        state,
        streak=streak,
        best_streak=max(state.best_streak, streak),
        hold_progress=1.0,
        hint=None,
        story_ms=reading_ms(about, state.config.reading),
    )


def skip_level(state: GameState, event: Event | None, at_ms: float) -> GameState:
    """The visitor skipped the level: no points, the streak is broken; the
    next level starts."""
    state = replace(_end_level(state, at_ms, "skipped", state.fit, 0), streak=0)
    return next_level(state, event, at_ms)


def _results(state: GameState, outcome: Outcome) -> GameState:
    return replace(state, outcome=outcome, hint=None, hold_progress=0.0)


def game_over(state: GameState, event: Event | None, at_ms: float) -> GameState:
    """Past the last level: won if every level was cleared."""
    won = all(r == "cleared" for r in state.level_results)
    return _results(state, "won" if won else "finished")


def skip_last_level(state: GameState, event: Event | None, at_ms: float) -> GameState:
    state = replace(_end_level(state, at_ms, "skipped", state.fit, 0), streak=0)
    return game_over(state, event, at_ms)


def time_up(state: GameState, event: Event | None, at_ms: float) -> GameState:
    """The playing time is spent: the level ends unmatched.  All of it is
    spent, exactly: the running sum of level times can fall a rounding error
    short of the budget, and the clock must then read 0, not 4e-12."""
    state = replace(
        _end_level(state, at_ms, "time_up", state.fit, 0),
        streak=0,
        play_elapsed_ms=state.config.total_ms,
    )
    return _results(state, "time_up")
