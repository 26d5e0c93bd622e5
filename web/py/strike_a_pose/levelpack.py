"""Load and validate a level pack (format: docs/levelpack.md).

Untrusted input: ``parse_pack`` and ``load_pack`` never raise on bad data;
they return a :class:`LoadResult` holding either the pack or *every* problem
found, each with its location (``level 3: "keypoints" has 16 entries,
expected 17``).  Text is kept verbatim as plain text: nothing is escaped or
stripped here; the page must insert it as text, never as HTML.
"""

from __future__ import annotations

import json
import math
import re
import unicodedata
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

import numpy as np

from .keypoints import KEYPOINT_INDEX, KEYPOINT_NAMES, LIMBS, NUM_KEYPOINTS, Pose
from .reading import MAX_BOUND_S, MIN_BOUND_S
from .similarity import DEFAULT_LIMB_WEIGHTS, DEFAULT_POSITION_WEIGHTS, WEIGHTABLE_NAMES

FORMAT_VERSION = 1
MIN_LEVELS, MAX_LEVELS = 1, 20
MAX_LANGUAGES = 20
MAX_PACK_CHARS = 1_000_000  # JSON text, characters
MAX_PROBLEMS = 100  # more are summarised in one last problem
# A level picture's limits (docs/levelpack.md).  The loader checks image_size
# against the side; the installer (tools/pictures.py) and the curator page
# (web/js/curator/picture-check.js, tested to agree) check the files themselves.
MAX_IMAGE_SIDE = 8192  # pixels
MAX_IMAGE_BYTES = 8 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000  # width x height: a phone must decode it
MAX_WEIGHT = 10.0
MIN_TOLERANCE, MAX_TOLERANCE = 0.25, 4.0  # multiplier of the difficulty's angle tolerance
# The figure's keypoints with a score at least this (0..1) count as clearly
# shown for the loader's sanity checks (both shoulders, two limbs).
SHOWN_SCORE = 0.5
MIN_SHOWN_LIMBS = 2
# Longest text per field, in characters.
TEXT_LIMITS: dict[str, int] = {
    "pack_title": 120,
    "title": 200,
    "artist": 200,
    "date": 80,
    "credit": 400,
    "hint": 200,
    "about": 1200,
    "image": 200,
}
# SVG is safe here: the page shows pack images with <img>, where SVG runs no script.
IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".webp", ".avif", ".gif", ".svg")

_ID_RE = re.compile(r"[a-z0-9][a-z0-9_-]{0,63}")
_LANG_RE = re.compile(r"[a-z]{2,3}(-[A-Za-z0-9]{2,8}){0,3}")
_SCHEME_RE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
_PATH_SEGMENT_RE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]*")

PACK_FIELDS = ("format_version", "id", "title", "languages", "default_language", "levels")
PACK_OPTIONAL = ("reading_seconds",)
LEVEL_REQUIRED = ("image", "title", "artist", "date", "credit", "image_size", "keypoints", "texts")
LEVEL_OPTIONAL = ("weights", "tolerance", "mirror_ok", "upper_body_only", "seated")
# "seated": what seated play does with a level: play it on the upper body, or
# skip it (a figure whose legs make the artwork).
SEATED_CHOICES = ("play", "skip")
TEXT_FIELDS = ("hint", "about")


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


@dataclass(frozen=True)
class Problem:
    where: str  # "pack", "level 3", "JSON"
    message: str

    def __str__(self) -> str:
        return f"{self.where}: {self.message}"


@dataclass(frozen=True)
class LoadResult:
    pack: LevelPack | None
    problems: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        return self.pack is not None

    def messages(self) -> list[str]:
        return [str(p) for p in self.problems]


def _type_name(value: object) -> str:
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


def _show(value: object) -> str:
    """A short rendering of a bad value for a problem message."""
    text = json.dumps(value) if isinstance(value, (str, int, float, bool)) or value is None else ""
    if not text:
        text = f"<{_type_name(value)}>"
    return text if len(text) <= 40 else text[:37] + "..."


class _Checker:
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
            self.add(where, f"{label} must be an object, got {_type_name(obj)}")
            return None
        for key in obj:
            if not isinstance(key, str) or key not in required + optional:
                self.add(where, f"unknown field {_show(key)} in {label}")
        for key in required:
            if key not in obj:
                self.add(where, f"missing required field {_show(key)} in {label}")
        return obj

    def text(
        self, where: str, value: object, label: str, limit_key: str, multiline: bool = False
    ) -> str | None:
        if not isinstance(value, str):
            self.add(where, f"{label} must be a string, got {_type_name(value)}")
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
            self.add(where, f"{label} must be a number, got {_type_name(value)} {_show(value)}")
            return None
        if isinstance(value, float) and not math.isfinite(value):
            self.add(where, f"{label} must be a finite number, got {value}")
            return None
        if not low <= value <= high:
            self.add(where, f"{label} = {_show(value)} is outside [{low:g}, {high:g}]")
            return None
        return float(value)

    def boolean(self, where: str, value: object, label: str) -> bool | None:
        if not isinstance(value, bool):
            self.add(
                where, f"{label} must be true or false, got {_type_name(value)} {_show(value)}"
            )
            return None
        return value


def _check_image_path(c: _Checker, where: str, value: object) -> str | None:
    path = c.text(where, value, '"image"', "image")
    if path is None:
        return None
    problem = None
    if _SCHEME_RE.match(path) or path.startswith("//"):
        problem = "must be a relative file path, not a URL"
    elif path.startswith("/") or "\\" in path:
        problem = "must be a relative path with / separators, not absolute"
    elif ".." in path.split("/"):
        problem = 'must not contain ".." (it must stay inside the pack)'
    elif not all(_PATH_SEGMENT_RE.fullmatch(seg) for seg in path.split("/")):
        problem = (
            "may only use letters, digits, '.', '_', '-' and '/' separators, "
            "with no empty or hidden ('.'-first) parts"
        )
    elif not path.lower().endswith(IMAGE_EXTENSIONS):
        problem = f"must end with one of {', '.join(IMAGE_EXTENSIONS)}"
    if problem:
        c.add(where, f'"image" {_show(path)} {problem}')
        return None
    return path


def _check_image_size(c: _Checker, where: str, value: object) -> tuple[int, int] | None:
    if not isinstance(value, list) or len(value) != 2:
        got = f"{len(value)} entries" if isinstance(value, list) else _type_name(value)
        c.add(where, f'"image_size" must be [width, height], got {got}')
        return None
    sides = []
    for label, side in zip(("width", "height"), value, strict=True):
        number = c.number(where, side, f'"image_size" {label}', 1, MAX_IMAGE_SIDE)
        if number is None:
            return None
        if number != int(number):
            c.add(
                where, f'"image_size" {label} must be a whole number of pixels, got {_show(side)}'
            )
            return None
        sides.append(int(number))
    return sides[0], sides[1]


def _check_keypoints(
    c: _Checker, where: str, value: object, size: tuple[int, int] | None
) -> tuple[tuple[float, float, float], ...] | None:
    if not isinstance(value, list):
        c.add(where, f'"keypoints" must be an array, got {_type_name(value)}')
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
            got = f"{len(entry)} numbers" if isinstance(entry, list) else _type_name(entry)
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


def _check_weights(c: _Checker, where: str, value: object) -> dict[str, float] | None:
    if not isinstance(value, dict):
        c.add(where, f'"weights" must be an object, got {_type_name(value)}')
        return None
    weights: dict[str, float] = {}
    ok = True
    for name, weight in value.items():
        if name not in WEIGHTABLE_NAMES:
            c.add(
                where,
                f'"weights" has unknown name {_show(name)}; expected a limb '
                f"({', '.join(DEFAULT_LIMB_WEIGHTS)}) or one of "
                f"{', '.join(DEFAULT_POSITION_WEIGHTS)}",
            )
            ok = False
            continue
        number = c.number(where, weight, f'"weights" {_show(name)}', 0.0, MAX_WEIGHT)
        if number is None:
            ok = False
            continue
        weights[name] = number
    return weights if ok else None


def _check_texts(
    c: _Checker, where: str, value: object, languages: tuple[str, ...] | None, default: str | None
) -> dict[str, LevelText] | None:
    if not isinstance(value, dict):
        c.add(where, f'"texts" must be an object of languages, got {_type_name(value)}')
        return None
    texts: dict[str, LevelText] = {}
    ok = True
    for lang, entry in value.items():
        label = f'"texts" {_show(lang)}'
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
        c.add(where, f'"texts" has no entry for the default language {_show(default)}')
        ok = False
    return texts if ok else None


def _shown_limbs(
    keypoints: tuple[tuple[float, float, float], ...],
    weights: Mapping[str, float],
    upper_body_only: bool,
) -> int:
    """How many limbs the figure clearly shows with a weight above 0."""
    shown = 0
    for limb in LIMBS:
        if upper_body_only and limb.is_leg:
            continue
        weight = weights.get(limb.name, 1.0)
        if limb.distal is not None:
            weight *= weights.get(KEYPOINT_NAMES[limb.distal], 1.0)
        ends = [keypoints[i] for i in limb.keypoints]
        if weight > 0 and all(p[2] >= SHOWN_SCORE for p in ends):
            shown += 1
    return shown


def _check_figure(
    c: _Checker,
    where: str,
    keypoints: tuple[tuple[float, float, float], ...],
    weights: Mapping[str, float],
    upper_body_only: bool,
) -> bool:
    """The figure must be judgeable: both shoulders apart, at least two limbs."""
    left = keypoints[KEYPOINT_INDEX["left_shoulder"]]
    right = keypoints[KEYPOINT_INDEX["right_shoulder"]]
    if left[2] < SHOWN_SCORE or right[2] < SHOWN_SCORE:
        c.add(where, f'"keypoints": both shoulders must be shown (score >= {SHOWN_SCORE})')
        return False
    if left[:2] == right[:2]:
        c.add(where, '"keypoints": the shoulders are on the same point')
        return False
    shown = _shown_limbs(keypoints, weights, upper_body_only)
    if shown < MIN_SHOWN_LIMBS:
        c.add(
            where,
            f'"keypoints": only {shown} limb(s) shown with weight > 0, '
            f"at least {MIN_SHOWN_LIMBS} needed",
        )
        return False
    return True


def _check_level(
    c: _Checker, where: str, obj: object, languages: tuple[str, ...] | None, default: str | None
) -> Level | None:
    before = len(c.problems)
    level = c.fields(where, obj, "the level", LEVEL_REQUIRED, LEVEL_OPTIONAL)
    if level is None:
        return None
    image = _check_image_path(c, where, level["image"]) if "image" in level else None
    strings = {
        key: c.text(where, level[key], f'"{key}"', key) if key in level else None
        for key in ("title", "artist", "date", "credit")
    }
    size = _check_image_size(c, where, level["image_size"]) if "image_size" in level else None
    keypoints = (
        _check_keypoints(c, where, level["keypoints"], size) if "keypoints" in level else None
    )
    texts = _check_texts(c, where, level["texts"], languages, default) if "texts" in level else None
    weights = _check_weights(c, where, level["weights"]) if "weights" in level else {}
    tolerance = (
        c.number(where, level["tolerance"], '"tolerance"', MIN_TOLERANCE, MAX_TOLERANCE)
        if "tolerance" in level
        else 1.0
    )
    mirror_ok = (
        c.boolean(where, level["mirror_ok"], '"mirror_ok"') if "mirror_ok" in level else True
    )
    upper = (
        c.boolean(where, level["upper_body_only"], '"upper_body_only"')
        if "upper_body_only" in level
        else False
    )
    seated = level.get("seated", "play")
    if seated not in SEATED_CHOICES:
        c.add(where, f'"seated" must be "play" or "skip", got {_show(seated)}')
    if keypoints is not None and weights is not None and upper is not None:
        _check_figure(c, where, keypoints, weights, upper)
    if len(c.problems) != before:
        return None
    assert image is not None and size is not None and keypoints is not None
    assert texts is not None and weights is not None and tolerance is not None
    assert mirror_ok is not None and upper is not None
    seated_playable = seated == "play" and (
        _shown_limbs(keypoints, weights, upper_body_only=True) >= MIN_SHOWN_LIMBS
    )
    return Level(
        image=image,
        title=strings["title"] or "",
        artist=strings["artist"] or "",
        date=strings["date"] or "",
        credit=strings["credit"] or "",
        image_size=size,
        keypoints=keypoints,
        texts=texts,
        weights=weights,
        tolerance=tolerance,
        mirror_ok=mirror_ok,
        upper_body_only=upper,
        seated=str(seated),
        seated_playable=seated_playable,
    )


def _check_languages(
    c: _Checker, pack: dict[str, Any]
) -> tuple[tuple[str, ...] | None, str | None]:
    where = "pack"
    languages: tuple[str, ...] | None = None
    raw = pack.get("languages")
    if "languages" not in pack:
        pass
    elif not isinstance(raw, list) or not 1 <= len(raw) <= MAX_LANGUAGES:
        got = f"{len(raw)} entries" if isinstance(raw, list) else _type_name(raw)
        c.add(
            where, f'"languages" must be an array of 1 to {MAX_LANGUAGES} language codes, got {got}'
        )
    else:
        ok = True
        for i, lang in enumerate(raw):
            if not isinstance(lang, str) or not _LANG_RE.fullmatch(lang):
                c.add(
                    where,
                    f'"languages" entry {i} {_show(lang)} is not a language code'
                    ' like "en" or "pt-BR"',
                )
                ok = False
        if ok and len(set(raw)) != len(raw):
            c.add(where, '"languages" lists a language twice')
            ok = False
        languages = tuple(raw) if ok else None
    default: str | None = None
    if "default_language" in pack:
        value = pack["default_language"]
        if not isinstance(value, str):
            c.add(where, f'"default_language" must be a string, got {_type_name(value)}')
        elif languages is not None and value not in languages:
            c.add(
                where, f'"default_language" {_show(value)} is not in "languages" {list(languages)}'
            )
        elif languages is not None:
            default = value
    return languages, default


def load_pack(data: object) -> LoadResult:
    """Validate decoded JSON ``data`` as a level pack; never raises on bad data."""
    c = _Checker()
    try:
        pack = _load(c, data)
    except RecursionError:  # pragma: no cover - structures are walked to a fixed depth
        c.add("pack", "is nested too deeply")
        pack = None
    problems = c.problems
    if len(problems) > MAX_PROBLEMS:
        extra = len(problems) - MAX_PROBLEMS
        problems = [*problems[:MAX_PROBLEMS], Problem("pack", f"... and {extra} more problems")]
    if problems:
        return LoadResult(None, tuple(problems))
    return LoadResult(pack)


def _load(c: _Checker, data: object) -> LevelPack | None:
    pack = c.fields("pack", data, "the pack", PACK_FIELDS, PACK_OPTIONAL)
    if pack is None:
        return None
    if "format_version" in pack:
        version = pack["format_version"]
        if isinstance(version, bool) or version != FORMAT_VERSION:
            c.add(
                "pack",
                f'"format_version" is {_show(version)}; this game reads version {FORMAT_VERSION}',
            )
    pack_id = pack.get("id")
    if "id" in pack and (not isinstance(pack_id, str) or not _ID_RE.fullmatch(pack_id)):
        c.add("pack", f'"id" {_show(pack_id)} must be 1-64 lowercase letters, digits, "-" or "_"')
    title = c.text("pack", pack["title"], '"title"', "pack_title") if "title" in pack else None
    languages, default = _check_languages(c, pack)
    levels: list[Level] = []
    if "levels" in pack:
        raw_levels = pack["levels"]
        if not isinstance(raw_levels, list):
            c.add("pack", f'"levels" must be an array, got {_type_name(raw_levels)}')
        else:
            if not MIN_LEVELS <= len(raw_levels) <= MAX_LEVELS:
                c.add(
                    "pack",
                    f'"levels" has {len(raw_levels)} levels, expected {MIN_LEVELS} to {MAX_LEVELS}',
                )
            for number, raw in enumerate(raw_levels[: MAX_LEVELS * 2], start=1):
                level = _check_level(c, f"level {number}", raw, languages, default)
                if level is not None:
                    levels.append(level)
    reading = _check_reading(c, pack["reading_seconds"]) if "reading_seconds" in pack else None
    if c.problems:
        return None
    assert isinstance(pack_id, str) and title is not None
    assert languages is not None and default is not None
    return LevelPack(FORMAT_VERSION, pack_id, title, languages, default, tuple(levels), reading)


def _check_reading(c: _Checker, value: object) -> tuple[float, float] | None:
    """``"reading_seconds": [min, max]``, each within the reading bounds."""
    label = '"reading_seconds"'
    if not isinstance(value, list) or len(value) != 2:
        got = f"{len(value)} entries" if isinstance(value, list) else _type_name(value)
        c.add("pack", f"{label} must be [min, max] in seconds, got {got}")
        return None
    low = c.number("pack", value[0], f"{label} min", MIN_BOUND_S, MAX_BOUND_S)
    high = c.number("pack", value[1], f"{label} max", MIN_BOUND_S, MAX_BOUND_S)
    if low is None or high is None:
        return None
    if low > high:
        c.add("pack", f"{label} min ({low:g}) is more than max ({high:g})")
        return None
    return low, high


def parse_pack(text: object) -> LoadResult:
    """Parse JSON ``text`` and validate it; never raises on bad input.

    Rejects what Python's ``json`` would otherwise accept but JSON forbids or
    a browser would read differently: ``NaN``/``Infinity`` and duplicate keys.
    """
    if not isinstance(text, str):
        return LoadResult(None, (Problem("JSON", f"expected text, got {type(text).__name__}"),))
    if len(text) > MAX_PACK_CHARS:
        return LoadResult(
            None,
            (Problem("JSON", f"is {len(text)} characters long, at most {MAX_PACK_CHARS} allowed"),),
        )
    duplicates: list[str] = []

    def no_constants(name: str) -> float:
        raise ValueError(f"{name} is not allowed in JSON")

    def unique_keys(pairs: list[tuple[str, Any]]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for key, value in pairs:
            if key in out:
                duplicates.append(key)
            out[key] = value
        return out

    try:
        data = json.loads(text, parse_constant=no_constants, object_pairs_hook=unique_keys)
    except json.JSONDecodeError as exc:
        return LoadResult(
            None,
            (Problem("JSON", f"syntax error at line {exc.lineno}, column {exc.colno}: {exc.msg}"),),
        )
    except RecursionError:
        return LoadResult(None, (Problem("JSON", "is nested too deeply"),))
    except ValueError as exc:  # NaN/Infinity, or an integer with too many digits
        return LoadResult(None, (Problem("JSON", str(exc)),))
    if duplicates:
        names = ", ".join(_show(k) for k in sorted(set(duplicates)))
        return LoadResult(None, (Problem("JSON", f"duplicate keys: {names}"),))
    return load_pack(data)
