"""Start-up in a real browser (docs/startup.md):

* a warm start restores Python from the start-up snapshot, says so, and plays
  a whole game that the video wins;
* with the snapshot damaged or removed from the offline cache, or made from
  other code than the server has, the page starts the normal way and plays;
* Start pressed on the loading screen, before Python is ready, starts the
  game the moment Python is (no start screen in between), with the choices
  made beside it; the loading screen speaks the visitor's language from the
  catalogues, Arabic right to left;
* every big download starts before the first of them has finished, and each
  is sent once to a first visit (the page, the detector worker and the
  service worker share it), never again to the next.
"""

from __future__ import annotations

import gettext
import re
import time
from collections import Counter
from pathlib import Path
from urllib.parse import urlsplit

import pytest
from playwright.sync_api import BrowserContext, Page, Route, expect

from tests.e2e.conftest import collect_errors, copy_web_root
from tests.e2e.helpers import GAME_TIMEOUT_MS, start_game, view, wait_for_state, with_hooks
from tests.e2e.packs import write_video_pack
from tools.build_precache import build
from tools.local_server import LocalServer

WEB = Path(__file__).resolve().parents[2] / "web"
VIDEO_PACK = "levels/test-video/pack.json"
SNAPSHOT = "py/snapshot.bin"
SAVE_TIMEOUT_MS = 300_000  # the service worker saves ~50 MB while the game starts
BOOT_TIMEOUT_MS = 180_000
# The big downloads, by a fragment of their path.
BIG_FILES = (
    "/vendor/pyodide-0.27.7/pyodide.asm.wasm",
    "/py/lib/python_stdlib.zip",  # repacked: tools/repack_archives.py
    "/vendor/pyodide-0.27.7/pyodide-lock.json",
    "/py/lib/numpy-2.0.2-cp312-cp312-pyodide_2024_0_wasm32.whl",
    "/vendor/tfjs-4.22.0/tf.min.js",
    "/vendor/tfjs-4.22.0/tfjs-backend-wasm-simd.wasm",
    "/models/movenet-lightning.json",
    "/models/movenet-lightning.bin",
    "/levels/default/pack.json",
)
# Every value <body data-state> changes to, in order (from "loading", in the page).
STATES_JS = """
(() => {
  const seen = [];
  globalThis.__states = seen;
  new MutationObserver(() => {
    const state = document.body.dataset.state;
    if (seen[seen.length - 1] !== state) seen.push(state);
  }).observe(document, { subtree: true, attributes: true, attributeFilter: ["data-state"] });
})();
"""


def new_page(context: BrowserContext) -> Page:
    """A page of ``context`` (pytest-playwright's: a fresh one per test, with its
    own HTTP cache, service worker and offline cache), errors collected."""
    return collect_errors(context.new_page())


def python_start(page: Page) -> tuple[str, str]:
    body = page.locator("body")
    return (
        body.get_attribute("data-python-start") or "",
        body.get_attribute("data-python-start-reason") or "",
    )


def first_visit(page: Page, url: str) -> None:
    """The first visit starts the normal way; wait until the game is saved for offline play."""
    page.goto(with_hooks(url))
    wait_for_state(page, "start", timeout=BOOT_TIMEOUT_MS)
    assert python_start(page) == ("normal", "not saved on this device yet")
    status = page.locator("#offline-status")
    expect(status).to_have_attribute("data-status", "ready", timeout=SAVE_TIMEOUT_MS)
    assert page.evaluate(f"() => caches.match({SNAPSHOT!r}).then((r) => !!r)")


def sent_in_full(server: LocalServer, since: int) -> Counter[str]:
    """How many times the server sent each path in full (200) since its ``since``-th answer."""
    return Counter(
        urlsplit(path).path
        for method, path, status in server.requests[since:]
        if method == "GET" and status == 200
    )


def play_to_the_win(page: Page) -> None:
    start_game(page)
    wait_for_state(page, "playing", timeout=60_000)
    wait_for_state(page, "results", timeout=GAME_TIMEOUT_MS)
    expect(page.locator("#screen-results")).to_have_attribute("data-outcome", "won")
    result = view(page)
    assert result["outcome"] == "won"
    assert result["level_results"] == ["cleared"] * 5


def test_a_warm_start_restores_the_snapshot_and_plays_a_whole_game(
    server: LocalServer, context: BrowserContext
) -> None:
    page = new_page(context)
    before = len(server.requests)
    first_visit(page, f"{server.url}/index.html?pack={VIDEO_PACK}")
    # The page's preloads, the detector worker and the service worker share
    # one download of each big file (the others are revalidated: 304).
    sent = sent_in_full(server, before)
    assert {path: sent[path] for path in BIG_FILES} == dict.fromkeys(BIG_FILES, 1)
    assert sent["/" + SNAPSHOT] == 1  # by the service worker only
    before = len(server.requests)
    page.goto(f"{server.url}/index.html?pack={VIDEO_PACK}&debug=1")
    wait_for_state(page, "start", timeout=BOOT_TIMEOUT_MS)
    assert python_start(page) == ("snapshot", "")
    sent = sent_in_full(server, before)  # all from the offline copy
    assert {path: sent[path] for path in BIG_FILES} == dict.fromkeys(BIG_FILES, 0)
    # numpy works in the restored Python: the game's first steps use it.
    start_game(page)
    panel = page.locator("#debug-panel")
    expect(panel).to_contain_text("python started: snapshot", timeout=30_000)
    wait_for_state(page, "playing", timeout=60_000)
    wait_for_state(page, "results", timeout=GAME_TIMEOUT_MS)
    expect(page.locator("#screen-results")).to_have_attribute("data-outcome", "won")
    assert view(page)["level_results"] == ["cleared"] * 5
    assert page.errors == []
    # The curator page restores the same snapshot, and imports what the game
    # never did (the statistics report): the game's files are there too.
    curator = new_page(context)
    curator.goto(f"{server.url}/curator.html#stats")
    body = curator.locator("body")
    expect(body).to_have_attribute("data-python", "ready", timeout=BOOT_TIMEOUT_MS)
    assert python_start(curator) == ("snapshot", "")
    expect(curator.locator("#stats-view")).to_have_attribute("data-status", "ready")
    assert curator.errors == []


CORRUPT_JS = """
async (path) => {
  for (const name of await caches.keys()) {
    const cache = await caches.open(name);
    const stored = await cache.match(path);
    if (!stored) continue;
    const bytes = new Uint8Array(await stored.arrayBuffer());
    bytes[bytes.length >> 1] ^= 0xff;  // one byte in the middle of Python's memory
    await cache.put(path, new Response(bytes, { headers: stored.headers }));
    return name;
  }
  return null;
}
"""

REMOVE_JS = """
async (path) => {
  let removed = 0;
  for (const name of await caches.keys()) {
    if (await (await caches.open(name)).delete(path)) removed += 1;
  }
  return removed;
}
"""


def test_a_damaged_or_removed_snapshot_starts_the_normal_way_and_plays(
    server: LocalServer, context: BrowserContext
) -> None:
    url = f"{server.url}/index.html?pack={VIDEO_PACK}&debug=1"
    page = new_page(context)
    first_visit(page, url)

    assert page.evaluate(CORRUPT_JS, SNAPSHOT) is not None
    page.reload()
    wait_for_state(page, "start", timeout=BOOT_TIMEOUT_MS)
    path, reason = python_start(page)
    assert path == "normal" and "sha256" in reason, reason
    play_to_the_win(page)
    expect(page.locator("#debug-panel")).to_contain_text("python started: normal (snapshot refused")

    assert page.evaluate(REMOVE_JS, SNAPSHOT) >= 1
    page.reload()
    wait_for_state(page, "start", timeout=BOOT_TIMEOUT_MS)
    assert python_start(page) == ("normal", "not saved on this device yet")
    start_game(page)
    wait_for_state(page, "playing", timeout=60_000)
    assert page.errors == []


def test_a_snapshot_of_other_code_than_the_server_has_is_not_used(
    context: BrowserContext, tmp_path: Path
) -> None:
    root = copy_web_root(tmp_path / "web")
    write_video_pack(root / "levels" / "test-video")
    # The game's code changed on the server, the snapshot was not made again.
    game = root / "py" / "strike_a_pose" / "game.py"
    source = game.read_text(encoding="utf-8")
    game.unlink()  # a hard link to web/'s own file
    game.write_text(source + "\n# changed on the server\n", encoding="utf-8")
    build(root)
    running = LocalServer(root)
    try:
        page = new_page(context)
        page.goto(with_hooks(f"{running.url}/index.html?pack={VIDEO_PACK}"))
        wait_for_state(page, "start", timeout=BOOT_TIMEOUT_MS)
        expect(page.locator("#offline-status")).to_have_attribute(
            "data-status", "ready", timeout=SAVE_TIMEOUT_MS
        )
        page.reload()
        wait_for_state(page, "start", timeout=BOOT_TIMEOUT_MS)
        path, reason = python_start(page)
        assert path == "normal"
        assert reason == "stale: py/strike_a_pose/game.py has changed since it was made"
        assert page.errors == []
    finally:
        running.stop()


def hold(page: Page, pattern: str) -> list[Route]:
    """Hold back every request matching ``pattern`` until the test lets it go."""
    held: list[Route] = []
    page.route(pattern, lambda route: held.append(route))
    return held


def words(lang: str) -> gettext.GNUTranslations:
    """The game's catalogue in ``lang``, as the page reads it (web/locale)."""
    with (WEB / "locale" / f"{lang}.mo").open("rb") as catalogue:
        return gettext.GNUTranslations(catalogue)


@pytest.mark.browser_context_args(locale="fr-FR")
def test_start_pressed_during_loading_starts_the_game_when_python_is_ready(
    server: LocalServer, context: BrowserContext
) -> None:
    fr = words("fr")
    try:
        page = context.new_page()
        page.add_init_script(STATES_JS)
        held = hold(page, "**/*.whl")  # Python cannot finish starting without numpy
        page.goto(with_hooks(f"{server.url}/index.html?pack={VIDEO_PACK}&nosw=1"))
        start = page.locator("#early-start-button")
        expect(start).to_be_visible(timeout=BOOT_TIMEOUT_MS)  # the model is ready
        # In the visitor's language before Python runs (the catalogues), with real progress.
        expect(start).to_have_text(fr.pgettext("start.button", "Start"))
        expect(page.locator("#stage-python [data-i18n]")).to_have_text(
            fr.pgettext("loading.python", "Game engine (Python + numpy)")
        )
        expect(page.locator("#stage-python .stage-bytes")).to_have_text(
            re.compile(r"^\d+,\d sur \d+,\d Mo$")
        )
        expect(page.locator("#stage-model")).to_have_attribute("data-status", "done")
        assert page.locator("#stage-python").get_attribute("data-status") == "active"
        # The start screen's choices, beside this Start.
        seated = page.locator("#early-seated-choice")
        expect(seated).to_have_text(fr.pgettext("start.seated", "I'm seated"))
        page.locator("#early-seated-toggle").check()
        page.locator("#early-photos-toggle").check()

        start.click()
        # The camera opens at once: a preview with the framing help (a seated visitor's).
        expect(page.locator("#early-start")).to_have_attribute("data-status", "pressed")
        page.wait_for_function("() => document.querySelector('#early-preview').videoWidth > 0")
        expect(page.locator("#early-hint")).to_have_text(
            fr.gettext("Move to where the camera can see you")
        )
        expect(seated).to_be_hidden()
        time.sleep(1.0)  # Python is still held back: nothing starts without it
        assert page.locator("body").get_attribute("data-state") == "loading"
        assert held, "the numpy wheel was never requested"

        for route in held:
            route.continue_()
        page.unroute("**/*.whl")
        wait_for_state(page, "countdown", timeout=BOOT_TIMEOUT_MS)
        states = page.evaluate("() => globalThis.__states")
        # Straight from the loading screen to the game: no start screen, no error.
        assert states[:2] == ["framing", "countdown"], states
        # With the choices made beside the early Start.
        assert view(page)["seated"] is True
        expect(page.locator("#photos-toggle")).to_be_checked()
        # The preview let go of the camera; the game's own video has it.
        assert page.evaluate("() => document.querySelector('#early-preview').srcObject") is None
        assert page.evaluate("() => document.querySelector('#camera-video').videoWidth") > 0
        wait_for_state(page, "playing", timeout=30_000)
    finally:
        context.close()


@pytest.mark.browser_context_args(locale="ar-EG")
def test_the_loading_screen_speaks_arabic_right_to_left(
    server: LocalServer, context: BrowserContext
) -> None:
    ar = words("ar")
    try:
        page = context.new_page()
        held = hold(page, "**/*.whl")  # the loading screen stays
        page.goto(f"{server.url}/index.html?pack={VIDEO_PACK}&nosw=1")
        start = page.locator("#early-start-button")
        expect(start).to_be_visible(timeout=BOOT_TIMEOUT_MS)
        html = page.locator("html")
        expect(html).to_have_attribute("dir", "rtl")
        expect(html).to_have_attribute("lang", "ar-EG")
        expect(start).to_have_text(ar.pgettext("start.button", "Start"))
        expect(page.locator("#stage-model [data-i18n]")).to_have_text(
            ar.pgettext("loading.model", "Pose detector")
        )
        expect(page.locator("#screen-loading .privacy")).to_have_text(
            ar.pgettext(
                "privacy", "The camera picture stays on this device. Nothing is sent or saved."
            )
        )
        megabytes = ar.gettext("{done} of {total} MB").format(done="@", total="@")
        pattern = re.escape(megabytes).replace("@", r"\d+\.\d")
        expect(page.locator("#stage-python .stage-bytes")).to_have_text(re.compile(f"^{pattern}$"))
        # Right to left: the seated choice's box is right of its words.
        box = page.locator("#early-seated-toggle").bounding_box()
        words_box = page.locator("#early-seated-choice span").bounding_box()
        assert box and words_box and box["x"] > words_box["x"]
        for route in held:
            route.continue_()
        page.unroute("**/*.whl")
        wait_for_state(page, "start", timeout=BOOT_TIMEOUT_MS)
        expect(page.locator("#start-button")).to_have_text(ar.pgettext("start.button", "Start"))
    finally:
        context.close()


def test_a_kiosk_offers_no_start_while_loading(
    server: LocalServer, context: BrowserContext
) -> None:
    try:
        page = context.new_page()
        held = hold(page, "**/*.whl")
        page.goto(f"{server.url}/index.html?pack={VIDEO_PACK}&nosw=1&kiosk=1")
        expect(page.locator("#stage-model")).to_have_attribute(
            "data-status", "done", timeout=BOOT_TIMEOUT_MS
        )
        expect(page.locator("#early-start")).to_have_attribute("data-status", "waiting")
        expect(page.locator("#early-start-button")).to_be_hidden()
        for route in held:
            route.continue_()
        page.unroute("**/*.whl")
        wait_for_state(page, "start", timeout=BOOT_TIMEOUT_MS)
    finally:
        context.close()


RESOURCES_JS = """
() => performance.getEntriesByType("resource").map((e) => ({
  path: new URL(e.name).pathname, start: e.startTime, end: e.responseEnd, bytes: e.transferSize,
}))
"""


def test_every_big_download_starts_before_the_first_one_finishes(
    server: LocalServer, context: BrowserContext
) -> None:
    page = new_page(context)
    page.goto(f"{server.url}/index.html?nosw=1")  # the default pack
    wait_for_state(page, "start", timeout=BOOT_TIMEOUT_MS)
    entries = page.evaluate(RESOURCES_JS)
    big = {path: [e for e in entries if e["path"] == path] for path in BIG_FILES}
    missing = [path for path, found in big.items() if not found]
    assert not missing, f"never downloaded: {missing}"
    # Each over the network once: the loaders reused the page's preloads. (Pyodide
    # itself asks for its WebAssembly again, which the page compiled already;
    # that answer comes from the browser's cache.)
    twice = [path for path, found in big.items() if sum(e["bytes"] > 0 for e in found) > 1]
    assert not twice, f"downloaded twice: {twice}"
    first = {path: found[0] for path, found in big.items()}
    last_start = max(first.values(), key=lambda e: e["start"])
    first_end = min(first.values(), key=lambda e: e["end"])
    assert last_start["start"] < first_end["end"], (
        f"{last_start['path']} started at {last_start['start']:.0f} ms, after "
        f"{first_end['path']} had finished at {first_end['end']:.0f} ms"
    )
    assert page.errors == []
