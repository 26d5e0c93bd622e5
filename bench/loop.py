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

The main thread's long tasks (the Long Tasks API: any task over 50 ms) are
recorded during play: their total over the play time is the main thread's
busy share, the longest one how long a tap could wait.  ``tap_to_paint``
presses Skip during play and times each press to the paint that shows the
next level.
"""

from __future__ import annotations

import random
import time
from typing import Any

from playwright.sync_api import Page

from bench.browser import stats
from bench.stats import per_second, summarize
from tests.e2e.helpers import GAME_TIMEOUT_MS, wait_for_state

INSTRUMENT_JS = """
() => {
  const bridge = globalThis.poseBridge;
  if (globalThis.__bench) return;
  const rec = {
    frames: [], inference: [], python: [], python_own: [], wait: [], overlay: [],
    frame_to_screen: [], camera_frames: [], long_tasks: [],
    first_frame_at: null, clicked_at: null, drained_at: performance.now(),
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
  bridge.paintOverlay = (...args) => {
    const start = performance.now();
    paintOverlay(...args);
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
  if (PerformanceObserver.supportedEntryTypes.includes("longtask")) {
    new PerformanceObserver((list) => {
      for (const entry of list.getEntries()) rec.long_tasks.push([entry.startTime, entry.duration]);
    }).observe({ type: "longtask" });
  } else {
    rec.long_tasks = null;
  }
  for (const id of ["start-button", "again-button"]) {
    document.getElementById(id).addEventListener("click", () => {
      rec.clicked_at = performance.now();
    }, { capture: true });
  }
}
"""

# Take and clear what was recorded since the last call.
DRAIN_JS = """
() => {
  const rec = globalThis.__bench;
  const now = performance.now();
  const out = JSON.parse(JSON.stringify(rec));
  out.since = rec.drained_at;
  out.until = now;
  for (const key of Object.keys(rec)) {
    if (Array.isArray(rec[key])) rec[key] = [];
  }
  rec.first_frame_at = null;
  rec.clicked_at = null;
  rec.drained_at = now;
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


def play_game(page: Page) -> dict[str, Any]:
    """Press Start (or, on the results screen, Play again), play one game to
    its results, and return its figures.

    The page must be on the start (or results) screen and instrumented.
    """
    on_results = page.locator("body").get_attribute("data-state") == "results"
    page.evaluate(DRAIN_JS)  # drop frames from before this game
    page.locator("#again-button" if on_results else "#start-button").click()
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


def long_task_figures(played: dict[str, Any]) -> dict[str, Any]:
    """Busy share of the main thread (long tasks' total over the play time)."""
    tasks = played.get("long_tasks")
    if tasks is None:
        return {"busy_share": None, "long_tasks": None, "longest_task_ms": None}
    span = float(played["until"]) - float(played["since"])
    busy = sum(duration for _, duration in tasks)
    return {
        "busy_share": round(busy / span, 3) if span > 0 else None,
        "long_tasks": len(tasks),
        "longest_task_ms": round(max((d for _, d in tasks), default=0.0), 1),
        "play_s": round(span / 1000.0, 1),
    }


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
        "detector": samples[-1]["detector"],
        "threads": samples[-1]["threads"],
        **long_task_figures(played),
        "samples": samples,
    }


def run(page: Page) -> dict[str, Any]:
    """One game on a page already on the start screen."""
    instrument(page)
    game = play_game(page)
    game["samples"] = game["samples"][:: max(1, len(game["samples"]) // 10)]
    return game


# Times each Skip press to the paint that shows it.  The press's time is its
# pointerdown's timeStamp (when the input arrived); the paint's is taken in a
# task queued from the first animation frame after the level dots changed,
# which runs once that frame is painted.
TAP_JS = """
() => {
  const rec = (globalThis.__tap = { times: [], pressed: null });
  const skip = document.getElementById("skip-button");
  const press = (event) => { rec.pressed = event.timeStamp; };
  skip.addEventListener("pointerdown", press, { capture: true });
  new MutationObserver(() => {
    if (rec.pressed === null) return;
    const pressed = rec.pressed;
    rec.pressed = null;
    requestAnimationFrame(() => {
      const channel = new MessageChannel();
      channel.port1.onmessage = () => rec.times.push(performance.now() - pressed);
      channel.port2.postMessage(null);
    });
  }).observe(document.getElementById("level-dots"), {
    subtree: true, childList: true, attributes: true,
  });
}
"""


def tap_to_paint(page: Page, presses: int, seed: int = 1) -> dict[str, Any]:
    """Press Skip ``presses`` times during play (the page plays a pack it
    cannot win, on the start screen) at random moments; milliseconds from
    each press to the paint that shows the next level."""
    chance = random.Random(seed)
    page.evaluate(TAP_JS)
    page.locator("#start-button").click()
    done = 0
    while done < presses:
        wait_for_state(page, "playing", timeout=60_000)
        page.wait_for_timeout(chance.uniform(300, 900))  # a random phase against the frames
        page.locator("#skip-button").click()
        done += 1
        page.wait_for_function(f"() => globalThis.__tap.times.length >= {done}", timeout=10_000)
        if page.locator("body").get_attribute("data-state") == "results":
            page.locator("#again-button").click()
    times: list[float] = page.evaluate("() => globalThis.__tap.times")
    return {"presses": presses, "tap_to_paint_ms": summarize(times, digits=1)}
