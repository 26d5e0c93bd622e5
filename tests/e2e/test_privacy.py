"""Privacy audit: during a whole game, with souvenir photos on, nothing goes
anywhere but our own server, nothing is uploaded or stored, the souvenir
leaves only by the visitor's own Save or Share, and Delete (or a kiosk timing
out) erases it at once; the page's CSP allows no other origin.  A kiosk keeps
play statistics (docs/statistics.md): only those, with exactly the
documented fields, and it sends nothing either."""

from __future__ import annotations

from urllib.parse import urlsplit

from playwright.sync_api import Request, expect

from strike_a_pose.playstats import GAME_FIELDS, LEVEL_FIELDS, RECORD_FIELDS, check_record
from tests.e2e.helpers import GAME_TIMEOUT_MS, hook, start_game, view, wait_for_state, with_hooks
from tests.e2e.watch import (
    STATS_DATABASE,
    WATCH_SCRIPT,
    shared,
    souvenir_urls_alive,
    stats_records,
    storage_report,
    url_counts,
    urls_made,
)

ART_PACK = "levels/test-art/pack.json"
PHONE = {"viewport": {"width": 390, "height": 844}, "is_mobile": True, "has_touch": True}
KIOSK = {"viewport": {"width": 1920, "height": 1080}}


def assert_only_statistics_stored(page, statistics: bool) -> None:
    """IndexedDB holds nothing but, where ``statistics`` are on, the play
    statistics' day records, each with exactly the documented fields."""
    databases = storage_report(page)["indexedDB"]
    # Every other database is empty (the curator's packs: none here).
    others = {name: stores for name, stores in databases.items() if name != STATS_DATABASE}
    assert all(count == 0 for stores in others.values() for count in stores.values()), others
    records = stats_records(page)
    if not statistics:
        assert STATS_DATABASE not in databases and records == {}
        return
    assert list(databases[STATS_DATABASE]) == ["days"]
    assert records, "a kiosk counts its games"
    for key, record in records.items():
        assert key.startswith("days/"), key
        assert sorted(record) == sorted(RECORD_FIELDS), key
        assert sorted(record["games"]) == sorted(GAME_FIELDS), key
        for level in record["levels"].values():
            assert sorted(level) == sorted(LEVEL_FIELDS), key
        assert check_record(record) == [], (key, record)  # counts only, nothing else


def assert_nothing_kept(
    page, server_url: str, web_root, next_game: bool = False, statistics: bool = False
) -> None:
    """No storage holds anything of the souvenir, no URL of it is alive, and
    the page holds no picture; with ``next_game`` (a kiosk whose next visitor
    is already in view) only the new game's keypoints, without photos."""
    assert souvenir_urls_alive(page) == []
    report = storage_report(page)
    assert report["localStorage"] == [] and report["sessionStorage"] == []
    # The game page stores nothing but, on a kiosk, the play statistics' counts.
    assert_only_statistics_stored(page, statistics)
    for url in report["cached"]:  # the service worker's verified copies of our own files
        assert url.startswith(server_url + "/"), url
        assert (web_root / urlsplit(url).path.lstrip("/")).is_file(), url
    held = hook(page, "souvenir")
    assert held["moments"] == 0 and held["pictures"] == 0, held
    if next_game:
        assert held["photos"] is False, held
    else:
        assert held["ring"] == 0 and not held["active"], held


def test_a_whole_game_with_photos_talks_only_to_our_server(
    server, web_root, new_context, tmp_path
) -> None:
    context = new_context(**PHONE)
    context.add_init_script(WATCH_SCRIPT)
    requests: list[tuple[float, Request]] = []
    started_at: list[float] = []
    context.on("request", lambda request: requests.append((len(started_at), request)))
    page = context.new_page()
    try:
        response = page.goto(with_hooks(f"{server.url}/index.html?pack={ART_PACK}"))
        assert response is not None
        csp = response.headers.get("content-security-policy", "")
        wait_for_state(page, "start")
        page.locator("#photos-toggle").check()
        started_at.append(1.0)  # requests from here on were made during the game
        start_game(page)
        wait_for_state(page, "results", timeout=GAME_TIMEOUT_MS)
        assert view(page)["outcome"] == "won"
        page.wait_for_selector('#souvenir[data-status="ready"] #souvenir-clip:not([hidden])')

        # Save: the visitor's own download of the picture and the clip.
        with page.expect_download() as first:
            page.locator("#souvenir-save").click()
        assert first.value.suggested_filename == "strike-a-pose-souvenir.jpg"
        first.value.save_as(tmp_path / "picture.jpg")
        # Share: handed to the system's share sheet (a recorder in this test).
        page.locator("#souvenir-share").click()
        page.wait_for_function("() => globalThis.__watch.shared.length === 1")
        (sent,) = shared(page)
        assert sent["files"][0]["type"] == "image/jpeg"
        assert all(f["size"] > 0 for f in sent["files"])
        assert sent["title"] == "Strike a Pose"

        # Delete: everything goes at once.
        assert len(souvenir_urls_alive(page)) == 2  # the picture and the clip
        page.locator("#souvenir-delete").click()
        expect(page.locator("#souvenir")).to_have_attribute("data-status", "deleted")
        expect(page.locator("#souvenir-picture")).to_be_hidden()
        expect(page.locator("#souvenir-save")).to_be_hidden()
        assert_nothing_kept(page, server.url, web_root)
        counts = url_counts(page)
        assert counts["revoked"] >= 2 and counts["created"] >= 2
        own_blobs = set(urls_made(page))
    finally:
        context.close()

    assert len(requests) > 20  # the page, Pyodide, numpy, TF.js, the model...
    # The detector worker's own requests are among them (TF.js, the wasm
    # binary, MoveNet's weights): they are checked like the page's.
    urls = [request.url for _, request in requests]
    assert any(url.endswith("/js/detector-worker.js") for url in urls)
    assert any(url.endswith("/models/movenet-lightning.json") for url in urls)
    assert any(url.endswith(".wasm") and "tfjs" in url for url in urls)
    for during_game, request in requests:
        if request.url.startswith("blob:"):
            # Reading back the page's own in-memory data (the souvenir shown,
            # saved): made by this page, on this origin, never on the network.
            assert request.url in own_blobs, f"a blob the page did not make: {request.url}"
            assert request.url.startswith(f"blob:{server.url}/")
            continue
        assert request.url.startswith(server.url + "/"), f"left the device: {request.url}"
        assert request.method in ("GET", "HEAD"), f"{request.method} {request.url}"
        assert request.post_data_buffer is None, f"a request carried a body: {request.url}"
        if during_game:
            # Only files of this server: nothing the game made is ever fetched or sent.
            path = urlsplit(request.url).path.lstrip("/") or "index.html"
            assert request.method == "GET", request.url
            assert (web_root / path).is_file(), f"not a file of this server: {request.url}"

    directives = {
        name: sources
        for name, *sources in (part.split() for part in csp.split(";") if part.strip())
    }
    assert directives["default-src"] == ["'self'"]
    assert directives["connect-src"] == ["'self'"]
    # Workers from our server, and TF.js's wasm threads from blob: URLs (made
    # in the page, never fetched): nothing from anywhere else.
    assert directives["worker-src"] == ["'self'", "blob:"]
    allowed_keywords = {"'self'", "'none'", "'wasm-unsafe-eval'", "'unsafe-eval'", "blob:", "data:"}
    for name, sources in directives.items():
        assert set(sources) <= allowed_keywords, f"{name} allows {sources}"


def test_a_kiosk_shows_the_souvenir_only_and_erases_it_when_the_results_time_out(
    server, web_root, new_context, artifacts
) -> None:
    context = new_context(**KIOSK)
    context.add_init_script(WATCH_SCRIPT)
    requests: list[Request] = []
    context.on("request", lambda request: requests.append(request))
    page = context.new_page()
    errors: list[str] = []
    page.on("pageerror", lambda error: errors.append(str(error)))
    try:
        page.goto(with_hooks(f"{server.url}/index.html?kiosk=1&pack={ART_PACK}"))
        kiosk_game(page, server, web_root, artifacts)
        assert errors == []
    finally:
        context.close()
    # The kiosk counted its games (statistics are on): nothing left the device.
    for request in requests:
        if request.url.startswith("blob:"):
            assert request.url.startswith(f"blob:{server.url}/")
            continue
        assert request.url.startswith(server.url + "/"), f"left the device: {request.url}"
        assert request.method == "GET" and request.post_data_buffer is None, request.url
        path = urlsplit(request.url).path.lstrip("/") or "index.html"
        assert (web_root / path).is_file(), f"not a file of this server: {request.url}"


def kiosk_game(page, server, web_root, artifacts) -> None:
    wait_for_state(page, "start")
    page.locator("#photos-toggle").check()  # a touch on the attract screen
    wait_for_state(page, "results", timeout=GAME_TIMEOUT_MS)
    page.wait_for_selector('#souvenir[data-status="kiosk"]', timeout=30_000)
    expect(page.locator("#souvenir-picture")).to_be_visible()
    expect(page.locator("#souvenir-save")).to_be_hidden()  # nothing can leave a kiosk
    expect(page.locator("#souvenir-share")).to_be_hidden()
    expect(page.locator("#souvenir-clip")).to_be_hidden()
    # The results gallery on a kiosk's landscape screen: every story shown at once.
    cards = page.locator("#results-gallery li.card")
    expect(cards).to_have_count(5)
    for n in range(5):
        expect(cards.nth(n).locator(".card-about p")).to_be_visible()
        expect(cards.nth(n).locator(".card-outcome")).not_to_be_empty()
    assert page.evaluate(
        "() => { const s = document.getElementById('screen-results');"
        " return s.scrollHeight <= s.clientHeight; }"
    ), "a kiosk cannot scroll: the results fit the screen"
    page.screenshot(path=str(artifacts / "results-gallery-kiosk.png"))
    assert len(souvenir_urls_alive(page)) == 1  # the picture

    # Nobody touches anything: the results time out and everything is erased.
    wait_for_state(page, "start", timeout=40_000)
    page.wait_for_function("() => globalThis.testHooks.statsSaved() >= 2")  # started, won
    assert_nothing_kept(page, server.url, web_root, next_game=True, statistics=True)
    expect(page.locator("#photos-toggle")).not_to_be_checked()  # the next visitor chooses anew
