"""The game's own words in every language, through the gettext catalogues."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from shell.i18n import (
    Words,
    choose_language,
    fill,
    hint_text,
    parse_languages,
    ui_language,
)
from shell.options import parse_options
from shell.presenter import present
from strike_a_pose import GameConfig, NoPerson, PoseSeen, Start, new_game, parse_pack, step
from strike_a_pose.reasons import ALL_REASONS, SEATED_REASONS
from strike_a_pose.verdicts import HINT_TEXTS, SIDED_HINT_TEXTS, make_hint
from strike_a_pose.wording import PART_LABELS
from tools.catalogues import LOCALE, TEMPLATE_NAME, read_catalogue

from .catalogue_words import SHIPPED, words

ROOT = Path(__file__).resolve().parents[2]
PAGES = {
    name: (ROOT / "web" / name).read_text(encoding="utf-8")
    for name in (
        "index.html",
        "curator.html",
        "selftest.html",
    )
}
TEMPLATE = read_catalogue(LOCALE / TEMPLATE_NAME)
PACK = parse_pack((ROOT / "web" / "levels" / "default" / "pack.json").read_text()).pack
assert PACK is not None
SPOKEN = ("en", *SHIPPED)


def core_texts() -> list[str]:
    texts = list(HINT_TEXTS.values())
    texts += [text for sides in SIDED_HINT_TEXTS.values() for text in sides.values()]
    texts += [reason.text for reason in ALL_REASONS]
    texts += [reason.text for reason in SEATED_REASONS.values()]
    return texts + list(PART_LABELS.values())


def test_italian_and_arabic_are_shipped_with_the_others() -> None:
    assert {"fr", "de", "es", "it", "ar"} <= set(SHIPPED)


def test_every_core_hint_reason_and_body_part_is_a_message_of_the_template() -> None:
    for text in core_texts():
        assert TEMPLATE.find(None, text) is not None, text


@pytest.mark.parametrize("page", sorted(PAGES))
def test_every_fixed_text_of_the_pages_is_a_message_in_its_context(page: str) -> None:
    contexts = re.findall(r'data-i18n(?:-label)?="([^"]+)"', PAGES[page])
    assert contexts
    known = {entry.context for entry in TEMPLATE.entries}
    assert set(contexts) <= known


def test_every_error_screen_has_its_title_and_text() -> None:
    known = {entry.context for entry in TEMPLATE.entries}
    for code in re.findall(r'data-error-code="([^"]+)"', PAGES["index.html"]):
        assert {f"error.{code}.title", f"error.{code}.text"} <= known


@pytest.mark.parametrize("lang", SPOKEN)
def test_every_core_text_has_words_without_leftover_braces(lang: str) -> None:
    for text in core_texts():
        translated = words(lang).gettext(text)
        assert translated and "{" not in translated, (lang, text)
        if lang != "en":
            assert translated != text or text in ("torso",), (lang, text)


@pytest.mark.parametrize(
    ("key", "side", "lang", "expected"),
    [
        ("raise_arm", "left", "en", "Raise your left arm higher"),
        ("raise_arm", "right", "fr", "Lève ton bras droit plus haut"),
        ("raise_leg", "right", "fr", "Lève ta jambe droite plus haut"),
        ("raise_arm", "left", "de", "Heb deinen linken Arm höher"),
        ("raise_leg", "left", "de", "Heb dein linkes Bein höher"),
        ("lower_hand", "right", "de", "Senk deine rechte Hand"),
        ("bend_knee", "left", "es", "Dobla tu rodilla izquierda"),
        ("raise_foot", "right", "es", "Sube más tu pie derecho"),
        ("raise_arm", "left", "it", "Alza di più il braccio sinistro"),
        ("raise_hand", "right", "it", "Alza di più la mano destra"),
        ("bend_knee", "left", "it", "Piega il ginocchio sinistro"),
        ("raise_arm", "left", "ar", "ارفع ذراعك اليسرى أعلى"),
        ("lower_foot", "right", "ar", "أنزل قدمك اليمنى"),
        ("show_arm", "left", "fr", "Montre-nous ton bras gauche"),
        ("show_leg", "left", "de", "Zeig uns dein linkes Bein"),
        ("show_leg", "right", "it", "Facci vedere la gamba destra"),
    ],
)
def test_side_words_agree_with_the_noun(key: str, side: str, lang: str, expected: str) -> None:
    assert hint_text(make_hint(key, None, side=side).to_view(), words(lang)) == expected


def test_framing_reasons_are_translated_by_their_english() -> None:
    for reason in ALL_REASONS:
        assert hint_text(reason.to_view(), words("en")) == reason.text
    no_person = next(r for r in ALL_REASONS if r.code == "no_person")
    assert hint_text(no_person.to_view(), words("es")) == "Entra en la imagen"
    assert hint_text(no_person.to_view(), words("it")) == "Entra nell'inquadratura"
    seated_hips = SEATED_REASONS["show_hips"]
    assert "Allontanati" in hint_text(seated_hips.to_view(), words("it"))


def test_a_message_no_catalogue_has_shows_its_english() -> None:
    assert hint_text({"key": "new_hint", "params": {}, "text": "Jump!"}, words("fr")) == "Jump!"
    assert words("it").pgettext("no.such.context", "Plain English") == "Plain English"


def test_placeholders_are_filled_by_name_only() -> None:
    assert fill("{a} and {b}", {"a": 1, "b": "two"}) == "1 and two"
    assert fill("{a.__class__} {0} {missing}", {"a": 1}) == "{a.__class__} {0} {missing}"
    assert fill("no braces", {}) == "no braces"


@pytest.mark.parametrize(
    ("lang", "counts"),
    [
        ("en", {1: "1 artwork", 2: "2 artworks", 0: "0 artworks"}),
        ("fr", {0: "0 œuvre", 1: "1 œuvre", 2: "2 œuvres"}),
        ("it", {1: "1 opera", 5: "5 opere"}),
        ("de", {1: "1 Kunstwerk", 5: "5 Kunstwerke"}),
        (
            "ar",
            {
                0: "لا أعمال فنية",
                1: "عمل فني واحد",
                2: "عملان فنيان",
                5: "5 أعمال فنية",
                11: "11 عملًا فنيًا",
                100: "100 عمل فني",
                103: "103 أعمال فنية",
            },
        ),
    ],
)
def test_plural_forms_come_from_the_catalogue(lang: str, counts: dict[int, str]) -> None:
    for count, expected in counts.items():
        assert words(lang).ngettext("{count} artwork", "{count} artworks", count) == expected


def test_the_text_direction_and_decimal_mark_come_from_the_catalogue() -> None:
    assert words("ar").direction == "rtl"
    assert all(words(lang).direction == "ltr" for lang in ("en", "fr", "it"))
    assert words("it").decimal(4.25) in ("4,2", "4,3")
    assert words("en").decimal(12.0) == "12.0"


def test_languages_list() -> None:
    text = '{"languages": [{"code": "en", "name": "English", "dir": "ltr"},'
    text += ' {"code": "ar", "name": "العربية", "dir": "rtl"}]}'
    languages = parse_languages(text)
    assert [(x.code, x.direction) for x in languages] == [("en", "ltr"), ("ar", "rtl")]
    assert [x.code for x in parse_languages("not json")] == ["en"]
    assert [
        x.code
        for x in parse_languages('{"languages": [{"code": "it", "name": "I", "dir": "ltr"}]}')
    ] == ["en", "it"]


@pytest.mark.parametrize(
    ("tag", "expected"),
    [("fr", "fr"), ("fr-CA", "fr"), ("DE-at", "de"), ("it", "it"), ("pt-BR", "en"), ("", "en")],
)
def test_ui_language_uses_the_exact_tag_then_the_primary_subtag(tag: str, expected: str) -> None:
    assert ui_language(tag, SPOKEN) == expected
    assert ui_language("pt-BR", ("en", "pt-BR", "pt")) == "pt-BR"


def test_the_browser_language_is_used_unless_the_url_or_config_says_otherwise() -> None:
    assert choose_language(["sv-SE", "it-IT", "de-AT"], SPOKEN) == "it-IT"
    assert choose_language(["sv", "pt-BR"], SPOKEN) is None
    assert parse_options("", None, ["es-MX", "en"], SPOKEN).lang == "es-MX"
    assert parse_options("", None, ["it"], SPOKEN).lang == "it"
    assert parse_options("", None, ["it"], ("en",)).lang == "en"
    assert parse_options("?lang=en", None, ["es-MX"], SPOKEN).lang == "en"
    assert parse_options("", {"lang": "ar"}, ["es-MX"], SPOKEN).lang == "ar"


def test_the_start_lead_counts_the_levels_and_the_seconds() -> None:
    view = new_game(PACK, GameConfig(total_ms=45_000)).to_view(0.0)
    assert present(view).texts["start-lead"].endswith("5 artworks, 45 seconds!")
    assert "5 œuvres, 45 secondes !" in present(view, words("fr")).texts["start-lead"]
    assert "5 opere, 45 secondi!" in present(view, words("it")).texts["start-lead"]
    assert "5 أعمال فنية، 45 ثانية!" in present(view, words("ar")).texts["start-lead"]
    kiosk = present(view, words("de"), kiosk=True).texts["start-lead"]
    assert kiosk == "Komm vor die Kamera, um zu spielen!"


@pytest.mark.parametrize(
    ("lang", "framing", "hint", "alt", "title", "score", "cleared", "missed", "about"),
    [
        (
            "fr",
            "Entre dans l'image",
            "Place-toi là où la caméra te voit",
            ", par ",
            "Temps écoulé !",
            "Score : ",
            "Réussi en ",
            "Manqué",
            "À propos de cette œuvre",
        ),
        (
            "it",
            "Entra nell'inquadratura",
            "Mettiti dove la fotocamera ti vede",
            " di ",
            "Tempo scaduto!",
            "Punteggio: ",
            "Fatto in ",
            "Mancata",
            "Su quest'opera",
        ),
    ],
)
def test_a_game_reads_in_the_visitors_language_from_framing_to_results(
    lang: str,
    framing: str,
    hint: str,
    alt: str,
    title: str,
    score: str,
    cleared: str,
    missed: str,
    about: str,
) -> None:
    w = words(lang)
    state = new_game(PACK, GameConfig(), language=lang)
    now = 0.0
    state = step(state, Start(), now)
    state = step(state, NoPerson(), now + 10)
    shown = present(state.to_view(now), w)
    assert shown.texts["countdown"] == framing
    assert shown.texts["hint"] == hint
    target = PACK.levels[0].reference_pose()
    while state.phase.value != "level_cleared":
        now += 50.0
        state = step(state, PoseSeen(target.copy()), now)
    shown = present(state.to_view(now), w)
    assert shown.texts["story-about"] == PACK.levels[0].texts[lang].about
    assert re.fullmatch(r"\+\d+ punt[oi]|\+\d+ points?", shown.texts["story-points"])
    assert alt + PACK.levels[0].artist in shown.attributes[("artwork-image", "alt")]
    while state.phase.value != "results":
        now += 100.0
        state = step(state, NoPerson(), now)
    shown = present(state.to_view(now), w)
    assert shown.texts["results-title"] == title
    assert shown.texts["results-score"].startswith(score)
    assert shown.gallery[0].outcome.startswith(cleared)
    assert re.search(r"\d,\d s$", shown.gallery[0].outcome)  # the language's decimal mark
    assert shown.gallery[1].outcome == missed
    assert shown.gallery[1].about_label == about
    assert shown.gallery[1].about == PACK.levels[1].texts[lang].about


def test_a_seated_visitor_is_not_asked_to_stand() -> None:
    state = step(new_game(PACK), Start(), 0.0)
    view = {**state.to_view(0.0), "seated": True}
    assert present(view).texts["hint"] == "Move to where the camera can see you"
    assert present(view, words("it")).texts["hint"] == "Spostati dove la fotocamera ti vede"


def test_words_default_to_english() -> None:
    assert Words().gettext("Get ready!") == "Get ready!"
    assert Words().direction == "ltr"
