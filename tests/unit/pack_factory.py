"""Valid level-pack data for the tests, built from synthetic poses."""

from __future__ import annotations

import copy
from typing import Any

from strike_a_pose.levelpack import LevelPack, load_pack

from .synthetic_poses import ARMS_45, ARMS_DOWN, BOTH_ARMS_UP, LEFT_ARM_UP, T_POSE, Shape, make_pose

GAME_SHAPES: tuple[Shape, ...] = (T_POSE, ARMS_DOWN, BOTH_ARMS_UP, ARMS_45, LEFT_ARM_UP)


def level_data(shape: Shape, number: int = 1, **extra: Any) -> dict[str, Any]:
    pose = make_pose(shape, score=1.0)
    level: dict[str, Any] = {
        "image": f"images/level-{number}.jpg",
        "title": f"Figure {number}",
        "artist": "Anonymous",
        "date": "c. 1500",
        "credit": "Public domain",
        "image_size": [640, 560],
        "keypoints": [[round(float(x), 2), round(float(y), 2)] for x, y, _ in pose],
        "texts": {
            "en": {"hint": "Stand tall", "about": "A figure.\nTwo lines."},
            "fr": {"hint": "Tiens-toi droit", "about": "Une figure."},
        },
    }
    level.update(extra)
    return level


def pack_data(shapes: tuple[Shape, ...] = GAME_SHAPES, **extra: Any) -> dict[str, Any]:
    data: dict[str, Any] = {
        "format_version": 1,
        "id": "test-pack",
        "title": "Test pack",
        "languages": ["en", "fr"],
        "default_language": "en",
        "levels": [level_data(shape, i + 1) for i, shape in enumerate(shapes)],
    }
    data.update(extra)
    return copy.deepcopy(data)


def make_pack(shapes: tuple[Shape, ...] = GAME_SHAPES, **level_extra: Any) -> LevelPack:
    data = pack_data(shapes)
    for level in data["levels"]:
        level.update(level_extra)
    result = load_pack(data)
    assert result.pack is not None, result.messages()
    return result.pack
