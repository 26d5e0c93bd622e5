"""Fixtures for the browser tests: a private copy of the web root with test
level packs, our own server on a free loopback port, and Debian's Chromium
with a real video as its fake camera.

Every test waits on state the page exposes (``<body data-state>``), never on
sleeps.
"""

from __future__ import annotations

import os
import shutil
import threading
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Browser, BrowserContext, Page, Playwright

from server import make_server
from tests.e2e.packs import write_art_pack, write_impossible_pack, write_video_pack
from tools.chromium import CHROMIUM, CHROMIUM_ARGS

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


class LocalServer:
    def __init__(self, root: Path) -> None:
        self.httpd = make_server(root, "127.0.0.1", 0, quiet=True)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def stop(self) -> None:
        self.httpd.shutdown()
        self.httpd.server_close()


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


@pytest.fixture(scope="session")
def browsers(playwright: Playwright) -> Iterator[Callable[..., Browser]]:
    """``browsers(camera="poses")``: a Chromium whose fake camera plays
    .cache/media/<camera>.y4m; ``camera=None`` for one without any camera
    device permission granted automatically (for the permission test)."""
    cache: dict[tuple[str | None, bool], Browser] = {}

    def launch(camera: str | None = "poses", *, auto_accept: bool = True) -> Browser:
        key = (camera, auto_accept)
        if key not in cache:
            args = list(CHROMIUM_ARGS)
            if camera is not None:
                video = MEDIA / f"{camera}.y4m"
                if not video.is_file():
                    pytest.fail(f"{video} is missing: run tools/fetch_test_media.py")
                args += [
                    "--use-fake-device-for-media-stream",
                    f"--use-file-for-fake-video-capture={video}",
                ]
            if auto_accept:
                args.append("--use-fake-ui-for-media-stream")
            cache[key] = playwright.chromium.launch(executable_path=CHROMIUM, args=args)
        return cache[key]

    yield launch
    for browser in cache.values():
        browser.close()


@pytest.fixture
def open_page(browsers: Callable[..., Browser]) -> Iterator[Callable[..., Page]]:
    """``open_page(url, camera=..., init_script=..., **context_options)``: a fresh
    context and page, with page errors collected in ``page.errors``."""
    contexts: list[BrowserContext] = []

    def open_(
        url: str,
        camera: str | None = "poses",
        auto_accept: bool = True,
        init_script: str | None = None,
        **context_options: Any,
    ) -> Page:
        # English unless a test asks for another language: the page follows
        # the browser's language, which would otherwise be the machine's.
        context_options.setdefault("locale", "en-US")
        context = browsers(camera, auto_accept=auto_accept).new_context(**context_options)
        contexts.append(context)
        if init_script:
            context.add_init_script(init_script)  # runs before the page's own scripts
        page = context.new_page()
        errors: list[str] = []
        page.on("pageerror", lambda error: errors.append(str(error)))
        page.errors = errors  # type: ignore[attr-defined]
        page.goto(url)
        return page

    yield open_
    for context in contexts:
        context.close()


@pytest.fixture(scope="session")
def artifacts() -> Path:
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    return ARTIFACTS
