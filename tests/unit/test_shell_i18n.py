"""The game's own words in English, French, German and Spanish."""

from __future__ import annotations

import re
import string
from pathlib import Path

import pytest

from shell.i18n import (
    HINTS,
    MESSAGES,
    PAGE_TEXTS,
    UI_LANGUAGES,
    choose_language,
    hint_text,
    message,
    page_texts,
    ui_language,
)
from shell.options import parse_options
from shell.presenter import present
from strike_a_pose import (
    GameConfig,
    NoPerson,
    PoseSeen,
    Start,
    new_game,
    parse_pack,
    step,
)
from strike_a_pose.reasons import ALL_REASONS
from strike_a_pose.verdicts import HINT_TEXTS, make_hint

ROOT = Path(__file__).resolve().parents[2]
INDEX = (ROOT / "web" / "index.html").read_text(encoding="utf-8")
OTHER_LANGUAGES = [lang for lang in UI_LANGUAGES if lang != "en"]
PACK = parse_pack((ROOT / "web" / "levels" / "default" / "pack.json").read_text()).pack
assert PACK is not None


def fields(template: str) -> set[str]:
    return {name for _, name, _, _ in string.Formatter().parse(template) if name}


def test_every_fixed_text_of_the_page_is_translated_and_every_translation_used() -> None:
    keys = set(re.findall(r'data-i18n(?:-label)?="([^"]+)"', INDEX))
    assert keys == set(PAGE_TEXTS)
    for key, texts in PAGE_TEXTS.items():
        assert sorted(texts) == sorted(OTHER_LANGUAGES), key
        assert all(text.strip() for text in texts.values()), key
    labels = set(re.findall(r'data-i18n-label="([^"]+)"', INDEX))
    assert labels == {key for key in PAGE_TEXTS if key.endswith(".label")}


def test_every_error_screen_is_translated() -> None:
    for code in re.findall(r'data-error-code="([^"]+)"', INDEX):
        assert f"error.{code}.title" in PAGE_TEXTS
        assert f"error.{code}.text" in PAGE_TEXTS


def test_every_core_hint_and_reason_has_a_translation() -> None:
    core_keys = {key for key in HINT_TEXTS if key != "show_limb"}
    core_keys |= {"show_limb.arm", "show_limb.leg"}
    core_keys |= {reason.code for reason in ALL_REASONS}
    assert set(HINTS) == core_keys
    for key, texts in HINTS.items():
        assert sorted(texts) == sorted(OTHER_LANGUAGES), key


def test_messages_exist_in_every_language_with_the_same_parameters() -> None:
    for key, texts in MESSAGES.items():
        assert sorted(texts) == sorted(UI_LANGUAGES), key
        for lang, template in texts.items():
            assert fields(template) == fields(texts["en"]), (key, lang)


@pytest.mark.parametrize("lang", UI_LANGUAGES)
def test_every_hint_formats_for_both_sides_without_leftover_braces(lang: str) -> None:
    for key in HINT_TEXTS:
        for side in ("left", "right"):
            params = {"side": side, "part": "arm"} if key == "show_limb" else {"side": side}
            if "{side}" not in HINT_TEXTS[key] and key != "show_limb":
                params = {}
            text = hint_text(make_hint(key, None, **params).to_view(), lang)
            assert text and "{" not in text and "}" not in text, (key, text)


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
    ],
)
def test_side_words_agree_with_the_noun(key: str, side: str, lang: str, expected: str) -> None:
    assert hint_text(make_hint(key, None, side=side).to_view(), lang) == expected


def test_show_limb_picks_the_noun_by_part() -> None:
    arm = make_hint("show_limb", None, side="left", part="arm").to_view()
    leg = make_hint("show_limb", None, side="left", part="leg").to_view()
    assert hint_text(arm, "fr") == "Montre-nous ton bras gauche"
    assert hint_text(leg, "de") == "Zeig uns dein linkes Bein"


def test_framing_reasons_are_translated_by_code() -> None:
    for reason in ALL_REASONS:
        assert hint_text(reason.to_view(), "en") == reason.text
        assert hint_text(reason.to_view(), "es") == HINTS[reason.code]["es"]


def test_unknown_language_or_key_falls_back_to_the_core_english_text() -> None:
    view = make_hint("raise_arm", None, side="left").to_view()
    assert hint_text(view, "it") == "Raise your left arm higher"
    assert hint_text({"key": "new_hint", "params": {}, "text": "Jump!"}, "fr") == "Jump!"
    odd = {"key": "raise_arm", "params": {"side": "up"}, "text": "Raise it"}
    assert hint_text(odd, "fr") == "Lève ton bras up plus haut"  # unknown side: as given


@pytest.mark.parametrize(
    ("tag", "expected"), [("fr", "fr"), ("fr-CA", "fr"), ("DE-at", "de"), ("it", "en"), ("", "en")]
)
def test_ui_language_uses_the_primary_subtag(tag: str, expected: str) -> None:
    assert ui_language(tag) == expected


def test_the_browser_language_is_used_unless_the_url_or_config_says_otherwise() -> None:
    assert choose_language(["it-IT", "de-AT", "fr"]) == "de-AT"
    assert choose_language(["it", "pt-BR"]) is None
    assert parse_options("", None, ["es-MX", "en"]).lang == "es-MX"
    assert parse_options("", None, ["it"]).lang == "en"
    assert parse_options("?lang=en", None, ["es-MX"]).lang == "en"
    assert parse_options("", {"lang": "fr"}, ["es-MX"]).lang == "fr"


def test_page_texts_are_empty_in_english_and_complete_in_german() -> None:
    assert page_texts("en") == {}
    german = page_texts("de-CH")
    assert set(german) == set(PAGE_TEXTS)
    assert german["start.button"] == "Start"
    assert german["results.again"] == "Nochmal spielen"


def test_the_start_lead_counts_the_levels_and_the_seconds() -> None:
    view = new_game(PACK, GameConfig(total_ms=45_000)).to_view(0.0)
    assert present(view, "en").texts["start-lead"].endswith("5 artworks, 45 seconds!")
    assert "45 secondes" in present(view, "fr").texts["start-lead"]
    assert present(view, "de", kiosk=True).texts["start-lead"] == message("de", "start.kiosk_lead")


def test_a_french_game_reads_in_french_from_framing_to_results() -> None:
    state = new_game(PACK, GameConfig(), language="fr")
    now = 0.0
    state = step(state, Start(), now)
    state = step(state, NoPerson(), now + 10)
    framing = present(state.to_view(now), "fr")
    assert framing.texts["countdown"] == "Entre dans l'image"
    assert framing.texts["hint"] == "Place-toi là où la caméra te voit"
    target = PACK.levels[0].reference_pose()
    while state.phase.value != "level_cleared":
        now += 50.0
        state = step(state, PoseSeen(target.copy()), now)
    cleared = present(state.to_view(now), "fr")
    assert cleared.texts["story-about"] == PACK.levels[0].texts["fr"].about
    assert cleared.texts["story-points"].endswith(" points")
    assert cleared.attributes[("artwork-image", "alt")].endswith(f", par {PACK.levels[0].artist}")
    while state.phase.value != "results":
        now += 100.0
        state = step(state, NoPerson(), now)
    results = present(state.to_view(now), "fr")
    assert results.texts["results-title"] == "Temps écoulé !"
    assert results.texts["results-score"].startswith("Score : ")
    assert results.gallery[0].outcome.startswith("Réussi en ")
    assert results.gallery[1].outcome == "Manqué"
    assert results.gallery[1].about_label == "À propos de cette œuvre"
    assert results.gallery[1].about == PACK.levels[1].texts["fr"].about
