"""The visitor's souvenir, laid out as drawing operations (pure: no browser).

The page makes the souvenir on the device (js/souvenir/): a picture with,
for each cleared artwork, the artwork beside the visitor's best moment, and
a short clip that replays those moments.  This module decides where
everything goes; the page only paints the operations in order.

Picture (``picture_spec``), ``PICTURE_WIDTH`` wide, one row per cleared
level under a header::

    +--------------------------------------------+  y = 0
    |           Strike a Pose  (game name)       |
    |           museum name (optional)           |
    |           score line                       |
    +--------------------------------------------+  y = header_h
    | [artwork + its pose]  [visitor + own pose] |  CELL x CELL each
    | title / artist, date                       |  CAPTION_H
    +--------------------------------------------+  + ROW_GAP, next row...

    height = header_h + n * (CELL + CAPTION_H) + (n - 1) * ROW_GAP + MARGIN

Each picture is fitted inside its cell ("contain": whole, centred, aspect
kept).  Without photos the visitor's cell is a plain panel with the
visitor's skeleton on it.  Clip (``clip_spec``): one scene per cleared
level, ``CLIP_WIDTH`` x ``CLIP_HEIGHT``, each ``scene_ms`` long and all of
them at most ``CLIP_MAX_MS``.

Operations (JSON objects, painted in order by js/souvenir/painter.js):

- ``{"op": "fill", "rect", "colour"}``
- ``{"op": "text", "text", "x", "y", "size", "bold", "colour", "align", "max_width"}``
  (``y`` is the top of the line; the text is shrunk to fit ``max_width``)
- ``{"op": "art", "url", "rect"}``: the artwork picture
- ``{"op": "pose", "keypoints", "source_size", "rect", "colour", "mirror"}``: a
  skeleton from pixels of a ``source_size`` image into ``rect``
- ``{"op": "photo", "slot", "rect"}``: the visitor's kept frame for the
  level at play position ``slot`` (already mirrored as the visitor saw it)
- ``{"op": "visitor", "slot", "source_size", "rect", "colour"}``: the
  visitor's skeleton at that moment, mirrored as the visitor saw it
- ``{"op": "replay", "slot", "source_size", "rect", "colour", "photos"}``
  (clip only): the kept frames around the match, played in turn

Rectangles are ``[x, y, width, height]`` in whole pixels.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

GAME_NAME = "Strike a Pose"

BACKGROUND = "#1d1a2f"  # game.css --bg
PANEL = "#2c2846"  # game.css --panel
INK = "#fffdf7"  # game.css --ink
ACCENT = "#ffb703"  # game.css --accent: the artwork's pose, as on the game screen
VISITOR_COLOUR = "#2ec27e"  # game.css --good: the visitor's pose

PICTURE_WIDTH = 1080
MARGIN = 40
CELL = (PICTURE_WIDTH - 3 * MARGIN) // 2  # 480: artwork and visitor side by side
CAPTION_H = 104
ROW_GAP = 32
TITLE_SIZE, MUSEUM_SIZE, SCORE_SIZE = 76, 40, 36
CAPTION_TITLE_SIZE, CAPTION_META_SIZE = 36, 28

CLIP_WIDTH, CLIP_HEIGHT = 960, 540
CLIP_MARGIN = 30
CLIP_CELL = 420
CLIP_LEFT = (CLIP_WIDTH - 2 * CLIP_CELL - CLIP_MARGIN) // 2  # the two cells, centred
CLIP_MAX_MS = 10_000  # the whole clip
CLIP_SCENE_MS = 2_000  # one artwork, at most
CLIP_FPS = 24

Rect = tuple[int, int, int, int]


@dataclass(frozen=True)
class ClearedLevel:
    """What the souvenir shows of one cleared level."""

    slot: int  # its position in play order: where the page keeps the visitor's moment
    url: str  # the artwork picture, as the page loads it
    image_size: tuple[int, int]
    keypoints: tuple[tuple[float, float, float], ...]  # the figure's pose, image pixels
    title: str
    artist: str
    date: str


def fit(size: tuple[int, int], box: Rect) -> Rect:
    """``size`` scaled to fit inside ``box`` whole, aspect kept, centred."""
    width, height = size
    bx, by, bw, bh = box
    if width <= 0 or height <= 0:
        raise ValueError(f"cannot fit an empty picture of {width}x{height}")
    scale = min(bw / width, bh / height)
    w = max(1, min(bw, round(width * scale)))
    h = max(1, min(bh, round(height * scale)))
    return (bx + (bw - w) // 2, by + (bh - h) // 2, w, h)


def picture_height(count: int, header_h: int) -> int:
    """The picture's height for ``count`` rows (see the module docstring)."""
    if count < 1:
        raise ValueError(f"a souvenir needs at least one cleared level, got {count}")
    return header_h + count * (CELL + CAPTION_H) + (count - 1) * ROW_GAP + MARGIN


def _header_height(museum: str) -> int:
    return MARGIN + TITLE_SIZE + 20 + (MUSEUM_SIZE + 12 if museum else 0) + SCORE_SIZE + 36


def _text(
    text: str,
    x: int,
    y: int,
    size: int,
    max_width: int,
    *,
    bold: bool = False,
    align: str = "left",
    colour: str = INK,
) -> dict[str, Any]:
    return {
        "op": "text",
        "text": text,
        "x": x,
        "y": y,
        "size": size,
        "bold": bold,
        "colour": colour,
        "align": align,
        "max_width": max_width,
    }


def _caption(level: ClearedLevel, x: int, y: int, width: int, scale: float) -> list[dict[str, Any]]:
    title = round(CAPTION_TITLE_SIZE * scale)
    meta = round(CAPTION_META_SIZE * scale)
    return [
        _text(level.title, x, y, title, width, bold=True),
        _text(f"{level.artist}, {level.date}", x, y + title + round(10 * scale), meta, width),
    ]


def _pair(
    level: ClearedLevel,
    art_cell: Rect,
    visitor_cell: Rect,
    camera_size: tuple[int, int],
    photos: bool,
    replay: bool,
) -> list[dict[str, Any]]:
    """The artwork and the visitor's moment, side by side, each with its pose."""
    art = fit(level.image_size, art_cell)
    visitor = fit(camera_size, visitor_cell)
    ops: list[dict[str, Any]] = [
        {"op": "fill", "rect": list(art_cell), "colour": PANEL},
        {"op": "art", "url": level.url, "rect": list(art)},
        {
            "op": "pose",
            "keypoints": [list(point) for point in level.keypoints],
            "source_size": list(level.image_size),
            "rect": list(art),
            "colour": ACCENT,
            "mirror": False,
        },
        {"op": "fill", "rect": list(visitor_cell), "colour": PANEL},
    ]
    common = {"slot": level.slot, "source_size": list(camera_size), "rect": list(visitor)}
    if replay:
        ops.append({"op": "replay", **common, "colour": VISITOR_COLOUR, "photos": photos})
    else:
        if photos:
            ops.append({"op": "photo", "slot": level.slot, "rect": list(visitor)})
        ops.append({"op": "visitor", **common, "colour": VISITOR_COLOUR})
    return ops


def picture_spec(
    levels: Sequence[ClearedLevel],
    camera_size: tuple[int, int],
    *,
    photos: bool,
    museum: str = "",
    score_line: str = "",
) -> dict[str, Any]:
    """The souvenir picture: its size and drawing operations."""
    header_h = _header_height(museum)
    height = picture_height(len(levels), header_h)
    inner = PICTURE_WIDTH - 2 * MARGIN
    centre = PICTURE_WIDTH // 2
    ops: list[dict[str, Any]] = [
        {"op": "fill", "rect": [0, 0, PICTURE_WIDTH, height], "colour": BACKGROUND},
        _text(
            GAME_NAME, centre, MARGIN, TITLE_SIZE, inner, bold=True, align="center", colour=ACCENT
        ),
    ]
    y = MARGIN + TITLE_SIZE + 20
    if museum:
        ops.append(_text(museum, centre, y, MUSEUM_SIZE, inner, align="center"))
        y += MUSEUM_SIZE + 12
    if score_line:
        ops.append(_text(score_line, centre, y, SCORE_SIZE, inner, align="center"))
    for row, level in enumerate(levels):
        top = header_h + row * (CELL + CAPTION_H + ROW_GAP)
        art_cell = (MARGIN, top, CELL, CELL)
        visitor_cell = (2 * MARGIN + CELL, top, CELL, CELL)
        ops += _pair(level, art_cell, visitor_cell, camera_size, photos, replay=False)
        ops += _caption(level, MARGIN, top + CELL + 16, inner, 1.0)
    return {"width": PICTURE_WIDTH, "height": height, "ops": ops}


def scene_ms(count: int) -> int:
    """How long each artwork shows in the clip: the clip stays within CLIP_MAX_MS."""
    if count < 1:
        raise ValueError(f"a clip needs at least one cleared level, got {count}")
    return min(CLIP_SCENE_MS, CLIP_MAX_MS // count)


def clip_spec(
    levels: Sequence[ClearedLevel], camera_size: tuple[int, int], *, photos: bool, museum: str = ""
) -> dict[str, Any]:
    """The souvenir clip: one scene per cleared level, each a list of operations."""
    duration = scene_ms(len(levels))
    art_cell = (CLIP_LEFT, CLIP_MARGIN, CLIP_CELL, CLIP_CELL)
    visitor_cell = (CLIP_LEFT + CLIP_CELL + CLIP_MARGIN, CLIP_MARGIN, CLIP_CELL, CLIP_CELL)
    caption_y = 2 * CLIP_MARGIN + CLIP_CELL - 10
    right = CLIP_WIDTH - CLIP_LEFT
    signature = f"{GAME_NAME} · {museum}" if museum else GAME_NAME
    scenes = []
    for level in levels:
        ops: list[dict[str, Any]] = [
            {"op": "fill", "rect": [0, 0, CLIP_WIDTH, CLIP_HEIGHT], "colour": BACKGROUND},
            *_pair(level, art_cell, visitor_cell, camera_size, photos, replay=True),
            *_caption(level, CLIP_LEFT, caption_y, CLIP_CELL + CLIP_MARGIN, 0.8),
            _text(
                signature,
                right,
                caption_y + 6,
                24,
                CLIP_CELL - CLIP_MARGIN,
                bold=True,
                align="right",
                colour=ACCENT,
            ),
        ]
        scenes.append(ops)
    return {
        "width": CLIP_WIDTH,
        "height": CLIP_HEIGHT,
        "fps": CLIP_FPS,
        "scene_ms": duration,
        "scenes": scenes,
    }
