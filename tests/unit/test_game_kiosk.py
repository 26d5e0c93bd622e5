"""Touchless kiosk rules: a visitor standing in view starts the game, and a
game nobody is playing any more goes back to the attract screen."""

from __future__ import annotations

import pytest

from strike_a_pose.events import NoPerson, PoseSeen, Tick
from strike_a_pose.game import GameConfig, Phase, new_game, step

from .synthetic_poses import ARMS_DOWN, hide, make_pose
from .test_game import FRAME_MS, LEGS, PACK, Player, figure

KIOSK = GameConfig(auto_start=True, presence_ms=1_500.0, abandon_ms=8_000.0)


def kiosk_player(config: GameConfig = KIOSK) -> Player:
    return Player(new_game(PACK, config, "normal"))


def test_without_auto_start_a_visitor_in_view_does_not_start_the_game() -> None:
    game = Player(new_game(PACK, GameConfig(), "normal"))
    for _ in range(200):
        game.pose(ARMS_DOWN)
    assert game.state.phase == Phase.IDLE


def test_a_visitor_standing_in_view_starts_the_game_after_presence_ms() -> None:
    game = kiosk_player()
    start = game.now
    while game.state.phase == Phase.IDLE:
        game.pose(ARMS_DOWN)
        assert game.now - start < 3_000, "never started"
    assert game.state.phase == Phase.FRAMING
    assert game.now - start >= KIOSK.presence_ms


def test_a_passer_by_does_not_start_the_game() -> None:
    game = kiosk_player()
    for _ in range(20):  # 0.66 s in view, then gone for good
        game.pose(ARMS_DOWN)
    for _ in range(200):
        game.send(NoPerson())
    assert game.state.phase == Phase.IDLE
    assert game.state.framing_progress == 0.0


def test_a_half_visible_visitor_does_not_start_the_game() -> None:
    game = kiosk_player()
    for _ in range(200):
        game.send(PoseSeen(hide(make_pose(ARMS_DOWN), *LEGS)))
    assert game.state.phase == Phase.IDLE


def test_walking_away_mid_game_returns_to_idle_after_abandon_ms() -> None:
    game = kiosk_player()
    game.frames_until(ARMS_DOWN, Phase.COUNTDOWN)
    game.frames_until(None, Phase.PLAYING)
    game.pose(figure(game.state))
    left_at = game.now
    while game.state.phase == Phase.PLAYING:
        game.send(NoPerson())
        assert game.now - left_at < KIOSK.abandon_ms + 2 * FRAME_MS
    assert game.state.phase == Phase.IDLE
    assert game.now - left_at >= KIOSK.abandon_ms - FRAME_MS
    assert game.state.score == 0 and game.state.level_results == ()


def test_a_visitor_who_stays_is_never_abandoned() -> None:
    game = kiosk_player(GameConfig(auto_start=True, abandon_ms=2_000.0))
    game.frames_until(ARMS_DOWN, Phase.PLAYING)
    while game.state.phase == Phase.PLAYING:
        game.pose(ARMS_DOWN)  # in view, not matching: the game runs to time-up
    assert game.state.phase == Phase.RESULTS
    assert game.state.outcome == "time_up"


def test_abandon_happens_on_a_tick_at_its_exact_time() -> None:
    game = kiosk_player()
    game.frames_until(ARMS_DOWN, Phase.COUNTDOWN)
    last_seen = game.now
    state = step(game.state, Tick(), last_seen + KIOSK.abandon_ms + 5_000)
    assert state.phase == Phase.IDLE
    assert state.phase_started_ms == pytest.approx(last_seen + KIOSK.abandon_ms)


@pytest.mark.parametrize("name", ["presence_ms", "abandon_ms"])
def test_kiosk_timings_are_validated(name: str) -> None:
    with pytest.raises(ValueError, match=name):
        GameConfig(**{name: -1.0})
