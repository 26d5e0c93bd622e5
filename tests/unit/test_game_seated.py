"""Seated play: chosen by the visitor, judged on the upper body, and levels
that need the legs left out."""

from __future__ import annotations

import random
from dataclasses import replace

import pytest

from strike_a_pose import (
    GameConfig,
    IllegalTransition,
    Phase,
    PoseSeen,
    Reset,
    SetSeated,
    Start,
    Tick,
    game_order,
    load_pack,
    new_game,
    plays_seated,
    step,
)
from strike_a_pose.difficulty import NORMAL
from strike_a_pose.verdicts import LEG_HINTS, SIDED_HINT_TEXTS

from .pack_factory import GAME_SHAPES, make_pack, pack_data
from .synthetic_poses import ARMS_DOWN, T_POSE, Shape, hide, make_pose

LEGS = ("left_knee", "right_knee", "left_ankle", "right_ankle")
FRAME_MS = 33.0


def skipping_pack(skip: tuple[int, ...], shapes: tuple[Shape, ...] = GAME_SHAPES * 2):
    data = pack_data(shapes)
    for i in skip:
        data["levels"][i]["seated"] = "skip"
    result = load_pack(data)
    assert result.pack is not None, result.messages()
    return result.pack


def test_the_pack_says_which_levels_seated_play_skips() -> None:
    pack = skipping_pack((0, 2))
    assert [level.seated for level in pack.levels[:3]] == ["skip", "play", "skip"]
    assert [level.seated_playable for level in pack.levels[:3]] == [False, True, False]
    assert game_order(pack, GameConfig(), seated=False) == (0, 1, 2, 3, 4)
    assert game_order(pack, GameConfig(), seated=True) == (1, 3, 4, 5, 6)
    assert game_order(pack, GameConfig(), seated=True, requested=(2, 1, 0)) == (1,)


def test_a_bad_seated_value_is_reported_with_its_level() -> None:
    data = pack_data()
    data["levels"][1]["seated"] = "sometimes"
    result = load_pack(data)
    assert result.pack is None
    assert result.messages() == ['level 2: "seated" must be "play" or "skip", got "sometimes"']


def test_a_figure_with_too_few_limbs_above_the_hips_is_not_played_seated() -> None:
    # Only the legs count: both arms weighted 0.
    weights = {"left_upper_arm": 0, "right_upper_arm": 0, "left_forearm": 0, "right_forearm": 0}
    pack = make_pack(weights=weights)
    assert not any(level.seated_playable for level in pack.levels)
    assert not plays_seated(pack)
    with pytest.raises(ValueError, match="can be played seated"):
        step(new_game(pack), SetSeated(True), 0.0)


def test_the_visitor_chooses_seated_play_before_the_game() -> None:
    pack = skipping_pack((1,))
    state = step(new_game(pack), SetSeated(True), 0.0)
    assert state.seated and state.difficulty.upper_body_only
    assert state.difficulty.match_threshold == NORMAL.match_threshold
    assert state.level_order == (0, 2, 3, 4, 5)
    assert state.to_view(0.0)["seated"] is True
    state = step(state, SetSeated(False), 1.0)
    assert not state.seated and state.level_order == (0, 1, 2, 3, 4)
    state = step(step(state, SetSeated(True), 2.0), Start(), 3.0)
    assert state.phase == Phase.FRAMING and state.seated
    with pytest.raises(IllegalTransition, match="SetSeated is not allowed in phase FRAMING"):
        step(state, SetSeated(False), 4.0)


def _play_until(state, shape: Shape, phase: Phase, now: float, legs_hidden: bool = False):
    end = now + 60_000.0
    while state.phase != phase:
        assert now < end, state.phase
        now += FRAME_MS
        pose = make_pose(shape)
        if legs_hidden:
            pose = hide(pose, *LEGS)
        state = step(state, PoseSeen(pose), now)
    return state, now


def test_seated_play_matches_the_upper_body_with_the_legs_out_of_view() -> None:
    # Every figure kicks its left leg out; the seated visitor's legs are not seen.
    kicking = tuple(replace(shape, left_thigh=70.0, left_shin=70.0) for shape in GAME_SHAPES)
    pack = make_pack(kicking)
    state = step(new_game(pack, GameConfig()), SetSeated(True), 0.0)
    state = step(state, Start(), 1.0)
    state, now = _play_until(state, ARMS_DOWN, Phase.COUNTDOWN, 1.0, legs_hidden=True)
    state = step(state, Tick(), now + 3_000.0)
    assert state.phase == Phase.PLAYING
    shape = replace(GAME_SHAPES[state.level_order[0]], left_thigh=5.0, left_shin=3.0)
    state, now = _play_until(state, shape, Phase.LEVEL_CLEARED, now + 3_000.0, legs_hidden=True)
    assert state.level_results == ("cleared",)


def test_a_standing_game_asks_for_the_legs() -> None:
    state = step(new_game(make_pack()), Start(), 0.0)
    now = 0.0
    for _ in range(60):
        now += FRAME_MS
        state = step(state, PoseSeen(hide(make_pose(ARMS_DOWN), *LEGS)), now)
    assert state.phase == Phase.FRAMING
    assert state.framing_reason is not None and state.framing_reason.code == "show_legs"


def test_seated_hints_never_mention_the_legs_and_say_sit_up() -> None:
    rng = random.Random(7)
    leg_texts = {text for key in LEG_HINTS for text in SIDED_HINT_TEXTS[key].values()}
    seen_keys = set()
    for trial in range(40):
        figure = Shape(
            *(rng.uniform(-20, 170) for _ in range(4)),
            *(rng.uniform(0, 80) for _ in range(4)),
            lean=rng.uniform(-20, 20),
        )
        pack = make_pack((figure,) * 5)
        state = step(new_game(pack), SetSeated(True), 0.0)
        state = step(state, Start(), 1.0)
        state, now = _play_until(state, ARMS_DOWN, Phase.COUNTDOWN, 1.0)
        state = step(state, Tick(), now + 3_000.0)
        visitor = Shape(lean=rng.uniform(-20, 20), left_thigh=80.0, right_shin=60.0)
        for frame in range(10):
            now += 3_000.0 + FRAME_MS * (frame + 1)
            state = step(state, PoseSeen(make_pose(visitor, seed=trial)), now)
            if state.hint is not None:
                seen_keys.add(state.hint.key)
                assert state.hint.key not in LEG_HINTS, state.hint
                assert state.hint.text not in leg_texts
                assert "leg" not in state.hint.text and "knee" not in state.hint.text
                assert state.hint.key != "stand_straight"
            if state.phase != Phase.PLAYING:
                break
    assert seen_keys  # hints were given


def test_a_standing_visitor_is_told_to_stand_and_a_seated_one_to_sit() -> None:
    upright = make_pack((T_POSE,) * 5)
    for seated, key, text in (
        (False, "stand_straight", "Stand up straight"),
        (True, "sit_straight", "Sit up straight"),
    ):
        state = step(new_game(upright), SetSeated(seated), 0.0)
        state = step(state, Start(), 1.0)
        state, now = _play_until(state, T_POSE, Phase.COUNTDOWN, 1.0)
        state = step(state, Tick(), now + 3_000.0)
        leaning = Shape(left_upper_arm=90, right_upper_arm=90, left_forearm=90, right_forearm=90)
        leaning = replace(leaning, lean=35.0)
        now += 3_000.0
        for _ in range(5):
            now += FRAME_MS
            state = step(state, PoseSeen(make_pose(leaning)), now)
        assert state.hint is not None
        assert (state.hint.key, state.hint.text) == (key, text)


def test_play_again_keeps_seated_play() -> None:
    state = step(new_game(make_pack()), SetSeated(True), 0.0)
    state = step(state, Start(), 1.0)
    assert state.seated
    state = step(state, Reset(), 2.0)
    assert state.phase == Phase.IDLE and state.seated
