"""Fakes of the browser for the shell's CPython tests (see web/py/shell/ports.py).

Time is virtual: :func:`run_virtual` runs a coroutine on an asyncio event
loop whose clock jumps straight to the next timer instead of waiting for it,
so the loop's ``asyncio.sleep`` (the kiosk's five-second retries) and
``wait_for`` (the idle ticks) cost no real time, and the fake bridge's
``now()`` reads that same clock, as the page's ``performance.now()`` would.
"""

from __future__ import annotations

import asyncio
import json
import selectors
import threading
from collections import deque
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any, TypeVar

from shell.presenter import Screen

T = TypeVar("T")
START_MS = 1_000.0  # the page's clock when a test begins


class Deadlock(RuntimeError):
    """Every task waits for something no timer will ever bring."""


class _VirtualClock(selectors.DefaultSelector):
    """A selector that never blocks: waiting for ``timeout`` moves the clock on."""

    def __init__(self) -> None:
        super().__init__()
        self.now_s = 0.0

    def select(self, timeout: float | None = None) -> list[tuple[selectors.SelectorKey, int]]:
        if timeout is None:
            raise Deadlock("every task waits and no timer is set")
        self.now_s += max(timeout, 0.0)
        return super().select(0)


class VirtualTimeLoop(asyncio.SelectorEventLoop):
    def __init__(self) -> None:
        self._clock = _VirtualClock()
        super().__init__(self._clock)

    def time(self) -> float:
        return self._clock.now_s


def run_virtual(coroutine: Coroutine[Any, Any, T]) -> T:
    """Run ``coroutine`` on virtual time; tasks it left running are cancelled.

    In a thread of its own: in the same pytest session the browser tests'
    Playwright (its sync API) keeps an event loop running on the main thread,
    and asyncio allows one running loop per thread."""
    outcome: list[T] = []
    failure: list[BaseException] = []

    def run() -> None:
        try:
            outcome.append(_run_virtual(coroutine))
        except BaseException as error:  # re-raised in the test's own thread
            failure.append(error)

    thread = threading.Thread(target=run, name="virtual-time")
    thread.start()
    thread.join()
    if failure:
        raise failure[0]
    return outcome[0]


def _run_virtual(coroutine: Coroutine[Any, Any, T]) -> T:
    loop = VirtualTimeLoop()
    try:
        return loop.run_until_complete(coroutine)
    finally:
        left = asyncio.all_tasks(loop)
        for task in left:
            task.cancel()
        if left:
            loop.run_until_complete(_finish(left))
        loop.close()


async def _finish(tasks: set[asyncio.Task[Any]]) -> None:
    await asyncio.gather(*tasks, return_exceptions=True)


def now_ms() -> float:
    """The page's clock: the running loop's virtual time, in ms from START_MS."""
    return START_MS + asyncio.get_running_loop().time() * 1000.0


# --- what the bridge's promises resolve to -------------------------------------


@dataclass
class Outcome:
    ok: bool = True
    code: str = ""
    message: str = ""


def failed(code: str, message: str = "it failed") -> Outcome:
    return Outcome(ok=False, code=code, message=message)


@dataclass
class Keypoints:
    values: list[float]

    def to_py(self) -> list[float]:
        return self.values


@dataclass
class Frame:
    kind: str
    t_ms: float
    keypoints: Keypoints = field(default_factory=lambda: Keypoints([]))
    width: int = 640
    height: int = 640
    code: str = ""
    message: str = ""


def pose_frame(pose: Any, t_ms: float) -> Frame:
    """A detection of ``pose`` ((17, 3) pixels) in a frame captured at ``t_ms``."""
    return Frame("pose", t_ms, Keypoints([float(v) for v in pose.reshape(-1)]))


@dataclass
class DetectorStats:
    backend: str = "wasm"
    detector: str = "worker"
    threads: int = 1
    measured: str = '{"wasm": 30.1}'
    fps: float = 25.0
    inference_ms: float = 33.0
    python_ms: float = 1.5
    tensors: int = 180


@dataclass
class LocalPack:
    ok: bool
    text: str = ""
    images: str = "{}"
    message: str = ""


class EarlyBytes:
    """A Uint8Array as Pyodide hands it over."""

    def __init__(self, data: bytes) -> None:
        self.data = data

    def to_bytes(self) -> bytes:
        return self.data


@dataclass
class EarlyAnswer:
    """js/early-fetch.js's answer: status 0 when the page's request failed."""

    status: int
    text: str = ""
    bytes: EarlyBytes = field(default_factory=lambda: EarlyBytes(b""))


@dataclass
class EarlyStart:
    seated: bool = False
    photos: bool = False


class FakeBridge:
    """poseBridge (ports.PoseBridge), run by the test.

    Every call but ``now()`` is recorded in ``calls`` as ``(name, *args)``.
    ``nextFrame`` answers as js/bridge.js and js/pose-pipeline.js do: an
    error while the camera is closed, else a frame the test delivered and
    Python has not taken yet, else the next one the test delivers,
    ``{kind: "wake"}`` when ``wake()`` comes first, or ``{kind: "timeout"}``
    after ``timeout_ms`` of the virtual clock.
    ``camera`` and ``restarts`` are the answers to come of openCamera and
    restartModel (ok once they run out).
    """

    def __init__(self) -> None:
        self.calls: list[tuple[Any, ...]] = []
        self.pythonStarted = False
        self.camera: deque[Outcome] = deque()
        self.restarts: deque[Outcome] = deque()
        self.model = Outcome(ok=True)
        self.local_packs: dict[str, LocalPack] = {}
        self.early_answers: dict[str, EarlyAnswer] = {}  # what the page asked before Python ran
        self.early_start: EarlyStart | None = None  # Start pressed on the loading screen
        self.camera_is_open = False
        self.ready: Frame | None = None  # delivered, not taken yet
        self.waiter: asyncio.Future[Frame] | None = None
        self.asked = asyncio.Event()  # set while a nextFrame waits for its answer
        self.retry_handler: object = None  # what create_proxy made: here, the callable
        self.view_source: object = None
        self.stats_records: dict[str, Any] = {}

    def _record(self, *call: Any) -> None:
        self.calls.append(call)

    def called(self, name: str) -> list[tuple[Any, ...]]:
        return [call for call in self.calls if call[0] == name]

    def count(self, name: str) -> int:
        return len(self.called(name))

    # --- the test's side ----------------------------------------------------

    def deliver(self, frame: Frame) -> None:
        """The detector's result for a frame: to the waiting nextFrame, or kept
        for the next one (a newer result replaces one not taken yet)."""
        if self.waiter is not None:
            self._answer(frame)
        else:
            self.ready = frame

    # --- ports.PoseBridge ------------------------------------------------------

    def now(self) -> float:
        return now_ms()

    def setStage(self, name: str, status: str) -> None:
        self._record("setStage", name, status)

    def showError(self, code: str, detail: str) -> None:
        self._record("showError", code, detail)

    async def loadModel(self, backend: str, mode: str) -> Outcome:
        self._record("loadModel", backend, mode)
        return self.model

    async def restartModel(self) -> Outcome:
        self._record("restartModel", self.now())
        return self.restarts.popleft() if self.restarts else Outcome(ok=True)

    async def openCamera(self) -> Outcome:
        self._record("openCamera", self.now())
        outcome = self.camera.popleft() if self.camera else Outcome(ok=True)
        self.camera_is_open = outcome.ok
        return outcome

    def closeCamera(self) -> None:
        self._record("closeCamera")
        self.camera_is_open = False
        self.ready = None
        self._answer(Frame("timeout", self.now()))

    async def nextFrame(self, timeout_ms: float) -> Frame:
        self._record("nextFrame")
        if not self.camera_is_open:
            return Frame("error", self.now(), code="camera-failed", message="camera not open")
        if self.ready is not None:
            frame, self.ready = self.ready, None
            return frame
        self._answer(Frame("wake", self.now()))  # one caller at a time
        loop = asyncio.get_running_loop()
        waiter: asyncio.Future[Frame] = loop.create_future()
        self.waiter = waiter
        timer = loop.call_later(
            timeout_ms / 1000.0, lambda: self._answer(Frame("timeout", self.now()))
        )
        self.asked.set()
        try:
            return await waiter
        finally:
            timer.cancel()

    def _answer(self, frame: Frame) -> None:
        """Answer the waiting nextFrame, if any."""
        waiter, self.waiter = self.waiter, None
        self.asked.clear()
        if waiter is not None and not waiter.done():
            waiter.set_result(frame)

    def wake(self) -> None:
        self._record("wake")
        self._answer(Frame("wake", self.now()))

    def setBones(self, bones_json: str) -> None:
        self._record("setBones", json.loads(bones_json))

    def setOverlayStyle(self, colours_json: str, min_score: float) -> None:
        self._record("setOverlayStyle", json.loads(colours_json), min_score)

    def paintOverlay(self) -> None:
        self._record("paintOverlay")

    def drawTarget(
        self, canvas_id: str, keypoints_json: str, width: float, height: float, colour: str
    ) -> None:
        self._record("drawTarget", canvas_id, json.loads(keypoints_json), width, height, colour)

    def publishView(self, work_ms: float) -> None:
        self._record("publishView", self.now(), work_ms)

    def retry(self, code: str) -> None:
        """The error screen's retry button (js/boot.js calls the handler)."""
        assert callable(self.retry_handler), "Python set no retry handler"
        self.retry_handler(code)

    def setViewSource(self, source: object) -> None:
        self._record("setViewSource")
        self.view_source = source

    def setRetryHandler(self, handler: object) -> None:
        self._record("setRetryHandler")
        self.retry_handler = handler

    def enterKioskMode(self) -> None:
        self._record("enterKioskMode")

    def reloadPage(self) -> None:
        self._record("reloadPage", self.now())

    def stats(self) -> DetectorStats:
        self._record("stats", self.now())
        return DetectorStats()

    def takeEarlyFetch(self, path: str) -> Awaitable[EarlyAnswer] | None:
        answer = self.early_answers.pop(path, None)  # each answer is taken once
        if answer is None:
            return None
        self._record("takeEarlyFetch", path)
        future: asyncio.Future[EarlyAnswer] = asyncio.get_running_loop().create_future()
        future.set_result(answer)
        return future

    async def takeEarlyStart(self) -> EarlyStart | None:
        early, self.early_start = self.early_start, None
        return early

    async def loadLocalPack(self, pack_id: str) -> LocalPack:
        self._record("loadLocalPack", pack_id)
        return self.local_packs.get(pack_id, LocalPack(ok=False, message="no such pack"))

    # souvenir.SouvenirPage
    def souvenirBegin(self, photos: bool) -> None:
        self._record("souvenirBegin", photos)

    def souvenirKeep(self, slot: int, t_ms: float) -> None:
        self._record("souvenirKeep", slot, t_ms)

    def souvenirSeal(self, slot: int, t_ms: float) -> None:
        self._record("souvenirSeal", slot, t_ms)

    def souvenirCompose(self, picture_json: str, clip_json: str, kiosk: bool) -> None:
        self._record("souvenirCompose", kiosk)

    def souvenirErase(self) -> None:
        self._record("souvenirErase")

    # playstats.StatsPage
    def statsDay(self) -> str:
        return "2026-01-01"

    async def statsLoad(self, key: str) -> str:
        record = self.stats_records.get(key)
        return json.dumps({"ok": True, "record": record, "keys": list(self.stats_records)})

    async def statsSave(self, key: str, record_json: str, drop_json: str) -> str:
        self._record("statsSave", key)
        self.stats_records[key] = json.loads(record_json)
        return json.dumps({"ok": True, "message": ""})


class FakeScreen:
    """The page's screen (ports.GameScreen): what the loop showed, and the
    handlers it listens with, which the test calls as the visitor would."""

    def __init__(self) -> None:
        self.showing_error = False
        self.page_states: list[str] = []
        self.errors: list[tuple[str, str]] = []
        self.handlers: dict[tuple[str, str], list[Callable[[Any], None]]] = {}
        self.photos = False
        self.seated = False
        self.chosen: str | None = None
        self.stats_note: bool | None = None
        self.seated_choice: tuple[bool, bool] | None = None
        self.challenges: tuple[Any, ...] = ()
        self.artworks: list[str] = []
        self.attract: list[tuple[str, str]] = []
        self.debug: list[tuple[float, str]] = []  # (the page's clock, the panel's text)

    @property
    def page_state(self) -> str | None:
        return self.page_states[-1] if self.page_states else None

    def fire(self, element_id: str, kind: str = "click") -> None:
        handlers = self.handlers.get((element_id, kind))
        assert handlers, f"nothing listens to {kind} on #{element_id}"
        for handler in handlers:
            handler(object())

    # --- ports.GameScreen --------------------------------------------------------

    def apply(self, screen: Screen, picture_url: Callable[[str], str]) -> None:
        if self.page_state != screen.page_state or self.showing_error:
            self.page_states.append(screen.page_state)
        self.showing_error = False

    def show_error(self, code: str, detail: str) -> None:
        self.errors.append((code, detail))
        self.showing_error = True

    def leave_error(self) -> None:
        self.showing_error = False

    def on(self, element_id: str, kind: str, handler: Callable[[Any], None]) -> None:
        self.handlers.setdefault((element_id, kind), []).append(handler)

    def photos_ticked(self) -> bool:
        return self.photos

    def untick_photos(self) -> None:
        self.photos = False

    def tick_photos(self) -> None:
        self.photos = True

    def python_start(self) -> str:
        return "snapshot"

    def show_stats_note(self, shown: bool) -> None:
        self.stats_note = shown

    def show_seated_choice(self, offered: bool, ticked: bool) -> None:
        self.seated_choice = (offered, ticked)
        self.seated = ticked

    def seated_ticked(self) -> bool:
        return self.seated

    def show_challenges(
        self, challenges: tuple[Any, ...], current_url: str, seated: bool, words: Any
    ) -> None:
        self.challenges = challenges
        self.chosen = current_url

    def chosen_challenge(self) -> str | None:
        return self.chosen

    def show_artwork(self, url: str) -> None:
        self.artworks.append(url)

    def show_attract(self, url: str, alt: str) -> None:
        self.attract.append((url, alt))

    def show_debug(self, text: str) -> None:
        self.debug.append((now_ms(), text))


@dataclass
class Response:
    status: int
    body: bytes = b""

    @property
    def ok(self) -> bool:
        return 200 <= self.status < 300

    async def string(self) -> str:
        return self.body.decode()

    async def bytes(self) -> bytes:
        return self.body


class FakeFetch:
    """pyfetch over a dict of files: a missing one answers 404; an exception
    in ``files`` is raised, as a network error would be."""

    def __init__(self, files: dict[str, bytes | str | Exception] | None = None) -> None:
        self.files = dict(files or {})
        self.asked: list[tuple[str, str]] = []

    async def __call__(self, url: str, *, cache: str) -> Response:
        self.asked.append((url, cache))
        body = self.files.get(url)
        if isinstance(body, Exception):
            raise body
        if body is None:
            return Response(404)
        return Response(200, body.encode() if isinstance(body, str) else body)


def identity_proxy(function: Callable[..., Any]) -> Callable[..., Any]:
    """create_proxy: in CPython, JavaScript's handle on a callable is the callable."""
    return function


# --- a page's DOM, just enough for dom.DomScreen ------------------------------------


class Namespace:
    """A DOM object's open-ended properties (dataset, style): absent ones read as None."""

    def __getattr__(self, name: str) -> Any:
        return None

    def __setattr__(self, name: str, value: Any) -> None:
        object.__setattr__(self, name, value)


class FakeElement:
    def __init__(self, element_id: str = "", tag: str = "div") -> None:
        self.id = element_id
        self.tag = tag
        self.dataset = Namespace()
        self.style = Namespace()
        self.attributes: dict[str, str] = {}
        self.children: list[FakeElement] = []
        self.parentElement: FakeElement | None = None
        self.textContent = ""
        self.lang = ""
        self.dir = ""
        self.hidden = False
        self.checked = False
        self.value = ""

    def setAttribute(self, name: str, value: str) -> None:
        self.attributes[name] = value

    def getAttribute(self, name: str) -> str | None:
        return self.attributes.get(name)

    def appendChild(self, child: FakeElement) -> None:
        self.children.append(child)
        child.parentElement = self

    def replaceChildren(self) -> None:
        self.children = []

    def contains(self, other: object) -> bool:
        return other is self or any(child.contains(other) for child in self.children)

    def querySelectorAll(self, selector: str) -> list[FakeElement]:
        return []


class FakeEvent:
    def initEvent(self, kind: str, bubbles: bool, cancelable: bool) -> None:
        self.type = kind


class FakeDocument:
    """Every id exists (index.html's are checked by the e2e tests)."""

    def __init__(self) -> None:
        self.body = FakeElement("body", "body")
        self.body.dataset.state = "loading"
        self.documentElement = FakeElement("html", "html")
        self.activeElement: FakeElement = self.body
        self.elements: dict[str, FakeElement] = {}
        self.events: list[str] = []

    def getElementById(self, element_id: str) -> FakeElement:
        if element_id not in self.elements:
            element = FakeElement(element_id)
            FakeElement("parent").appendChild(element)
            self.elements[element_id] = element
        return self.elements[element_id]

    def createElement(self, tag: str) -> FakeElement:
        return FakeElement(tag=tag)

    def querySelectorAll(self, selector: str) -> list[FakeElement]:
        return []

    def querySelector(self, selector: str) -> FakeElement | None:
        return None

    def createEvent(self, kind: str) -> FakeEvent:
        return FakeEvent()

    def dispatchEvent(self, event: FakeEvent) -> None:
        self.events.append(event.type)


class Listeners:
    """pyodide.ffi.wrappers.add_event_listener: (element, kind) -> listeners."""

    def __init__(self) -> None:
        self.added: dict[tuple[str, str], list[Callable[[Any], None]]] = {}

    def __call__(self, element: FakeElement, kind: str, listener: Callable[[Any], None]) -> None:
        self.added.setdefault((element.id, kind), []).append(listener)

    def fire(self, element_id: str, kind: str = "click") -> None:
        for listener in self.added[(element_id, kind)]:
            listener(FakeEvent())
