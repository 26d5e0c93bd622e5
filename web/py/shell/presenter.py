"""What the page shows for a game view (pure: no browser imports).

``present(view, words)`` turns ``GameState.to_view()`` into a :class:`Screen`:
the body's ``data-state``, element texts, attributes and bar widths, the
results gallery, and the colour of every bone on the camera overlay.
``dom.py`` applies it; keeping the decisions here lets CPython test them.
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from strike_a_pose import LIMBS, SKELETON_EDGES

from .i18n import ENGLISH_WORDS, Words, hint_text

# Game phase -> <body data-state>, which the CSS uses to pick the screen.
PAGE_STATES: dict[str, str] = {
    "idle": "start",
    "framing": "framing",
    "countdown": "countdown",
    "playing": "playing",
    "level_cleared": "cleared",
    "results": "results",
}

# Overlay colours per limb verdict (the CSS variables of game.css, as values:
# a canvas cannot read CSS variables cheaply every frame).
VERDICT_COLOURS: dict[str, str] = {
    "good": "#2ec27e",
    "close": "#ffb703",
    "wrong": "#ff5a5f",
    "unseen": "#9a98b0",
}
NEUTRAL_COLOUR = "#fffdf7"  # bones that are not judged (face, shoulders, hips)
URGENT_MS = 5_000.0  # the timer turns red with this much time left

ATTRACT_PERIOD_MS = 3_000.0  # each artwork shows this long on the kiosk's attract screen
OUTCOMES = ("won", "finished", "time_up")


def outcome_title(outcome: str, words: Words) -> str:
    """The results screen's title for a game's outcome."""
    if outcome == "won":
        return words.gettext("You did it!")
    if outcome == "time_up":
        return words.gettext("Time's up!")
    return words.gettext("Well done!")


def artwork_alt(level: Mapping[str, Any], words: Words) -> str:
    """An artwork picture's alternative text."""
    # TRANSLATORS: an artwork's picture, for screen readers: "Mona Lisa by Leonardo".
    return words.gettext("{title} by {artist}", title=level["title"], artist=level["artist"])


def score_line(score: int, words: Words) -> str:
    return words.gettext("Score: {score}", score=score)


def start_lead(levels: int, seconds: int, words: Words) -> str:
    """The start screen's invitation: what to do, how many artworks, how long."""
    artworks = words.ngettext("{count} artwork", "{count} artworks", levels)
    duration = words.ngettext("{count} second", "{count} seconds", seconds)
    # TRANSLATORS: {artworks} is "5 artworks", {seconds} is "30 seconds".
    return words.gettext(
        "Copy the pose of the figure in each artwork.\n{artworks}, {seconds}!",
        artworks=artworks,
        seconds=duration,
    )


def _bone_limbs() -> tuple[str | None, ...]:
    """For each skeleton edge, the judged limb it draws, if any."""
    by_pair = {}
    for limb in LIMBS:
        if len(limb.start) == 1 and len(limb.end) == 1:
            by_pair[frozenset((limb.start[0], limb.end[0]))] = limb.name
    return tuple(by_pair.get(frozenset(edge)) for edge in SKELETON_EDGES)


BONE_LIMBS = _bone_limbs()
BONES: tuple[tuple[int, int], ...] = tuple((int(a), int(b)) for a, b in SKELETON_EDGES)


@dataclass(frozen=True)
class GalleryCard:
    """One artwork of the game on the results screen."""

    image: str  # the level's picture, as named in the pack (the shell makes it a URL)
    alt: str
    title: str
    meta: str  # "artist, date"
    credit: str
    status: str  # "cleared" | "skipped" | "missed"
    outcome: str  # "Matched in 4.2 s", "Skipped", "Missed"
    about: str
    about_label: str  # the button that opens the about text on a phone


@dataclass(frozen=True)
class Screen:
    page_state: str
    texts: dict[str, str] = field(default_factory=dict)  # element id -> text
    attributes: dict[tuple[str, str], str] = field(default_factory=dict)  # (id, name) -> value
    bar_percent: dict[str, float] = field(default_factory=dict)  # element id -> 0..100
    level_dots: tuple[str, ...] = ()  # "cleared" | "current" | "todo" | "missed" per level
    gallery: tuple[GalleryCard, ...] = ()  # the results screen's artworks, in play order
    bone_colours: tuple[str, ...] = ()  # one CSS colour per BONES entry


def bone_colours(verdicts: Mapping[str, str]) -> tuple[str, ...]:
    return tuple(
        VERDICT_COLOURS.get(verdicts.get(limb, "unseen"), NEUTRAL_COLOUR)
        if limb is not None
        else NEUTRAL_COLOUR
        for limb in BONE_LIMBS
    )


def timer_text(time_left_ms: float) -> str:
    """Whole seconds left, rounded up, so "0" shows only when time is up."""
    return str(max(0, math.ceil(time_left_ms / 1000.0 - 1e-9)))


def _dots(view: Mapping[str, Any]) -> tuple[str, ...]:
    results: Sequence[str] = view.get("level_results") or ()
    phase = view["phase"]
    dots = []
    for i in range(int(view["level_count"])):
        if i < len(results):
            dots.append("cleared" if results[i] == "cleared" else "missed")
        elif i == view["level_index"] and phase in ("playing", "level_cleared"):
            dots.append("current")
        else:
            dots.append("todo")
    return tuple(dots)


def level_meta(level: Mapping[str, Any]) -> str:
    """The artist and date line under an artwork's title."""
    return f"{level['artist']}, {level['date']}"


def gallery(view: Mapping[str, Any], words: Words) -> tuple[GalleryCard, ...]:
    """The results gallery: every artwork of the game with its outcome."""
    results: Sequence[str] = view.get("level_results") or ()
    times: Sequence[float] = view.get("level_times_ms") or ()
    cards = []
    for i, level in enumerate(view.get("played_levels") or ()):
        result = results[i] if i < len(results) else "missed"  # never reached: time was up
        if result == "cleared":
            status = "cleared"
            seconds = words.decimal(times[i] / 1000)
            # TRANSLATORS: {seconds} is a time such as "4.2" ("s": seconds).
            outcome = words.gettext("Matched in {seconds} s", seconds=seconds)
        elif result == "skipped":
            # TRANSLATORS: a level the visitor skipped, on the results screen.
            status, outcome = "skipped", words.gettext("Skipped")
        else:
            # TRANSLATORS: a level not matched before the time was up.
            status, outcome = "missed", words.gettext("Missed")
        cards.append(
            GalleryCard(
                image=level["image"],
                alt=artwork_alt(level, words),
                title=level["title"],
                meta=level_meta(level),
                credit=level["credit"],
                status=status,
                outcome=outcome,
                about=level["about"],
                about_label=words.gettext("About this artwork"),
            )
        )
    return tuple(cards)


def attract_index(now_ms: float, count: int) -> int:
    """Which artwork the attract screen shows at ``now_ms`` (they take turns)."""
    return int(max(0.0, now_ms) // ATTRACT_PERIOD_MS) % max(1, count)


def present(view: Mapping[str, Any], words: Words = ENGLISH_WORDS, kiosk: bool = False) -> Screen:
    """The screen for a game view, in the visitor's language (``words``)."""
    phase = view["phase"]
    texts: dict[str, str] = {}
    attributes: dict[tuple[str, str], str] = {}
    bars: dict[str, float] = {}

    time_left = float(view["time_left_ms"])
    texts["timer"] = timer_text(time_left)
    attributes[("timer", "data-urgent")] = "true" if time_left <= URGENT_MS else "false"

    level = view.get("level")
    if level:
        texts["artwork-title"] = level["title"]
        texts["artwork-meta"] = level_meta(level)
        texts["artwork-credit"] = level["credit"]
        attributes[("artwork-image", "alt")] = artwork_alt(level, words)

    fit = min(1.0, max(0.0, float(view["fit"])))
    bars["fit-bar"] = round(fit * 100, 1)
    attributes[("fit-bar", "data-level")] = (
        "good" if fit >= float(view["match_threshold"]) else "low"
    )
    bars["hold-bar"] = round(min(1.0, max(0.0, float(view["hold_progress"]))) * 100, 1)

    if phase == "framing":
        framing = view.get("framing")
        texts["countdown"] = hint_text(framing, words) if framing else words.gettext("Hold still…")
    elif phase == "countdown":
        texts["countdown"] = str(view["countdown"]) if view["countdown"] else ""
    else:
        texts["countdown"] = ""

    hint = view.get("hint")
    if phase == "playing":
        if hint:
            texts["hint"] = hint_text(hint, words)
        elif level:
            texts["hint"] = level["hint"]
        else:
            texts["hint"] = ""
    elif phase == "level_cleared":
        texts["hint"] = ""  # the story card says it all
    elif phase == "framing":
        texts["hint"] = (
            words.gettext("Move to where the camera can see you")
            if view.get("seated")
            else words.gettext("Stand where the camera can see you")
        )
    elif phase == "countdown":
        texts["hint"] = words.gettext("Get ready!")
    else:
        texts["hint"] = ""

    if phase == "idle":
        if kiosk:
            texts["start-lead"] = words.gettext("Come in front of the camera to play!")
        else:
            seconds = round(float(view["total_ms"]) / 1000.0)
            texts["start-lead"] = start_lead(int(view["level_count"]), seconds, words)
        progress = float(view.get("framing_progress") or 0.0) if kiosk else 0.0
        bars["presence-bar"] = round(min(1.0, max(0.0, progress)) * 100, 1)

    if phase == "level_cleared" and level:
        # The story: the artwork's title, artist, date and about text while
        # the clock is paused; the bar shows the reading time left.
        texts["story-title"] = level["title"]
        texts["story-meta"] = level_meta(level)
        texts["story-about"] = level["about"]
        points: Sequence[int] = view.get("level_points") or (0,)
        texts["story-points"] = words.ngettext("+{count} point", "+{count} points", int(points[-1]))
        progress = min(1.0, max(0.0, float(view.get("story_progress") or 0.0)))
        bars["story-bar"] = round(progress * 100, 1)

    cards: tuple[GalleryCard, ...] = ()
    if phase == "results":
        outcome = view.get("outcome") or "finished"
        if outcome not in OUTCOMES:
            outcome = "finished"
        texts["results-title"] = outcome_title(outcome, words)
        texts["results-score"] = score_line(int(view["score"]), words)
        attributes[("screen-results", "data-outcome")] = outcome
        cards = gallery(view, words)

    return Screen(
        page_state=PAGE_STATES[phase],
        texts=texts,
        attributes=attributes,
        bar_percent=bars,
        level_dots=_dots(view),
        gallery=cards,
        bone_colours=bone_colours(view.get("limb_verdicts") or {}),
    )
