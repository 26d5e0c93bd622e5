"""Privacy audit: during a whole game nothing goes anywhere but our own server,
nothing is uploaded, and the page's CSP allows no other origin."""

from __future__ import annotations

from playwright.sync_api import Request

from tests.e2e.helpers import GAME_TIMEOUT_MS, start_game, view, wait_for_state

VIDEO_PACK = "levels/test-video/pack.json"


def test_a_whole_game_talks_only_to_our_server(server, browsers) -> None:
    context = browsers("poses").new_context()
    requests: list[Request] = []
    context.on("request", lambda request: requests.append(request))  # pages and workers
    page = context.new_page()
    try:
        response = page.goto(f"{server.url}/index.html?pack={VIDEO_PACK}")
        assert response is not None
        csp = response.headers.get("content-security-policy", "")
        start_game(page)
        wait_for_state(page, "results", timeout=GAME_TIMEOUT_MS)
        assert view(page)["outcome"] == "won"
    finally:
        context.close()

    assert len(requests) > 20  # the page, Pyodide, numpy, PyScript, TF.js, the model...
    for request in requests:
        assert request.url.startswith(server.url + "/"), f"left the device: {request.url}"
        assert request.method in ("GET", "HEAD"), f"{request.method} {request.url}"
        assert request.post_data_buffer is None, f"a request carried a body: {request.url}"

    directives = {
        name: sources
        for name, *sources in (part.split() for part in csp.split(";") if part.strip())
    }
    assert directives["default-src"] == ["'self'"]
    assert directives["connect-src"] == ["'self'"]
    allowed_keywords = {"'self'", "'none'", "'wasm-unsafe-eval'", "'unsafe-eval'", "blob:", "data:"}
    for name, sources in directives.items():
        assert set(sources) <= allowed_keywords, f"{name} allows {sources}"
