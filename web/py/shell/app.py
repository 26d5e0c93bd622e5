"""The game loop: the pure core between the page's screen and the JS bridge.

It owns the clock: every step of the core gets ``now_ms`` on the page's
``performance.now()`` clock: a camera frame's capture time (the bridge's
``t_ms``), or the bridge's ``now()`` for a button press or a tick.

The loop waits for the next analysed camera frame, and wakes at once when a
button is pressed (``bridge.wake()``), so a press reaches the screen on the
next paint, not after the next frame; Skip and Next are even stepped in the
press's own task.  The detector analyses the next frame while Python handles
this one; a frame captured before a step that already happened (a press, a
tick) is dropped, since the clock must not go backwards.

The browser comes in through shell/ports.py (the bridge, the screen, the
fetches, ``create_proxy``): the CPython unit tests drive this loop with fakes
(tests/unit/test_shell_loop.py).  shell/startup.py loads what it plays.
"""

from __future__ import annotations

import asyncio
import contextlib
import json
import posixpath

from strike_a_pose import (
    Event,
    GameConfig,
    GameState,
    LevelPack,
    Next,
    NoPerson,
    Phase,
    PlayAgain,
    Pose,
    PoseError,
    PoseSeen,
    ReadingRules,
    Reset,
    SetSeated,
    Skip,
    Start,
    Tick,
    get_difficulty,
    new_game,
    plays_seated,
    pose_from_flat,
    step,
)

from .challenges import Challenge
from .i18n import Words
from .loading import Loader, PackLoadError
from .options import Options
from .playstats import StatsFlow
from .ports import CreateProxy, Frame, GameScreen, PoseBridge
from .render import Renderer
from .souvenir import SouvenirFlow

FRAME_TIMEOUT_MS = 500  # no camera frame for this long: step a Tick instead
KIOSK_RETRY_S = 5.0  # kiosk: a failed camera is retried this often, untouched
KIOSK_MODEL_FAILURES = 3  # kiosk: this many model failures in a row reload the page
# Kiosk timings: a visitor who walks away mid-game frees the kiosk after
# ABANDON_MS; the results (the gallery and the souvenir) stay up RESULTS_MS.
KIOSK_ABANDON_MS = 8_000.0
KIOSK_RESULTS_MS = 15_000.0
# Presses handled at once, in their own task: the phase they apply in and the event.
INSTANT_REQUESTS: dict[str, tuple[Phase, type[Skip] | type[Next]]] = {
    "skip": (Phase.PLAYING, Skip),
    "next": (Phase.LEVEL_CLEARED, Next),
}
IDLE_TICK_S = 0.25  # how often the start screen steps while waiting for a visitor


def game_config(options: Options, pack: LevelPack) -> GameConfig:
    """The rules a game of ``pack`` is played by, on this device."""
    # The story's reading time: the pack's bounds, then the museum's.
    reading = ReadingRules()
    if pack.reading_seconds is not None:
        reading = reading.with_bounds(*pack.reading_seconds)
    reading = reading.with_bounds(options.reading_min, options.reading_max)
    if options.kiosk:
        return GameConfig(
            total_ms=options.seconds * 1000.0,
            reading=reading,
            auto_start=True,
            abandon_ms=KIOSK_ABANDON_MS,
            results_ms=KIOSK_RESULTS_MS,
        )
    # On the visitor's own device the results (and the souvenir) stay
    # until the visitor plays again.
    return GameConfig(total_ms=options.seconds * 1000.0, reading=reading, results_ms=0.0)


class Game:
    """Holds the game state and feeds it camera frames and button presses."""

    def __init__(
        self,
        bridge: PoseBridge,
        screen: GameScreen,
        loader: Loader,
        create_proxy: CreateProxy,
        pack: LevelPack,
        pack_url: str,
        options: Options,
        pictures: dict[str, str] | None = None,
        words: Words | None = None,
        challenges: tuple[Challenge, ...] = (),
    ) -> None:
        self.bridge = bridge
        self.screen = screen
        self.loader = loader  # another pack, when the visitor picks another challenge
        self.options = options
        self.words = words or Words()
        self.challenges = challenges  # the packs the start screen offers (none: no choice)
        self.difficulty = get_difficulty(options.difficulty)
        self.renderer = Renderer(
            bridge,
            screen,
            options,
            self.words,
            self.difficulty.confidence_floor,
            self.picture_url,
        )
        self._load_pack(pack, pack_url, pictures or {}, seated=options.seated)
        self.souvenir = SouvenirFlow(
            page=bridge,
            photos_wanted=screen.photos_ticked,
            forget_choice=screen.untick_photos,
            picture_url=self.picture_url,
            words=self.words,
            kiosk=options.kiosk,
            museum=options.museum,
        )
        # Anonymous play statistics, kept on this device when they are on.
        self.stats = StatsFlow(page=bridge, enabled=options.stats)
        screen.show_stats_note(options.stats)
        # "start" | "again" | "retry" | "seated" | "challenge" (Skip, Next: INSTANT_REQUESTS)
        self.requests: list[str] = []
        self.wake = asyncio.Event()
        self.camera_open = False
        self.model_failures = 0  # in a row, without a good frame between them
        self.model_broken = False  # the detector failed: restart it before playing on
        self.last_pose: Pose | None = None  # the last detection as received, for tests
        self._listen()
        self._retry = create_proxy(lambda code: self._request("retry"))
        bridge.setRetryHandler(self._retry)
        # The page pulls the view as JSON only when something asks for it
        # (tests, benchmarks): encoding it every frame cost more than the rest
        # of the page update.
        self._view_source = create_proxy(self.view_json)
        bridge.setViewSource(self._view_source)
        self._show_choices()

    def _listen(self) -> None:
        """The page's buttons and choices become requests."""
        self._on_click("start-button", "start")
        self._on_click("again-button", "again")
        self._on_click("skip-button", "skip")
        # After a match: the Next button, or a tap anywhere on the game
        # screen (a phone), goes on; only a tap made during the story
        # counts, so a tap meant for the level cannot skip the story.
        self._on_click("screen-game", "next", only_in=Phase.LEVEL_CLEARED)
        self.screen.on("seated-toggle", "change", lambda event: self._request("seated"))
        self.screen.on("challenge-list", "change", lambda event: self._request("challenge"))

    def _on_click(self, element_id: str, request: str, only_in: Phase | None = None) -> None:
        def clicked(event: object) -> None:
            if only_in is None or self.state.phase == only_in:
                self._request(request)

        self.screen.on(element_id, "click", clicked)

    def _load_pack(
        self, pack: LevelPack, pack_url: str, pictures: dict[str, str], seated: bool
    ) -> None:
        """Play ``pack`` from now on: a new game of it, on the start screen."""
        self.pack = pack
        self.pack_url = pack_url
        self.pack_dir = posixpath.dirname(pack_url)
        self.pictures = pictures  # a local pack's pictures, by name
        config = game_config(self.options, pack)
        self.state: GameState = new_game(pack, config, self.difficulty, language=self.options.lang)
        if seated and plays_seated(pack):
            self.state = step(self.state, SetSeated(True), self.bridge.now())
        self.renderer.forget_pack()

    def _show_choices(self) -> None:
        """The start screen's choices as they stand: seated play, the challenges.
        A choice the visitor has just made and Python has not handled yet is
        left as the visitor set it."""
        pending = self.requests
        if "seated" not in pending:
            offer_seated = self.options.seated_choice and plays_seated(self.pack)
            self.screen.show_seated_choice(offer_seated, self.state.seated)
        if "challenge" not in pending:
            self.screen.show_challenges(
                self.challenges, self.pack_url, self.state.seated, self.words
            )

    def _step(self, event: Event, now_ms: float) -> None:
        """Step the core, and let the souvenir and the statistics follow the game."""
        before = self.state
        self.state = step(before, event, now_ms)
        self.souvenir.update(before, self.state)
        self.stats.update(before, self.state, now_ms)
        if self.options.kiosk and before.phase != Phase.IDLE and self.state.phase == Phase.IDLE:
            # The next visitor chooses anew: seated play back to the museum's default.
            self._set_seated(self.options.seated, now_ms)

    def _set_seated(self, seated: bool, now_ms: float) -> None:
        """Seated play on or off (on the start screen only)."""
        if not self.options.seated_choice:
            seated = self.options.seated  # the museum decides, not the visitor
        seated = seated and plays_seated(self.pack)
        if self.state.phase == Phase.IDLE and seated != self.state.seated:
            self.state = step(self.state, SetSeated(seated), now_ms)
        self._show_choices()

    async def _choose_challenge(self) -> None:
        """The visitor picked another pack on the start screen: play it."""
        url = self.screen.chosen_challenge()
        if url is None or url == self.pack_url or self.state.phase != Phase.IDLE:
            self._show_choices()
            return
        try:
            pack, pictures = await self.loader.fetch_pack(url)
        except PackLoadError as error:
            self._show_choices()
            self.screen.show_error("levels-invalid", str(error))
            return
        self._load_pack(pack, url, pictures, seated=self.state.seated)
        self._show_choices()

    def _request(self, request: str) -> None:
        if request in INSTANT_REQUESTS:
            self._instant(request)
            return
        self.requests.append(request)
        self.wake.set()
        self.bridge.wake()  # a pending nextFrame returns at once

    def _instant(self, request: str) -> None:
        """Skip and Next need nothing to wait for (no camera, no model), so
        they are stepped and shown right here, in the press's own task: the
        next paint shows them.  The loop is paused at an await meanwhile, and
        drops the frame in flight, captured before the press.  A stale press
        (a double tap, a tap after the phase moved on) does nothing."""
        phase, event = INSTANT_REQUESTS[request]
        if self.state.phase != phase:
            return
        now_ms = self.bridge.now()
        self._step(event(), now_ms)
        self.render(now_ms)

    async def run(self) -> None:
        early = None if self.options.kiosk else await self.bridge.takeEarlyStart()
        if early is not None:
            # Start was pressed while Python loaded, and the camera is open:
            # the game begins now (no start screen in between), with the
            # choices the visitor made beside that Start.
            if early.photos:
                self.screen.tick_photos()
            else:
                self.screen.untick_photos()
            self._set_seated(bool(early.seated), self.bridge.now())
            self._request("start")
        else:
            self.render(self.bridge.now())
        if self.options.kiosk:
            self.bridge.enterKioskMode()
            await self._kiosk_camera()
        while True:
            await self._handle_requests()
            # A kiosk watches for visitors on the attract screen; otherwise the
            # camera is only used once the visitor has pressed start.
            watching = self.options.kiosk or self.state.phase != Phase.IDLE
            if not (self.camera_open and watching):
                await self._idle()
                continue
            frame = await self.bridge.nextFrame(FRAME_TIMEOUT_MS)
            kind = str(frame.kind)
            if kind == "wake":
                continue  # a button was pressed: handle it first
            if kind == "error":
                await self._frame_error(str(frame.code), str(frame.message))
                continue
            now_ms = float(frame.t_ms)
            if self.state.now_ms is not None and now_ms < self.state.now_ms:
                continue  # captured before a press or tick that is already stepped
            self.renderer.frame_taken()
            if kind != "timeout":
                self.model_failures = 0
            if kind in ("pose", "none"):
                self.souvenir.camera_size = (int(frame.width), int(frame.height))
            self._step(self._event(kind, frame), now_ms)
            self.render(now_ms)

    async def _kiosk_camera(self) -> None:
        """Kiosk watchdog: keep trying the camera, untouched, until it opens."""
        while not await self._open_camera():
            await asyncio.sleep(KIOSK_RETRY_S)
        self.screen.leave_error()
        self.render(self.bridge.now())

    async def _frame_error(self, code: str, message: str) -> None:
        self.fail(code, message)
        model_failed = code.startswith("model-")
        if model_failed:
            # A crashed or hung detector: restarted before the next game
            # (by a retry, or here by the kiosk's watchdog).
            self.model_broken = True
        if not self.options.kiosk:
            return  # the visitor reads the screen and presses retry
        if model_failed:
            self.model_failures += 1
            if self.model_failures >= KIOSK_MODEL_FAILURES:
                self.bridge.reloadPage()
                return
        await asyncio.sleep(KIOSK_RETRY_S)
        problem = await self._restart_model()
        if problem is not None:
            await self._frame_error(*problem)
            return
        await self._kiosk_camera()

    async def _restart_model(self) -> tuple[str, str] | None:
        """A fresh detector (a new worker) if the last one failed.  None when
        it is ready; else why not, as (code, message), already on the screen."""
        if not self.model_broken:
            return None
        result = await self.bridge.restartModel()
        if not result.ok:
            self.fail(str(result.code), str(result.message))
            return str(result.code), str(result.message)
        self.model_broken = False
        return None

    def _event(self, kind: str, frame: Frame) -> PoseSeen | NoPerson | Tick:
        if kind == "none":
            return NoPerson()
        if kind != "pose":
            return Tick()
        try:
            pose = pose_from_flat(frame.keypoints.to_py(), frame.width, frame.height)
        except PoseError as error:
            # A malformed detection is dropped, not fatal: the hold's grace covers it.
            print(f"dropped a detection: {error}")
            return NoPerson()
        self.last_pose = pose
        return PoseSeen(pose)

    async def _idle(self) -> None:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.wake.wait(), IDLE_TICK_S)
        now_ms = self.bridge.now()
        self._step(Tick(), now_ms)
        self.render(now_ms)

    async def _handle_requests(self) -> None:
        self.wake.clear()
        while self.requests:
            request = self.requests.pop(0)
            phase = self.state.phase
            if request == "seated":
                self._set_seated(self.screen.seated_ticked(), self.bridge.now())
                self.render(self.bridge.now())
                continue
            if request == "challenge":
                await self._choose_challenge()
                self.render(self.bridge.now())
                continue
            if request in ("start", "retry") and phase == Phase.IDLE:
                event: Start | PlayAgain = Start()
            elif request == "again" and phase == Phase.RESULTS:
                event = PlayAgain()
            else:
                continue  # a stale press (e.g. a double tap): nothing to do
            if await self._restart_model() is not None:
                continue  # the error screen says so; the visitor may retry again
            if await self._open_camera():
                self._step(event, self.bridge.now())
            self.render(self.bridge.now())

    async def _open_camera(self) -> bool:
        if self.camera_open:
            return True
        result = await self.bridge.openCamera()
        if not result.ok:
            self.fail(str(result.code), str(result.message))
            return False
        self.camera_open = True
        return True

    def fail(self, code: str, detail: str) -> None:
        """Show an error screen; the game goes back to the start, camera closed."""
        self.bridge.closeCamera()
        self.camera_open = False
        self._step(Reset(), self.bridge.now())
        self.renderer.forget_level()
        self.screen.show_error(code, detail)

    def render(self, now_ms: float) -> None:
        self.renderer.render(self.state, now_ms)

    def view_json(self, what: str) -> str:
        """``"view"``: the game view as last rendered; ``"pose"``: the last
        detection as ``[[x, y, score], ...]`` (or null), as JSON."""
        if what == "pose":
            return json.dumps(None if self.last_pose is None else self.last_pose.tolist())
        return json.dumps(self.state.to_view(self.renderer.last_render_ms))

    def picture_url(self, name: str) -> str:
        return self.pictures.get(name) or posixpath.join(self.pack_dir, name)
