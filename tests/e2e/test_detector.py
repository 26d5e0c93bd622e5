"""MoveNet in its worker: a worker that dies or hangs ends in the "model
failed" screen, Retry (or, on a kiosk, the watchdog) brings play back with a
fresh worker; and the capture hook sees each analysed frame with the capture
time its pose carries."""

from __future__ import annotations

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.helpers import retry, start_game, wait_for_state

VIDEO_PACK = "levels/test-video/pack.json"
# WORKER_TIMEOUT_MS in web/js/detector-client.js (5 s) plus a busy machine's margin.
SILENT_WORKER_NOTICED_MS = 30_000


def expect_model_failed(page: Page, timeout: float) -> None:
    page.wait_for_selector('body[data-state="error"]', state="attached", timeout=timeout)
    expect(page.locator("body")).to_have_attribute("data-error", "model-failed")
    expect(page.locator('[data-error-code="model-failed"]')).to_be_visible()
    expect(page.locator("#retry-button")).to_be_visible()


def keep_worker(page: Page) -> None:
    page.evaluate("() => { globalThis.__oldWorker = globalThis.testHooks.detector().worker; }")


def has_new_worker(page: Page) -> bool:
    return bool(
        page.evaluate(
            """() => globalThis.testHooks.detector()?.where === 'worker'
                     && globalThis.testHooks.detector().worker !== globalThis.__oldWorker"""
        )
    )


def test_a_terminated_worker_shows_model_failed_and_retry_recovers(server, open_page) -> None:
    page = open_page(f"{server.url}/index.html?pack={VIDEO_PACK}&detector=worker")
    start_game(page)
    wait_for_state(page, "playing", timeout=30_000)
    keep_worker(page)
    # A terminated worker sends nothing, ever: the page notices by its timeout.
    page.evaluate("() => globalThis.testHooks.detector().worker.terminate()")
    expect_model_failed(page, SILENT_WORKER_NOTICED_MS)
    retry(page)
    wait_for_state(page, "countdown", timeout=30_000)
    wait_for_state(page, "playing", timeout=10_000)
    assert has_new_worker(page)
    assert page.evaluate("() => globalThis.poseBridge.stats().fps") > 0
    assert page.errors == []


def test_a_crashing_worker_fails_at_once(server, open_page) -> None:
    page = open_page(f"{server.url}/index.html?pack={VIDEO_PACK}&detector=worker")
    start_game(page)
    wait_for_state(page, "countdown", timeout=30_000)
    keep_worker(page)
    # What the browser delivers when code in a worker throws: an error event.
    page.evaluate(
        """() => globalThis.testHooks.detector().worker.dispatchEvent(
               new ErrorEvent('error', {message: 'crashed in a test', cancelable: true}))"""
    )
    expect_model_failed(page, 5_000)
    expect(page.locator("#error-detail")).to_contain_text("crashed in a test")
    retry(page)
    wait_for_state(page, "countdown", timeout=30_000)
    assert has_new_worker(page)
    assert page.errors == []


def test_kiosk_watchdog_restarts_a_dead_worker_untouched(server, open_page) -> None:
    page = open_page(f"{server.url}/index.html?kiosk=1&pack={VIDEO_PACK}&detector=worker")
    # Nobody presses anything: the man in the video starts the game.
    wait_for_state(page, "playing", timeout=60_000)
    keep_worker(page)
    page.evaluate("() => globalThis.testHooks.detector().worker.terminate()")
    expect_model_failed(page, SILENT_WORKER_NOTICED_MS)
    # Still untouched: the watchdog starts a new worker, the attract screen
    # comes back, the visitor is seen and play starts again.
    page.wait_for_selector('body:not([data-state="error"])', state="attached", timeout=60_000)
    wait_for_state(page, "playing", timeout=60_000)
    assert has_new_worker(page)
    assert page.evaluate("() => document.body.dataset.reloadAsked") is None
    assert page.errors == []


RECORD_JS = """
() => {
  const bridge = globalThis.poseBridge;
  const rec = (globalThis.__hook = { captured: [], kinds: [], painted: 0, delivered: [], late: 0 });
  bridge.frames.addCaptureListener((image, captureMs, size) => {
    rec.captured.push(captureMs);
    rec.kinds.push(image.constructor.name);
    if (captureMs > performance.now()) rec.late += 1;
    // A listener copies what it needs at once: here a small copy of the frame.
    const copy = new OffscreenCanvas(size.width / 4, size.height / 4);
    const context = copy.getContext("2d");
    context.drawImage(image, 0, 0, copy.width, copy.height);
    const pixels = context.getImageData(0, 0, copy.width, copy.height).data;
    if (pixels.some((value, i) => i % 4 !== 3 && value > 0)) rec.painted += 1;
  });
  const nextFrame = bridge.nextFrame.bind(bridge);
  bridge.nextFrame = async (timeoutMs) => {
    const frame = await nextFrame(timeoutMs);
    if (frame.kind === "pose" || frame.kind === "none") rec.delivered.push(frame.t_ms);
    return frame;
  };
}
"""


@pytest.mark.parametrize(
    ("detector", "kind"), [("worker", "VideoFrame"), ("main", "HTMLVideoElement")]
)
def test_the_capture_hook_sees_each_analysed_frame_with_its_capture_time(
    server, open_page, detector: str, kind: str
) -> None:
    page = open_page(f"{server.url}/index.html?pack={VIDEO_PACK}&detector={detector}")
    wait_for_state(page, "start")
    page.evaluate(RECORD_JS)
    start_game(page)
    wait_for_state(page, "countdown", timeout=30_000)
    page.wait_for_function("() => globalThis.__hook.delivered.length >= 10", timeout=30_000)
    rec = page.evaluate("() => globalThis.__hook")
    captured = set(rec["captured"])
    # Every pose that reached Python came from a frame the listener saw, with
    # the same capture time, so a copy taken there matches its keypoints.
    assert all(t in captured for t in rec["delivered"]), (rec["delivered"], rec["captured"])
    assert rec["captured"] == sorted(rec["captured"]), "capture times never go backwards"
    assert set(rec["kinds"]) == {kind}
    assert rec["painted"] == len(rec["captured"]), "the frame was readable in the listener"
    assert rec["late"] == 0
    assert page.errors == []
