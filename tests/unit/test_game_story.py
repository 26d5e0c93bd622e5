"""The visitor's reward in the core: the story after a match (read, or Next),
the best moment of each level, the first artwork while getting ready, and
results that stay until the visitor plays again."""

from __future__ import annotations

import pytest

from strike_a_pose.events import Next, PlayAgain, Skip, Start, Tick
from strike_a_pose.game import GameConfig, IllegalTransition, Phase, new_game
from strike_a_pose.levelpack import LevelPack, load_pack
from strike_a_pose.reading import ReadingRules, reading_ms

from .pack_factory import GAME_SHAPES, pack_data
from .synthetic_poses import ARMS_DOWN, T_POSE
from .test_game import PACK, Player, figure, player

LONG_ABOUT = "A long story about this figure. " * 12  # 384 characters


def story_pack() -> LevelPack:
    data = pack_data()
    data["languages"] = ["en", "fr", "pt-BR"]
    for level in data["levels"]:
        level["texts"]["fr"]["about"] = LONG_ABOUT
        level["texts"]["pt-BR"] = {"hint": "Fique de pé", "about": "Uma figura."}
    result = load_pack(data)
    assert result.pack is not None, result.messages()
    return result.pack


def cleared(language: str = "en", config: GameConfig | None = None) -> Player:
    p = Player(new_game(story_pack(), config or GameConfig(), "normal", language=language))
    p.to_playing()
    p.frames_until(figure(p.state), Phase.LEVEL_CLEARED)
    return p


def test_the_story_stays_for_the_reading_time_of_the_visitors_text() -> None:
    rules = GameConfig().reading
    english = cleared("en").state
    french = cleared("fr").state
    assert english.story_ms == reading_ms("A figure.\nTwo lines.", rules) == rules.min_ms
    assert french.story_ms == reading_ms(LONG_ABOUT, rules) > english.story_ms
    view = french.to_view()
    assert view["level"]["about"] == LONG_ABOUT and view["level"]["hint"] == "Tiens-toi droit"
    assert view["story_ms"] == french.story_ms


def test_level_texts_fall_back_by_primary_language_then_to_the_pack_default() -> None:
    assert cleared("pt").state.to_view()["level"]["about"] == "Uma figura."
    assert cleared("fr-CA").state.to_view()["level"]["about"] == LONG_ABOUT
    assert cleared("de").state.to_view()["level"]["about"] == "A figure.\nTwo lines."


def test_the_clock_is_paused_while_the_story_is_read_and_the_bar_fills() -> None:
    p = cleared("fr")
    left, story = p.state.time_left_ms(p.now), p.state.story_ms
    assert p.state.to_view(p.now)["story_progress"] == 0.0
    p.send(Tick(), story / 2)
    assert p.state.phase == Phase.LEVEL_CLEARED
    assert p.state.time_left_ms(p.now) == left
    assert p.state.to_view(p.now)["story_progress"] == pytest.approx(0.5)
    p.send(Tick(), story / 2 + 50.0)
    assert p.state.phase == Phase.PLAYING and p.state.level_index == 1
    assert p.state.time_left_ms(p.now) == pytest.approx(left - 50.0)


def test_next_goes_on_at_once_without_costing_playing_time() -> None:
    p = cleared("fr")
    left = p.state.time_left_ms(p.now)
    p.send(Tick(), 700.0)
    p.send(Next(), 0.0)
    assert p.state.phase == Phase.PLAYING and p.state.level_index == 1
    assert p.state.phase_started_ms == p.now
    assert p.state.time_left_ms(p.now) == left
    with pytest.raises(IllegalTransition, match="Next is not allowed in phase PLAYING"):
        p.send(Next(), 0.0)


def test_next_after_the_last_level_shows_the_results() -> None:
    p = Player(new_game(story_pack(), GameConfig(levels_per_game=1), "normal"))
    p.to_playing()
    p.frames_until(figure(p.state), Phase.LEVEL_CLEARED)
    p.send(Next(), 10.0)
    assert p.state.phase == Phase.RESULTS and p.state.outcome == "won"


def test_museum_bounds_shorten_the_story() -> None:
    quick = GameConfig(reading=ReadingRules().with_bounds(1.0, 2.0))
    assert cleared("fr", quick).state.story_ms == 2_000.0
    assert cleared("en", quick).state.story_ms == 2_000.0  # 1.5 s + 20 chars x 70 ms, capped


def test_the_best_moment_of_each_level_is_the_best_raw_fit_and_its_time() -> None:
    p = player()
    p.to_playing()
    assert p.state.level_best_ms is None and p.state.level_best_fit == 0.0
    p.pose(ARMS_DOWN if figure(p.state) != ARMS_DOWN else T_POSE)  # a poor fit first
    poor, poor_ms = p.state.level_best_fit, p.state.level_best_ms
    assert poor_ms == p.now
    bests = []
    while p.state.phase == Phase.PLAYING:
        p.pose(figure(p.state))
        bests.append((p.state.level_best_fit, p.state.level_best_ms))
    fits = [fit for fit, _ in bests]
    assert fits == sorted(fits) and fits[-1] > poor
    assert all(at is not None and poor_ms <= at <= p.now for _, at in bests)
    assert p.state.phase == Phase.LEVEL_CLEARED
    kept = p.state.level_best_ms
    p.send(Tick(), 100.0)  # the story does not move it
    assert p.state.level_best_ms == kept
    p.send(Next(), 0.0)
    assert p.state.level_best_ms is None and p.state.level_best_fit == 0.0


def test_the_first_artwork_shows_while_the_visitor_gets_ready() -> None:
    p = player()
    assert p.state.to_view()["level"] is None  # the start screen has its own pictures
    p.send(Start(), 0.0)
    assert p.state.phase == Phase.FRAMING
    view = p.state.to_view()
    assert view["level"]["title"] == PACK.levels[0].title
    assert view["level"]["pack_index"] == 0
    p.frames_until(ARMS_DOWN, Phase.COUNTDOWN)
    assert p.state.to_view()["level"]["pack_index"] == 0
    p.frames_until(None, Phase.PLAYING)
    assert p.state.to_view()["level"]["pack_index"] == 0


def test_the_first_artwork_follows_a_chosen_level_order() -> None:
    p = player()
    p.send(Start(levels=(3, 1)), 0.0)
    assert p.state.to_view()["level"]["pack_index"] == 3
    assert p.state.to_view()["level"]["title"] == PACK.levels[3].title


def test_results_stay_until_play_again_when_results_ms_is_0() -> None:
    p = player(config=GameConfig(results_ms=0.0))
    p.to_playing()
    for _ in GAME_SHAPES:
        p.send(Skip(), 10.0)
    assert p.state.phase == Phase.RESULTS
    p.send(Tick(), 3_600_000.0)  # an hour later
    assert p.state.phase == Phase.RESULTS
    p.send(PlayAgain(), 10.0)
    assert p.state.phase == Phase.FRAMING
