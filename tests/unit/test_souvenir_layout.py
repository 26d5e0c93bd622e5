"""The souvenir's layout maths: every picture where the page will paint it."""

from __future__ import annotations

import json

import pytest
from hypothesis import given
from hypothesis import strategies as st

from shell.souvenir_layout import (
    CAPTION_H,
    CELL,
    CLIP_HEIGHT,
    CLIP_MAX_MS,
    CLIP_WIDTH,
    GAME_NAME,
    MARGIN,
    PICTURE_WIDTH,
    ROW_GAP,
    ClearedLevel,
    clip_spec,
    fit,
    picture_height,
    picture_spec,
    scene_ms,
)

KEYPOINTS = tuple((float(10 * i), float(20 + 5 * i), 1.0) for i in range(17))


def level(slot: int, size: tuple[int, int] = (600, 800)) -> ClearedLevel:
    return ClearedLevel(
        slot=slot,
        url=f"levels/test/{slot}.png",
        image_size=size,
        keypoints=KEYPOINTS,
        title=f"Artwork {slot}",
        artist="Someone",
        date="c. 1500",
    )


def inside(rect: list[int], width: int, height: int) -> bool:
    x, y, w, h = rect
    return x >= 0 and y >= 0 and w > 0 and h > 0 and x + w <= width and y + h <= height


def overlap(a: list[int], b: list[int]) -> bool:
    return a[0] < b[0] + b[2] and b[0] < a[0] + a[2] and a[1] < b[1] + b[3] and b[1] < a[1] + a[3]


def ops(spec: dict, kind: str) -> list[dict]:  # type: ignore[type-arg]
    return [op for op in spec["ops"] if op["op"] == kind]


def test_fit_keeps_the_aspect_and_centres() -> None:
    assert fit((600, 800), (0, 0, 480, 480)) == (60, 0, 360, 480)
    assert fit((1000, 500), (40, 100, 480, 480)) == (40, 220, 480, 240)
    assert fit((10, 10), (0, 0, 480, 480)) == (0, 0, 480, 480)  # small pictures grow
    with pytest.raises(ValueError, match="empty picture of 0x5"):
        fit((0, 5), (0, 0, 10, 10))


@given(st.integers(1, 16_384), st.integers(1, 16_384), st.integers(1, 2_000), st.integers(1, 2_000))
def test_fit_always_stays_inside_its_box_and_keeps_the_aspect(
    width: int, height: int, box_w: int, box_h: int
) -> None:
    x, y, w, h = fit((width, height), (7, 11, box_w, box_h))
    assert x >= 7 and y >= 11 and x + w <= 7 + box_w and y + h <= 11 + box_h
    # As big as the box allows, aspect kept, to the nearest whole pixel.
    scale = min(box_w / width, box_h / height)
    assert abs(w - width * scale) <= 1 and abs(h - height * scale) <= 1


def test_the_picture_has_one_row_per_cleared_level() -> None:
    spec = picture_spec([level(0), level(2), level(4)], (480, 500), photos=True, score_line="S")
    header = spec["height"] - 3 * (CELL + CAPTION_H) - 2 * ROW_GAP - MARGIN
    assert spec["width"] == PICTURE_WIDTH
    assert spec["height"] == picture_height(3, header)
    assert [op["url"] for op in ops(spec, "art")] == [f"levels/test/{n}.png" for n in (0, 2, 4)]
    assert [op["slot"] for op in ops(spec, "photo")] == [0, 2, 4]
    assert [op["slot"] for op in ops(spec, "visitor")] == [0, 2, 4]
    texts = [op["text"] for op in ops(spec, "text")]
    assert texts[:2] == [GAME_NAME, "S"]
    assert "Artwork 2" in texts and "Someone, c. 1500" in texts
    json.dumps(spec, allow_nan=False)


def test_the_museum_name_is_written_under_the_game_name() -> None:
    without = picture_spec([level(0)], (480, 500), photos=False)
    spec = picture_spec([level(0)], (480, 500), photos=False, museum="Musée d'Art")
    assert [op["text"] for op in ops(spec, "text")][:2] == [GAME_NAME, "Musée d'Art"]
    assert spec["height"] > without["height"]


def test_without_photos_the_visitor_is_a_skeleton_on_a_plain_panel() -> None:
    spec = picture_spec([level(0), level(1)], (480, 500), photos=False)
    assert ops(spec, "photo") == []
    visitors = ops(spec, "visitor")
    assert [op["slot"] for op in visitors] == [0, 1]
    panels = [op["rect"] for op in ops(spec, "fill")][1:]  # after the background
    for visitor in visitors:
        x, y, w, h = visitor["rect"]
        assert any(
            px <= x and py <= y and x + w <= px + pw and y + h <= py + ph
            for px, py, pw, ph in panels
        )


@given(
    st.lists(st.tuples(st.integers(1, 8_192), st.integers(1, 8_192)), min_size=1, max_size=20),
    st.tuples(st.integers(16, 4_096), st.integers(16, 4_096)),
    st.booleans(),
    st.text(max_size=80),
)
def test_every_picture_lies_inside_the_souvenir_and_none_overlap(
    sizes: list[tuple[int, int]], camera: tuple[int, int], photos: bool, museum: str
) -> None:
    levels = [level(i, size) for i, size in enumerate(sizes)]
    spec = picture_spec(levels, camera, photos=photos, museum=museum)
    width, height = spec["width"], spec["height"]
    pictures = [op["rect"] for op in spec["ops"] if op["op"] in ("art", "visitor")]
    assert len(pictures) == 2 * len(levels)
    for rect in pictures:
        assert inside(rect, width, height)
    for i, a in enumerate(pictures):
        for b in pictures[i + 1 :]:
            assert not overlap(a, b)
    for op in ops(spec, "text"):
        assert op["y"] >= 0 and op["y"] + op["size"] <= height
        assert op["max_width"] <= width - 2 * MARGIN
    for art, size in zip(ops(spec, "art"), sizes, strict=True):
        _, _, w, h = art["rect"]
        scale = min(CELL / size[0], CELL / size[1])  # as big as its cell allows
        assert abs(w - size[0] * scale) <= 1 and abs(h - size[1] * scale) <= 1
    for pose, size in zip(ops(spec, "pose"), sizes, strict=True):
        assert pose["source_size"] == list(size) and pose["mirror"] is False
        assert len(pose["keypoints"]) == 17


def test_a_souvenir_needs_a_cleared_level() -> None:
    with pytest.raises(ValueError, match="at least one cleared level, got 0"):
        picture_spec([], (480, 500), photos=True)
    with pytest.raises(ValueError, match="at least one cleared level, got 0"):
        clip_spec([], (480, 500), photos=True)


@pytest.mark.parametrize(("count", "expected"), [(1, 2_000), (5, 2_000), (6, 1_666), (20, 500)])
def test_each_scene_is_at_most_two_seconds_and_the_clip_at_most_ten(
    count: int, expected: int
) -> None:
    assert scene_ms(count) == expected
    assert count * scene_ms(count) <= CLIP_MAX_MS


@given(st.integers(1, 20), st.booleans())
def test_the_clip_has_a_scene_per_level_inside_its_frame(count: int, photos: bool) -> None:
    spec = clip_spec([level(i) for i in range(count)], (480, 500), photos=photos, museum="M")
    assert (spec["width"], spec["height"]) == (CLIP_WIDTH, CLIP_HEIGHT)
    assert len(spec["scenes"]) == count
    assert spec["scene_ms"] * count <= CLIP_MAX_MS
    for slot, scene in enumerate(spec["scenes"]):
        replays = [op for op in scene if op["op"] == "replay"]
        assert [(op["slot"], op["photos"]) for op in replays] == [(slot, photos)]
        for op in scene:
            if "rect" in op:
                assert inside(op["rect"], CLIP_WIDTH, CLIP_HEIGHT)
            if op["op"] == "text":
                assert op["y"] + op["size"] <= CLIP_HEIGHT
