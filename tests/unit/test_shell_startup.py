"""What the shell loads (shell/loading.py) through the page's fetch, and its
start (shell/startup.py) with a fake browser (tests/unit/shell_fakes.py)."""

from __future__ import annotations

import asyncio
import json
from collections.abc import Coroutine
from typing import Any, TypeVar

import pytest

from shell.dom import TRANSLATED_EVENT, DomScreen
from shell.i18n import ENGLISH, Language
from shell.loading import Loader, PackLoadError
from shell.options import DEFAULT_PACK
from shell.ports import Browser
from shell.presenter import BONES
from shell.startup import main
from tools.catalogues import LOCALE, mo_bytes, read_catalogue

from .pack_factory import pack_data
from .shell_fakes import (
    EarlyAnswer,
    EarlyBytes,
    FakeBridge,
    FakeDocument,
    FakeFetch,
    Listeners,
    LocalPack,
    failed,
    identity_proxy,
    run_virtual,
)

PACK_TEXT = json.dumps(pack_data())
LANGUAGES = json.dumps(
    {
        "source": "en",
        "languages": [
            {"code": "en", "name": "English", "dir": "ltr"},
            {"code": "fr", "name": "Français", "dir": "ltr"},
        ],
    }
)
T = TypeVar("T")
FRENCH = mo_bytes(read_catalogue(LOCALE / "fr.po"))


def loader(files: dict[str, bytes | str | Exception]) -> tuple[Loader, FakeFetch, FakeBridge]:
    fetch = FakeFetch(files)
    bridge = FakeBridge()
    return Loader(fetch, bridge), fetch, bridge


def run(coroutine: Coroutine[Any, Any, T]) -> T:
    return run_virtual(coroutine)


# --- the loader ----------------------------------------------------------------------


@pytest.mark.parametrize(
    "answer",
    [None, "not JSON", "[1, 2]", OSError("offline")],
    ids=["missing", "broken", "not an object", "network error"],
)
def test_without_a_readable_config_the_defaults_hold(answer: str | Exception | None) -> None:
    files: dict[str, bytes | str | Exception] = {} if answer is None else {"config.json": answer}
    load, fetch, _ = loader(files)
    assert run(load.fetch_config()) == {}
    assert fetch.asked == [("config.json", "no-cache")]


def test_the_config_is_read() -> None:
    load, _, _ = loader({"config.json": '{"kiosk": true, "museum": "M"}'})
    assert run(load.fetch_config()) == {"kiosk": True, "museum": "M"}


def test_the_language_list_or_english_alone() -> None:
    load, _, _ = loader({"locale/languages.json": LANGUAGES})
    assert run(load.fetch_languages()) == (ENGLISH, Language("fr", "Français", "ltr"))
    load, _, _ = loader({})
    assert run(load.fetch_languages()) == (ENGLISH,)


def test_words_come_from_the_catalogue_and_english_needs_none() -> None:
    load, fetch, _ = loader({"locale/fr.mo": FRENCH, "locale/de.mo": b"damaged"})
    assert run(load.fetch_words("en")).language == "en"
    assert fetch.asked == []
    french = run(load.fetch_words("fr"))
    assert french.language == "fr"
    assert french.gettext("Seated-friendly") != "Seated-friendly"
    for code in ("de", "es"):  # a damaged catalogue, a missing one: English
        words = run(load.fetch_words(code))
        assert words.gettext("Seated-friendly") == "Seated-friendly"


def test_no_pack_index_means_no_choice_of_challenges() -> None:
    for files in ({}, {"levels/index.json": "{broken"}):
        load, _, _ = loader(dict(files))
        assert run(load.fetch_challenges()) == ()


@pytest.mark.parametrize(
    ("answer", "message"),
    [
        (None, "levels/x/pack.json: the server answered 404"),
        (OSError("offline"), "levels/x/pack.json: could not be fetched (offline)"),
        ('{"format_version": 1}', "levels/x/pack.json:\n"),
    ],
    ids=["missing", "network error", "invalid"],
)
def test_a_pack_that_cannot_be_loaded_says_why(
    answer: str | Exception | None, message: str
) -> None:
    files: dict[str, bytes | str | Exception] = {}
    if answer is not None:
        files["levels/x/pack.json"] = answer
    load, _, _ = loader(files)
    with pytest.raises(PackLoadError) as raised:
        run(load.fetch_pack("levels/x/pack.json"))
    assert str(raised.value).startswith(message)


def test_a_pack_is_loaded_from_the_server_or_from_this_device() -> None:
    load, _, bridge = loader({"levels/x/pack.json": PACK_TEXT})
    pack, pictures = run(load.fetch_pack("levels/x/pack.json"))
    assert pack.id == "test-pack" and pictures == {}
    bridge.local_packs["mine"] = LocalPack(
        ok=True, text=PACK_TEXT, images=json.dumps({"images/level-1.jpg": "data:image/jpeg;..."})
    )
    pack, pictures = run(load.fetch_pack("local:mine"))
    assert pack.id == "test-pack" and pictures == {"images/level-1.jpg": "data:image/jpeg;..."}
    assert bridge.called("loadLocalPack") == [("loadLocalPack", "mine")]
    with pytest.raises(PackLoadError, match="local:gone: no such pack"):
        run(load.fetch_pack("local:gone"))


# --- the page's screen ------------------------------------------------------------


def test_the_screen_listens_through_pyodides_add_event_listener() -> None:
    document, listeners = FakeDocument(), Listeners()
    screen = DomScreen(document, listeners)
    pressed: list[object] = []
    screen.on("start-button", "click", pressed.append)
    listeners.fire("start-button")
    assert len(pressed) == 1
    document.elements.clear()
    document.getElementById = lambda element_id: None  # type: ignore[method-assign,assignment,return-value]
    with pytest.raises(LookupError, match="no element with id 'skip-button'"):
        DomScreen(document, listeners).on("skip-button", "click", pressed.append)


# --- the start --------------------------------------------------------------------------


def browser(
    files: dict[str, bytes | str | Exception], query: str = "", languages: tuple[str, ...] = ()
) -> tuple[Browser, FakeBridge, FakeDocument, Listeners]:
    bridge, document, listeners = FakeBridge(), FakeDocument(), Listeners()
    page = Browser(
        bridge=bridge,
        document=document,
        fetch=FakeFetch(files),
        create_proxy=identity_proxy,
        add_event_listener=listeners,
        query=query,
        languages=languages,
    )
    return page, bridge, document, listeners


GAME_FILES: dict[str, bytes | str | Exception] = {
    "locale/languages.json": LANGUAGES,
    "locale/fr.mo": FRENCH,
    DEFAULT_PACK: PACK_TEXT,
}


def test_the_start_reads_the_browser_loads_everything_and_runs_the_loop() -> None:
    page, bridge, document, listeners = browser(GAME_FILES, "?backend=wasm", ("fr-CA", "en"))

    async def start() -> None:
        task = asyncio.ensure_future(main(page))
        while not bridge.count("publishView"):  # the loop has shown the start screen
            assert not task.done(), task.result()
            await asyncio.sleep(0.01)
        listeners.fire("start-button")
        while not bridge.count("openCamera"):
            await asyncio.sleep(0.01)
        task.cancel()

    run(start())
    assert bridge.pythonStarted
    stages = [call[1:] for call in bridge.called("setStage")]
    assert stages == [("python", "done"), ("levels", "active"), ("levels", "done")]
    assert bridge.called("setBones") == [("setBones", [list(bone) for bone in BONES])]
    assert bridge.called("loadModel") == [("loadModel", "wasm", "auto")]
    # The browser's language: the game speaks it in French.
    assert document.documentElement.lang == "fr-CA"
    assert isinstance(page.fetch, FakeFetch)
    asked = [url for url, _ in page.fetch.asked]
    assert asked[:3] == ["locale/languages.json", "config.json", "locale/fr.mo"]
    assert document.events == [TRANSLATED_EVENT]
    assert bridge.count("setRetryHandler") == 1 and bridge.count("setViewSource") == 1
    for element_id in ("start-button", "again-button", "skip-button", "screen-game"):
        assert (element_id, "click") in listeners.added


def test_a_pack_that_cannot_be_loaded_shows_its_error_and_nothing_more_starts() -> None:
    page, bridge, document, _ = browser({"locale/languages.json": LANGUAGES})
    run(main(page))
    assert bridge.called("setStage")[-1] == ("setStage", "levels", "failed")
    assert document.body.dataset.state == "error"
    assert document.body.dataset.error == "levels-invalid"
    detail = document.getElementById("error-detail").textContent
    assert detail == f"{DEFAULT_PACK}: the server answered 404"
    assert bridge.count("loadModel") == 0 and bridge.count("publishView") == 0


def test_a_model_that_does_not_load_leaves_its_error_screen_to_boot_js() -> None:
    page, bridge, _, listeners = browser(GAME_FILES)
    bridge.model = failed("model-missing")
    run(main(page))
    assert bridge.count("loadModel") == 1
    assert bridge.count("publishView") == 0 and listeners.added == {}


# --- what the page fetched before Python ran (js/early-fetch.js) -----------------------


def test_the_pages_early_answers_are_taken_instead_of_fetching_again() -> None:
    load, fetch, bridge = loader({})
    bridge.early_answers["config.json"] = EarlyAnswer(200, '{"museum": "M"}')
    bridge.early_answers["locale/languages.json"] = EarlyAnswer(200, LANGUAGES)
    bridge.early_answers["locale/fr.mo"] = EarlyAnswer(200, bytes=EarlyBytes(FRENCH))
    bridge.early_answers["levels/p.json"] = EarlyAnswer(200, PACK_TEXT)
    assert run(load.fetch_config()) == {"museum": "M"}
    assert run(load.fetch_languages())[1] == Language("fr", "Français", "ltr")
    assert run(load.fetch_words("fr")).language == "fr"
    pack, pictures = run(load.fetch_pack("levels/p.json"))
    assert len(pack.levels) > 0 and pictures == {}
    assert fetch.asked == []  # nothing asked twice


def test_an_early_request_that_failed_is_asked_again() -> None:
    load, fetch, bridge = loader({"config.json": '{"museum": "M"}'})
    bridge.early_answers["config.json"] = EarlyAnswer(0)
    assert run(load.fetch_config()) == {"museum": "M"}
    assert fetch.asked == [("config.json", "no-cache")]


def test_an_early_answer_keeps_its_http_status() -> None:
    load, fetch, bridge = loader({})
    bridge.early_answers["levels/gone.json"] = EarlyAnswer(404, "Not found")
    with pytest.raises(PackLoadError, match="answered 404"):
        run(load.fetch_pack("levels/gone.json"))
    assert fetch.asked == []
