"""The page loads with a fake camera and Python reports the game ready."""

from __future__ import annotations

import re

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import with_camera
from tests.e2e.helpers import start_game, view, wait_for_state


def test_page_loads_and_python_reports_ready(server, open_page) -> None:
    page = open_page(f"{server.url}/index.html")
    wait_for_state(page, "start")
    for stage in ("python", "model", "levels"):
        expect(page.locator(f"#stage-{stage}")).to_have_attribute("data-status", "done")
    state = view(page)
    assert state["phase"] == "idle"
    assert state["level_count"] == 5
    assert state["time_left_ms"] == 30_000
    expect(page.locator("#screen-start .privacy")).to_contain_text("stays on this device")
    assert page.errors == []


def test_start_opens_the_camera_and_frames_the_visitor(server, open_page) -> None:
    page = open_page(f"{server.url}/index.html?pack=levels/test-video/pack.json")
    start_game(page)
    # The visitor is seen: framing ends in the 3-2-1 countdown, then play.
    wait_for_state(page, "countdown", timeout=30_000)
    wait_for_state(page, "playing", timeout=10_000)
    expect(page.locator("#level-dots li")).to_have_count(5)
    assert page.evaluate("() => document.querySelector('#camera-video').videoWidth") == 320


def test_debug_panel_shows_backend_rates_and_python_time(server, open_page) -> None:
    page = open_page(f"{server.url}/index.html?debug=1&pack=levels/test-video/pack.json")
    start_game(page)
    wait_for_state(page, "framing", timeout=30_000)
    panel = page.locator("#debug-panel")
    expect(panel).to_be_visible(timeout=10_000)
    expect(panel).to_contain_text(re.compile(r"backend (wasm|webgl|cpu)"))
    expect(panel).to_contain_text(re.compile(r"tensors \d+"))
    # Once frames flow (the panel refreshes twice a second), they have rates.
    expect(panel).to_contain_text(re.compile(r"[1-9][\d.]* frames/s"), timeout=10_000)
    expect(panel).to_contain_text(re.compile(r"python (\d*[1-9]\.\d|\d+\.[1-9]) ms"))
    stats = page.evaluate("() => globalThis.poseBridge.stats()")
    assert stats["python_ms"] > 0
    assert stats["fps"] > 0
    assert page.errors == []


def test_the_page_speaks_the_url_language(server, open_page) -> None:
    page = open_page(f"{server.url}/index.html?lang=fr")
    wait_for_state(page, "start")
    expect(page.locator("html")).to_have_attribute("lang", "fr")
    expect(page.locator("#start-button")).to_have_text("Jouer")
    expect(page.locator("#start-lead")).to_contain_text("5 œuvres, 30 secondes")
    expect(page.locator("#screen-start .privacy")).to_contain_text("reste sur cet appareil")
    expect(page.locator("#timer")).to_have_attribute("aria-label", "temps restant")
    assert page.errors == []


@pytest.mark.browser_context_args(locale="de-DE")  # a German browser
@with_camera(None)
def test_the_page_follows_the_browser_language_and_errors_too(server, open_page) -> None:
    page = open_page(f"{server.url}/index.html")
    start_game(page)
    wait_for_state(page, "error")
    expect(page.locator("html")).to_have_attribute("lang", "de-DE")
    expect(page.locator('[data-error-code="no-camera"] h1')).to_have_text("Keine Kamera gefunden")
    expect(page.locator("#retry-button")).to_have_text("Nochmal versuchen")
    assert page.errors == []
