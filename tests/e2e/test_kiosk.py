"""Kiosk mode: touchless start, attract screen, no page chrome, flat tensors."""

from __future__ import annotations

import re

from playwright.sync_api import expect

from tests.e2e.conftest import with_camera
from tests.e2e.helpers import GAME_TIMEOUT_MS, view, wait_for_state

VIDEO_PACK = "levels/test-video/pack.json"


def tensors(page) -> int:
    return int(page.evaluate("() => globalThis.poseBridge.stats().tensors"))


def test_kiosk_starts_when_a_visitor_stands_in_view_and_plays_untouched(server, open_page) -> None:
    page = open_page(f"{server.url}/index.html?kiosk=1&pack={VIDEO_PACK}")
    wait_for_state(page, "start")
    body = page.locator("body")
    expect(body).to_have_attribute("data-kiosk", "true")
    expect(page.locator("#attract-image")).to_be_visible()
    expect(page.locator("#attract-image")).to_have_attribute("alt", re.compile(r"\S by \S"))
    expect(page.locator("#start-lead")).to_have_text("Come in front of the camera to play!")
    assert page.evaluate("() => getComputedStyle(document.body).cursor") == "none"
    assert page.evaluate("() => getComputedStyle(document.body).userSelect") == "none"
    blocked = page.evaluate(
        """() => !document.body.dispatchEvent(
               new MouseEvent('contextmenu', {bubbles: true, cancelable: true}))"""
    )
    assert blocked, "the context menu must not open on a kiosk"
    # A seated visitor says so on the attract screen (before standing in view).
    expect(page.locator("#seated-choice")).to_be_visible()
    page.locator("#seated-toggle").check()

    # Nobody presses anything: the man in the video is seen and the game starts.
    wait_for_state(page, "countdown", timeout=30_000)
    assert view(page)["seated"] is True
    wait_for_state(page, "playing", timeout=10_000)
    first = tensors(page)
    wait_for_state(page, "results", timeout=GAME_TIMEOUT_MS)
    assert view(page)["outcome"] == "won"
    # MoveNet disposes what it allocates: no tensor growth over a whole game.
    assert tensors(page) == first
    # The results give way to the attract screen by themselves, and the next
    # visitor chooses anew: seated play is off again.
    wait_for_state(page, "start", timeout=40_000)
    expect(page.locator("#seated-toggle")).not_to_be_checked()
    assert view(page)["seated"] is False
    assert page.errors == []


@with_camera(None)
def test_kiosk_without_a_camera_keeps_retrying_on_its_own(server, open_page) -> None:
    page = open_page(f"{server.url}/index.html?kiosk=1&pack={VIDEO_PACK}")
    wait_for_state(page, "error")
    expect(page.locator("body")).to_have_attribute("data-error", "no-camera")
    # The watchdog tries again without anyone touching the screen.
    page.wait_for_function("() => globalThis.testHooks.cameraAttempts() >= 2", timeout=20_000)
    expect(page.locator("body")).to_have_attribute("data-state", "error")


def test_kiosk_reloads_the_page_when_the_model_keeps_failing(server, open_page) -> None:
    page = open_page(f"{server.url}/index.html?kiosk=1&pack={VIDEO_PACK}&detector=worker")
    wait_for_state(page, "start")
    # The detector worker crashes, and no new one can start: the watchdog's
    # restarts fail too (no fallback: ?detector=worker), and after
    # KIOSK_MODEL_FAILURES in a row it reloads the page.
    page.evaluate(
        """() => {
            const bridge = globalThis.poseBridge;
            bridge.reloadPage = () => { document.body.dataset.reloadAsked = 'yes'; };
            globalThis.Worker = class { constructor() { throw new Error('no workers any more'); } };
            globalThis.testHooks.detector().worker.dispatchEvent(
                new ErrorEvent('error', {message: 'backend lost', cancelable: true}));
        }"""
    )
    page.wait_for_selector("body[data-reload-asked=yes]", state="attached", timeout=60_000)
    expect(page.locator("body")).to_have_attribute("data-error", "model-failed")


def test_kiosk_reloads_the_page_when_the_game_loop_stops(server, open_page) -> None:
    page = open_page(f"{server.url}/index.html?kiosk=1&pack={VIDEO_PACK}")
    wait_for_state(page, "start")
    # Python waits for a camera frame that never comes, as if its loop had
    # hung: no view is published any more, and the watchdog reloads the page.
    page.evaluate(
        """() => {
            const bridge = globalThis.poseBridge;
            bridge.nextFrame = () => new Promise(() => {});
            bridge.reloadPage = () => { document.body.dataset.reloadAsked = 'yes'; };
        }"""
    )
    page.wait_for_selector("body[data-reload-asked=yes]", state="attached", timeout=60_000)
    assert page.errors == []
