"""Every phase change of the game, in one table: :data:`RULES`.

A rule says: in these phases, on this trigger (and when its guard holds),
go to that phase, entering it with that action (actions.py).  Triggers:

* an **event** from the shell (Start, Skip, Next, PlayAgain, Reset);
* a **timer** (:class:`Timer`), due at a time worked out from the state:
  timers are checked before each event, in table order, and the first one
  due fires at its exact due time; then the phase's timers are checked
  again, so a long pause runs through every change it spans;
* a **condition** (:class:`Condition`) on the state after a frame or tick
  has been folded in (the visitor has been steadily in view, the pose held).

Rules that share a phase and a trigger are tried in order: every one but the
last has a guard, the last has none, so exactly one applies.  What an event
does *within* a phase (frames, ticks, SetSeated) is :data:`UPDATES`; those
functions never change the phase (checked at run time too).

The table is checked when this module is imported, as state-machine
libraries check their definitions: every trigger known, no event both an
update and a phase change, no rule shadowed, every phase reachable from
IDLE, none a dead end, and IDLE reachable again from every phase.
:data:`TRANSITIONS` is what ``step`` looks up: (phase, event type) -> what
that event does there; a pair that is missing is an illegal transition.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from typing import Any, TypeAlias

from . import actions
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
from .gamestate import GameState, IllegalTransition, Phase, replace

Action: TypeAlias = Callable[[GameState, Event | None, float], GameState]
Update: TypeAlias = Callable[[GameState, Event, float], GameState]
Guard: TypeAlias = Callable[[GameState], bool]
Handler: TypeAlias = Callable[[GameState, Any, float], GameState]


@dataclass(frozen=True)
class Timer:
    """A phase change at a time worked out from the state (ms), or never (None)."""

    name: str
    due: Callable[[GameState], float | None]


@dataclass(frozen=True)
class Condition:
    """A phase change as soon as ``holds(state, now_ms)`` after a frame or tick."""

    name: str
    holds: Callable[[GameState, float], bool]


Trigger: TypeAlias = type | Timer | Condition


@dataclass(frozen=True)
class Rule:
    sources: tuple[Phase, ...]
    trigger: Trigger
    target: Phase
    action: Action
    guard: Guard | None = None

    def describe(self) -> str:
        name = self.trigger.__name__ if isinstance(self.trigger, type) else self.trigger.name
        where = "any phase" if set(self.sources) == set(Phase) else "/".join(self.sources)
        return f"{where} --{name}--> {self.target.value}"


def rule(
    source: Phase | tuple[Phase, ...],
    trigger: Trigger,
    target: Phase,
    action: Action,
    guard: Guard | None = None,
) -> Rule:
    sources = source if isinstance(source, tuple) else (source,)
    return Rule(sources, trigger, target, action, guard)


# --- timers, conditions and guards: when ----------------------------------


def _last_seen(state: GameState) -> float:
    return state.last_person_ms if state.last_person_ms is not None else state.phase_started_ms


def _countdown_due(state: GameState) -> float:
    return state.phase_started_ms + state.config.countdown_ms


def _time_up_due(state: GameState) -> float:
    """The PLAYING time budget runs only while playing (not while reading)."""
    return state.phase_started_ms + (state.config.total_ms - state.play_elapsed_ms)


def _story_due(state: GameState) -> float:
    return state.phase_started_ms + state.story_ms


def _results_due(state: GameState) -> float | None:
    results_ms = state.config.results_ms
    return state.phase_started_ms + results_ms if results_ms > 0 else None  # 0: until PlayAgain


def _nobody_due(state: GameState) -> float:
    return _last_seen(state) + state.config.framing_timeout_ms


def _abandoned_due(state: GameState) -> float | None:
    """Kiosk: nobody seen for ``abandon_ms`` (0: never), counted from the
    last sighting but never before the phase began."""
    abandon_ms = state.config.abandon_ms
    if abandon_ms <= 0:
        return None
    return max(_last_seen(state) + abandon_ms, state.phase_started_ms)


COUNTDOWN_OVER = Timer("countdown over", _countdown_due)
TIME_UP = Timer("time up", _time_up_due)
STORY_READ = Timer("story read", _story_due)
RESULTS_SHOWN = Timer("results shown", _results_due)
NOBODY_TO_FRAME = Timer("nobody to frame", _nobody_due)
ABANDONED = Timer("abandoned", _abandoned_due)

VISITOR_PRESENT = Condition(
    "visitor steadily in view (kiosk)",
    lambda state, now_ms: state.config.auto_start and state.framing.complete(now_ms),
)
FRAMED = Condition("framed", lambda state, now_ms: state.framing.complete(now_ms))
POSE_HELD = Condition("pose held", lambda state, now_ms: state.hold.complete(now_ms))


def more_levels(state: GameState) -> bool:
    """The level being played or just cleared is not the game's last."""
    return state.level_index + 1 < state.level_count


IDLE, FRAMING, COUNTDOWN = Phase.IDLE, Phase.FRAMING, Phase.COUNTDOWN
PLAYING, LEVEL_CLEARED, RESULTS = Phase.PLAYING, Phase.LEVEL_CLEARED, Phase.RESULTS
ANY_PHASE = tuple(Phase)
IN_GAME = (COUNTDOWN, PLAYING, LEVEL_CLEARED)  # what a kiosk abandons

# --- the table --------------------------------------------------------------

RULES: tuple[Rule, ...] = (
    # By event.
    rule(IDLE, Start, FRAMING, actions.begin_framing),
    rule(PLAYING, Skip, PLAYING, actions.skip_level, guard=more_levels),
    rule(PLAYING, Skip, RESULTS, actions.skip_last_level),
    rule(LEVEL_CLEARED, Next, PLAYING, actions.next_level, guard=more_levels),
    rule(LEVEL_CLEARED, Next, RESULTS, actions.game_over),
    rule(RESULTS, PlayAgain, FRAMING, actions.begin_framing),
    rule(ANY_PHASE, Reset, IDLE, actions.fresh_in_view),
    # By timer, checked in this order.
    rule(COUNTDOWN, COUNTDOWN_OVER, PLAYING, actions.first_level),
    rule(PLAYING, TIME_UP, RESULTS, actions.time_up),
    rule(LEVEL_CLEARED, STORY_READ, PLAYING, actions.next_level, guard=more_levels),
    rule(LEVEL_CLEARED, STORY_READ, RESULTS, actions.game_over),
    rule(RESULTS, RESULTS_SHOWN, IDLE, actions.fresh_in_view),
    rule(FRAMING, NOBODY_TO_FRAME, IDLE, actions.fresh),
    rule(IN_GAME, ABANDONED, IDLE, actions.fresh),
    # By condition, after a frame or tick.
    rule(IDLE, VISITOR_PRESENT, FRAMING, actions.begin_framing),
    rule(FRAMING, FRAMED, COUNTDOWN, actions.start_countdown),
    rule(PLAYING, POSE_HELD, LEVEL_CLEARED, actions.clear_level),
)


FRAMES = (PoseSeen, NoPerson, Tick)  # a camera frame, or time passing


def _updates() -> dict[tuple[Phase, type], Update]:
    table: dict[tuple[Phase, type], Update] = {}
    for phase in Phase:
        for kind in FRAMES:  # frames and ticks are always welcome
            table[phase, kind] = actions.see
    for kind in FRAMES:
        table[IDLE, kind] = actions.watch_for_visitor
        table[FRAMING, kind] = actions.frame_the_visitor
        table[COUNTDOWN, kind] = actions.count_down
    table[IDLE, SetSeated] = actions.set_seated
    table[PLAYING, PoseSeen] = actions.judge_pose
    table[PLAYING, NoPerson] = actions.nobody_to_judge
    table[PLAYING, Tick] = actions.hold_on
    return table


# (phase, event type) -> what that event does within the phase.
UPDATES: dict[tuple[Phase, type], Update] = _updates()

# --- checking the table -------------------------------------------------------


class InvalidTransitionTable(ValueError):
    """The table breaks one of the checks in the module doc."""


def _reachable(start: Phase, edges: Iterable[tuple[Phase, Phase]]) -> set[Phase]:
    found, todo = {start}, [start]
    edge_list = list(edges)
    while todo:
        phase = todo.pop()
        for source, target in edge_list:
            if source == phase and target not in found:
                found.add(target)
                todo.append(target)
    return found


def check_table(
    rules: Iterable[Rule],
    updates: Mapping[tuple[Phase, type], object],
    initial: Phase = Phase.IDLE,
) -> None:
    """Raise :class:`InvalidTransitionTable` listing every problem of ``rules``."""
    rules = tuple(rules)
    problems: list[str] = []
    groups: dict[tuple[Phase, Trigger], list[Rule]] = {}
    for r in rules:
        known = r.trigger in EVENT_TYPES or isinstance(r.trigger, (Timer, Condition))
        if not known:
            problems.append(f"{r.describe()}: the trigger is not an event, a timer or a condition")
        for phase in r.sources:
            groups.setdefault((phase, r.trigger), []).append(r)
            if isinstance(r.trigger, type) and (phase, r.trigger) in updates:
                problems.append(f"{r.describe()}: {r.trigger.__name__} is also an update there")
    for (phase, _), group in groups.items():
        for r in group[:-1]:
            if r.guard is None:
                problems.append(f"{r.describe()}: hides the later rule(s) of its trigger")
        if group[-1].guard is not None:
            last = group[-1].describe()
            problems.append(f"{last}: in {phase.value}, no rule applies when its guard fails")
    # Rules for every phase (Reset) are the shell's way out; they do not save
    # a phase from being a dead end or a trap.
    own = [(p, r.target) for r in rules if set(r.sources) != set(Phase) for p in r.sources]
    every = [(p, r.target) for r in rules for p in r.sources]
    unreachable = set(Phase) - _reachable(initial, every)
    if unreachable:
        problems.append(f"unreachable from {initial.value}: {sorted(p.value for p in unreachable)}")
    for phase in Phase:
        if not any(source == phase and target != phase for source, target in own):
            problems.append(f"{phase.value} is a dead end: no rule of its own leaves it")
        elif initial not in _reachable(phase, own):
            problems.append(f"{phase.value} is a trap: {initial.value} cannot be reached from it")
    if problems:
        raise InvalidTransitionTable("; ".join(problems))


check_table(RULES, UPDATES)

# --- running the table ------------------------------------------------------


def _enter(r: Rule, state: GameState, event: Event | None, at_ms: float) -> GameState:
    return replace(r.action(state, event, at_ms), phase=r.target, phase_started_ms=at_ms)


# Per phase, in table order: each timer's due time and each condition's
# test beside its rule (the per-frame path: no lookups beyond these).
_TIMERS: dict[Phase, tuple[tuple[Callable[[GameState], float | None], Rule], ...]] = {
    phase: tuple(
        (r.trigger.due, r) for r in RULES if isinstance(r.trigger, Timer) and phase in r.sources
    )
    for phase in Phase
}
_CONDITIONS: dict[Phase, tuple[tuple[Callable[[GameState, float], bool], Rule], ...]] = {
    phase: tuple(
        (r.trigger.holds, r)
        for r in RULES
        if isinstance(r.trigger, Condition) and phase in r.sources
    )
    for phase in Phase
}


def advance_time(state: GameState, now_ms: float) -> GameState:
    """Every timed phase change due by ``now_ms``, each at its exact due time."""
    while True:
        for due_at, r in _TIMERS[state.phase]:
            due = due_at(state)
            if due is not None and now_ms >= due and (r.guard is None or r.guard(state)):
                state = _enter(r, state, None, due)
                break
        else:
            return state


def _update_handler(phase: Phase, update: Update, frame: bool = True) -> Handler:
    """An update, then (after a frame or a tick) the phase's conditions."""
    conditions = _CONDITIONS[phase] if frame else ()

    def handle(state: GameState, event: Event, now_ms: float) -> GameState:
        updated = update(state, event, now_ms)
        if updated.phase is not phase:
            raise RuntimeError(f"{update.__name__} changed the phase: only RULES may")
        for holds, r in conditions:
            if holds(updated, now_ms) and (r.guard is None or r.guard(updated)):
                return _enter(r, updated, event, now_ms)
        return updated

    return handle


def _event_handler(rules: tuple[Rule, ...]) -> Handler:
    def handle(state: GameState, event: Event, now_ms: float) -> GameState:
        for r in rules:
            if r.guard is None or r.guard(state):
                return _enter(r, state, event, now_ms)
        raise IllegalTransition(state, event)  # not reached: the last rule has no guard

    return handle


def _transitions() -> dict[tuple[Phase, type], Handler]:
    table = {
        (phase, kind): _update_handler(phase, update, kind in FRAMES)
        for (phase, kind), update in UPDATES.items()
    }
    for phase in Phase:
        for kind in EVENT_TYPES:
            rules = tuple(r for r in RULES if r.trigger is kind and phase in r.sources)
            if rules:
                table[phase, kind] = _event_handler(rules)
    return table


# (phase, event type) -> handler.  A pair that is missing is an illegal
# transition: Start outside IDLE, Skip outside PLAYING, Next outside
# LEVEL_CLEARED, PlayAgain outside RESULTS, SetSeated outside IDLE.
TRANSITIONS: dict[tuple[Phase, type], Handler] = _transitions()
