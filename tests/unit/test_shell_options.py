"""The page's URL options: good values are read, bad ones named and ignored."""

from __future__ import annotations

import pytest

from shell.options import DEFAULT_PACK, DIFFICULTIES, Options, parse_options
from strike_a_pose import NORMAL, PRESETS
from strike_a_pose.levelpack import load_pack

from .pack_factory import pack_data


def test_defaults() -> None:
    assert parse_options("") == Options()
    assert parse_options("?") == Options()


def test_good_values_are_read() -> None:
    options = parse_options(
        "?pack=levels/museum/pack.json&difficulty=child&seconds=45&backend=wasm&debug=1&lang=fr"
    )
    assert options == Options("levels/museum/pack.json", "child", 45, "wasm", True, "fr")


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("pack=https://evil.example/pack.json", "pack='https://evil.example/pack.json'"),
        ("pack=//evil.example/pack.json", "pack="),
        ("pack=../secret.json", "pack='../secret.json'"),
        ("pack=levels/../../x.json", "pack="),
        ("pack=/etc/passwd.json", "pack="),
        ("pack=levels/pack.txt", "pack="),
        ("difficulty=insane", "difficulty='insane'"),
        ("seconds=5", "seconds='5'"),
        ("seconds=601", "seconds='601'"),
        ("seconds=-30", "seconds='-30'"),
        ("seconds=abc", "seconds='abc'"),
        ("backend=webgpu", "backend='webgpu'"),
        ("detector=gpu", "detector='gpu'"),
        ("lang=<script>", "lang="),
    ],
)
def test_bad_values_keep_the_default_and_are_named(query: str, named: str) -> None:
    options = parse_options(query)
    assert len(options.problems) == 1
    assert named in options.problems[0]
    key = query.split("=")[0]
    assert getattr(options, key) == getattr(Options(), key)


def test_where_the_detector_runs() -> None:
    assert parse_options("").detector == "auto"
    for mode in ("auto", "worker", "main"):
        assert parse_options(f"detector={mode}").detector == mode
    assert parse_options("", {"detector": "main"}).detector == "main"


def test_last_value_wins_and_debug_off_words() -> None:
    assert parse_options("difficulty=child&difficulty=hard").difficulty == "hard"
    for off in ("0", "false", "no", ""):
        assert parse_options(f"debug={off}").debug is False
    assert parse_options("pack=levels/a_b-c/p.json").pack == "levels/a_b-c/p.json"
    assert parse_options("").pack == DEFAULT_PACK


def test_kiosk_from_the_url_or_the_config_file_and_the_url_wins() -> None:
    assert parse_options("kiosk=1").kiosk is True
    assert parse_options("", {"kiosk": True}).kiosk is True
    assert parse_options("kiosk=0", {"kiosk": True}).kiosk is False
    museum = parse_options("", {"kiosk": True, "pack": "levels/ours/pack.json", "seconds": 40})
    assert (museum.pack, museum.seconds, museum.problems) == ("levels/ours/pack.json", 40, ())
    assert parse_options("seconds=20", {"seconds": 40}).seconds == 20


def test_config_file_problems_are_named() -> None:
    options = parse_options("", {"kisok": True, "seconds": [30], "difficulty": "nope"})
    assert options == Options(problems=options.problems)
    text = " | ".join(options.problems)
    assert "unknown key 'kisok'" in text
    assert "seconds must be" in text
    assert "difficulty='nope'" in text


def test_a_pack_saved_on_this_device() -> None:
    assert parse_options("pack=local:my-museum").pack == "local:my-museum"
    for bad in ("local:", "local:../x", "local:My Museum", "local:a/b", "locale:x"):
        options = parse_options(f"pack={bad}")
        assert options.pack == DEFAULT_PACK, bad
        assert options.problems


def test_reading_bounds_and_the_museum_name_are_read() -> None:
    options = parse_options("?reading_min=2&reading_max=7.5", {"museum": "  Musée\tdes  Arts "})
    assert (options.reading_min, options.reading_max) == (2.0, 7.5)
    assert options.museum == "Musée des Arts"  # one line, spaces folded
    assert options.problems == ()
    from_file = parse_options("", {"reading_max": 12.5, "reading_min": 3})
    assert (from_file.reading_min, from_file.reading_max) == (3.0, 12.5)


@pytest.mark.parametrize(
    ("query", "named"),
    [
        ("reading_min=0.5", "reading_min='0.5' is not a number of seconds from 1 to 60"),
        ("reading_max=61", "reading_max='61' is not a number of seconds from 1 to 60"),
        ("reading_max=nan", "reading_max='nan'"),
        ("reading_min=soon", "reading_min='soon'"),
        ("museum=" + "M" * 81, "museum is 81 characters long, at most 80"),
    ],
)
def test_bad_reading_bounds_and_museum_names_are_named_and_ignored(query: str, named: str) -> None:
    options = parse_options("?" + query)
    assert (options.reading_min, options.reading_max, options.museum) == (None, None, "")
    assert len(options.problems) == 1 and named in options.problems[0]


def test_seated_play_can_be_the_default_or_the_only_way() -> None:
    assert parse_options("").seated is False and parse_options("").seated_choice is True
    assert parse_options("?seated=1").seated is True
    museum = parse_options("", {"seated": True, "seated_choice": False})
    assert museum.seated is True and museum.seated_choice is False
    assert parse_options("?seated=0", {"seated": True}).seated is False  # the URL wins


def test_the_challenges_offered_come_from_config_or_the_url() -> None:
    assert parse_options("").packs is None
    assert parse_options("", {"packs": ["ours", "default"]}).packs == ("ours", "default")
    assert parse_options("?packs=default,ours").packs == ("default", "ours")
    bad = parse_options("", {"packs": ["Not an id!"]})
    assert bad.packs is None and bad.problems == ("packs='Not an id!' is not a list of pack ids",)
    wrong_type = parse_options("", {"packs": [1, 2]})
    assert wrong_type.packs is None
    assert wrong_type.problems == ("config.json: packs must be text, a number or true/false",)


def test_play_statistics_are_on_for_a_kiosk_and_off_for_a_visitor_unless_configured() -> None:
    assert parse_options("").stats is False
    assert parse_options("kiosk=1").stats is True
    assert parse_options("", {"kiosk": True}).stats is True
    # config.json changes either default; the one that applies follows kiosk mode.
    assert parse_options("", {"kiosk": True, "stats_kiosk": False}).stats is False
    assert parse_options("", {"stats_visitor": True}).stats is True
    assert parse_options("", {"stats_visitor": True, "stats_kiosk": False}).stats is True
    assert parse_options("kiosk=1", {"stats_visitor": True, "stats_kiosk": False}).stats is False
    # The URL wins over the file, as for every option.
    assert parse_options("stats_kiosk=1", {"kiosk": True, "stats_kiosk": False}).stats is True
    assert parse_options("stats_visitor=off", {"stats_visitor": True}).stats is False
    assert parse_options("", {"kiosk": True, "stats_kiosk": False}).problems == ()


def test_the_difficulties_are_the_cores_presets() -> None:
    assert DIFFICULTIES == tuple(PRESETS) == ("child", "normal", "hard")
    assert Options().difficulty == NORMAL.name
    for name in PRESETS:
        assert parse_options(f"difficulty={name}").difficulty == name


TAGS = ["en", "fr", "pt-BR", "zh-Hant-TW", "sr-Latn-RS-x1", "ast", "EN", "e", "english", "fr_CA"]
TAGS += ["pt-", "a-b-c", "de-1996", "en-a-b-c-d", "<script>", "", "de-CH-1901-x", "x" * 9]


@pytest.mark.parametrize("tag", TAGS)
def test_lang_accepts_exactly_the_language_tags_a_pack_may_have(tag: str) -> None:
    # The visitor's ?lang= chooses among a pack's languages: the same rule.
    data = pack_data()  # texts in en and fr
    data["languages"] = ["en", "fr"] + ([tag] if tag not in ("en", "fr") else [])
    pack_accepts = load_pack(data).ok
    assert (parse_options(f"lang={tag}").lang == tag) == pack_accepts, tag


@pytest.mark.parametrize("pack_id", ["default", "our-museum_2", "a" * 64, "a" * 65, "Ours", "-x"])
def test_challenges_and_local_packs_are_named_by_ids_a_pack_may_have(pack_id: str) -> None:
    data = pack_data()
    data["id"] = pack_id
    pack_accepts = load_pack(data).ok
    assert (parse_options(f"packs={pack_id}").packs == (pack_id,)) == pack_accepts
    assert (parse_options(f"pack=local:{pack_id}").pack == f"local:{pack_id}") == pack_accepts
