"""Random event streams: whatever the visitor and the shell do, the state stays sane."""

from __future__ import annotations

import json
import random

from hypothesis import given, settings
from hypothesis import strategies as st

from strike_a_pose.events import (
    Event,
    Next,
    NoPerson,
    PlayAgain,
    PoseSeen,
    Reset,
    Skip,
    Start,
    Tick,
)
from strike_a_pose.game import GameConfig, GameState, IllegalTransition, Phase, new_game, step
from strike_a_pose.reading import ReadingRules

from .pack_factory import GAME_SHAPES, make_pack
from .synthetic_poses import ARMS_DOWN, hide, make_pose

PACK = make_pack()
# Short phases so that random streams get everywhere.
CONFIG = GameConfig(
    total_ms=8_000.0,
    framing_ms=100.0,
    countdown_ms=500.0,
    reading=ReadingRules(min_ms=300.0, max_ms=600.0),
    results_ms=2_000.0,
)
POSES = [make_pose(shape, noise_px=2.0) for shape in (*GAME_SHAPES, ARMS_DOWN)]
POSES.append(hide(make_pose(ARMS_DOWN), "left_knee", "right_ankle"))
POSES.append(make_pose(ARMS_DOWN, score=0.0))
MATCH = "match"  # stands for "the visitor copies the current figure"
Choice = Event | str

CHOICES: list[Choice] = [Tick(), NoPerson(), Start(), Skip(), Next(), PlayAgain(), Reset()]
CHOICES += [PoseSeen(p) for p in POSES] + [MATCH] * 12


def play(stream: list[tuple[Choice, float]], state: GameState, now: float) -> set[Phase]:
    """Feed ``stream`` and check the invariants after every step; return the phases seen."""
    phases = {state.phase}
    for choice, dt in stream:
        now += dt
        figure = GAME_SHAPES[state.level_order[state.level_index]]
        event = PoseSeen(make_pose(figure)) if choice == MATCH else choice
        assert not isinstance(event, str)
        try:
            state = step(state, event, now)
        except IllegalTransition as exc:
            assert type(event).__name__ in str(exc)
            assert isinstance(event, (Start, Skip, Next, PlayAgain))
            continue
        phases.add(state.phase)
        assert 0.0 <= state.time_left_ms(now) <= CONFIG.total_ms
        assert 0.0 <= state.fit <= 1.0 and 0.0 <= state.hold_progress <= 1.0
        assert 0 <= state.level_index < state.level_count
        assert state.score == sum(state.level_points) >= 0
        assert len(state.level_times_ms) == len(state.level_results) == len(state.level_fits)
        assert sum(state.level_times_ms) <= CONFIG.total_ms + 1e-6
        assert (state.outcome is not None) == (state.phase == Phase.RESULTS)
        if state.outcome == "time_up":
            assert abs(sum(state.level_times_ms) - CONFIG.total_ms) < 1e-6
            assert state.time_left_ms(now) == 0.0  # exactly: the page shows 0
        if state.outcome == "won":
            assert state.level_results == ("cleared",) * state.level_count
        if state.phase == Phase.LEVEL_CLEARED:
            # The story's reading time stays within the rules' bounds.
            assert CONFIG.reading.min_ms <= state.story_ms <= CONFIG.reading.max_ms
            assert state.level_best_ms is not None and 0.0 <= state.level_best_fit <= 1.0
        json.dumps(state.to_view(now), allow_nan=False)
    return phases


def _playing() -> tuple[GameState, float]:
    state, now = step(new_game(PACK, CONFIG, "child"), Start(), 0.0), 0.0
    while state.phase != Phase.PLAYING:
        now += 33.0
        state = step(state, PoseSeen(make_pose(ARMS_DOWN)), now)
    return state, now


PLAYING_START = _playing()

# Mostly frame-sized steps, sometimes long pauses.
steps = st.lists(
    st.tuples(st.sampled_from(CHOICES), st.one_of(st.floats(0.0, 60.0), st.floats(0.0, 4_000.0))),
    min_size=1,
    max_size=120,
)


@settings(max_examples=80, deadline=None)
@given(steps, st.booleans())
def test_random_event_streams_keep_the_state_consistent(
    stream: list[tuple[Choice, float]], from_playing: bool
) -> None:
    state, now = PLAYING_START if from_playing else (new_game(PACK, CONFIG, "child"), 0.0)
    play(stream, state, now)


def test_a_long_seeded_random_session_visits_every_phase() -> None:
    rng = random.Random(1234)
    stream = [
        (rng.choice(CHOICES), rng.choice([33.0, 33.0, 33.0, 16.0, 250.0, 2_500.0]))
        for _ in range(5_000)
    ]
    assert play(stream, new_game(PACK, CONFIG, "child"), 0.0) == set(Phase)
