"""Fixtures for the browser tests: a private copy of the web root with test
level packs, our own server on a free loopback port, and Debian's Chromium
with a real video as its fake camera.

Every test waits on state the page exposes (``<body data-state>``), never on
sleeps.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import BrowserContext, Page

from tests.e2e.helpers import with_hooks
from tests.e2e.packs import write_art_pack, write_impossible_pack, write_video_pack
from tools.chromium import CHROMIUM, fake_camera_args
from tools.local_server import LocalServer

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "web"
MEDIA = ROOT / ".cache" / "media"
ARTIFACTS = ROOT / "tests" / "e2e" / "artifacts"


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if "tests/e2e/" in str(item.fspath).replace(os.sep, "/"):
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session", autouse=True)
def _chromium_present() -> None:
    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} is missing: sudo apt-get install chromium (or set CHROMIUM)")


# Big pinned files, never written by a test: hard-linked into copies (25 MB).
LINKED_FOLDERS = (WEB / "vendor", WEB / "models")


def copy_web_root(destination: Path, leave_out: tuple[str, ...] = ()) -> Path:
    """A copy of web/ without ``leave_out``: tests write into it, never into web/.

    Our own files are copied (with their times, so that their pre-compressed
    copies stay valid); the pinned assets are hard-linked where possible.  A
    test that changes a linked file must replace it (unlink, then write).
    """

    def link_or_copy(source: str, target: str) -> None:
        if any(Path(source).is_relative_to(folder) for folder in LINKED_FOLDERS):
            try:
                os.link(source, target)
                return
            except OSError:
                pass
        shutil.copy2(source, target)

    ignore = shutil.ignore_patterns("__pycache__")
    shutil.copytree(WEB, destination, copy_function=link_or_copy, ignore=ignore)
    for relative in leave_out:
        (destination / relative).unlink()
    return destination


@pytest.fixture(scope="session")
def web_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = copy_web_root(tmp_path_factory.mktemp("web") / "web")
    write_video_pack(root / "levels" / "test-video")
    write_art_pack(root / "levels" / "test-art")
    write_impossible_pack(root / "levels" / "test-impossible")
    return root


@pytest.fixture(scope="session")
def server(web_root: Path) -> Iterator[LocalServer]:
    running = LocalServer(web_root)
    yield running
    running.stop()


@pytest.fixture(scope="session")
def start_server() -> Iterator[Callable[[Path], LocalServer]]:
    """Start extra servers (e.g. on a broken web root); all stopped at the end."""
    started: list[LocalServer] = []

    def start(root: Path) -> LocalServer:
        started.append(LocalServer(root))
        return started[-1]

    yield start
    for running in started:
        running.stop()


@dataclass(frozen=True)
class Camera:
    """The fake camera a test's Chromium has: ``.cache/media/<video>.y4m``
    (``None``: no camera device at all), its permission granted without
    asking unless ``auto_accept`` is false (the permission test)."""

    video: str | None = "poses"
    auto_accept: bool = True

    def chromium_args(self) -> list[str]:
        video = None if self.video is None else MEDIA / f"{self.video}.y4m"
        return fake_camera_args(video, self.auto_accept)


def with_camera(video: str | None, auto_accept: bool = True) -> pytest.MarkDecorator:
    """Mark a test to run in a Chromium whose camera plays ``video`` (see Camera).

    pytest-playwright launches one browser per distinct launch arguments
    (``browser_type_launch_args`` is session-scoped), and pytest runs the
    tests of one camera together."""
    camera = Camera(video, auto_accept)
    name = f"camera-{video}" + ("" if auto_accept else "-asks")
    return pytest.mark.parametrize(
        "browser_type_launch_args", [pytest.param(camera, id=name)], indirect=True
    )


@pytest.fixture(scope="session")
def browser_type_launch_args(
    pytestconfig: pytest.Config, request: pytest.FixtureRequest
) -> dict[str, Any]:
    """Debian's Chromium (tools/chromium.py) with the camera of the test
    (with_camera), by default .cache/media/poses.y4m."""
    camera = getattr(request, "param", Camera())
    options: dict[str, Any] = {"executable_path": CHROMIUM, "args": camera.chromium_args()}
    if pytestconfig.getoption("--headed"):
        options["headless"] = False
    return options


@pytest.fixture(scope="session")
def browser_context_args(browser_context_args: dict[str, Any]) -> dict[str, Any]:
    # English unless a test asks for another language with
    # @pytest.mark.browser_context_args(locale=...): the page follows the
    # browser's language, which would otherwise be the machine's.
    return {**browser_context_args, "locale": "en-US"}


@pytest.fixture
def new_context(
    new_context: Callable[..., BrowserContext],
    pytestconfig: pytest.Config,
    request: pytest.FixtureRequest,
) -> Callable[..., BrowserContext]:
    """pytest-playwright's new_context, its trace (--tracing) without the screencast.

    pytest-playwright traces with screenshots=True: a continuous screencast
    whose encoding takes enough of a 2-core machine for the video-driven games
    to run out of time (measured: a kiosk game lost with it, won without it,
    at the same load).  The trace keeps its DOM snapshot of every action, the
    console and the network; a failed test's last screenshot is --screenshot's.
    """
    tracing = pytestconfig.getoption("--tracing") in ("on", "retain-on-failure")

    def make(**options: Any) -> BrowserContext:
        context = new_context(**options)
        if tracing:
            context.tracing.stop()
            context.tracing.start(
                title=request.node.nodeid, screenshots=False, snapshots=True, sources=True
            )
        return context

    return make


@pytest.fixture
def open_page(new_context: Callable[..., BrowserContext]) -> Callable[..., Page]:
    """``open_page(url, init_script=..., **context_options)``: a fresh context
    (pytest-playwright's, closed after the test; its trace and a screenshot are
    kept on failure) and page at ``url`` with the page's test hooks on
    (``?test=1``), page errors collected in ``page.errors``."""

    def open_(url: str, init_script: str | None = None, **context_options: Any) -> Page:
        context = new_context(**context_options)
        if init_script:
            context.add_init_script(init_script)  # runs before the page's own scripts
        page = collect_errors(context.new_page())
        page.goto(with_hooks(url))
        return page

    return open_


def collect_errors(page: Page) -> Page:
    """``page`` with the errors its scripts throw collected in ``page.errors``."""
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    page.errors = errors  # type: ignore[attr-defined]
    return page


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
