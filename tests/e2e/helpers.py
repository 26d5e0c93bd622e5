"""Small helpers for the browser tests: reading the state the page exposes."""

from __future__ import annotations

import json
import urllib.parse
from typing import Any

from playwright.sync_api import Page

BOOT_TIMEOUT_MS = 90_000  # Pyodide + numpy + MoveNet on a busy 2-core machine
GAME_TIMEOUT_MS = 120_000  # framing + countdown + a 30-second game, with margin


def wait_for_state(page: Page, state: str, timeout: float = BOOT_TIMEOUT_MS) -> None:
    """Wait for ``<body data-state=state>``; fail at once, with the page's
    message, if an error screen comes instead."""
    selector = f'body[data-state="{state}"]'
    if state != "error":
        selector += ', body[data-state="error"]'
    page.wait_for_selector(selector, state="attached", timeout=timeout)
    actual = page.locator("body").get_attribute("data-state")
    if actual != state:
        code = page.locator("body").get_attribute("data-error")
        detail = page.locator("#error-detail").text_content()
        raise AssertionError(f"expected state {state!r}, got error screen {code!r}: {detail}")


# The page's test hooks (web/js/test-hooks.js) exist only when its address has
# ?test=1: the open_page fixture adds it; pages opened otherwise need with_hooks.
TEST_FLAG = "test=1"
# The hooks object; a page from before it (a benchmark's --before REV) had the
# view and the pose on the bridge itself.
HOOKS_JS = """(globalThis.testHooks || {
  view: () => globalThis.poseBridge.lastView,
  pose: () => globalThis.poseBridge.lastPose,
})"""


def with_hooks(url: str) -> str:
    """``url`` with ?test=1 added (the page's test hooks on), once."""
    parts = urllib.parse.urlsplit(url)
    if TEST_FLAG in parts.query.split("&"):
        return url
    query = f"{parts.query}&{TEST_FLAG}" if parts.query else TEST_FLAG
    return urllib.parse.urlunsplit(parts._replace(query=query))


def hook(page: Page, name: str) -> Any:
    """What the page's test hook ``name`` gives (web/js/boot.js lists them)."""
    if not page.evaluate("() => typeof globalThis.testHooks === 'object'"):
        raise AssertionError(f"no test hooks on {page.url}: open it with ?{TEST_FLAG}")
    return page.evaluate(f"() => globalThis.testHooks.{name}()")


def hooked(page: Page, name: str) -> str:
    """The JSON text of the page's ``view`` or ``pose`` hook."""
    text = page.evaluate(f"() => {HOOKS_JS}.{name}()")
    if not isinstance(text, str):
        raise AssertionError(f"no test hooks on {page.url}: open it with ?{TEST_FLAG}")
    return text


def view(page: Page) -> dict[str, Any]:
    """The game view Python published last (GameState.to_view())."""
    data = json.loads(hooked(page, "view"))
    assert isinstance(data, dict), f"no game view published yet: {data!r}"
    return data


def wait_for_view(page: Page, condition: str, timeout: float = GAME_TIMEOUT_MS) -> dict[str, Any]:
    """Wait until the JavaScript ``condition`` on ``view`` (the game view) holds; that view."""
    script = f"() => {{ const view = JSON.parse({HOOKS_JS}.view()); "
    script += f"return view && ({condition}); }}"
    page.wait_for_function(script, timeout=timeout)
    return view(page)


def last_pose(page: Page) -> list[list[float]] | None:
    """The last keypoints that reached Python, as [x, y, score] rows."""
    pose = json.loads(hooked(page, "pose"))
    return pose if pose is None else [list(map(float, row)) for row in pose]


def start_game(page: Page, tap: bool = False) -> None:
    wait_for_state(page, "start")
    if tap:
        page.locator("#start-button").tap()
    else:
        page.locator("#start-button").click()


def retry(page: Page) -> None:
    """Press the error screen's retry button and wait until the screen has left."""
    page.locator("#retry-button").click()
    page.wait_for_selector('body:not([data-state="error"])', state="attached", timeout=30_000)


def visitor_leaves(page: Page) -> None:
    """From now on the camera sees nobody (the model finds no one in any
    frame), as when a kiosk's visitor walks away; ``visitor_returns`` undoes it."""
    page.evaluate(
        """() => {
            const bridge = globalThis.poseBridge;
            bridge.seenNextFrame = bridge.seenNextFrame || bridge.nextFrame;
            bridge.nextFrame = async () => {
              await new Promise((resolve) => setTimeout(resolve, 66));
              const video = bridge.video;
              return { kind: "none", width: video.videoWidth || 640,
                       height: video.videoHeight || 480, t_ms: performance.now() };
            };
        }"""
    )


def visitor_returns(page: Page) -> None:
    page.evaluate(
        """() => {
            const bridge = globalThis.poseBridge;
            if (bridge.seenNextFrame) bridge.nextFrame = bridge.seenNextFrame;
        }"""
    )
