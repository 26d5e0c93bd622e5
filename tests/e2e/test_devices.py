"""The game on a phone (portrait, touch) and a tablet (landscape, touch)."""

from __future__ import annotations

from playwright.sync_api import expect

from tests.e2e.helpers import GAME_TIMEOUT_MS, start_game, view, wait_for_state

VIDEO_PACK = "levels/test-video/pack.json"
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 3,
    "is_mobile": True,
    "has_touch": True,
}
TABLET = {
    "viewport": {"width": 1180, "height": 820},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}


def boxes(page):
    art = page.locator(".artwork").bounding_box()
    mirror = page.locator(".mirror").bounding_box()
    assert art and mirror
    return art, mirror


def test_phone_portrait_whole_game_by_touch(server, open_page, artifacts) -> None:
    page = open_page(f"{server.url}/index.html?pack={VIDEO_PACK}", **PHONE)
    wait_for_state(page, "start")
    start_button = page.locator("#start-button").bounding_box()
    assert start_button and start_button["height"] >= 48, "a child's finger needs a big target"
    start_game(page, tap=True)
    wait_for_state(page, "playing", timeout=30_000)
    art, mirror = boxes(page)
    assert art["y"] + art["height"] <= mirror["y"] + 1, "portrait: artwork above the mirror"
    assert mirror["width"] <= 390
    page.screenshot(path=str(artifacts / "phone-playing.png"))
    wait_for_state(page, "results", timeout=GAME_TIMEOUT_MS)
    assert view(page)["outcome"] == "won"
    page.locator("#again-button").tap()
    wait_for_state(page, "countdown", timeout=30_000)


def test_tablet_landscape_layout_and_touch(server, open_page, artifacts) -> None:
    page = open_page(f"{server.url}/index.html?pack={VIDEO_PACK}", **TABLET)
    start_game(page, tap=True)
    wait_for_state(page, "playing", timeout=30_000)
    art, mirror = boxes(page)
    assert art["x"] + art["width"] <= mirror["x"] + 1, "landscape: artwork beside the mirror"
    assert abs(art["y"] - mirror["y"]) < 2
    expect(page.locator("#timer")).to_be_visible()
    page.screenshot(path=str(artifacts / "tablet-playing.png"))
