"""Whole games in a real browser: camera -> MoveNet -> bridge -> Python -> screen."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import with_camera
from tests.e2e.helpers import (
    GAME_TIMEOUT_MS,
    last_pose,
    start_game,
    view,
    wait_for_state,
    wait_for_view,
)

VIDEO_PACK = "levels/test-video/pack.json"
IMPOSSIBLE_PACK = "levels/test-impossible/pack.json"


@pytest.mark.parametrize("detector", ["worker", "main"])
def test_the_real_video_wins_the_game(server, open_page, artifacts, detector: str) -> None:
    """MoveNet in its worker (the default) and on the page's main thread
    (?detector=main, the fallback for browsers without module workers)."""
    page = open_page(f"{server.url}/index.html?pack={VIDEO_PACK}&detector={detector}")
    start_game(page)
    wait_for_state(page, "playing", timeout=30_000)
    stats = page.evaluate("() => globalThis.poseBridge.stats()")
    assert stats["detector"] == detector
    # The worker runs TF.js in its own scope: the page itself never loads it.
    assert page.evaluate("() => typeof globalThis.tf") == (
        "undefined" if detector == "worker" else "object"
    )
    assert page.evaluate("() => globalThis.crossOriginIsolated") is True
    expect(page.locator("#hint")).not_to_be_empty()
    suffix = "" if detector == "worker" else "-main-thread"
    page.screenshot(path=str(artifacts / f"playing{suffix}.png"))
    wait_for_state(page, "results", timeout=GAME_TIMEOUT_MS)

    expect(page.locator("#screen-results")).to_have_attribute("data-outcome", "won")
    expect(page.locator("#results-title")).to_have_text("You did it!")
    expect(page.locator("#results-gallery li.card[data-status=cleared]")).to_have_count(5)
    result = view(page)
    assert result["outcome"] == "won"
    assert result["level_results"] == ["cleared"] * 5
    assert sum(result["level_times_ms"]) < 30_000
    assert result["score"] > 0
    page.screenshot(path=str(artifacts / f"results-won{suffix}.png"))
    assert page.errors == []


def test_time_up_then_play_again(server, open_page) -> None:
    page = open_page(f"{server.url}/index.html?pack={IMPOSSIBLE_PACK}")
    start_game(page)
    wait_for_state(page, "playing", timeout=30_000)
    wait_for_state(page, "results", timeout=GAME_TIMEOUT_MS)

    expect(page.locator("#screen-results")).to_have_attribute("data-outcome", "time_up")
    expect(page.locator("#results-title")).to_have_text("Time's up!")
    expect(page.locator("#results-gallery li.card[data-status=missed]")).to_have_count(5)
    result = view(page)
    assert result["outcome"] == "time_up"
    assert result["time_left_ms"] == 0
    assert "cleared" not in result["level_results"]

    page.locator("#again-button").click()
    wait_for_state(page, "countdown", timeout=30_000)
    fresh = view(page)
    assert fresh["level_results"] == []
    assert fresh["score"] == 0
    assert fresh["time_left_ms"] == 30_000
    wait_for_state(page, "playing", timeout=10_000)
    assert page.errors == []


@with_camera("tpose")
def test_keypoints_reaching_python_are_a_t_pose_in_camera_coordinates(server, open_page) -> None:
    """With a camera that only shows the man's T-pose frame, the keypoints Python
    receives have his wrists level with his shoulders and far apart, in the
    game's convention: pixels of the unmirrored camera image, anatomical
    labels, so his own left wrist is on the image's right (larger x)."""
    page = open_page(f"{server.url}/index.html?pack={VIDEO_PACK}")
    start_game(page)
    wait_for_state(page, "countdown", timeout=30_000)
    pose = last_pose(page)
    assert pose is not None and len(pose) == 17
    nose, l_sh, r_sh = pose[0], pose[5], pose[6]
    l_wr, r_wr, l_hip, r_hip = pose[9], pose[10], pose[11], pose[12]
    l_knee, l_ankle = pose[13], pose[15]
    for name, point in (("l_sh", l_sh), ("r_sh", r_sh), ("l_wr", l_wr), ("r_wr", r_wr)):
        assert point[2] > 0.3, f"{name} seen with score {point[2]}"
    shoulder_width = l_sh[0] - r_sh[0]
    torso = (l_hip[1] + r_hip[1]) / 2 - (l_sh[1] + r_sh[1]) / 2
    assert shoulder_width > 0, "the person's left shoulder must be on the image's right"
    assert l_wr[0] > l_sh[0] > r_sh[0] > r_wr[0]
    assert l_wr[0] - r_wr[0] > 2.5 * shoulder_width, "arms stretched out"
    for wrist, shoulder in ((l_wr, l_sh), (r_wr, r_sh)):
        assert abs(wrist[1] - shoulder[1]) < 0.4 * torso, "wrists level with the shoulders"
    assert nose[1] < min(l_sh[1], r_sh[1]) < l_hip[1] < l_knee[1] < l_ankle[1]
    # Pixels of the 320x334 camera frame.
    assert all(-320 <= x <= 640 and -334 <= y <= 668 for x, y, _ in pose)


def test_skip_moves_on_without_points(server, open_page) -> None:
    page = open_page(f"{server.url}/index.html?pack={IMPOSSIBLE_PACK}")
    start_game(page)
    wait_for_state(page, "playing", timeout=30_000)
    for level in range(1, 6):
        assert view(page)["level_number"] == level
        page.locator("#skip-button").click()
        if level < 5:
            wait_for_view(page, f"view.level_number === {level + 1}", timeout=30_000)
    wait_for_state(page, "results")
    result = view(page)
    assert result["outcome"] == "finished"
    assert result["level_results"] == ["skipped"] * 5
    assert result["score"] == 0
    expect(page.locator("#results-title")).to_have_text("Well done!")
    expect(page.locator("#results-gallery .card-outcome").first).to_have_text("Skipped")
    expect(page.locator("#skip-button")).to_be_hidden()
