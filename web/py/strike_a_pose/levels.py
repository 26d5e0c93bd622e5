"""A level pack as the game uses it, once loaded and checked (levelpack.py)."""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field

import numpy as np

from .keypoints import Pose


@dataclass(frozen=True)
class LevelText:
    hint: str
    about: str


@dataclass(frozen=True)
class Level:
    image: str  # relative path inside the pack's folder
    title: str
    artist: str
    date: str
    credit: str
    image_size: tuple[int, int]  # width, height in pixels
    keypoints: tuple[tuple[float, float, float], ...]  # 17 x (x, y, score), image pixels
    texts: Mapping[str, LevelText]
    weights: Mapping[str, float] = field(default_factory=dict)
    tolerance: float = 1.0
    mirror_ok: bool = True
    upper_body_only: bool = False
    seated: str = "play"  # one of SEATED_CHOICES
    # Whether seated play can judge it: not skipped, and its figure shows at
    # least two limbs above the hips (the loader works this out).
    seated_playable: bool = True

    def reference_pose(self) -> Pose:
        return np.array(self.keypoints, dtype=np.float64)

    def text(self, language: str, default_language: str) -> LevelText:
        """Texts in ``language``: the exact tag ("pt-BR"), else its primary
        language ("pt"), else another variant of it ("pt-PT"), else the
        pack's default language (which every level has)."""
        if language in self.texts:
            return self.texts[language]
        primary = language.split("-")[0].lower()
        for tag, text in self.texts.items():
            if tag.lower() == primary:
                return text
        for tag, text in self.texts.items():
            if tag.split("-")[0].lower() == primary:
                return text
        return self.texts[default_language]


@dataclass(frozen=True)
class LevelPack:
    format_version: int
    id: str
    title: str
    languages: tuple[str, ...]
    default_language: str
    levels: tuple[Level, ...]
    # Bounds of the story's reading time after a match, in seconds (see
    # reading.py); None: the game's defaults.
    reading_seconds: tuple[float, float] | None = None
