"""The shell's game loop (shell/app.py, Game.run) driven under CPython with a
fake bridge and a fake screen, on a virtual clock (tests/unit/shell_fakes.py):
the kiosk's watchdogs, requests that arrive while a frame is awaited, and the
debug panel's pace."""

from __future__ import annotations

import asyncio
import contextlib
import itertools
from collections.abc import Callable, Coroutine
from typing import Any

import pytest

from shell.app import FRAME_TIMEOUT_MS, KIOSK_MODEL_FAILURES, KIOSK_RETRY_S, Game
from shell.loading import Loader
from shell.options import parse_options
from shell.render import DEBUG_EVERY_MS
from strike_a_pose import Phase

from .pack_factory import GAME_SHAPES, make_pack
from .shell_fakes import (
    START_MS,
    EarlyStart,
    FakeBridge,
    FakeFetch,
    FakeScreen,
    Frame,
    failed,
    identity_proxy,
    now_ms,
    pose_frame,
    run_virtual,
)
from .synthetic_poses import ARMS_DOWN, Shape, make_pose

PACK = make_pack()
PACK_URL = "levels/test/pack.json"
RETRY_MS = KIOSK_RETRY_S * 1000.0
FRAME_S = 0.066  # a 15 frames/s camera
INFERENCE_MS = 30.0  # a frame reaches Python this long after its capture


class Harness:
    """A Game on fakes, its loop running as a task of the virtual-time loop."""

    def __init__(self, query: str = "") -> None:
        self.bridge = FakeBridge()
        self.screen = FakeScreen()
        options = parse_options(query, {}, (), ("en",))
        self.game = Game(
            self.bridge,
            self.screen,
            Loader(FakeFetch(), self.bridge),
            identity_proxy,
            PACK,
            PACK_URL,
            options,
        )
        self.task: asyncio.Task[None] | None = None

    def start(self) -> None:
        self.task = asyncio.ensure_future(self.game.run())

    async def stop(self) -> None:
        assert self.task is not None
        self._check_running()
        self.task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await self.task

    def _check_running(self) -> None:
        assert self.task is not None
        if self.task.done():
            self.task.result()  # raises what stopped the loop
            raise AssertionError("the game loop ended")

    async def until(self, condition: Callable[[], bool], within_s: float = 60.0) -> None:
        """Let the loop run (virtual time passes) until ``condition()``."""
        deadline = now_ms() + within_s * 1000.0
        while not condition():
            self._check_running()
            assert now_ms() < deadline, "the condition never came true"
            await asyncio.sleep(0.005)

    async def frame_wanted(self, within_s: float = 30.0) -> None:
        """Until the loop waits for a camera frame (a new wait, once the last
        is answered); what stopped the loop, if it stopped, is raised."""
        assert self.task is not None
        asked = asyncio.ensure_future(self.bridge.asked.wait())
        done, _ = await asyncio.wait(
            {asked, self.task}, timeout=within_s, return_when=asyncio.FIRST_COMPLETED
        )
        asked.cancel()
        self._check_running()
        assert asked in done, f"no frame asked for in {within_s} s"

    async def frame(self, frame: Frame) -> None:
        """Hand ``frame`` to the loop's next wait for a frame."""
        await self.frame_wanted()
        self.bridge.deliver(frame)
        await asyncio.sleep(0)

    async def camera(self, shape: Shape, until: Callable[[], bool], within_s: float = 60.0) -> None:
        """A visitor in ``shape`` in front of the camera, frame after frame,
        until ``until()``."""
        deadline = now_ms() + within_s * 1000.0
        while not until():
            self._check_running()
            assert now_ms() < deadline, f"still {self.game.state.phase} after {within_s} s"
            await self.frame_wanted()
            await asyncio.sleep(FRAME_S)
            self.bridge.deliver(pose_frame(make_pose(shape), now_ms() - INFERENCE_MS))
            await asyncio.sleep(0)

    async def play_to(self, phase: Phase) -> None:
        """From the start screen: press Start, stand in view, until ``phase``."""
        self.screen.fire("start-button")
        await self.camera(ARMS_DOWN, lambda: self.phase() == phase)

    def phase(self) -> Phase:
        return self.game.state.phase

    def figure(self) -> Shape:
        state = self.game.state
        return GAME_SHAPES[state.level_order[state.level_index]]


def scenario(test: Callable[[], Coroutine[Any, Any, None]]) -> Callable[[], None]:
    """Run an async test on the virtual-time loop."""

    def run() -> None:
        run_virtual(test())

    run.__name__ = test.__name__
    run.__doc__ = test.__doc__
    return run


# --- the kiosk's camera watchdog ---------------------------------------------------


@scenario
async def test_a_kiosk_retries_the_camera_untouched_until_it_opens() -> None:
    h = Harness("?kiosk=1")
    h.bridge.camera.extend([failed("camera-denied"), failed("camera-busy")])
    h.start()
    await h.frame_wanted()
    assert h.bridge.count("enterKioskMode") == 1
    tries = [call[1] for call in h.bridge.called("openCamera")]
    assert tries == pytest.approx([START_MS, START_MS + RETRY_MS, START_MS + 2 * RETRY_MS])
    assert [code for code, _ in h.screen.errors] == ["camera-denied", "camera-busy"]
    # The camera is open: the error screen is gone, the attract screen shows.
    assert not h.screen.showing_error
    assert h.screen.page_state == "start"
    assert h.screen.attract, "the attract screen shows an artwork"
    assert h.phase() == Phase.IDLE
    await h.stop()


@scenario
async def test_a_kiosk_whose_camera_is_lost_reopens_it_after_the_retry_time() -> None:
    h = Harness("?kiosk=1")
    h.start()
    lost_at = now_ms()
    await h.frame(Frame("error", lost_at, code="camera-lost", message="unplugged"))
    await h.frame_wanted()
    assert h.screen.errors == [("camera-lost", "unplugged")]
    assert h.bridge.count("closeCamera") == 1
    reopened = h.bridge.called("openCamera")[-1][1]
    assert reopened == pytest.approx(lost_at + RETRY_MS)
    assert h.bridge.count("restartModel") == 0  # the model did not fail
    assert h.bridge.count("reloadPage") == 0
    assert not h.screen.showing_error
    await h.stop()


# --- model failures ------------------------------------------------------------


def model_failure(t_ms: float) -> Frame:
    return Frame("error", t_ms, code="model-failed", message="the detector worker died")


@scenario
async def test_kiosk_model_failures_restart_the_model_then_reload_the_page() -> None:
    h = Harness("?kiosk=1")
    h.start()
    for failure in range(1, KIOSK_MODEL_FAILURES):
        failed_at = now_ms()
        await h.frame(model_failure(failed_at))
        await h.frame_wanted()  # playing on, with a fresh model
        assert h.bridge.count("restartModel") == failure
        assert h.bridge.called("restartModel")[-1][1] == pytest.approx(failed_at + RETRY_MS)
        assert h.bridge.called("openCamera")[-1][1] >= failed_at + RETRY_MS
        assert h.screen.errors[-1][0] == "model-failed"
        assert not h.screen.showing_error
        assert h.bridge.count("reloadPage") == 0
    failed_at = now_ms()
    await h.frame(model_failure(failed_at))
    await h.until(lambda: h.bridge.count("reloadPage") > 0)
    assert h.bridge.called("reloadPage") == [("reloadPage", pytest.approx(failed_at))]
    assert h.bridge.count("restartModel") == KIOSK_MODEL_FAILURES - 1  # none for the last
    await h.stop()


@scenario
async def test_a_good_frame_between_model_failures_starts_the_count_afresh() -> None:
    h = Harness("?kiosk=1")
    h.start()
    for _ in range(KIOSK_MODEL_FAILURES - 1):
        await h.frame(model_failure(now_ms()))
    await h.frame(pose_frame(make_pose(ARMS_DOWN), now_ms()))
    for _ in range(KIOSK_MODEL_FAILURES - 1):
        await h.frame(model_failure(now_ms()))
    await h.frame_wanted()
    assert h.bridge.count("reloadPage") == 0
    assert h.bridge.count("restartModel") == 2 * (KIOSK_MODEL_FAILURES - 1)
    await h.frame(model_failure(now_ms()))
    await h.until(lambda: h.bridge.count("reloadPage") == 1)
    await h.stop()


@scenario
async def test_a_kiosk_model_that_cannot_be_restarted_reloads_the_page() -> None:
    h = Harness("?kiosk=1")
    h.bridge.restarts.extend([failed("model-failed", "no backend")] * KIOSK_MODEL_FAILURES)
    h.start()
    failed_at = now_ms()
    await h.frame(model_failure(failed_at))
    await h.until(lambda: h.bridge.count("reloadPage") > 0)
    restarts = [call[1] for call in h.bridge.called("restartModel")]
    expected = [failed_at + n * RETRY_MS for n in range(1, KIOSK_MODEL_FAILURES)]
    assert restarts == pytest.approx(expected)
    assert h.bridge.called("reloadPage")[0][1] == pytest.approx(expected[-1])
    assert h.bridge.count("openCamera") == 1  # never reopened for a broken model
    assert h.screen.showing_error
    await h.stop()


@scenario
async def test_a_visitors_model_failure_waits_for_retry_which_restarts_the_model() -> None:
    h = Harness()
    h.start()
    await h.play_to(Phase.FRAMING)
    await h.frame(model_failure(now_ms()))
    await asyncio.sleep(10 * KIOSK_RETRY_S)  # nobody touches the screen
    assert h.screen.showing_error and h.screen.errors == [
        ("model-failed", "the detector worker died")
    ]
    assert h.phase() == Phase.IDLE
    assert h.bridge.count("restartModel") == 0 and h.bridge.count("reloadPage") == 0
    assert h.bridge.count("openCamera") == 1
    h.bridge.retry("model-failed")
    await h.frame_wanted()
    assert h.bridge.count("restartModel") == 1 and h.bridge.count("openCamera") == 2
    assert h.phase() == Phase.FRAMING
    assert not h.screen.showing_error
    await h.stop()


# --- requests while a frame is awaited ------------------------------------------


@scenario
async def test_start_wakes_a_kiosk_waiting_for_a_frame_and_older_frames_are_dropped() -> None:
    h = Harness("?kiosk=1")
    h.start()
    await h.frame_wanted()
    captured = now_ms()  # the detector is analysing a frame captured now...
    await asyncio.sleep(0.020)
    pressed = now_ms()  # ...when Start is pressed
    h.screen.fire("start-button")
    assert h.bridge.count("wake") == 1
    await h.frame_wanted()  # the loop handled the press and waits again
    assert now_ms() == pressed  # at once: no frame, no timeout waited for
    state = h.game.state
    assert state.phase == Phase.FRAMING and state.now_ms == pytest.approx(pressed)
    assert h.screen.page_state == "framing"
    shown = h.bridge.count("publishView")
    h.bridge.deliver(pose_frame(make_pose(ARMS_DOWN), captured))
    await h.frame_wanted()
    assert h.game.state is state  # captured before the press: dropped
    assert h.game.last_pose is None
    assert h.bridge.count("publishView") == shown
    h.bridge.deliver(pose_frame(make_pose(ARMS_DOWN), now_ms()))
    await h.frame_wanted()
    assert h.game.state is not state and h.game.last_pose is not None
    assert h.bridge.count("publishView") == shown + 1
    await h.stop()


@scenario
async def test_skip_is_stepped_at_once_and_the_frame_in_flight_is_dropped() -> None:
    h = Harness()
    h.start()
    await h.play_to(Phase.PLAYING)
    await h.frame_wanted()
    captured = now_ms()
    await asyncio.sleep(0.010)
    pressed = now_ms()
    shown = h.bridge.count("publishView")
    woken = h.bridge.count("wake")
    h.screen.fire("skip-button")
    # Stepped and shown in the press's own task, before the loop runs again.
    state = h.game.state
    assert state.level_results == ("skipped",)
    assert state.now_ms == pytest.approx(pressed)
    assert h.bridge.count("publishView") == shown + 1
    assert h.bridge.count("wake") == woken  # nothing to wake the loop for
    h.bridge.deliver(pose_frame(make_pose(h.figure()), captured))
    await h.frame_wanted()
    assert h.game.state is state  # captured before the press: dropped
    h.screen.fire("skip-button")  # the next level
    assert h.game.state.level_results == ("skipped", "skipped")
    await h.stop()


@scenario
async def test_a_stale_press_does_nothing() -> None:
    h = Harness()
    h.start()
    await h.play_to(Phase.FRAMING)
    state = h.game.state
    h.screen.fire("skip-button")  # Skip on the framing screen (a double tap)
    h.screen.fire("screen-game")  # a tap on the game screen outside a story
    assert h.game.state is state
    h.screen.fire("again-button")  # Play again outside the results
    await h.frame(Frame("timeout", now_ms()))
    await h.frame_wanted()
    assert h.phase() == Phase.FRAMING
    assert h.bridge.count("openCamera") == 1
    await h.stop()


@scenario
async def test_no_frame_for_a_while_steps_a_tick_and_the_game_goes_on() -> None:
    h = Harness()
    h.start()
    await h.play_to(Phase.PLAYING)
    await h.frame_wanted()
    asked_at = now_ms()
    state = h.game.state  # and no frame comes
    await h.until(lambda: h.game.state is not state)
    assert h.game.state.now_ms == pytest.approx(asked_at + FRAME_TIMEOUT_MS)
    assert h.phase() == Phase.PLAYING
    await h.stop()


# --- the debug panel ---------------------------------------------------------------


@scenario
async def test_the_debug_panel_is_refreshed_at_most_every_debug_every_ms() -> None:
    h = Harness("?debug=1")
    h.start()
    await h.play_to(Phase.COUNTDOWN)
    await h.camera(ARMS_DOWN, lambda: h.phase() == Phase.PLAYING)
    played_from = now_ms()
    await h.camera(ARMS_DOWN, lambda: now_ms() > played_from + 3_000)
    times = [t for t, _ in h.screen.debug]
    assert len(times) >= 2
    gaps = [b - a for a, b in itertools.pairwise(times)]
    assert min(gaps) >= DEBUG_EVERY_MS
    assert max(gaps) < DEBUG_EVERY_MS + 2 * FRAME_S * 1000.0  # and no less often
    # The bridge's figures are asked for only when the panel is refreshed.
    assert h.bridge.count("stats") == len(times)
    text = h.screen.debug[-1][1]
    assert "backend wasm in worker, 1 thread(s)" in text
    assert "25.0 frames/s" in text and "phase playing" in text
    assert h.bridge.count("publishView") > 4 * len(times)  # rendered far more often
    await h.stop()


@scenario
async def test_without_debug_the_panel_stays_hidden_and_no_figures_are_asked() -> None:
    h = Harness()
    h.start()
    await h.play_to(Phase.PLAYING)
    assert h.screen.debug == [] and h.bridge.count("stats") == 0
    await h.stop()


# --- Start pressed on the loading screen (js/loading-screen.js) ----------------------


@scenario
async def test_start_pressed_while_python_loaded_begins_the_game_with_its_choices() -> None:
    h = Harness()
    h.bridge.early_start = EarlyStart(seated=False, photos=True)
    h.start()
    await h.frame_wanted()  # no start screen in between: the camera is watched
    assert h.phase() == Phase.FRAMING
    assert h.screen.photos_ticked()
    assert h.bridge.count("openCamera") == 1
    await h.stop()


@scenario
async def test_without_an_early_start_the_start_screen_waits_for_the_visitor() -> None:
    h = Harness()
    h.start()
    await asyncio.sleep(5.0)
    assert h.phase() == Phase.IDLE and h.bridge.count("openCamera") == 0
    assert not h.screen.photos_ticked()
    await h.stop()


@scenario
async def test_a_kiosk_never_takes_an_early_start() -> None:
    h = Harness("?kiosk=1")
    h.bridge.early_start = EarlyStart(photos=True)
    h.start()
    await h.frame_wanted()
    assert h.phase() == Phase.IDLE  # the attract screen, waiting for a visitor
    assert h.bridge.early_start is not None  # never asked
    await h.stop()
