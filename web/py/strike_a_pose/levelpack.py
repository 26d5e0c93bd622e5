"""Load and validate a level pack (format: docs/levelpack.md).

Untrusted input: ``parse_pack`` and ``load_pack`` never raise on bad data;
they return a :class:`LoadResult` holding either the pack or *every* problem
found, each with its location (``level 3: "keypoints" has 16 entries,
expected 17``).  Text is kept verbatim as plain text: nothing is escaped or
stripped here; the page must insert it as text, never as HTML.

This module walks the pack (its fields, languages, levels and reading time);
packcheck.py checks the parts, packformat.py holds the format's limits and
levels.py the loaded pack.  All of them are importable from here.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any

from .levels import Level, LevelPack, LevelText
from .packcheck import (
    Checker,
    Problem,
    check_figure,
    check_image_path,
    check_image_size,
    check_keypoints,
    check_texts,
    check_weights,
    show,
    shown_limbs,
    type_name,
)
from .packformat import (
    FORMAT_VERSION,
    IMAGE_EXTENSIONS,
    LANGUAGE_TAG,
    LANGUAGE_TAG_RE,
    LEVEL_OPTIONAL,
    LEVEL_REQUIRED,
    MAX_IMAGE_BYTES,
    MAX_IMAGE_PIXELS,
    MAX_IMAGE_SIDE,
    MAX_LANGUAGES,
    MAX_LEVELS,
    MAX_PACK_CHARS,
    MAX_PROBLEMS,
    MAX_TOLERANCE,
    MAX_WEIGHT,
    MIN_LEVELS,
    MIN_SHOWN_LIMBS,
    MIN_TOLERANCE,
    PACK_FIELDS,
    PACK_ID,
    PACK_ID_RE,
    PACK_OPTIONAL,
    SEATED_CHOICES,
    SHOWN_SCORE,
    TEXT_FIELDS,
    TEXT_LIMITS,
)
from .reading import MAX_BOUND_S, MIN_BOUND_S

# The model and the format's facts are also this module's, as before the split.
__all__ = [
    "FORMAT_VERSION",
    "IMAGE_EXTENSIONS",
    "LANGUAGE_TAG",
    "LEVEL_OPTIONAL",
    "LEVEL_REQUIRED",
    "MAX_IMAGE_BYTES",
    "MAX_IMAGE_PIXELS",
    "MAX_IMAGE_SIDE",
    "MAX_LANGUAGES",
    "MAX_LEVELS",
    "MAX_PACK_CHARS",
    "MAX_PROBLEMS",
    "MAX_TOLERANCE",
    "MAX_WEIGHT",
    "MIN_LEVELS",
    "MIN_SHOWN_LIMBS",
    "MIN_TOLERANCE",
    "PACK_FIELDS",
    "PACK_ID",
    "PACK_OPTIONAL",
    "SEATED_CHOICES",
    "SHOWN_SCORE",
    "TEXT_FIELDS",
    "TEXT_LIMITS",
    "Level",
    "LevelPack",
    "LevelText",
    "LoadResult",
    "Problem",
    "load_pack",
    "parse_pack",
]


@dataclass(frozen=True)
class LoadResult:
    pack: LevelPack | None
    problems: tuple[Problem, ...] = ()

    @property
    def ok(self) -> bool:
        return self.pack is not None

    def messages(self) -> list[str]:
        return [str(p) for p in self.problems]


def _check_level(
    c: Checker, where: str, obj: object, languages: tuple[str, ...] | None, default: str | None
) -> Level | None:
    before = len(c.problems)
    level = c.fields(where, obj, "the level", LEVEL_REQUIRED, LEVEL_OPTIONAL)
    if level is None:
        return None
    image = check_image_path(c, where, level["image"]) if "image" in level else None
    strings = {
        key: c.text(where, level[key], f'"{key}"', key) if key in level else None
        for key in ("title", "artist", "date", "credit")
    }
    size = check_image_size(c, where, level["image_size"]) if "image_size" in level else None
    keypoints = (
        check_keypoints(c, where, level["keypoints"], size) if "keypoints" in level else None
    )
    texts = check_texts(c, where, level["texts"], languages, default) if "texts" in level else None
    weights = check_weights(c, where, level["weights"]) if "weights" in level else {}
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
        c.add(where, f'"seated" must be "play" or "skip", got {show(seated)}')
    if keypoints is not None and weights is not None and upper is not None:
        check_figure(c, where, keypoints, weights, upper)
    if len(c.problems) != before:
        return None
    assert image is not None and size is not None and keypoints is not None
    assert texts is not None and weights is not None and tolerance is not None
    assert mirror_ok is not None and upper is not None
    seated_playable = seated == "play" and (
        shown_limbs(keypoints, weights, upper_body_only=True) >= MIN_SHOWN_LIMBS
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


def _check_languages(c: Checker, pack: dict[str, Any]) -> tuple[tuple[str, ...] | None, str | None]:
    where = "pack"
    languages: tuple[str, ...] | None = None
    raw = pack.get("languages")
    if "languages" not in pack:
        pass
    elif not isinstance(raw, list) or not 1 <= len(raw) <= MAX_LANGUAGES:
        got = f"{len(raw)} entries" if isinstance(raw, list) else type_name(raw)
        c.add(
            where, f'"languages" must be an array of 1 to {MAX_LANGUAGES} language codes, got {got}'
        )
    else:
        ok = True
        for i, lang in enumerate(raw):
            if not isinstance(lang, str) or not LANGUAGE_TAG_RE.fullmatch(lang):
                c.add(
                    where,
                    f'"languages" entry {i} {show(lang)} is not a language code'
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
            c.add(where, f'"default_language" must be a string, got {type_name(value)}')
        elif languages is not None and value not in languages:
            c.add(
                where, f'"default_language" {show(value)} is not in "languages" {list(languages)}'
            )
        elif languages is not None:
            default = value
    return languages, default


def load_pack(data: object) -> LoadResult:
    """Validate decoded JSON ``data`` as a level pack; never raises on bad data."""
    c = Checker()
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


def _load(c: Checker, data: object) -> LevelPack | None:
    pack = c.fields("pack", data, "the pack", PACK_FIELDS, PACK_OPTIONAL)
    if pack is None:
        return None
    if "format_version" in pack:
        version = pack["format_version"]
        if isinstance(version, bool) or version != FORMAT_VERSION:
            c.add(
                "pack",
                f'"format_version" is {show(version)}; this game reads version {FORMAT_VERSION}',
            )
    pack_id = pack.get("id")
    if "id" in pack and (not isinstance(pack_id, str) or not PACK_ID_RE.fullmatch(pack_id)):
        c.add("pack", f'"id" {show(pack_id)} must be 1-64 lowercase letters, digits, "-" or "_"')
    title = c.text("pack", pack["title"], '"title"', "pack_title") if "title" in pack else None
    languages, default = _check_languages(c, pack)
    levels: list[Level] = []
    if "levels" in pack:
        raw_levels = pack["levels"]
        if not isinstance(raw_levels, list):
            c.add("pack", f'"levels" must be an array, got {type_name(raw_levels)}')
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


def _check_reading(c: Checker, value: object) -> tuple[float, float] | None:
    """``"reading_seconds": [min, max]``, each within the reading bounds."""
    label = '"reading_seconds"'
    if not isinstance(value, list) or len(value) != 2:
        got = f"{len(value)} entries" if isinstance(value, list) else type_name(value)
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
        names = ", ".join(show(k) for k in sorted(set(duplicates)))
        return LoadResult(None, (Problem("JSON", f"duplicate keys: {names}"),))
    return load_pack(data)
