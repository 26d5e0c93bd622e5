"""Offline play and static hosting in a real browser.

* The service worker saves the game (start screen: "Ready for offline"); with
  the server then stopped, a reload still plays a whole game.
* The self-test page passes once the cache is filled.
* A failed install leaves no cache behind.
* tools/export_static.py's folder, served by Debian's nginx with
  deploy/nginx.conf, plays a whole game.

Servers that must stop mid-test run as subprocesses (server.py, nginx), so
that stopping them also closes the browser's kept-alive connections.
"""

from __future__ import annotations

import contextlib
import os
import re
import shutil
import socket
import subprocess
import sys
import urllib.error
import urllib.request
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, Page, expect

from tests.e2e.conftest import collect_errors, copy_web_root
from tests.e2e.helpers import GAME_TIMEOUT_MS, start_game, view, wait_for_state, with_hooks
from tests.e2e.packs import write_video_pack
from tools.build_precache import build
from tools.export_static import export

ROOT = Path(__file__).resolve().parents[2]
NGINX = shutil.which("nginx") or "/usr/sbin/nginx"
NGINX_SAMPLE = ROOT / "deploy" / "nginx.conf"
# Debian's libnginx-mod-http-brotli-static (.ci/run installs it): with it, the
# sample's brotli_static line is switched on and tested too.
BROTLI_MODULE = Path("/usr/lib/nginx/modules/ngx_http_brotli_static_module.so")

# Saving 26 MB while Pyodide and MoveNet start, on a busy 2-core machine.
SAVE_TIMEOUT_MS = 240_000
BOOT_TIMEOUT_MS = 180_000
# A pack under a museum's own name (not levels/test-*), so it is precached.
MUSEUM_PACK = "levels/museum-video/pack.json"
TEST_PACK = "levels/test-video/pack.json"


# --- servers ------------------------------------------------------------


class ServerProcess:
    """server.py in its own process: stop() closes every connection at once."""

    def __init__(self, root: Path) -> None:
        command = [sys.executable, str(ROOT / "server.py"), "--root", str(root), "--port", "0"]
        self.process = subprocess.Popen(
            [*command, "--quiet"], stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True
        )
        assert self.process.stdout is not None
        line = self.process.stdout.readline()
        match = re.search(r"http://[\d.]+:\d+", line)
        if not match:
            self.stop()
            raise RuntimeError(f"server.py did not start: {line!r}")
        self.url = match.group(0)

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def nginx_config(site: Path, port: int, work: Path) -> str:
    """A whole nginx.conf around deploy/nginx.conf, with its own port, root and paths."""
    sample = NGINX_SAMPLE.read_text(encoding="utf-8")
    sample, listens = re.subn(r"(?m)^(\s*)listen\s+\S+;", rf"\1listen 127.0.0.1:{port};", sample)
    sample, roots = re.subn(r"(?m)^(\s*)root\s+\S+;", rf"\1root {site};", sample)
    assert listens == 1 and roots == 1, "deploy/nginx.conf needs one listen and one root line"
    load = ""
    if BROTLI_MODULE.exists():
        sample, switched = re.subn(r"(?m)^(\s*)#brotli_static on;", r"\1brotli_static on;", sample)
        assert switched == 1, "deploy/nginx.conf needs one '#brotli_static on;' line"
        load = f"load_module {BROTLI_MODULE};"
    temp = "\n".join(
        f"    {kind}_temp_path {work / kind};"
        for kind in ("client_body", "proxy", "fastcgi", "uwsgi", "scgi")
    )
    # As root, nginx's workers would run as nobody, who cannot enter pytest's tmp.
    user = "user root;" if os.geteuid() == 0 else ""
    return f"""
{load}
{user}
worker_processes 1;
pid {work / "nginx.pid"};
error_log {work / "error.log"} warn;
events {{ worker_connections 256; }}
http {{
    access_log {work / "access.log"};
{temp}
{sample}
}}
"""


class NginxProcess:
    def __init__(self, site: Path, work: Path) -> None:
        work.mkdir(parents=True, exist_ok=True)
        self.port = free_port()
        self.url = f"http://127.0.0.1:{self.port}"
        config = work / "nginx.conf"
        config.write_text(nginx_config(site, self.port, work), encoding="utf-8")
        base = [NGINX, "-p", str(work), "-e", str(work / "error.log"), "-c", str(config)]
        check = subprocess.run([*base, "-t"], capture_output=True, text=True)
        assert check.returncode == 0, f"nginx -t failed:\n{check.stderr}"
        self.process = subprocess.Popen(
            [*base, "-g", "daemon off;"], stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
        )
        self._wait_until_listening(work)

    def _wait_until_listening(self, work: Path) -> None:
        for _ in range(200):
            if self.process.poll() is not None:
                log = (work / "error.log").read_text(encoding="utf-8", errors="replace")
                raise RuntimeError(f"nginx exited:\n{log}")
            try:
                with socket.create_connection(("127.0.0.1", self.port), timeout=0.5):
                    return
            except OSError:
                # A pause that ends early if nginx exits.
                with contextlib.suppress(subprocess.TimeoutExpired):
                    self.process.wait(timeout=0.05)
        raise RuntimeError("nginx did not start listening")

    def stop(self) -> None:
        if self.process.poll() is None:
            self.process.terminate()
            try:
                self.process.wait(timeout=10)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()


# --- fixtures -------------------------------------------------------------


@pytest.fixture(scope="module")
def offline_root(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """A copy of web/ with the video pack under a museum's name and a fresh precache.json."""
    root = copy_web_root(tmp_path_factory.mktemp("offline") / "web")
    write_video_pack(root / "levels" / "museum-video")
    build(root)  # replaces the copied (linked) precache.json, never web/'s own
    return root


@pytest.fixture
def servers() -> Iterator[Callable[[Path], ServerProcess]]:
    started: list[ServerProcess] = []

    def start(root: Path) -> ServerProcess:
        started.append(ServerProcess(root))
        return started[-1]

    yield start
    for running in started:
        running.stop()


def new_page(context: BrowserContext) -> Page:
    """A page of ``context`` (pytest-playwright's: a fresh one per test, with its
    own service workers and caches, and the posing camera), errors collected."""
    return collect_errors(context.new_page())


def wait_until_saved(page: Page, on_start_screen: bool = True) -> None:
    status = page.locator("#offline-status")
    expect(status).to_have_attribute("data-status", "ready", timeout=SAVE_TIMEOUT_MS)
    expect(status).to_have_text(re.compile("Ready for offline"))
    if on_start_screen:
        expect(status).to_be_visible()


def cache_names(page: Page) -> list[str]:
    names = page.evaluate("() => caches.keys()")
    assert isinstance(names, list)
    return [str(name) for name in names]


def play_to_the_win(page: Page) -> None:
    start_game(page)
    wait_for_state(page, "playing", timeout=60_000)
    wait_for_state(page, "results", timeout=GAME_TIMEOUT_MS)
    expect(page.locator("#screen-results")).to_have_attribute("data-outcome", "won")
    assert view(page)["outcome"] == "won"


def unreachable(url: str) -> bool:
    try:
        urllib.request.urlopen(url, timeout=5).close()
    except (urllib.error.URLError, OSError):
        return True
    return False


# --- tests ----------------------------------------------------------------


def test_after_one_visit_the_game_plays_with_the_server_stopped(
    offline_root: Path, servers: Callable[[Path], ServerProcess], context: BrowserContext
) -> None:
    running = servers(offline_root)
    page = new_page(context)
    page.goto(with_hooks(f"{running.url}/index.html?pack={MUSEUM_PACK}"))
    wait_for_state(page, "start", timeout=BOOT_TIMEOUT_MS)
    wait_until_saved(page)
    version = page.evaluate("() => fetch('precache.json').then((r) => r.json())")["version"]
    names = cache_names(page)
    assert f"strike-a-pose-{version}" in names
    assert set(names) <= {f"strike-a-pose-{version}", "strike-a-pose-runtime"}

    running.stop()
    assert unreachable(f"{running.url}/index.html"), "the server is still answering"

    # Offline, with play statistics on (config.json or the URL may turn them on here).
    page.goto(with_hooks(f"{running.url}/index.html?pack={MUSEUM_PACK}&stats_visitor=1"))
    wait_for_state(page, "start", timeout=BOOT_TIMEOUT_MS)
    expect(page.locator("#offline-status")).to_have_attribute("data-status", "ready")
    assert page.evaluate("() => navigator.serviceWorker.controller !== null")
    play_to_the_win(page)
    expect(page.locator("#results-gallery li.card[data-status=cleared]")).to_have_count(5)
    expect(page.locator("body")).to_have_attribute("data-stats-saved", "2")
    assert page.errors == []

    # The staff's statistics view works offline too.
    page.goto(f"{running.url}/curator.html#stats")
    expect(page.locator("#stats-view")).to_have_attribute(
        "data-status", "ready", timeout=BOOT_TIMEOUT_MS
    )
    expect(page.locator("#stats-summary")).to_have_attribute("data-started", "1")
    expect(page.locator("#stats-summary")).to_have_attribute("data-won", "1")
    expect(page.locator('.stats-pack[data-pack="video"] tbody tr')).to_have_count(5)
    assert page.errors == []


def test_the_self_test_passes_once_the_game_is_saved(
    offline_root: Path, servers: Callable[[Path], ServerProcess], context: BrowserContext
) -> None:
    running = servers(offline_root)
    page = new_page(context)
    page.goto(f"{running.url}/index.html?pack={MUSEUM_PACK}")
    wait_until_saved(page)

    # Saved already when the page starts: the status line is written in
    # English first and again once Python has put the page in French.
    page.goto(f"{running.url}/index.html?pack={MUSEUM_PACK}&lang=fr")
    wait_for_state(page, "start", timeout=BOOT_TIMEOUT_MS)
    expect(page.locator("#offline-status")).to_have_text("Prêt hors ligne")

    page.goto(f"{running.url}/selftest.html")
    summary = page.locator("#summary")
    expect(summary).not_to_have_attribute("data-status", "running", timeout=BOOT_TIMEOUT_MS)
    lines = {
        str(item.get_attribute("id")): (
            item.get_attribute("data-status"),
            item.text_content(),
        )
        for item in page.locator("#checks li").all()
    }
    # Frames per second may only warn on a loaded test machine; all else must pass.
    for check in ("check-camera", "check-worker", "check-cache", "check-storage"):
        assert lines[check][0] == "pass", lines
    assert lines["check-detector"][0] in ("pass", "warn"), lines
    assert re.search(
        r"backend (wasm|webgl|cpu), [\d.]+ frames per second", lines["check-detector"][1] or ""
    )
    assert re.search(r"\d+\u00d7\d+ pixels", lines["check-camera"][1] or "")
    assert summary.get_attribute("data-status") == "pass", lines
    assert page.errors == []


def test_a_failed_install_leaves_no_cache(
    offline_root: Path,
    servers: Callable[[Path], ServerProcess],
    context: BrowserContext,
    tmp_path: Path,
) -> None:
    root = copy_web_root(tmp_path / "web")
    # A new file, not a write through the hard link into web/'s own precache.json.
    (root / "precache.json").unlink()
    shutil.copyfile(offline_root / "precache.json", root / "precache.json")
    # One file differs from its hash: the new file, not the hard link to web/'s.
    favicon = root / "favicon.svg"
    data = favicon.read_bytes()
    favicon.unlink()
    favicon.write_bytes(data + b"\n<!-- changed -->\n")
    running = servers(root)
    page = new_page(context)
    page.goto(f"{running.url}/index.html")
    expect(page.locator("#offline-status")).to_have_attribute(
        "data-status", "failed", timeout=SAVE_TIMEOUT_MS
    )
    assert [name for name in cache_names(page) if name != "strike-a-pose-runtime"] == []
    assert page.evaluate(
        "() => navigator.serviceWorker.getRegistration().then((r) => !r || !r.active)"
    )


def test_nosw_registers_no_worker(
    offline_root: Path, servers: Callable[[Path], ServerProcess], context: BrowserContext
) -> None:
    running = servers(offline_root)
    page = new_page(context)
    page.goto(f"{running.url}/index.html?nosw=1&pack={MUSEUM_PACK}")
    wait_for_state(page, "start", timeout=BOOT_TIMEOUT_MS)
    expect(page.locator("#offline-status")).to_have_attribute("data-status", "off")
    assert page.evaluate("() => navigator.serviceWorker.getRegistrations()") == []


def test_the_static_export_plays_on_nginx(tmp_path: Path, context: BrowserContext) -> None:
    if not Path(NGINX).exists():
        pytest.fail("nginx is missing: sudo apt-get install nginx-light")
    site = tmp_path / "site"
    export(site)
    write_video_pack(site / "levels" / "test-video")
    nginx = NginxProcess(site, tmp_path / "nginx")
    try:
        with urllib.request.urlopen(f"{nginx.url}/vendor/pyodide-0.27.7/pyodide.asm.wasm") as r:
            assert r.headers["Content-Type"] == "application/wasm"
            assert "immutable" in r.headers["Cache-Control"]
        with urllib.request.urlopen(f"{nginx.url}/index.html") as r:
            assert "script-src 'self'" in r.headers["Content-Security-Policy"]
            assert r.headers["Cache-Control"] == "no-cache"
        with urllib.request.urlopen(f"{nginx.url}/vendor/pyodide-0.27.7/pyodide.mjs") as r:
            assert r.headers["Content-Type"].startswith("text/javascript")
        # The export's pre-compressed copies, sent as they are (gzip_static, brotli_static).
        wasm = "vendor/pyodide-0.27.7/pyodide.asm.wasm"
        codings = {"gzip": ".gz", **({"br": ".br"} if BROTLI_MODULE.exists() else {})}
        for coding, suffix in codings.items():
            request = urllib.request.Request(
                f"{nginx.url}/{wasm}", headers={"Accept-Encoding": coding}
            )
            with urllib.request.urlopen(request) as r:
                assert r.headers["Content-Encoding"] == coding
                assert r.read() == (site / f"{wasm}{suffix}").read_bytes()

        page = new_page(context)
        page.goto(with_hooks(f"{nginx.url}/index.html?pack={TEST_PACK}"))
        wait_for_state(page, "start", timeout=BOOT_TIMEOUT_MS)
        play_to_the_win(page)
        wait_until_saved(page, on_start_screen=False)  # the worker works there too
        assert page.errors == []
    finally:
        nginx.stop()


# --- the worker never serves an unverified copy -------------------------------------


def replace_file(path: Path, data: bytes) -> None:
    """Change a file of a copied web root (a new file: never the link to web/'s)."""
    path.unlink()
    path.write_bytes(data)


FETCH_TEXT = "(path) => fetch(path, { cache: 'no-store' }).then((r) => r.text())"


def test_a_file_altered_after_install_is_never_served_offline(
    servers: Callable[[Path], ServerProcess], context: BrowserContext, tmp_path: Path
) -> None:
    root = copy_web_root(tmp_path / "web")
    write_video_pack(root / "levels" / "museum-video")
    build(root)
    original = (root / "favicon.svg").read_bytes().decode()
    running = servers(root)
    page = new_page(context)
    page.goto(f"{running.url}/index.html?pack={MUSEUM_PACK}")
    wait_for_state(page, "start", timeout=BOOT_TIMEOUT_MS)
    wait_until_saved(page)

    # Online, the server's altered file passes through; a copy planted in the
    # runtime cache too: neither may ever be what the worker serves offline.
    replace_file(
        root / "favicon.svg", b"<svg xmlns='http://www.w3.org/2000/svg'><!--altered--></svg>"
    )
    assert "altered" in page.evaluate(FETCH_TEXT, "favicon.svg")
    page.evaluate(
        """async () => {
            const runtime = await caches.open('strike-a-pose-runtime');
            await runtime.put(new URL('favicon.svg', location.href).href, new Response('planted'));
            await runtime.put(new URL('index.html', location.href).href, new Response('planted'));
        }"""
    )
    running.stop()
    assert unreachable(f"{running.url}/favicon.svg")

    page.reload()
    wait_for_state(page, "start", timeout=BOOT_TIMEOUT_MS)
    assert page.evaluate(FETCH_TEXT, "favicon.svg") == original
    assert page.evaluate("() => document.title") != "planted"
    assert page.errors == []


def test_a_failed_update_leaves_the_old_version_whole_and_playable_offline(
    servers: Callable[[Path], ServerProcess], context: BrowserContext, tmp_path: Path
) -> None:
    root = copy_web_root(tmp_path / "web")
    write_video_pack(root / "levels" / "museum-video")
    old = build(root)
    old_favicon = (root / "favicon.svg").read_bytes().decode()
    running = servers(root)
    page = new_page(context)
    page.goto(with_hooks(f"{running.url}/index.html?pack={MUSEUM_PACK}"))
    wait_for_state(page, "start", timeout=BOOT_TIMEOUT_MS)
    wait_until_saved(page)

    # A new version whose download cannot be verified: one file differs from
    # the hash its manifest gives (a half-copied update on the server).
    replace_file(root / "favicon.svg", b"<svg xmlns='http://www.w3.org/2000/svg'><!--v2--></svg>")
    new = build(root)
    assert new["version"] != old["version"]
    replace_file(root / "css" / "game.css", (root / "css" / "game.css").read_bytes() + b"\n/* */")
    page.reload()
    status = page.locator("#offline-status")
    expect(status).to_have_attribute("data-status", "outdated", timeout=SAVE_TIMEOUT_MS)
    # The old version's cache, whole; nothing of the new one.
    assert f"strike-a-pose-{old['version']}" in cache_names(page)
    assert f"strike-a-pose-{new['version']}" not in cache_names(page)

    running.stop()
    page.reload()
    wait_for_state(page, "start", timeout=BOOT_TIMEOUT_MS)
    assert page.evaluate(FETCH_TEXT, "favicon.svg") == old_favicon  # not the new one
    play_to_the_win(page)
    assert page.errors == []


def test_kiosk_mode_asks_for_persistent_storage_and_the_self_test_shows_it(
    offline_root: Path, servers: Callable[[Path], ServerProcess], context: BrowserContext
) -> None:
    running = servers(offline_root)
    page = new_page(context)
    page.goto(f"{running.url}/index.html?kiosk=1&nosw=1&pack={MUSEUM_PACK}")
    wait_for_state(page, "start", timeout=BOOT_TIMEOUT_MS)
    # The browser decides (headless Chromium refuses); the page asked.
    expect(page.locator("body")).to_have_attribute(
        "data-persistent-storage", re.compile("^(true|false)$"), timeout=30_000
    )
    granted = page.locator("body").get_attribute("data-persistent-storage")
    # Nothing of it is kept by the page (the privacy tests check storage too).
    assert page.evaluate("() => localStorage.length") == 0

    page.goto(f"{running.url}/selftest.html")
    storage = page.locator("#check-storage")
    expect(storage).not_to_have_attribute("data-status", "pending", timeout=BOOT_TIMEOUT_MS)
    expect(storage).to_have_attribute("data-persistent", str(granted))
    answer = "granted" if granted == "true" else "refused"
    expect(storage).to_contain_text(f"persistent storage asked: {answer}")
