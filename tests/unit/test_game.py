"""The whole game, played in microseconds with a fake clock."""

from __future__ import annotations

import json
import random
from dataclasses import dataclass, field

import numpy as np
import pytest

from strike_a_pose.difficulty import HARD, NORMAL, Difficulty, upper_body
from strike_a_pose.events import Event, NoPerson, PlayAgain, PoseSeen, Reset, Skip, Start, Tick
from strike_a_pose.game import (
    TRANSITIONS,
    GameConfig,
    GameState,
    IllegalTransition,
    Phase,
    new_game,
    step,
)
from strike_a_pose.levelpack import LevelPack

from .pack_factory import GAME_SHAPES, make_pack
from .synthetic_poses import ARMS_DOWN, LEFT_ARM_UP, RIGHT_ARM_UP, T_POSE, Shape, hide, make_pose

FRAME_MS = 33.0
LEGS = ("left_knee", "right_knee", "left_ankle", "right_ankle")
PACK = make_pack()


@dataclass
class Player:
    """Drives the game with a fake clock, one camera frame at a time."""

    state: GameState
    now: float = 1000.0
    history: list[GameState] = field(default_factory=list)

    def send(self, event: Event, advance_ms: float = FRAME_MS) -> GameState:
        self.now += advance_ms
        self.state = step(self.state, event, self.now)
        self.history.append(self.state)
        return self.state

    def pose(self, shape: Shape, advance_ms: float = FRAME_MS, **kw: object) -> GameState:
        return self.send(PoseSeen(make_pose(shape, **kw)), advance_ms)  # type: ignore[arg-type]

    def frames_until(self, shape: Shape | None, phase: Phase, limit_ms: float = 60_000.0) -> None:
        end = self.now + limit_ms
        while self.state.phase != phase:
            assert self.now < end, f"still {self.state.phase} at {self.now}"
            if shape is None:
                self.send(Tick())
            else:
                self.pose(shape)

    def to_playing(self) -> None:
        self.send(Start(), 0.0)
        self.frames_until(ARMS_DOWN, Phase.COUNTDOWN)
        self.frames_until(None, Phase.PLAYING)


def player(
    pack: LevelPack = PACK, difficulty: Difficulty = NORMAL, config: GameConfig | None = None
) -> Player:
    return Player(new_game(pack, config or GameConfig(), difficulty))


def figure(state: GameState) -> Shape:
    return GAME_SHAPES[state.level_order[state.level_index]]


def test_new_game_is_idle_with_five_levels() -> None:
    state = new_game(PACK, GameConfig(), "normal")
    assert state.phase == Phase.IDLE
    assert state.level_count == 5 and state.level_order == (0, 1, 2, 3, 4)
    assert state.time_left_ms(0.0) == 30_000.0


def test_winning_game_clears_five_levels_in_time() -> None:
    p = player()
    p.to_playing()
    assert p.state.countdown == 0 and p.state.time_left_ms(p.now) <= 30_000.0
    cleared = 0
    while p.state.phase != Phase.RESULTS:
        if p.state.phase == Phase.PLAYING:
            p.pose(figure(p.state), noise_px=2.0, seed=int(p.now))
        else:
            assert p.state.phase == Phase.LEVEL_CLEARED
            cleared += 1
            p.frames_until(None, Phase.PLAYING if cleared < 5 else Phase.RESULTS)
    s = p.state
    assert s.outcome == "won"
    assert s.level_results == ("cleared",) * 5
    assert len(s.level_times_ms) == 5 and all(700.0 <= t < 3000.0 for t in s.level_times_ms)
    assert all(f >= NORMAL.match_threshold for f in s.level_fits)
    assert s.streak == 5 and s.best_streak == 5
    assert s.score == sum(s.level_points) > 5 * 100
    assert s.time_left_ms() == pytest.approx(30_000.0 - sum(s.level_times_ms))
    view = s.to_view()
    assert view["phase"] == "results" and view["outcome"] == "won"


def test_time_up_ends_exactly_at_the_budget() -> None:
    p = player()
    p.to_playing()
    start = p.state.phase_started_ms
    while p.state.phase == Phase.PLAYING:
        p.pose(ARMS_DOWN if figure(p.state) != ARMS_DOWN else T_POSE, 47.0)
    s = p.state
    assert s.phase == Phase.RESULTS and s.outcome == "time_up"
    assert s.level_results == ("time_up",)
    assert s.level_times_ms == (30_000.0,)
    assert s.phase_started_ms == start + 30_000.0  # not the later frame that noticed it
    assert s.time_left_ms(p.now) == 0.0 and s.score == 0 and s.streak == 0


def test_timer_counts_only_playing_time() -> None:
    p = player()
    p.to_playing()
    p.frames_until(figure(p.state), Phase.LEVEL_CLEARED)
    left = p.state.time_left_ms(p.now)
    story_ms = p.state.story_ms
    p.send(Tick(), story_ms - 100.0)  # reading the story: the clock stands still
    assert p.state.phase == Phase.LEVEL_CLEARED
    assert p.state.time_left_ms(p.now) == left
    p.send(Tick(), 200.0)  # the story ended 100 ms ago: the next level started then
    assert p.state.phase == Phase.PLAYING and p.state.level_index == 1
    assert p.state.time_left_ms(p.now) == pytest.approx(left - 100.0)


def hold_run(p: Player, frames: list[Event]) -> list[GameState]:
    return [p.send(e) for e in frames]


def matching(p: Player) -> PoseSeen:
    return PoseSeen(make_pose(figure(p.state)))


def test_hold_needs_hold_ms_and_a_single_lucky_frame_never_clears() -> None:
    p = player()
    p.to_playing()
    wrong = PoseSeen(make_pose(ARMS_DOWN))
    right = matching(p)
    # One right frame in every ten, for ten seconds.
    for i in range(300):
        p.send(right if i % 10 == 0 else wrong)
        assert p.state.phase == Phase.PLAYING
    assert p.state.hold_progress < 1.0


def frames_to_clear(p: Player, pattern: list[Event | None]) -> int:
    """Number of frames sent until the level clears (None = matching pose)."""
    for n, event in enumerate(pattern, start=1):
        p.send(event if event is not None else matching(p))
        if p.state.phase == Phase.LEVEL_CLEARED:
            return n
    return -1


def test_dropped_frame_within_grace_does_not_reset_the_hold() -> None:
    steady, dropped = player(), player()
    steady.to_playing()
    dropped.to_playing()
    n_steady = frames_to_clear(steady, [None] * 60)
    n_dropped = frames_to_clear(dropped, [None] * 8 + [NoPerson()] + [None] * 60)
    assert n_steady > 0 and n_dropped == n_steady
    # A few frames with a wrong pose (a dip) inside the grace are forgiven too.
    dip = player()
    dip.to_playing()
    wrong = PoseSeen(make_pose(ARMS_DOWN))
    assert frames_to_clear(dip, [None] * 8 + [wrong] + [None] * 60) <= n_steady + 1


def test_pose_lost_beyond_grace_resets_the_hold() -> None:
    p = player()
    p.to_playing()
    for _ in range(12):  # ~400 ms matched
        p.send(matching(p))
    assert p.state.hold_progress > 0.3
    for _ in range(10):  # 330 ms nobody: longer than the 250 ms grace
        p.send(NoPerson())
    assert p.state.hold_progress == 0.0
    resumed = p.now
    while p.state.phase == Phase.PLAYING:
        p.send(matching(p))
    assert p.state.phase == Phase.LEVEL_CLEARED
    assert p.now - resumed >= NORMAL.hold_ms


def test_tick_alone_expires_the_hold() -> None:
    p = player()
    p.to_playing()
    for _ in range(10):
        p.send(matching(p))
    assert p.state.hold_progress > 0
    p.send(Tick(), 300.0)
    assert p.state.hold_progress == 0.0


def test_framing_requires_a_steady_full_body() -> None:
    p = player()
    p.send(Start(), 0.0)
    no_legs = hide(make_pose(ARMS_DOWN), *LEGS)
    for _ in range(100):
        p.send(PoseSeen(no_legs))
    assert p.state.phase == Phase.FRAMING
    assert p.state.framing_reason is not None
    assert p.state.framing_reason.text == "Step back: we can't see your legs"
    # 600 ms of full body, then legs gone for 400 ms: not steady yet.
    for _ in range(18):
        p.pose(ARMS_DOWN)
    for _ in range(12):
        p.send(PoseSeen(no_legs))
    assert p.state.phase == Phase.FRAMING and p.state.framing_progress == 0.0
    start = p.now
    p.frames_until(ARMS_DOWN, Phase.COUNTDOWN)
    assert p.now - start >= 1000.0
    assert p.state.framing_reason is None


def test_seated_mode_frames_the_upper_body_only() -> None:
    p = player(difficulty=upper_body(NORMAL))
    p.send(Start(), 0.0)
    no_hips = hide(make_pose(ARMS_DOWN), *LEGS, "left_hip", "right_hip")
    for _ in range(40):
        p.send(PoseSeen(no_hips))
    assert p.state.phase == Phase.FRAMING
    assert p.state.framing_reason is not None and p.state.framing_reason.code == "show_hips"
    assert "camera" in p.state.framing_reason.text  # a seated visitor's words, no "step"
    seated = hide(make_pose(ARMS_DOWN), *LEGS)
    for _ in range(40):
        p.send(PoseSeen(seated))
    assert p.state.phase == Phase.COUNTDOWN
    assert p.state.to_view()["upper_body_only"] is True
    assert p.state.to_view()["seated"] is True


def test_upper_body_levels_frame_the_upper_body_only() -> None:
    p = player(pack=make_pack(upper_body_only=True))
    p.send(Start(), 0.0)
    for _ in range(40):
        p.send(PoseSeen(hide(make_pose(ARMS_DOWN), *LEGS)))
    assert p.state.phase == Phase.COUNTDOWN


def test_countdown_counts_three_two_one_then_plays() -> None:
    p = player()
    p.send(Start(), 0.0)
    p.frames_until(ARMS_DOWN, Phase.COUNTDOWN)
    started = p.now
    numbers = []
    while p.state.phase == Phase.COUNTDOWN:
        numbers.append(p.send(Tick(), 100.0).countdown)
    assert sorted(set(numbers) - {0}, reverse=True) == [3, 2, 1]
    assert p.state.phase == Phase.PLAYING
    assert p.state.phase_started_ms == started + 3000.0
    # PoseSeen during the countdown is harmless: it only updates the display.
    q = player()
    q.send(Start(), 0.0)
    q.frames_until(ARMS_DOWN, Phase.COUNTDOWN)
    assert q.pose(T_POSE).phase == Phase.COUNTDOWN and q.send(NoPerson()).phase == Phase.COUNTDOWN


@pytest.mark.parametrize(
    ("setup", "event", "words"),
    [
        ("playing", PlayAgain(), ("PlayAgain", "PLAYING", "level 1 of 5")),
        ("playing", Start(), ("Start", "PLAYING")),
        ("idle", PlayAgain(), ("PlayAgain", "IDLE")),
        ("idle", Skip(), ("Skip", "IDLE")),
        ("framing", Start(), ("Start", "FRAMING")),
        ("countdown", Skip(), ("Skip", "COUNTDOWN")),
        ("results", Start(), ("Start", "RESULTS")),
    ],
)
def test_illegal_transitions_name_state_and_event(
    setup: str, event: Event, words: tuple[str, ...]
) -> None:
    p = player()
    if setup != "idle":
        p.send(Start(), 0.0)
    if setup in ("countdown", "playing"):
        p.frames_until(ARMS_DOWN, Phase.COUNTDOWN)
    if setup == "playing":
        p.frames_until(None, Phase.PLAYING)
    if setup == "results":
        p.frames_until(ARMS_DOWN, Phase.COUNTDOWN)
        p.frames_until(None, Phase.PLAYING)
        p.send(Tick(), 31_000.0)
    before = p.state
    with pytest.raises(IllegalTransition) as caught:
        step(p.state, event, p.now + 1)
    for word in words:
        assert word in str(caught.value)
    assert caught.value.phase == before.phase


def test_transition_table_is_explicit() -> None:
    allowed = {(phase.name, kind.__name__) for phase, kind in TRANSITIONS}
    assert ("PLAYING", "Skip") in allowed and ("RESULTS", "PlayAgain") in allowed
    assert ("IDLE", "Start") in allowed and ("PLAYING", "PlayAgain") not in allowed
    for phase in Phase:
        for kind in ("PoseSeen", "NoPerson", "Tick", "Reset"):
            assert (phase.name, kind) in allowed


def test_results_return_to_idle_after_results_ms() -> None:
    p = player()
    p.to_playing()
    p.send(Tick(), 30_000.0)
    assert p.state.phase == Phase.RESULTS
    ended = p.state.phase_started_ms
    p.send(Tick(), ended + 9_999.0 - p.now)
    assert p.state.phase == Phase.RESULTS
    p.send(Tick(), 1.0)
    assert p.state.phase == Phase.IDLE and p.state.outcome is None
    assert p.state.phase_started_ms == ended + 10_000.0


def test_play_again_resets_everything() -> None:
    p = player()
    p.to_playing()
    p.frames_until(figure(p.state), Phase.LEVEL_CLEARED)
    p.send(Tick(), p.state.story_ms)
    p.send(Tick(), 30_000.0)
    done = p.state
    assert done.phase == Phase.RESULTS and done.score > 0 and done.outcome == "time_up"
    again = p.send(PlayAgain())
    fresh = new_game(PACK, GameConfig(), NORMAL)
    assert again.phase == Phase.FRAMING
    for name in (
        "score",
        "streak",
        "best_streak",
        "level_index",
        "play_elapsed_ms",
        "level_times_ms",
        "level_fits",
        "level_points",
        "level_results",
        "outcome",
        "limb_verdicts",
        "hint",
        "fit",
        "hold_progress",
    ):
        assert getattr(again, name) == getattr(fresh, name), name
    assert again.time_left_ms(p.now + 5000.0) == 30_000.0


def test_reset_from_anywhere_goes_idle() -> None:
    p = player()
    p.to_playing()
    p.send(matching(p))
    assert p.send(Reset()).phase == Phase.IDLE
    assert p.state.score == 0 and p.state.level_times_ms == ()


def test_skip_resets_the_streak_and_finishing_with_skips_is_not_a_win() -> None:
    p = player()
    p.to_playing()
    p.frames_until(figure(p.state), Phase.LEVEL_CLEARED)
    p.frames_until(None, Phase.PLAYING)
    assert p.state.streak == 1
    p.send(Skip())
    assert p.state.streak == 0 and p.state.level_index == 2 and p.state.phase == Phase.PLAYING
    p.send(Skip())
    p.send(Skip())
    p.send(Skip())
    assert p.state.phase == Phase.RESULTS and p.state.outcome == "finished"
    assert p.state.level_results == ("cleared", "skipped", "skipped", "skipped", "skipped")
    assert p.state.best_streak == 1


def test_start_can_choose_the_levels() -> None:
    p = player()
    p.send(Start(levels=(4, 2)), 0.0)
    assert p.state.level_order == (4, 2) and p.state.level_count == 2
    with pytest.raises(ValueError, match="entry 9 is not an index"):
        step(new_game(PACK), Start(levels=(0, 9)), 0.0)


def test_mirror_copy_clears_only_when_allowed() -> None:
    allowed = make_pack((RIGHT_ARM_UP,))
    strict = make_pack((RIGHT_ARM_UP,), mirror_ok=False)
    results = {}
    for name, pack in (("allowed", allowed), ("strict", strict)):
        p = player(pack=pack)
        p.to_playing()
        for _ in range(90):  # 3 s of mirroring the figure with the left arm
            p.pose(LEFT_ARM_UP)
            if p.state.phase != Phase.PLAYING:
                break
        results[name] = p.state
    assert results["allowed"].phase == Phase.LEVEL_CLEARED
    assert results["allowed"].mirror_mode == "mirrored"
    assert results["strict"].phase == Phase.PLAYING
    assert results["strict"].mirror_mode == "anatomical"


def test_playing_view_has_verdicts_and_a_hint() -> None:
    p = player(difficulty=HARD)
    p.to_playing()
    for _ in range(5):
        p.pose(ARMS_DOWN)  # level 1 is a T-pose
    view = p.state.to_view()
    assert view["limb_verdicts"]["left_upper_arm"] == "wrong"
    assert view["limb_verdicts"]["torso"] == "good"
    assert view["hint"]["key"] == "raise_arm"
    assert view["hint"]["text"] in ("Raise your left arm higher", "Raise your right arm higher")
    assert 0.0 <= view["fit"] < HARD.match_threshold
    p.send(NoPerson())
    view = p.state.to_view()
    assert set(view["limb_verdicts"].values()) == {"unseen"}
    assert view["hint"]["text"] == "Come into the picture"


VIEW_KEYS = {
    "phase",
    "level_index",
    "level_number",
    "level_count",
    "level_order",
    "time_left_ms",
    "total_ms",
    "countdown",
    "fit",
    "match_threshold",
    "hold_progress",
    "framing_progress",
    "framing",
    "limb_verdicts",
    "hint",
    "mirror_mode",
    "score",
    "streak",
    "best_streak",
    "level_times_ms",
    "level_fits",
    "level_points",
    "level_results",
    "level_best_fit",
    "story_ms",
    "story_progress",
    "language",
    "outcome",
    "difficulty",
    "upper_body_only",
    "seated",
    "level",
    "pose",
    "played_levels",
}


def _plain(value: object) -> bool:
    if value is None or type(value) in (str, int, float, bool):
        return True
    if type(value) is list:
        return all(_plain(v) for v in value)  # type: ignore[attr-defined]
    if type(value) is dict:
        return all(type(k) is str and _plain(v) for k, v in value.items())  # type: ignore[attr-defined]
    return False


def test_view_is_plain_json_in_every_phase() -> None:
    p = player()
    seen = set()
    p.send(Tick(), 0.0)
    p.to_playing()
    p.frames_until(figure(p.state), Phase.LEVEL_CLEARED)
    p.send(Tick(), p.state.story_ms)
    p.send(Tick(), 30_000.0)
    p.send(Tick(), 10_000.0)
    for state in [new_game(PACK), *p.history]:
        view = state.to_view()
        seen.add(view["phase"])
        assert set(view) == VIEW_KEYS
        assert _plain(view), view
        json.dumps(view, allow_nan=False)
    assert seen == {p.value for p in Phase}


def test_step_is_pure() -> None:
    state = new_game(PACK)
    after = step(state, Start(), 5.0)
    assert state.phase == Phase.IDLE and after.phase == Phase.FRAMING
    pose = make_pose(ARMS_DOWN)
    copy = pose.copy()
    step(after, PoseSeen(pose), 40.0)
    np.testing.assert_array_equal(pose, copy)


@pytest.mark.parametrize("bad", [float("nan"), float("inf")])
def test_bad_clock_is_rejected_with_context(bad: float) -> None:
    with pytest.raises(ValueError, match=r"now_ms must be a finite number.*Tick in IDLE"):
        step(new_game(PACK), Tick(), bad)


def test_clock_going_backwards_is_rejected() -> None:
    state = step(new_game(PACK), Tick(), 100.0)
    with pytest.raises(ValueError, match=r"now_ms=50.0 is earlier than the previous step at 100.0"):
        step(state, Tick(), 50.0)


def test_malformed_pose_is_rejected_with_context() -> None:
    state = step(new_game(PACK), Start(), 0.0)
    with pytest.raises(ValueError, match=r"PoseSeen in phase FRAMING: .*shape \(17, 3\)"):
        step(state, PoseSeen(np.zeros((17, 2))), 10.0)


def test_framing_gives_up_when_nobody_comes() -> None:
    p = player(config=GameConfig(framing_timeout_ms=5_000.0))
    p.send(Start(), 0.0)
    p.send(NoPerson(), 4_000.0)
    assert p.state.phase == Phase.FRAMING
    p.send(NoPerson(), 1_500.0)
    assert p.state.phase == Phase.IDLE


def test_config_rejects_nonsense() -> None:
    with pytest.raises(ValueError, match="total_ms"):
        GameConfig(total_ms=0.0)
    with pytest.raises(ValueError, match="levels_per_game"):
        GameConfig(levels_per_game=0)


def test_no_person_clears_the_drawn_skeleton() -> None:
    p = player()
    p.send(Start(), 0.0)
    assert p.pose(ARMS_DOWN).to_view()["pose"] is not None
    assert p.send(NoPerson()).to_view()["pose"] is None


def test_time_up_leaves_exactly_zero_whatever_the_clock_readings() -> None:
    # The level times add up to the budget only up to rounding (e.g. a page
    # clock near 1e6 ms and skips at odd instants); the page must still read 0.
    for seed in range(300):
        rnd = random.Random(seed)
        p = player()
        p.now = rnd.uniform(0.0, 1e6)
        p.to_playing()
        for _ in range(3):
            p.send(Skip(), rnd.uniform(100.0, 5000.0) / 7.0)
        while p.state.phase == Phase.PLAYING:
            p.send(Tick(), 33.3)
        assert p.state.outcome == "time_up"
        assert p.state.time_left_ms(p.now) == 0.0, seed
        assert p.state.to_view(p.now)["time_left_ms"] == 0.0
