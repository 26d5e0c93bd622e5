"""What the page shows, decided in pure Python from real game views."""

from __future__ import annotations

import json
from pathlib import Path

import numpy as np

from shell.presenter import (
    BONE_LIMBS,
    BONES,
    NEUTRAL_COLOUR,
    PAGE_STATES,
    VERDICT_COLOURS,
    bone_colours,
    present,
    timer_text,
)
from strike_a_pose import (
    LIMB_NAMES,
    SKELETON_EDGES,
    GameConfig,
    Next,
    NoPerson,
    PoseSeen,
    Skip,
    Start,
    Tick,
    new_game,
    parse_pack,
    step,
)

ROOT = Path(__file__).resolve().parents[2]
PACK = parse_pack((ROOT / "web" / "levels" / "default" / "pack.json").read_text()).pack
assert PACK is not None


def played_until(phase: str):
    """A real game driven through the core until ``phase``; returns (state, now)."""
    state = new_game(PACK, GameConfig())
    now = 0.0
    state = step(state, Start(), now)
    target = PACK.levels[0].reference_pose()
    while state.phase.value != phase:
        now += 50.0
        state = step(state, PoseSeen(target.copy()), now)
        assert now < 60_000, f"never reached {phase}"
    return state, now


def test_every_phase_has_a_page_state_with_a_screen() -> None:
    css = (ROOT / "web" / "css" / "game.css").read_text()
    for page_state in PAGE_STATES.values():
        assert f'body[data-state="{page_state}"]' in css


def test_timer_rounds_up_whole_seconds() -> None:
    assert timer_text(30_000) == "30"
    assert timer_text(29_001) == "30"
    assert timer_text(29_000) == "29"
    assert timer_text(1) == "1"
    assert timer_text(0) == "0"
    assert timer_text(-5) == "0"


def test_idle_view_is_the_start_screen() -> None:
    state = new_game(PACK, GameConfig())
    screen = present(state.to_view(0.0))
    assert screen.page_state == "start"
    assert screen.texts["timer"] == "30"
    assert screen.level_dots == ("todo",) * 5


def test_playing_view_shows_the_artwork_and_the_current_level() -> None:
    state, now = played_until("playing")
    screen = present(state.to_view(now))
    level = PACK.levels[0]
    assert screen.page_state == "playing"
    assert screen.texts["artwork-title"] == level.title
    assert screen.texts["artwork-meta"] == f"{level.artist}, {level.date}"
    assert screen.texts["artwork-credit"] == level.credit
    assert screen.level_dots[0] == "current"
    assert screen.texts["hint"]  # never a blank instruction while playing
    assert 0 <= screen.bar_percent["fit-bar"] <= 100


def test_a_match_shows_the_artworks_story_and_the_reading_bar() -> None:
    state, now = played_until("level_cleared")
    level = PACK.levels[0]
    screen = present(state.to_view(now))
    assert screen.page_state == "cleared"
    assert screen.level_dots[0] == "cleared"
    assert screen.texts["story-title"] == level.title
    assert screen.texts["story-meta"] == f"{level.artist}, {level.date}"
    assert screen.texts["story-about"] == level.text("en", "en").about
    assert screen.texts["story-points"] == f"+{state.level_points[0]} points"
    assert screen.bar_percent["story-bar"] == 0.0
    halfway = now + state.story_ms / 2
    assert present(state.to_view(halfway)).bar_percent["story-bar"] == 50.0
    assert screen.texts["hint"] == ""  # the story card speaks; no second message


def test_the_first_artwork_shows_while_framing() -> None:
    state = step(new_game(PACK, GameConfig()), Start(), 0.0)
    screen = present(state.to_view(0.0))
    assert screen.page_state == "framing"
    assert screen.texts["artwork-title"] == PACK.levels[0].title
    assert screen.texts["artwork-credit"] == PACK.levels[0].credit


def test_results_gallery_shows_every_artwork_with_its_outcome_and_story() -> None:
    state, now = played_until("level_cleared")
    state = step(state, Next(), now)
    now += 500.0
    state = step(state, Skip(), now)
    # Nobody in front any more: the remaining levels run out of time.
    while state.phase.value != "results":
        now += 100.0
        state = step(state, NoPerson(), now)
    screen = present(state.to_view(now))
    assert screen.page_state == "results"
    assert screen.texts["results-title"] == "Time's up!"
    assert screen.attributes[("screen-results", "data-outcome")] == "time_up"
    assert [card.status for card in screen.gallery] == ["cleared", "skipped"] + ["missed"] * 3
    first, second, last = screen.gallery[0], screen.gallery[1], screen.gallery[-1]
    seconds = state.level_times_ms[0] / 1000
    assert first.outcome == f"Matched in {seconds:.1f} s"
    assert second.outcome == "Skipped" and last.outcome == "Missed"
    for card, level in zip(screen.gallery, PACK.levels, strict=True):
        assert card.title == level.title and card.image == level.image
        assert card.meta == f"{level.artist}, {level.date}"
        assert card.credit == level.credit
        assert card.about == level.text("en", "en").about
        assert card.alt == f"{level.title} by {level.artist}"
        assert card.about_label == "About this artwork"
    assert screen.texts["timer"] == "0"
    assert screen.attributes[("timer", "data-urgent")] == "true"


def test_no_gallery_before_the_results() -> None:
    state, now = played_until("playing")
    assert present(state.to_view(now)).gallery == ()


def test_view_survives_json_like_the_bridge() -> None:
    state, now = played_until("playing")
    view = json.loads(json.dumps(state.to_view(now)))
    assert present(view).page_state == "playing"


def test_bones_are_the_core_skeleton_and_judged_limbs_get_verdict_colours() -> None:
    assert [tuple(edge) for edge in SKELETON_EDGES] == list(BONES)
    judged = {limb for limb in BONE_LIMBS if limb}
    assert judged == {name for name in LIMB_NAMES if name != "torso"}
    colours = bone_colours({"left_forearm": "good", "right_shin": "wrong"})
    for limb, colour in zip(BONE_LIMBS, colours, strict=True):
        if limb == "left_forearm":
            assert colour == VERDICT_COLOURS["good"]
        elif limb == "right_shin":
            assert colour == VERDICT_COLOURS["wrong"]
        elif limb is None:
            assert colour == NEUTRAL_COLOUR
        else:
            assert colour == VERDICT_COLOURS["unseen"]


def test_countdown_and_framing_texts() -> None:
    state = step(new_game(PACK, GameConfig()), Start(), 0.0)
    framing = present(state.to_view(0.0))
    assert framing.page_state == "framing"
    assert framing.texts["countdown"]  # tells the visitor what to do
    now = 0.0
    pose = PACK.levels[0].reference_pose()
    while state.phase.value == "framing":
        now += 50.0
        state = step(state, PoseSeen(np.array(pose)), now)
    countdown = present(state.to_view(now))
    assert countdown.page_state == "countdown"
    assert countdown.texts["countdown"] in ("3", "2", "1")
    state = step(state, Tick(), now + 1_000.0)
    assert present(state.to_view(now + 1_000.0)).texts["countdown"] in ("2", "1")
