import json
import math
import re
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from strike_a_pose.difficulty import NORMAL
from strike_a_pose.keypoints import LIMB_BY_NAME
from strike_a_pose.levelpack import MAX_PACK_CHARS, LevelText, load_pack, parse_pack
from strike_a_pose.packcheck import shown_limbs
from strike_a_pose.similarity import WEIGHTABLE_NAMES, settings_for

from .pack_factory import level_data, pack_data
from .synthetic_poses import ARMS_DOWN, T_POSE, make_pose


def problems_of(data: object) -> list[str]:
    result = load_pack(data)
    assert result.pack is None
    assert result.problems
    return result.messages()


def test_valid_pack_loads_with_defaults() -> None:
    result = load_pack(pack_data())
    assert result.ok and not result.problems
    pack = result.pack
    assert pack is not None
    assert (pack.id, pack.title, pack.languages, pack.default_language) == (
        "test-pack",
        "Test pack",
        ("en", "fr"),
        "en",
    )
    level = pack.levels[0]
    assert len(pack.levels) == 5
    assert level.image == "images/level-1.jpg"
    assert level.image_size == (640, 560)
    assert level.keypoints[0][2] == 1.0  # [x, y] means fully shown
    assert level.reference_pose().shape == (17, 3)
    assert (level.tolerance, level.mirror_ok, level.upper_body_only, dict(level.weights)) == (
        1.0,
        True,
        False,
        {},
    )
    assert level.text("fr", "en") == LevelText("Tiens-toi droit", "Une figure.")
    assert level.text("de", "en").hint == "Stand tall"


def test_optional_fields_are_read() -> None:
    data = pack_data()
    data["levels"][0].update(
        weights={"left_forearm": 2.0, "right_wrist": 0.0},
        tolerance=1.5,
        mirror_ok=False,
        upper_body_only=True,
    )
    data["levels"][0]["keypoints"][16] = [300.0, 500.0, 0.0]
    pack = load_pack(data).pack
    assert pack is not None
    level = pack.levels[0]
    assert level.weights == {"left_forearm": 2.0, "right_wrist": 0.0}
    assert (level.tolerance, level.mirror_ok, level.upper_body_only) == (1.5, False, True)
    assert level.keypoints[16] == (300.0, 500.0, 0.0)


def test_parse_pack_round_trips_json() -> None:
    result = parse_pack(json.dumps(pack_data()))
    assert result.ok


def mutate(path: list[Any], value: Any) -> dict[str, Any]:
    data = pack_data()
    target: Any = data
    for key in path[:-1]:
        target = target[key]
    if value is DELETE:
        del target[path[-1]]
    else:
        target[path[-1]] = value
    return data


DELETE = object()

CASES = [
    (["format_version"], 2, 'pack: "format_version" is 2; this game reads version 1'),
    (["format_version"], True, 'pack: "format_version" is true'),
    (["id"], "Bad Id!", 'pack: "id" "Bad Id!" must be'),
    (["title"], 42, 'pack: "title" must be a string, got number'),
    (["title"], "   ", 'pack: "title" is empty'),
    (["title"], DELETE, 'pack: missing required field "title" in the pack'),
    (["colour"], "red", 'pack: unknown field "colour" in the pack'),
    (["languages"], [], 'pack: "languages" must be an array of 1 to 20 language codes, got 0'),
    (["languages"], ["en", "en"], 'pack: "languages" lists a language twice'),
    (["languages"], ["en", "<b>"], 'pack: "languages" entry 1 "<b>" is not a language code'),
    (["default_language"], "de", 'pack: "default_language" "de" is not in "languages"'),
    (["levels"], [], 'pack: "levels" has 0 levels, expected 1 to 20'),
    (["levels"], {}, 'pack: "levels" must be an array, got object'),
    (["levels", 2], "level", "level 3: the level must be an object, got string"),
    (["levels", 2, "keypoints"], [[1, 2]] * 16, 'level 3: "keypoints" has 16 entries, expected 17'),
    (
        ["levels", 0, "keypoints", 5],
        [1, 2, 3, 4],
        'level 1: "keypoints" entry 5 (left_shoulder) must be [x, y] or [x, y, score], got 4',
    ),
    (
        ["levels", 0, "keypoints", 9, 0],
        "12",
        'level 1: "keypoints" entry 9 (left_wrist) x must be a number, got string "12"',
    ),
    (
        ["levels", 0, "keypoints", 9, 1],
        1e308,
        'level 1: "keypoints" entry 9 (left_wrist) y = 1e+308 is outside [-560, 1120]',
    ),
    (
        ["levels", 0, "keypoints", 9],
        [1, 2, 1.5],
        'level 1: "keypoints" entry 9 (left_wrist) score = 1.5 is outside [0, 1]',
    ),
    (
        ["levels", 0, "keypoints", 5],
        [300, 150, 0.0],
        'level 1: "keypoints": both shoulders must be shown',
    ),
    (["levels", 0, "image_size"], [640], 'level 1: "image_size" must be [width, height], got 1'),
    (["levels", 0, "image_size"], [640, 0], 'level 1: "image_size" height = 0 is outside'),
    (["levels", 0, "image_size"], [640.5, 480], "must be a whole number of pixels"),
    (["levels", 0, "image_size"], [10**9, 480], 'level 1: "image_size" width = 1000000000'),
    (
        ["levels", 1, "image"],
        "../secret.jpg",
        'level 2: "image" "../secret.jpg" must not contain ".."',
    ),
    (["levels", 1, "image"], "a/../../b.jpg", 'must not contain ".."'),
    (["levels", 1, "image"], "/etc/passwd.jpg", "must be a relative path"),
    (["levels", 1, "image"], "C:\\x.jpg", "not a URL"),
    (["levels", 1, "image"], "images\\x.jpg", "must be a relative path with / separators"),
    (
        ["levels", 1, "image"],
        "https://evil.example/x.jpg",
        "must be a relative file path, not a URL",
    ),
    (["levels", 1, "image"], "javascript:alert(1)", "not a URL"),
    (["levels", 1, "image"], "//evil.example/x.jpg", "not a URL"),
    (["levels", 1, "image"], "images/.hidden.jpg", "no empty or hidden"),
    (["levels", 1, "image"], "images//x.jpg", "no empty or hidden"),
    (["levels", 1, "image"], "images/x.jpg?v=1", "may only use letters"),
    (["levels", 1, "image"], "images/x.bmp", "must end with one of .jpg"),
    (["levels", 0, "title"], ["Mona"], 'level 1: "title" must be a string, got array'),
    (["levels", 0, "title"], None, 'level 1: "title" must be a string, got null'),
    (["levels", 0, "artist"], "x" * 201, 'level 1: "artist" is 201 characters long, at most 200'),
    (["levels", 0, "credit"], "Line\u0000break", "has a control character U+0000 at position 4"),
    (["levels", 0, "title"], "Two\nlines", "has a control character U+000A"),
    (["levels", 0, "date"], DELETE, 'level 1: missing required field "date" in the level'),
    (["levels", 0, "mirrorOk"], True, 'level 1: unknown field "mirrorOk" in the level'),
    (["levels", 0, "mirror_ok"], "yes", 'level 1: "mirror_ok" must be true or false, got string'),
    (["levels", 0, "upper_body_only"], 1, '"upper_body_only" must be true or false, got number'),
    (["levels", 0, "tolerance"], 0.1, 'level 1: "tolerance" = 0.1 is outside [0.25, 4]'),
    (["levels", 0, "weights"], {"left_hand": 1}, '"weights" has unknown name "left_hand"'),
    (["levels", 0, "weights"], {"torso": -1}, '"weights" "torso" = -1 is outside [0, 10]'),
    (["levels", 0, "weights"], [1, 2], '"weights" must be an object, got array'),
    (["levels", 0, "texts", "de"], {"hint": "a", "about": "b"}, 'level 1: "texts" "de" is not one'),
    (["levels", 0, "texts", "en"], DELETE, '"texts" has no entry for the default language "en"'),
    (["levels", 0, "texts", "fr", "hint"], 3, 'level 1: "texts" "fr" hint must be a string'),
    (
        ["levels", 0, "texts", "fr", "about"],
        DELETE,
        'missing required field "about" in "texts" "fr"',
    ),
    (["levels", 0, "texts", "fr", "extra"], "x", 'unknown field "extra" in "texts" "fr"'),
    (["levels", 0, "texts", "fr", "about"], "x" * 1201, "at most 1200 allowed"),
]


@pytest.mark.parametrize(("path", "value", "expected"), CASES)
def test_each_problem_is_reported_with_its_location(
    path: list[Any], value: Any, expected: str
) -> None:
    messages = problems_of(mutate(path, value))
    assert any(expected in m for m in messages), messages


def test_figure_needs_two_limbs_with_weight() -> None:
    data = pack_data()
    # Leaves two weighted limbs: the torso and the left shin.
    weights = dict.fromkeys(("left_upper_arm", "right_upper_arm", "left_thigh", "right_thigh"), 0.0)
    weights |= {"left_wrist": 0.0, "right_wrist": 0.0, "right_ankle": 0.0}
    data["levels"][0]["weights"] = weights
    assert load_pack(data).ok
    weights["left_ankle"] = 0.0
    assert 'level 1: "keypoints": only 1 limb(s) shown with weight > 0, at least 2 needed' in (
        problems_of(data)
    )


def test_many_problems_are_all_reported_at_once() -> None:
    data = pack_data()
    data["title"] = 5
    data["levels"][0]["keypoints"] = data["levels"][0]["keypoints"][:16]
    data["levels"][1]["image"] = "../x.jpg"
    data["levels"][2]["title"] = {"en": "x"}
    data["levels"][4]["tolerance"] = math.nan
    messages = problems_of(data)
    assert len(messages) == 5, messages
    for where in ("pack:", "level 1:", "level 2:", "level 3:", "level 5:"):
        assert any(m.startswith(where) for m in messages), (where, messages)


def test_html_in_text_is_kept_verbatim() -> None:
    title = '<img src=x onerror="alert(1)"> & <b>Venus</b>'
    data = pack_data()
    data["levels"][0]["title"] = title
    data["title"] = "Tom & Jerry's <pack>"
    pack = load_pack(data).pack
    assert pack is not None
    assert pack.levels[0].title == title
    assert pack.title == "Tom & Jerry's <pack>"


def test_unicode_text_is_fine() -> None:
    data = pack_data()
    data["levels"][0]["title"] = "La Liberté guidant le peuple — 自由"
    assert load_pack(data).ok


@pytest.mark.parametrize("value", [math.nan, math.inf, -math.inf, 1e308, -1e308])
def test_non_finite_and_absurd_coordinates_are_rejected(value: float) -> None:
    data = pack_data()
    data["levels"][0]["keypoints"][3][0] = value
    messages = problems_of(data)
    assert any('"keypoints" entry 3 (left_ear) x' in m for m in messages), messages


def test_too_many_levels() -> None:
    data = pack_data((T_POSE, ARMS_DOWN) * 11)
    assert 'pack: "levels" has 22 levels, expected 1 to 20' in problems_of(data)


@pytest.mark.parametrize("data", [None, [], "pack", 3, True])
def test_pack_that_is_not_an_object(data: object) -> None:
    assert problems_of(data)[0].startswith("pack: the pack must be an object")


def test_problem_list_is_capped() -> None:
    data = pack_data()
    for level in data["levels"]:
        level["keypoints"] = [["x", "y"]] * 17
    messages = problems_of(data)
    assert len(messages) == 101
    assert messages[-1].startswith("pack: ... and ")


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("", "JSON: syntax error at line 1, column 1"),
        ('{"title": "x",}', "JSON: syntax error at line 1"),
        ('{"a": NaN}', "JSON: NaN is not allowed in JSON"),
        ('{"a": -Infinity}', "JSON: -Infinity is not allowed in JSON"),
        ('{"title": "a", "title": "b"}', 'JSON: duplicate keys: "title"'),
        ("[" * 100_000 + "]" * 100_000, "JSON: "),
        ('{"a": ' + "9" * 5000 + "}", "JSON: "),
    ],
)
def test_parse_pack_reports_bad_json(text: str, expected: str) -> None:
    result = parse_pack(text)
    assert not result.ok
    assert result.messages()[0].startswith(expected), result.messages()


def test_parse_pack_rejects_huge_text_and_non_text() -> None:
    big = parse_pack(" " * (MAX_PACK_CHARS + 1))
    assert "at most" in big.messages()[0]
    assert parse_pack(b"{}").messages() == ["JSON: expected text, got bytes"]  # type: ignore[arg-type]


def test_level_with_only_a_fragment_of_data() -> None:
    data = pack_data()
    data["levels"] = [{"image": "a.png"}]
    messages = problems_of(data)
    for field in ("title", "artist", "date", "credit", "image_size", "keypoints", "texts"):
        assert f'level 1: missing required field "{field}" in the level' in messages


def test_level_factory_is_valid_on_its_own() -> None:
    data = pack_data()
    data["levels"] = [level_data(T_POSE)]
    assert load_pack(data).ok


def test_example_in_the_format_doc_is_valid() -> None:
    doc = Path(__file__).resolve().parents[2] / "docs" / "levelpack.md"
    example = re.search(r"```json\n(.*?)```", doc.read_text(encoding="utf-8"), re.S)
    assert example is not None
    result = parse_pack(example.group(1))
    assert result.ok, result.messages()


@settings(max_examples=60, deadline=None)
@given(st.dictionaries(st.sampled_from(sorted(WEIGHTABLE_NAMES)), st.sampled_from([0.0, 0.5, 2.0])))
def test_the_loader_weighs_limbs_as_the_matcher_does(weights: dict[str, float]) -> None:
    # Every keypoint clearly shown: the loader's count of limbs shown with a
    # weight is the matcher's count of limbs with a weight.
    keypoints = tuple((float(x), float(y), 1.0) for x, y, _ in make_pose(T_POSE))
    matcher = settings_for(NORMAL, weights=weights).limb_weights
    assert shown_limbs(keypoints, weights, False) == sum(w > 0 for w in matcher.values())
    legs = sum(w > 0 for name, w in matcher.items() if LIMB_BY_NAME[name].is_leg)
    assert shown_limbs(keypoints, weights, True) == sum(w > 0 for w in matcher.values()) - legs
