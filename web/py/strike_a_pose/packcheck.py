"""Checks of a level pack's parts, each naming what is wrong and where.

A :class:`Checker` collects every :class:`Problem`; each check returns the
cleaned value, or None after adding its problem.  levelpack.py walks the pack
with them.
"""

from __future__ import annotations

import json
import math
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from .keypoints import KEYPOINT_NAMES, LEFT_SHOULDER, LIMBS, NUM_KEYPOINTS, RIGHT_SHOULDER
from .levels import LevelText
from .packformat import (
    IMAGE_EXTENSIONS,
    MAX_IMAGE_SIDE,
    MAX_WEIGHT,
    MIN_SHOWN_LIMBS,
    PATH_SEGMENT_RE,
    SHOWN_SCORE,
    TEXT_FIELDS,
    TEXT_LIMITS,
    URL_SCHEME_RE,
)
from .similarity import (
    DEFAULT_LIMB_WEIGHTS,
    DEFAULT_POSITION_WEIGHTS,
    WEIGHTABLE_NAMES,
    limb_weight,
)


@dataclass(frozen=True)
class Problem:
    where: str  # "pack", "level 3", "JSON"
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


def type_name(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, (int, float)):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, (list, tuple)):
        return "array"
    if isinstance(value, dict):
        return "object"
    return type(value).__name__


def show(value: object) -> str:
    """A short rendering of a bad value for a problem message."""
    text = json.dumps(value) if isinstance(value, (str, int, float, bool)) or value is None else ""
    if not text:
        text = f"<{type_name(value)}>"
    return text if len(text) <= 40 else text[:37] + "..."


class Checker:
    """Collects problems; each check returns the cleaned value or None."""

    def __init__(self) -> None:
        self.problems: list[Problem] = []

    def add(self, where: str, message: str) -> None:
        self.problems.append(Problem(where, message))

    def fields(
        self,
        where: str,
        obj: object,
        label: str,
        required: tuple[str, ...],
        optional: tuple[str, ...],
    ) -> dict[str, Any] | None:
        if not isinstance(obj, dict):
            self.add(where, f"{label} must be an object, got {type_name(obj)}")
            return None
        for key in obj:
            if not isinstance(key, str) or key not in required + optional:
                self.add(where, f"unknown field {show(key)} in {label}")
        for key in required:
            if key not in obj:
                self.add(where, f"missing required field {show(key)} in {label}")
        return obj

    def text(
        self, where: str, value: object, label: str, limit_key: str, multiline: bool = False
    ) -> str | None:
        if not isinstance(value, str):
            self.add(where, f"{label} must be a string, got {type_name(value)}")
            return None
        limit = TEXT_LIMITS[limit_key]
        if len(value) > limit:
            self.add(where, f"{label} is {len(value)} characters long, at most {limit} allowed")
            return None
        if not value.strip():
            self.add(where, f"{label} is empty")
            return None
        for i, char in enumerate(value):
            category = unicodedata.category(char)
            allowed_control = multiline and char in "\n\t"
            if (category == "Cc" and not allowed_control) or category == "Cs":
                self.add(
                    where, f"{label} has a control character U+{ord(char):04X} at position {i}"
                )
                return None
        return value

    def number(
        self, where: str, value: object, label: str, low: float, high: float
    ) -> float | None:
        if isinstance(value, bool) or not isinstance(value, (int, float)):
            self.add(where, f"{label} must be a number, got {type_name(value)} {show(value)}")
            return None
        if isinstance(value, float) and not math.isfinite(value):
            self.add(where, f"{label} must be a finite number, got {value}")
            return None
        if not low <= value <= high:
            self.add(where, f"{label} = {show(value)} is outside [{low:g}, {high:g}]")
            return None
        return float(value)

    def boolean(self, where: str, value: object, label: str) -> bool | None:
        if not isinstance(value, bool):
            self.add(where, f"{label} must be true or false, got {type_name(value)} {show(value)}")
            return None
        return value


def check_image_path(c: Checker, where: str, value: object) -> str | None:
    path = c.text(where, value, '"image"', "image")
    if path is None:
        return None
    problem = None
    if URL_SCHEME_RE.match(path) or path.startswith("//"):
        problem = "must be a relative file path, not a URL"
    elif path.startswith("/") or "\\" in path:
        problem = "must be a relative path with / separators, not absolute"
    elif ".." in path.split("/"):
        problem = 'must not contain ".." (it must stay inside the pack)'
    elif not all(PATH_SEGMENT_RE.fullmatch(seg) for seg in path.split("/")):
        problem = (
            "may only use letters, digits, '.', '_', '-' and '/' separators, "
            "with no empty or hidden ('.'-first) parts"
        )
    elif not path.lower().endswith(IMAGE_EXTENSIONS):
        problem = f"must end with one of {', '.join(IMAGE_EXTENSIONS)}"
    if problem:
        c.add(where, f'"image" {show(path)} {problem}')
        return None
    return path


def check_image_size(c: Checker, where: str, value: object) -> tuple[int, int] | None:
    if not isinstance(value, list) or len(value) != 2:
        got = f"{len(value)} entries" if isinstance(value, list) else type_name(value)
        c.add(where, f'"image_size" must be [width, height], got {got}')
        return None
    sides = []
    for label, side in zip(("width", "height"), value, strict=True):
        number = c.number(where, side, f'"image_size" {label}', 1, MAX_IMAGE_SIDE)
        if number is None:
            return None
        if number != int(number):
            c.add(where, f'"image_size" {label} must be a whole number of pixels, got {show(side)}')
            return None
        sides.append(int(number))
    return sides[0], sides[1]


def check_keypoints(
    c: Checker, where: str, value: object, size: tuple[int, int] | None
) -> tuple[tuple[float, float, float], ...] | None:
    if not isinstance(value, list):
        c.add(where, f'"keypoints" must be an array, got {type_name(value)}')
        return None
    if len(value) != NUM_KEYPOINTS:
        c.add(where, f'"keypoints" has {len(value)} entries, expected {NUM_KEYPOINTS}')
        return None
    # Keypoints may lie up to one image size outside the image (a hidden
    # foot below the frame, guessed to give the shin its direction).
    big = float(MAX_IMAGE_SIDE)
    w, h = (float(size[0]), float(size[1])) if size else (big, big)
    rows: list[tuple[float, float, float]] = []
    ok = True
    for i, entry in enumerate(value):
        label = f'"keypoints" entry {i} ({KEYPOINT_NAMES[i]})'
        if not isinstance(entry, list) or len(entry) not in (2, 3):
            got = f"{len(entry)} numbers" if isinstance(entry, list) else type_name(entry)
            c.add(where, f"{label} must be [x, y] or [x, y, score], got {got}")
            ok = False
            continue
        x = c.number(where, entry[0], f"{label} x", -w, 2 * w)
        y = c.number(where, entry[1], f"{label} y", -h, 2 * h)
        score = c.number(where, entry[2], f"{label} score", 0.0, 1.0) if len(entry) == 3 else 1.0
        if x is None or y is None or score is None:
            ok = False
            continue
        rows.append((x, y, score))
    return tuple(rows) if ok else None


def check_weights(c: Checker, where: str, value: object) -> dict[str, float] | None:
    if not isinstance(value, dict):
        c.add(where, f'"weights" must be an object, got {type_name(value)}')
        return None
    weights: dict[str, float] = {}
    ok = True
    for name, weight in value.items():
        if name not in WEIGHTABLE_NAMES:
            c.add(
                where,
                f'"weights" has unknown name {show(name)}; expected a limb '
                f"({', '.join(DEFAULT_LIMB_WEIGHTS)}) or one of "
                f"{', '.join(DEFAULT_POSITION_WEIGHTS)}",
            )
            ok = False
            continue
        number = c.number(where, weight, f'"weights" {show(name)}', 0.0, MAX_WEIGHT)
        if number is None:
            ok = False
            continue
        weights[name] = number
    return weights if ok else None


def check_texts(
    c: Checker, where: str, value: object, languages: tuple[str, ...] | None, default: str | None
) -> dict[str, LevelText] | None:
    if not isinstance(value, dict):
        c.add(where, f'"texts" must be an object of languages, got {type_name(value)}')
        return None
    texts: dict[str, LevelText] = {}
    ok = True
    for lang, entry in value.items():
        label = f'"texts" {show(lang)}'
        if languages is not None and lang not in languages:
            c.add(where, f"{label} is not one of the pack's languages {list(languages)}")
            ok = False
            continue
        obj = c.fields(where, entry, label, TEXT_FIELDS, ())
        if obj is None:
            ok = False
            continue
        hint = c.text(where, obj.get("hint"), f"{label} hint", "hint") if "hint" in obj else None
        about = (
            c.text(where, obj.get("about"), f"{label} about", "about", multiline=True)
            if "about" in obj
            else None
        )
        if hint is None or about is None or set(obj) - set(TEXT_FIELDS):
            ok = False
            continue
        texts[lang] = LevelText(hint, about)
    if default is not None and default not in value:
        c.add(where, f'"texts" has no entry for the default language {show(default)}')
        ok = False
    return texts if ok else None


def shown_limbs(
    keypoints: tuple[tuple[float, float, float], ...],
    weights: Mapping[str, float],
    upper_body_only: bool,
) -> int:
    """How many limbs the figure clearly shows with a weight above 0."""
    shown = 0
    for limb in LIMBS:
        if upper_body_only and limb.is_leg:
            continue
        weight = limb_weight(limb, weights)
        ends = [keypoints[i] for i in limb.keypoints]
        if weight > 0 and all(p[2] >= SHOWN_SCORE for p in ends):
            shown += 1
    return shown


def check_figure(
    c: Checker,
    where: str,
    keypoints: tuple[tuple[float, float, float], ...],
    weights: Mapping[str, float],
    upper_body_only: bool,
) -> bool:
    """The figure must be judgeable: both shoulders apart, at least two limbs."""
    left = keypoints[LEFT_SHOULDER]
    right = keypoints[RIGHT_SHOULDER]
    if left[2] < SHOWN_SCORE or right[2] < SHOWN_SCORE:
        c.add(where, f'"keypoints": both shoulders must be shown (score >= {SHOWN_SCORE})')
        return False
    if left[:2] == right[:2]:
        c.add(where, '"keypoints": the shoulders are on the same point')
        return False
    shown = shown_limbs(keypoints, weights, upper_body_only)
    if shown < MIN_SHOWN_LIMBS:
        c.add(
            where,
            f'"keypoints": only {shown} limb(s) shown with weight > 0, '
            f"at least {MIN_SHOWN_LIMBS} needed",
        )
        return False
    return True
