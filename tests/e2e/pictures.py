"""Pixel checks for the souvenir tests: does a region of a picture show a
given image (within a tolerance), a plain panel, or a skeleton?"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image

Rect = list[int]  # [x, y, width, height]

CLOSE = 48.0  # mean absolute difference per channel (0-255) that counts as the same pixel


def load(path: Path, mirror: bool = False) -> Image.Image:
    image = Image.open(path).convert("RGB")
    return image.transpose(Image.Transpose.FLIP_LEFT_RIGHT) if mirror else image


def region(picture: Image.Image, rect: Rect) -> np.ndarray:
    x, y, w, h = rect
    return np.asarray(picture.crop((x, y, x + w, y + h)), dtype=np.float64)


def resemblance(picture: Image.Image, rect: Rect, image: Image.Image) -> float:
    """The share of the region's pixels close to ``image`` scaled into it."""
    _, _, w, h = rect
    expected = np.asarray(image.resize((w, h), Image.Resampling.BILINEAR), dtype=np.float64)
    difference = np.abs(region(picture, rect) - expected).mean(axis=2)
    return float((difference < CLOSE).mean())


def share_of_colour(picture: Image.Image, rect: Rect, colour: str) -> float:
    """The share of the region's pixels close to the CSS colour ``#rrggbb``."""
    rgb = np.array([int(colour[i : i + 2], 16) for i in (1, 3, 5)], dtype=np.float64)
    difference = np.abs(region(picture, rect) - rgb).mean(axis=2)
    return float((difference < CLOSE).mean())
