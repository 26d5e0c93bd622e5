"""What the shell needs from the browser, as types: the JS bridge, the page's
screen, HTTP fetches, and the proxies that let JavaScript call Python.

``web/py/main.py`` is the one module that imports ``js`` and ``pyodide``: it
hands the real objects in (:class:`Browser`).  Every other shell module
reaches the browser only through these protocols, so the CPython unit tests
drive the shell with fakes (tests/unit/shell_fakes.py).

JavaScript values arrive as Pyodide proxies: a JS object's properties read as
Python ``str``, ``float``, ``int`` and ``bool``, and a promise is awaitable.
"""

from __future__ import annotations

from collections.abc import Awaitable, Callable, Sequence
from dataclasses import dataclass
from typing import Any, Protocol

from .challenges import Challenge
from .i18n import Words
from .playstats import StatsPage
from .presenter import Screen
from .souvenir import SouvenirPage

# A Python callable made callable from JavaScript (pyodide.ffi.create_proxy).
# Python only hands it on to the bridge.
JsFunction = object
CreateProxy = Callable[[Callable[..., Any]], JsFunction]
# pyodide.ffi.wrappers.add_event_listener(element, "click", listener): it
# keeps the listener's proxy alive as long as the page.
AddEventListener = Callable[[Any, str, Callable[[Any], None]], None]


class Outcome(Protocol):
    """What openCamera, loadModel and restartModel resolve to."""

    ok: bool
    code: str  # when not ok: an error screen's code (index.html), e.g. "camera-denied"
    message: str  # when not ok: the details, for staff


class Keypoints(Protocol):
    """MoveNet's 51 numbers (a Float32Array): x, y, score for each keypoint."""

    def to_py(self) -> Sequence[float]: ...


class Frame(Protocol):
    """What nextFrame resolves to (js/pose-pipeline.js, ``Frame``).

    ``kind`` is "pose" (``keypoints``, ``width``, ``height``), "none" (nobody
    seen; ``width``, ``height``), "timeout", "wake" (a request is waiting) or
    "error" (``code``, ``message``); ``t_ms`` is the capture time of the
    camera frame, on the page's ``now()`` clock."""

    kind: str
    t_ms: float
    width: int
    height: int
    code: str
    message: str

    @property
    def keypoints(self) -> Keypoints: ...


class DetectorStats(Protocol):
    """Figures for the debug panel (js/probe.js, ``Stats``)."""

    backend: str
    detector: str
    threads: int
    measured: str
    fps: float
    inference_ms: float
    python_ms: float
    tensors: int


class LocalPack(Protocol):
    """A pack saved on this device (js/local-packs.js, ``loadPackForGame``)."""

    ok: bool
    text: str  # the pack's JSON
    images: str  # JSON: its picture names -> data: URLs
    message: str  # when not ok: why


class LocalPacks(Protocol):
    def loadLocalPack(self, pack_id: str) -> Awaitable[LocalPack]: ...


class EarlyAnswer(Protocol):
    """The page's answer to a request it made before Python ran
    (js/early-fetch.js): ``status`` 0 when that request failed."""

    status: int
    text: str
    bytes: Any  # a catalogue's bytes (a Uint8Array: ``to_bytes()``)


class EarlyFetches(Protocol):
    def takeEarlyFetch(self, path: str) -> Awaitable[EarlyAnswer] | None: ...


class EarlyStart(Protocol):
    """Start pressed on the loading screen, with the choices made beside it."""

    seated: bool
    photos: bool


class PoseBridge(SouvenirPage, StatsPage, LocalPacks, EarlyFetches, Protocol):
    """Everything Python calls on ``poseBridge`` (web/js/bridge.js), and nothing else."""

    pythonStarted: bool  # boot.js stops waiting for Python once it is set

    def setStage(self, name: str, status: str) -> None: ...
    def showError(self, code: str, detail: str) -> None: ...
    def now(self) -> float: ...
    def loadModel(self, backend: str, mode: str) -> Awaitable[Outcome]: ...
    def restartModel(self) -> Awaitable[Outcome]: ...
    def openCamera(self) -> Awaitable[Outcome]: ...
    def closeCamera(self) -> None: ...
    def nextFrame(self, timeout_ms: float) -> Awaitable[Frame]: ...
    def wake(self) -> None: ...
    def setBones(self, bones_json: str) -> None: ...
    def setOverlayStyle(self, colours_json: str, min_score: float) -> None: ...
    def paintOverlay(self) -> None: ...
    def drawTarget(
        self, canvas_id: str, keypoints_json: str, width: float, height: float, colour: str
    ) -> None: ...
    def publishView(self, work_ms: float) -> None: ...
    def setViewSource(self, source: JsFunction) -> None: ...
    def setRetryHandler(self, handler: JsFunction) -> None: ...
    def enterKioskMode(self) -> None: ...
    def reloadPage(self) -> None: ...
    def stats(self) -> DetectorStats: ...
    def takeEarlyStart(self) -> Awaitable[EarlyStart | None]: ...


class Response(Protocol):
    """An HTTP response (pyodide.http.FetchResponse)."""

    @property
    def ok(self) -> bool: ...
    @property
    def status(self) -> int: ...

    async def string(self) -> str: ...
    async def bytes(self) -> bytes: ...


class Fetch(Protocol):
    """GET a URL relative to the page (pyodide.http.pyfetch)."""

    def __call__(self, url: str, *, cache: str) -> Awaitable[Response]: ...


class GameScreen(Protocol):
    """What the game loop does to the page (dom.DomScreen)."""

    showing_error: bool  # the error screen is up

    def apply(self, screen: Screen, picture_url: Callable[[str], str]) -> None: ...
    def show_error(self, code: str, detail: str) -> None: ...
    def leave_error(self) -> None: ...
    def on(self, element_id: str, kind: str, handler: Callable[[Any], None]) -> None: ...
    def photos_ticked(self) -> bool: ...
    def untick_photos(self) -> None: ...
    def tick_photos(self) -> None: ...
    def python_start(self) -> str: ...
    def show_stats_note(self, shown: bool) -> None: ...
    def show_seated_choice(self, offered: bool, ticked: bool) -> None: ...
    def seated_ticked(self) -> bool: ...
    def show_challenges(
        self, challenges: tuple[Challenge, ...], current_url: str, seated: bool, words: Words
    ) -> None: ...
    def chosen_challenge(self) -> str | None: ...
    def show_artwork(self, url: str) -> None: ...
    def show_attract(self, url: str, alt: str) -> None: ...
    def show_debug(self, text: str) -> None: ...


@dataclass(frozen=True)
class Browser:
    """The browser, as main.py hands it to the shell."""

    bridge: PoseBridge  # poseBridge
    document: Any  # the page's document (for dom.DomScreen)
    fetch: Fetch  # pyodide.http.pyfetch
    create_proxy: CreateProxy  # pyodide.ffi.create_proxy
    add_event_listener: AddEventListener  # pyodide.ffi.wrappers.add_event_listener
    query: str  # location.search
    languages: tuple[str, ...]  # navigator.languages, the visitor's first
