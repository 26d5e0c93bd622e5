"""The whole loop in the game page: camera frame -> MoveNet -> bridge -> Python
step and render -> screen, in frames per second, while playing the video pack.

The bridge is instrumented from outside (page.evaluate wraps the methods
Python calls on ``poseBridge``; no game code changes): for every analysed
frame it records when the frame arrived, the inference time, the time from
the frame leaving the bridge until Python published the new view (``python``:
the bridge crossing, the core's ``step``, ``to_view``, ``present`` and the DOM
updates; the JavaScript overlay drawing is timed apart) and the camera's own
frame rate, counted with requestVideoFrameCallback.  ``python`` splits into
``python_own``, the work Python times itself (it passes it to publishView),
and ``wait``, the time before the event loop resumes Python's coroutine, in
which the browser does its other work (rendering the page, the camera).
"""

from __future__ import annotations

import time
from typing import Any

from playwright.sync_api import Page

from bench.browser import GAME_TIMEOUT_MS, stats, wait_for_state
from bench.stats import per_second, summarize

INSTRUMENT_JS = """
() => {
  const bridge = globalThis.poseBridge;
  if (globalThis.__bench) return;
  const rec = {
    frames: [], inference: [], python: [], python_own: [], wait: [], overlay: [],
    frame_to_screen: [],
    camera_frames: [], first_frame_at: null, clicked_at: null,
  };
  globalThis.__bench = rec;
  let pending = null;
  const nextFrame = bridge.nextFrame.bind(bridge);
  bridge.nextFrame = async (timeoutMs) => {
    const frame = await nextFrame(timeoutMs);
    if (frame.kind === "pose" || frame.kind === "none") {
      if (rec.first_frame_at === null) rec.first_frame_at = frame.t_ms;
      rec.frames.push(frame.t_ms);
      rec.inference.push(bridge.inferenceMs);
      pending = { t_ms: frame.t_ms, resolved: performance.now() };
    }
    return frame;
  };
  let overlayMs = 0;
  const paintOverlay = bridge.paintOverlay.bind(bridge);
  bridge.paintOverlay = (colours, minScore) => {
    const start = performance.now();
    paintOverlay(colours, minScore);
    overlayMs = performance.now() - start;
  };
  const publishView = bridge.publishView.bind(bridge);
  bridge.publishView = (workMs = -1) => {
    publishView(workMs);
    if (pending) {
      const now = performance.now();
      const python = now - pending.resolved - overlayMs;
      rec.python.push(python);
      if (workMs >= 0) {
        // What Python timed itself, from taking the frame to publishing; the
        // rest is the wait for the event loop to resume Python's coroutine.
        rec.python_own.push(workMs - overlayMs);
        rec.wait.push(python - (workMs - overlayMs));
      }
      rec.overlay.push(overlayMs);
      rec.frame_to_screen.push(now - pending.t_ms);
      pending = null;
    }
  };
  const video = document.getElementById("camera-video");
  const count = (now) => {
    rec.camera_frames.push(now);
    video.requestVideoFrameCallback(count);
  };
  video.requestVideoFrameCallback(count);
  document.getElementById("start-button").addEventListener("click", () => {
    rec.clicked_at = performance.now();
  }, { capture: true });
  document.getElementById("again-button").addEventListener("click", () => {
    rec.clicked_at = performance.now();
  }, { capture: true });
}
"""

# Take and clear what was recorded since the last call.
DRAIN_JS = """
() => {
  const rec = globalThis.__bench;
  const out = JSON.parse(JSON.stringify(rec));
  for (const key of Object.keys(rec)) {
    if (Array.isArray(rec[key])) rec[key] = [];
  }
  rec.first_frame_at = null;
  rec.clicked_at = null;
  return out;
}
"""

SAMPLE_EVERY_S = 1.0


def rate(timestamps: list[float]) -> float:
    """Events per second over a list of performance.now() times."""
    if len(timestamps) < 2:
        return 0.0
    span = timestamps[-1] - timestamps[0]
    return round((len(timestamps) - 1) * 1000.0 / span, 2) if span > 0 else 0.0


def instrument(page: Page) -> None:
    page.evaluate(INSTRUMENT_JS)


def play_game(page: Page, button: str = "#start-button") -> dict[str, Any]:
    """Press ``button``, play one game to its results, and return its figures.

    The page must be on the start (or results) screen and instrumented.
    """
    page.evaluate(DRAIN_JS)  # drop frames from before this game
    page.locator(button).click()
    wait_for_state(page, "playing", timeout=60_000)
    before_play = page.evaluate(DRAIN_JS)  # framing and countdown
    samples = [stats(page)]
    deadline = time.monotonic() + GAME_TIMEOUT_MS / 1000
    while page.locator("body").get_attribute("data-state") == "playing":
        if time.monotonic() > deadline:
            raise TimeoutError("the game did not end")
        time.sleep(SAMPLE_EVERY_S)
        samples.append(stats(page))
    wait_for_state(page, "results", timeout=30_000)
    played = page.evaluate(DRAIN_JS)
    samples.append(stats(page))
    camera_ms = None
    if before_play["first_frame_at"] is not None and before_play["clicked_at"] is not None:
        camera_ms = round(before_play["first_frame_at"] - before_play["clicked_at"], 1)
    return summarize_game(played, samples, camera_ms)


def summarize_game(
    played: dict[str, Any], samples: list[dict[str, Any]], camera_ms: float | None
) -> dict[str, Any]:
    inference = summarize(played["inference"])
    python = summarize(played["python"])
    overlay = summarize(played["overlay"])
    per_frame_ms = (
        float(inference.get("median", 0))
        + float(python.get("median", 0))
        + float(overlay.get("median", 0))
    )
    return {
        "frames": len(played["frames"]),
        "loop_fps": rate(played["frames"]),
        "camera_fps": rate(played["camera_frames"]),
        "inference_ms": inference,
        "python_ms": python,
        "python_own_ms": summarize(played["python_own"]),
        "wait_ms": summarize(played["wait"]),
        "overlay_ms": overlay,
        "frame_to_screen_ms": summarize(played["frame_to_screen"]),
        "per_frame_ms_median": round(per_frame_ms, 2),
        "ceiling_fps": per_second(per_frame_ms),
        "camera_start_ms": camera_ms,
        "backend": samples[-1]["backend"],
        "samples": samples,
    }


def run(page: Page) -> dict[str, Any]:
    """One game on a page already on the start screen."""
    instrument(page)
    game = play_game(page)
    game["samples"] = game["samples"][:: max(1, len(game["samples"]) // 10)]
    return game
