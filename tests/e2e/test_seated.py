"""Seated play in a real browser: a camera that sees only the man's upper body
(seated.y4m: poses.y4m cropped head to hips) wins the game when the visitor
ticks "I'm seated", and cannot get past framing standing up: the game asks
to see the legs."""

from __future__ import annotations

import time

from playwright.sync_api import expect

from tests.e2e.conftest import with_camera
from tests.e2e.helpers import GAME_TIMEOUT_MS, start_game, view, wait_for_state

VIDEO_PACK = "levels/test-video/pack.json"


@with_camera("seated")
def test_the_upper_body_wins_the_game_seated(server, open_page, artifacts) -> None:
    page = open_page(f"{server.url}/index.html?pack={VIDEO_PACK}&nosw=1")
    wait_for_state(page, "start")
    toggle = page.locator("#seated-toggle")
    expect(page.locator("#seated-choice")).to_be_visible()
    expect(page.locator("#seated-choice")).to_contain_text("I'm seated")
    expect(toggle).not_to_be_checked()
    toggle.check()
    expect(page.locator("body")).to_have_attribute("data-seated", "true")
    assert view(page)["seated"] is True
    start_game(page)
    wait_for_state(page, "playing", timeout=60_000)
    assert view(page)["seated"] is True
    wait_for_state(page, "results", timeout=GAME_TIMEOUT_MS)
    result = view(page)
    assert result["outcome"] == "won", result["level_results"]
    assert result["level_results"] == ["cleared"] * 5
    assert result["seated"] is True
    page.screenshot(path=str(artifacts / "seated-won.png"))
    assert page.errors == []


@with_camera("seated")
def test_standing_play_asks_the_upper_body_for_its_legs(server, open_page, artifacts) -> None:
    page = open_page(f"{server.url}/index.html?pack={VIDEO_PACK}&nosw=1")
    start_game(page)  # "I'm seated" left unticked
    wait_for_state(page, "framing", timeout=30_000)
    expect(page.locator("#countdown")).to_have_text(
        "Step back: we can't see your legs", timeout=30_000
    )
    # Ten seconds of the video, every pose of it: still framing, still the legs.
    end = time.monotonic() + 10.0
    while time.monotonic() < end:
        current = view(page)
        assert current["phase"] == "framing", current["phase"]
        assert current["framing"] is not None  # never framed
        page.wait_for_timeout(500)
    expect(page.locator("#countdown")).to_have_text("Step back: we can't see your legs")
    page.screenshot(path=str(artifacts / "seated-standing-framing.png"))
    assert page.errors == []


@with_camera("seated")
def test_a_museum_can_make_every_game_seated_and_hide_the_choice(server, open_page) -> None:
    page = open_page(
        f"{server.url}/index.html?pack={VIDEO_PACK}&nosw=1&seated=1&seated_choice=0",
    )
    wait_for_state(page, "start")
    expect(page.locator("#seated-choice")).to_be_hidden()
    assert view(page)["seated"] is True
    start_game(page)
    wait_for_state(page, "countdown", timeout=60_000)  # framed without legs
    assert view(page)["seated"] is True
    assert page.errors == []
