"""The transition table: every phase change is declared once, and the table
is a sound state machine (checked here, and by the module when imported)."""

from __future__ import annotations

import ast
from dataclasses import replace as dataclass_replace
from pathlib import Path

import pytest

import strike_a_pose
from strike_a_pose import actions, transitions
from strike_a_pose.events import Event, NoPerson, PoseSeen, Reset, SetSeated, Skip, Start, Tick
from strike_a_pose.game import TRANSITIONS, Phase, new_game, step
from strike_a_pose.gamestate import GameState
from strike_a_pose.transitions import (
    ABANDONED,
    COUNTDOWN_OVER,
    RULES,
    UPDATES,
    InvalidTransitionTable,
    Rule,
    Timer,
    check_table,
)

from .synthetic_poses import ARMS_DOWN, make_pose
from .test_game import PACK

CORE = Path(strike_a_pose.__file__).parent


def edges(rules: tuple[Rule, ...], *, shell_escapes: bool = True) -> set[tuple[Phase, Phase]]:
    return {
        (source, r.target)
        for r in rules
        if shell_escapes or set(r.sources) != set(Phase)
        for source in r.sources
    }


def reachable(start: Phase, graph: set[tuple[Phase, Phase]]) -> set[Phase]:
    seen = {start}
    while True:
        more = {target for source, target in graph if source in seen} - seen
        if not more:
            return seen
        seen |= more


def test_every_phase_is_reachable_from_idle() -> None:
    assert reachable(Phase.IDLE, edges(RULES)) == set(Phase)
    # Even without Reset, the shell's escape hatch.
    assert reachable(Phase.IDLE, edges(RULES, shell_escapes=False)) == set(Phase)


def test_no_phase_is_a_dead_end_and_every_phase_leads_back_to_idle() -> None:
    own = edges(RULES, shell_escapes=False)
    for phase in Phase:
        assert any(source == phase and target != phase for source, target in own), phase
        assert Phase.IDLE in reachable(phase, own), phase
    # And a game can always be finished: the results come within reach of
    # every phase of a game.
    for phase in (Phase.COUNTDOWN, Phase.PLAYING, Phase.LEVEL_CLEARED):
        assert Phase.RESULTS in reachable(phase, own), phase


def test_the_table_lists_every_kind_of_phase_change() -> None:
    kinds = {type(r.trigger).__name__ for r in RULES}
    assert kinds == {"type", "Timer", "Condition"}  # events, timers, conditions
    described = {r.describe() for r in RULES}
    assert "idle --Start--> framing" in described
    assert "any phase --Reset--> idle" in described
    assert "countdown/playing/level_cleared --abandoned--> idle" in described
    assert "playing --pose held--> level_cleared" in described


def test_the_events_step_accepts_are_the_tables() -> None:
    from_rules = {
        (phase, r.trigger) for r in RULES if isinstance(r.trigger, type) for phase in r.sources
    }
    assert set(TRANSITIONS) == from_rules | set(UPDATES)
    assert not from_rules & set(UPDATES)
    assert (Phase.IDLE, SetSeated) in UPDATES and (Phase.PLAYING, Skip) in from_rules


def without(*dropped: Rule) -> tuple[Rule, ...]:
    return tuple(r for r in RULES if r not in dropped)


def rules_of(trigger: object) -> tuple[Rule, ...]:
    return tuple(r for r in RULES if r.trigger == trigger)


def test_the_check_passes_the_games_table() -> None:
    check_table(RULES, UPDATES)


def test_the_check_finds_unreachable_phases() -> None:
    table = without(*rules_of(Start), *rules_of(transitions.VISITOR_PRESENT))
    with pytest.raises(InvalidTransitionTable, match=r"unreachable from idle: .*'framing'"):
        check_table(table, UPDATES)


def test_the_check_finds_a_dead_end() -> None:
    table = without(*rules_of(COUNTDOWN_OVER), *rules_of(ABANDONED))
    with pytest.raises(InvalidTransitionTable, match="countdown is a dead end"):
        check_table(table, UPDATES)


def test_the_check_finds_a_trap() -> None:
    # RESULTS only leads to FRAMING, which cannot give up any more: nothing
    # but Reset would bring a kiosk back to its attract screen.
    table = without(*rules_of(transitions.RESULTS_SHOWN), *rules_of(transitions.NOBODY_TO_FRAME))
    table = tuple(r for r in table if r.trigger != ABANDONED)
    with pytest.raises(InvalidTransitionTable, match="is a trap"):
        check_table(table, UPDATES)


def test_the_check_finds_shadowed_rules_and_missing_fallbacks() -> None:
    guarded, fallback = rules_of(Skip)
    assert guarded.guard is not None and fallback.guard is None
    unguarded = dataclass_replace(guarded, guard=None)
    with pytest.raises(InvalidTransitionTable, match="hides the later rule"):
        check_table((*without(guarded, fallback), unguarded, fallback), UPDATES)
    with pytest.raises(InvalidTransitionTable, match="no rule applies when its guard fails"):
        check_table(without(fallback), UPDATES)


def test_the_check_finds_an_event_that_is_both_an_update_and_a_phase_change() -> None:
    extra = transitions.rule(Phase.PLAYING, Tick, Phase.RESULTS, actions.time_up)
    with pytest.raises(InvalidTransitionTable, match="Tick is also an update there"):
        check_table((*RULES, extra), UPDATES)


def test_the_check_finds_unknown_triggers() -> None:
    extra = transitions.rule(Phase.PLAYING, int, Phase.RESULTS, actions.time_up)
    with pytest.raises(InvalidTransitionTable, match="not an event, a timer or a condition"):
        check_table((*RULES, extra), UPDATES)


def test_timers_that_are_not_armed_never_fire() -> None:
    state = new_game(PACK)  # abandon_ms = 0: a game is never abandoned
    assert isinstance(ABANDONED, Timer) and ABANDONED.due(state) is None


def test_an_update_that_changes_the_phase_is_refused() -> None:
    def sneaky(state: GameState, event: object, now_ms: float) -> GameState:
        return dataclass_replace(state, phase=Phase.RESULTS)

    handle = transitions._update_handler(Phase.IDLE, sneaky)
    with pytest.raises(RuntimeError, match="sneaky changed the phase"):
        handle(new_game(PACK), Tick(), 0.0)


def _sets_phase(node: ast.AST) -> bool:
    """A call with ``phase=``: the only way to make a (frozen) GameState in
    another phase, by ``replace`` or by its constructor."""
    return isinstance(node, ast.Call) and any(kw.arg == "phase" for kw in node.keywords)


def test_the_table_is_the_only_place_phases_change() -> None:
    setters = {
        f"{path.name}:{node.lineno}"
        for path in sorted(CORE.glob("*.py"))
        for node in ast.walk(ast.parse(path.read_text(encoding="utf-8")))
        if isinstance(node, ast.Call) and _sets_phase(node)
    }
    assert len(setters) == 1 and next(iter(setters)).startswith("transitions.py:"), setters


def test_every_phase_change_of_a_game_follows_a_rule() -> None:
    # A whole game by events, frames and timers: each step's change of phase
    # is one edge of the table (or a chain of them, for a long pause).
    graph = edges(RULES)
    state = step(new_game(PACK), Start(), 0.0)
    now, seen = 0.0, {(Phase.IDLE, Phase.FRAMING)}
    for _ in range(3_000):
        now += 33.0
        before = state.phase
        if state.level is not None:
            event: Event = PoseSeen(state.level.reference_pose())  # the figure, exactly
        else:
            event = PoseSeen(make_pose(ARMS_DOWN)) if before == Phase.FRAMING else Tick()
        state = step(state, event, now)
        if state.phase != before:
            assert (before, state.phase) in graph, (before, state.phase)
            seen.add((before, state.phase))
        if state.phase == Phase.RESULTS:
            break
    assert state.outcome == "won"
    assert {(Phase.FRAMING, Phase.COUNTDOWN), (Phase.PLAYING, Phase.LEVEL_CLEARED)} <= seen
    assert step(state, Reset(), now).phase == Phase.IDLE
    assert step(state, NoPerson(), now + 20_000.0).phase == Phase.IDLE  # results shown
