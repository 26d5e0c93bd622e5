"""The pages in the visitor's language, through the gettext catalogues:
Italian from the URL and from an Italian browser (game, curator page and
self-test), and Arabic laid out right to left on a phone (screenshots)."""

from __future__ import annotations

import gettext
import io
import re
from pathlib import Path

import pytest
from playwright.sync_api import Page, expect

from tests.e2e.conftest import with_camera
from tests.e2e.helpers import start_game, view, wait_for_state
from tests.unit.catalogue_words import words
from tools.catalogues import LOCALE, read_catalogue, translations
from tools.messages import extract_html

VIDEO_PACK = "levels/test-video/pack.json"
PHONE = {"width": 390, "height": 844}
BOOT_MS = 90_000

# Every fixed text of a page as the page has it, with its context.
PAGE_TEXTS_JS = """() => [
  ...[...document.querySelectorAll('[data-i18n]')].map(
    (e) => [e.dataset.i18n, e.textContent.trim()]),
  ...[...document.querySelectorAll('[data-i18n-label]')].map(
    (e) => [e.dataset.i18nLabel, e.getAttribute('aria-label')]),
]"""


def english_texts(page_file: str) -> dict[str, str]:
    """context -> English text of a page, as tools/messages.py extracts it."""
    source = (Path(__file__).resolve().parents[2] / "web" / page_file).read_bytes()
    return {
        context: text
        for _, _, (context, text), _ in extract_html(io.BytesIO(source), None, None, None)
    }


def assert_page_in(page: Page, page_file: str, lang: str) -> None:
    """Every fixed text of the page is the catalogue's words for it in ``lang``."""
    english = english_texts(page_file)
    shown = page.evaluate(PAGE_TEXTS_JS)
    assert len(shown) >= len(english)
    for context, text in shown:
        expected = words(lang).pgettext(context, english[context])
        assert text == expected, (context, text, expected)
        if expected != english[context]:
            continue
        # The same words in both languages are rare: say which, so that a
        # missing translation cannot hide here.
        assert text == "…" or (context, lang) in {("start.button", "de")}, (context, text)


def test_the_url_language_italian_everywhere_in_the_game(server, open_page, artifacts) -> None:
    page = open_page(f"{server.url}/index.html?pack={VIDEO_PACK}&lang=it&nosw=1", viewport=PHONE)
    wait_for_state(page, "start")
    expect(page.locator("html")).to_have_attribute("lang", "it")
    expect(page.locator("html")).to_have_attribute("dir", "ltr")
    assert_page_in(page, "index.html", "it")
    expect(page.locator("#start-lead")).to_have_text(
        "Imita la posa della figura in ogni opera.\n5 opere, 30 secondi!"
    )
    page.screenshot(path=str(artifacts / "it-phone-start.png"))
    start_game(page)
    wait_for_state(page, "playing", timeout=60_000)
    hint = page.locator("#hint").text_content() or ""
    level_hint = view(page)["level"]["hint"]  # the pack's own words (English only)
    assert hint == level_hint or hint in {words("it").gettext(text) for text in _core_hints()}, hint
    expect(page.locator("#timer")).to_have_text(re.compile(r"^\d{1,2}$"))
    page.screenshot(path=str(artifacts / "it-phone-playing.png"))
    assert page.errors == []


def _core_hints() -> list[str]:
    from strike_a_pose.reasons import ALL_REASONS
    from strike_a_pose.verdicts import HINT_TEXTS, SIDED_HINT_TEXTS

    texts = list(HINT_TEXTS.values()) + [r.text for r in ALL_REASONS]
    return texts + [t for sides in SIDED_HINT_TEXTS.values() for t in sides.values()]


@pytest.mark.browser_context_args(locale="it-IT")  # an Italian browser
def test_an_italian_browser_gets_italian_words_and_italian_artworks(server, open_page) -> None:
    page = open_page(f"{server.url}/index.html?nosw=1")
    wait_for_state(page, "start")
    expect(page.locator("html")).to_have_attribute("lang", "it-IT")
    expect(page.locator("#start-button")).to_have_text("Gioca")
    expect(page.locator("#seated-choice")).to_have_text("Giocare da seduti")
    assert_page_in(page, "index.html", "it")
    start_game(page)
    wait_for_state(page, "framing", timeout=60_000)
    # The default pack speaks Italian too: the artwork's hint, in the story later.
    level = view(page)["level"]
    assert level["hint"] == "Raddrizza la schiena e apri bene le braccia!"
    expect(page.locator("#hint")).to_have_text("Mettiti dove la fotocamera ti vede")
    assert page.errors == []


@with_camera("tpose")
def test_the_curator_page_in_italian(server, open_page, tmp_path: Path) -> None:
    from tests.e2e.packs import extract_frame

    page = open_page(f"{server.url}/curator.html?lang=it")
    expect(page.locator("body")).to_have_attribute("data-ready", "true", timeout=BOOT_MS)
    expect(page.locator("html")).to_have_attribute("lang", "it")
    assert_page_in(page, "curator.html", "it")
    assert page.title() == "Strike a Pose: crea un pacchetto di livelli"
    picture = tmp_path / "t-pose.png"
    extract_frame(16, picture)
    page.locator("#add-images").set_input_files(str(picture))
    expect(page.locator("#status")).to_have_text(
        "Posa trovata in t-pose: controlla le articolazioni.", timeout=30_000
    )
    expect(page.locator("#joint-list label").first).to_have_text("naso")
    expect(page.locator('#weight-list label:has([data-weight="left_forearm"])')).to_have_text(
        "avambraccio sinistro"
    )
    expect(page.locator("#text-list label").first).to_contain_text("English: suggerimento")
    expect(page.locator('#text-list input[data-lang="it"]')).to_have_count(2)
    expect(page.locator('#text-list input[data-lang="ar"]').first).to_have_attribute("dir", "rtl")
    expect(page.locator("#level-artist")).to_have_value("Artista sconosciuto")
    assert page.errors == []


@with_camera("tpose")
def test_the_self_test_in_italian_and_its_plural_rules_match_pythons(server, open_page) -> None:
    page = open_page(f"{server.url}/selftest.html?lang=it")
    expect(page.locator("#summary")).not_to_have_attribute("data-status", "running", timeout=60_000)
    assert_page_in(page, "selftest.html", "it")
    summary = page.locator("#summary").text_content() or ""
    assert re.fullmatch(
        r"(OK Tutte le verifiche sono riuscite|ERRORE \d+ verific(a fallita|he fallite))", summary
    ), summary
    camera = page.locator("#check-camera")
    expect(camera).to_have_attribute("data-status", "pass")
    expect(camera.locator(".verdict")).to_have_text("OK")
    expect(camera.locator(".detail")).to_have_text(re.compile(r"^trovata, \d+\u00d7\d+ pixel$"))
    # js/i18n.js evaluates every shipped Plural-Forms as Python's gettext does.
    for code, path in translations(LOCALE):
        header = read_catalogue(path).headers["Plural-Forms"]
        expression = header.split("plural=", 1)[1].rstrip(";").strip()
        python = gettext.c2py(expression)
        counts = [*range(0, 230), 1000, 1001, 1002, 1011, 1099, 10_000]
        js = page.evaluate(
            """async ([expression, counts]) => {
                const { pluralRule } = await import('./js/i18n.js');
                const rule = pluralRule(expression);
                return counts.map((n) => rule(n));
            }""",
            [expression, counts],
        )
        assert js == [python(n) for n in counts], code
    assert page.errors == []


def _box(page: Page, selector: str) -> dict[str, float]:
    box = page.locator(selector).bounding_box()
    assert box is not None, selector
    return box


def test_arabic_lays_out_right_to_left_on_a_phone(server, open_page, artifacts) -> None:
    page = open_page(f"{server.url}/index.html?pack={VIDEO_PACK}&lang=ar&nosw=1", viewport=PHONE)
    wait_for_state(page, "start")
    expect(page.locator("html")).to_have_attribute("dir", "rtl")
    expect(page.locator("html")).to_have_attribute("lang", "ar")
    assert_page_in(page, "index.html", "ar")
    # The seated choice's box is on the left of its label's words (mirrored).
    toggle, label = _box(page, "#seated-toggle"), _box(page, "#seated-choice span")
    assert toggle["x"] > label["x"]
    page.screenshot(path=str(artifacts / "ar-phone-start.png"))

    start_game(page)
    wait_for_state(page, "playing", timeout=60_000)
    # The HUD reads from the right: the timer first, then the level dots.
    timer, dots = _box(page, "#timer"), _box(page, "#level-dots")
    assert timer["x"] > dots["x"]
    expect(page.locator("#timer")).to_have_text(re.compile(r"^\d{1,2}$"))  # digits, readable
    # The camera view is the same mirror as in any language.
    for selector in ("#camera-video", "#camera-overlay"):
        transform = page.locator(selector).evaluate("(e) => getComputedStyle(e).transform")
        assert transform == "matrix(-1, 0, 0, 1, 0, 0)", (selector, transform)
    assert page.evaluate("document.documentElement.scrollWidth") <= PHONE["width"]
    page.screenshot(path=str(artifacts / "ar-phone-playing.png"))
    wait_for_state(page, "cleared", timeout=60_000)
    expect(page.locator("#story-points")).to_have_text(re.compile(r"^\+\d+ نق"))
    page.screenshot(path=str(artifacts / "ar-phone-cleared.png"))
    assert page.errors == []
