"""Every failure has its own friendly screen, and recovers after retry where it can."""

from __future__ import annotations

import json
from pathlib import Path

from playwright.sync_api import expect

from tests.e2e.conftest import copy_web_root, with_camera
from tests.e2e.helpers import retry, start_game, wait_for_state

VIDEO_PACK = "levels/test-video/pack.json"


def expect_error(page, code: str) -> None:
    wait_for_state(page, "error")
    expect(page.locator("body")).to_have_attribute("data-error", code)
    text = page.locator(f'[data-error-code="{code}"]')
    expect(text).to_be_visible()
    expect(page.locator("#retry-button")).to_be_visible()


@with_camera("poses", auto_accept=False)
def test_camera_permission_denied_then_granted(server, open_page) -> None:
    # Without the fake UI, Chromium asks for permission and Playwright says no.
    page = open_page(f"{server.url}/index.html?pack={VIDEO_PACK}")
    start_game(page)
    expect_error(page, "camera-denied")
    expect(page.locator('[data-error-code="camera-denied"]')).to_contain_text("Allow the camera")

    page.context.grant_permissions(["camera"], origin=server.url)
    retry(page)
    wait_for_state(page, "countdown", timeout=30_000)


@with_camera(None)
def test_no_camera_device(server, open_page) -> None:
    page = open_page(f"{server.url}/index.html?pack={VIDEO_PACK}")
    start_game(page)
    expect_error(page, "no-camera")
    # Retrying without a camera shows the same screen again: never a frozen page.
    page.locator("#retry-button").click()
    expect_error(page, "no-camera")


def test_camera_lost_mid_game_then_retry(server, open_page) -> None:
    page = open_page(f"{server.url}/index.html?pack={VIDEO_PACK}")
    start_game(page)
    wait_for_state(page, "countdown", timeout=30_000)
    # What a browser does when the camera is unplugged: the track ends.
    page.evaluate(
        """() => document.querySelector('#camera-video').srcObject
                 .getVideoTracks()[0].dispatchEvent(new Event('ended'))"""
    )
    expect_error(page, "camera-lost")
    retry(page)
    wait_for_state(page, "countdown", timeout=30_000)


def test_missing_model_file(tmp_path: Path, start_server, open_page) -> None:
    root = copy_web_root(tmp_path / "web", leave_out=("models/movenet-lightning.json",))
    broken = start_server(root)
    page = open_page(f"{broken.url}/index.html")
    expect_error(page, "model-missing")
    expect(page.locator("#stage-model")).to_have_attribute("data-status", "failed")
    expect(page.locator("#error-detail")).to_contain_text("movenet-lightning.json")


def test_broken_level_pack_lists_its_problems(web_root: Path, server, open_page) -> None:
    pack_dir = web_root / "levels" / "test-broken"
    pack_dir.mkdir(exist_ok=True)
    pack = json.loads((web_root / "levels" / "test-video" / "pack.json").read_text())
    pack["levels"][2]["keypoints"] = pack["levels"][2]["keypoints"][:16]
    pack["levels"][0]["title"] = 42
    (pack_dir / "pack.json").write_text(json.dumps(pack))

    page = open_page(f"{server.url}/index.html?pack=levels/test-broken/pack.json")
    expect_error(page, "levels-invalid")
    detail = page.locator("#error-detail")
    expect(detail).to_contain_text("level 3")
    expect(detail).to_contain_text("16")
    expect(detail).to_contain_text("level 1")


def test_level_pack_not_found(server, open_page) -> None:
    page = open_page(f"{server.url}/index.html?pack=levels/nowhere/pack.json")
    expect_error(page, "levels-invalid")
    expect(page.locator("#error-detail")).to_contain_text("404")


def test_html_in_a_pack_title_is_shown_as_text(web_root: Path, server, open_page) -> None:
    pack_dir = web_root / "levels" / "test-html"
    pack_dir.mkdir(exist_ok=True)
    pack = json.loads((web_root / "levels" / "test-video" / "pack.json").read_text())
    title = '<img src=x onerror="document.title=`pwned`">Bold'
    pack["levels"][0]["title"] = title
    (pack_dir / "pack.json").write_text(json.dumps(pack))
    for image in (web_root / "levels" / "test-video").glob("*.png"):
        (pack_dir / image.name).write_bytes(image.read_bytes())

    page = open_page(f"{server.url}/index.html?pack=levels/test-html/pack.json")
    start_game(page)
    wait_for_state(page, "playing", timeout=30_000)
    expect(page.locator("#artwork-title")).to_have_text(title)
    assert page.locator("#artwork-title img").count() == 0
    assert page.title() == "Strike a Pose"
