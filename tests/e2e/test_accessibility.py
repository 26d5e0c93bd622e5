"""Accessibility, checked by axe-core (tests/e2e/accessibility.py) on every
screen: loading, start (with a choice of challenges), framing, countdown,
playing, cleared (the story), results (gallery and souvenir), every error
screen, the curator page and the self-test; no serious or critical WCAG 2.1
A/AA violation.  The game is played by keyboard alone, with reduced motion."""

from __future__ import annotations

from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.accessibility import violations
from tests.e2e.conftest import copy_web_root, with_camera
from tests.e2e.helpers import start_game, view, wait_for_state
from tests.e2e.packs import write_art_pack
from tools import pack_index

PHONE = {"viewport": {"width": 390, "height": 844}}
ART = "levels/art/pack.json"
ERROR_CODES = (
    "camera-denied",
    "no-camera",
    "camera-busy",
    "camera-lost",
    "camera-failed",
    "insecure-context",
    "browser-unsupported",
    "model-missing",
    "model-failed",
    "levels-invalid",
    "load-failed",
    "unknown",
)


@pytest.fixture(scope="module")
def two_packs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_web_root(tmp_path_factory.mktemp("a11y") / "web")
    write_art_pack(root / "levels" / "art")
    pack_index.build(root / "levels")
    return root


def focus_by_tab(page: Page, selector: str, limit: int = 40) -> list[str]:
    """Press Tab until ``selector`` has the focus; the ids passed on the way."""
    passed = []
    for _ in range(limit):
        page.keyboard.press("Tab")
        if page.evaluate("(s) => document.activeElement.matches(s)", selector):
            return passed
        passed.append(
            page.evaluate("() => document.activeElement.id || document.activeElement.tagName")
        )
    raise AssertionError(f"{selector} not reached by Tab; went through {passed}")


def test_every_game_screen_passes_axe_and_plays_by_keyboard_alone(
    two_packs: Path, start_server, open_page, artifacts
) -> None:
    server = start_server(two_packs)
    found: list[str] = []
    page = open_page(
        f"{server.url}/index.html?nosw=1&pack={ART}&reading_min=60&reading_max=60",
        reduced_motion="reduce",
        **PHONE,
    )
    expect(page.locator("body")).to_have_attribute("data-state", "loading")
    found += violations(page, "loading")
    wait_for_state(page, "start")
    found += violations(page, "start")

    # Keyboard: every control of the start screen by Tab, and each works.
    focus_by_tab(page, "#challenge-list input:checked")
    page.keyboard.press("ArrowUp")  # the other challenge (a radio group)...
    expect(page.locator("#challenge-list input").nth(0)).to_be_checked()
    page.keyboard.press("ArrowDown")  # ...and back
    expect(page.locator("#challenge-list input").nth(1)).to_be_checked()
    focus_by_tab(page, "#start-button")
    focus_by_tab(page, "#seated-toggle")
    page.keyboard.press("Space")
    expect(page.locator("body")).to_have_attribute("data-seated", "true")
    page.keyboard.press("Space")
    expect(page.locator("body")).to_have_attribute("data-seated", "false")
    focus_by_tab(page, "#photos-toggle")
    page.keyboard.press("Space")
    expect(page.locator("#photos-toggle")).to_be_checked()
    focus_by_tab(page, "a.curator-link")
    assert view(page)["phase"] == "idle"

    # Reduced motion: nothing moves by itself.
    duration = page.locator("#presence-bar").evaluate(
        "(e) => getComputedStyle(e).transitionDuration"
    )
    assert duration == "0s"

    page.locator("#start-button").focus()
    page.keyboard.press("Enter")
    wait_for_state(page, "countdown", timeout=60_000)
    assert view(page)["level"]["image"] == "t_pose.png"  # the challenge picked by keyboard
    found += violations(page, "countdown")
    wait_for_state(page, "playing", timeout=10_000)
    found += violations(page, "playing")
    expect(page.locator("h1:visible")).to_have_count(1)  # the artwork's title
    # The check itself works: the fit bar as it was before (a plain div with
    # an aria-label) is what axe reported, and still would.
    meter = page.locator("#fit-bar").locator("xpath=..")
    meter.evaluate("(m) => m.removeAttribute('role')")
    assert any("aria-prohibited-attr" in line for line in violations(page, "control")), "axe?"
    meter.evaluate("(m) => m.setAttribute('role', 'progressbar')")
    page.screenshot(path=str(artifacts / "a11y-playing.png"))

    wait_for_state(page, "cleared", timeout=60_000)
    found += violations(page, "cleared")
    page.screenshot(path=str(artifacts / "a11y-cleared.png"))
    focus_by_tab(page, "#next-button")
    page.keyboard.press("Enter")
    wait_for_state(page, "playing", timeout=10_000)
    assert view(page)["level_index"] == 1
    focus_by_tab(page, "#skip-button")
    while view(page)["phase"] == "playing":
        page.keyboard.press("Enter")  # the button keeps the focus from level to level
        page.wait_for_timeout(300)
    wait_for_state(page, "results", timeout=10_000)
    expect(page.locator("#souvenir")).to_have_attribute("data-status", "ready", timeout=60_000)
    expect(page.locator("#souvenir-clip")).to_be_visible(timeout=60_000)
    found += violations(page, "results")
    page.screenshot(path=str(artifacts / "a11y-results.png"), full_page=True)
    # Reduced motion: the souvenir clip waits for its play button.
    assert page.locator("#souvenir-clip").evaluate("(v) => v.paused")

    # Results by keyboard: a story opens, the souvenir's buttons, play again.
    focus_by_tab(page, "#results-gallery summary")
    page.keyboard.press("Enter")
    expect(page.locator("#results-gallery details").first).to_have_attribute("open", "")
    passed = focus_by_tab(page, "#souvenir-delete")
    assert "souvenir-save" in passed
    page.keyboard.press("Enter")
    expect(page.locator("#souvenir")).to_have_attribute("data-status", "deleted")
    focus_by_tab(page, "#again-button")
    page.keyboard.press("Enter")
    wait_for_state(page, "countdown", timeout=60_000)
    assert page.errors == []
    assert found == [], "\n".join(found)


@with_camera("empty")
def test_framing_and_every_error_screen_pass_axe_right_to_left(
    server, open_page, artifacts
) -> None:
    """With nobody in front of the camera the game stays framing; the error
    screens are shown one by one.  In Arabic, so right to left is checked too."""
    page = open_page(f"{server.url}/index.html?nosw=1&lang=ar", **PHONE)
    wait_for_state(page, "start")
    found = violations(page, "start (ar)")
    start_game(page)
    wait_for_state(page, "framing", timeout=30_000)
    expect(page.locator("#countdown")).to_have_text("ادخل إلى الصورة")
    found += violations(page, "framing (ar)")
    page.screenshot(path=str(artifacts / "ar-phone-framing.png"))
    for code in ERROR_CODES:
        page.evaluate("(code) => globalThis.poseBridge.showError(code, 'details for staff')", code)
        expect(page.locator(f'[data-error-code="{code}"] h1')).to_be_visible()
        found += violations(page, f"error {code} (ar)")
    page.screenshot(path=str(artifacts / "ar-phone-error.png"))
    # The check itself works: a button without a name is reported.
    page.evaluate("() => document.getElementById('retry-button').replaceChildren()")
    assert any("button-name" in line for line in violations(page, "control"))
    page.evaluate("() => { document.getElementById('retry-button').textContent = 'x'; }")
    # The retry button by keyboard.
    focus_by_tab(page, "#retry-button")
    assert page.errors == []
    assert found == [], "\n".join(found)


@with_camera("tpose")
def test_the_curator_page_and_the_self_test_pass_axe(
    server, open_page, tmp_path: Path, artifacts
) -> None:
    from tests.e2e.packs import extract_frame

    page = open_page(f"{server.url}/curator.html")
    expect(page.locator("body")).to_have_attribute("data-ready", "true", timeout=90_000)
    found = violations(page, "curator (empty)")
    picture = tmp_path / "t-pose.png"
    extract_frame(16, picture)
    page.locator("#add-images").set_input_files(str(picture))
    expect(page.locator("#editor")).to_be_visible(timeout=30_000)
    found += violations(page, "curator (a level)")
    # The pose by keyboard: Tab onto the picture, n picks a joint, arrows move it.
    focus_by_tab(page, "#pose-canvas")
    page.screenshot(path=str(artifacts / "a11y-curator.png"), full_page=True)

    selftest = open_page(f"{server.url}/selftest.html")
    expect(selftest.locator("#summary")).not_to_have_attribute(
        "data-status", "running", timeout=60_000
    )
    found += violations(selftest, "self-test")
    focus_by_tab(selftest, "#rerun")
    selftest.screenshot(path=str(artifacts / "a11y-selftest.png"), full_page=True)
    assert page.errors == [] and selftest.errors == []
    assert found == [], "\n".join(found)
