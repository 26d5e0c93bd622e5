"""Anonymous play statistics: what a kiosk counts about its games, and nothing more.

Pure: no browser, no clock.  The shell folds every step of the game into a
:class:`Tally` with :func:`observe` (the state before and after the step and
the step's ``now_ms``).  The fold says when a game has started
(:class:`GameStarted`) and when it has ended (:class:`GameEnded`), and
:func:`count` adds each of those to the record of its day and pack, on the
day the shell gives (the device's local date).

A game *starts* when its first level is shown; it *finishes* when it reaches
the results (won, finished with skips, or out of time) and is *abandoned*
when it goes back to the start screen before that (a kiosk's visitor walked
away, a reset, an error).  A game that never ends (the page was closed or
reloaded) is counted as started only.  Per level, every level a game showed
counts as *shown*, and then as *cleared*, *skipped*, *missed* (the time ran
out on it) or none of these (the game was abandoned on it); a clear's time
goes into a fixed histogram (:data:`CLEAR_TIME_EDGES_MS`), and the limb whose
hint was on screen longest during the level (if any) is counted.  A finished
game's score goes into :data:`SCORE_EDGES`'s histogram.

The day record (one per day and pack; the JSON kept in the browser's
IndexedDB) has exactly these fields (docs/statistics.md)::

    {"schema": 1, "day": "2026-11-30", "pack": "default",
     "games": {"started": 3, "finished": 2, "abandoned": 1, "won": 1, "seated": 0},
     "languages": {"en": 2, "fr": 1},
     "scores": [0, 0, 1, 0, 1, 0, 0, 0],
     "levels": {"david.svg": {"shown": 3, "cleared": 2, "skipped": 0, "missed": 1,
                              "clear_times": [0, 1, 1, 0, 0, 0, 0, 0],
                              "longest_hint": {"left_upper_arm": 2}}}}

Nothing else is kept: no time finer than the day, no keypoint, no picture, no
text anyone typed, no identifier of a visitor or a device.  A level is named
by its picture's file name in the pack (:func:`level_keys`), a language by
its primary subtag, a limb by the core's limb name.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Literal, TypeAlias, TypedDict

from .game import GameState, Phase
from .keypoints import LIMB_NAMES
from .packformat import PACK_ID_RE, PRIMARY_LANGUAGE

SCHEMA_VERSION = 1
KEEP_DAYS = 400  # days of records kept; the oldest days are dropped beyond this
# Time to clear a level, in ms: bins [0, 2 s), [2 s, 4 s), ... [20 s, inf).
CLEAR_TIME_EDGES_MS: tuple[int, ...] = (2_000, 4_000, 6_000, 8_000, 10_000, 15_000, 20_000)
# A finished game's score: bins 0, [1, 250), [250, 500), ... [2000, inf).
SCORE_EDGES: tuple[int, ...] = (1, 250, 500, 750, 1_000, 1_500, 2_000)
UNKNOWN_LANGUAGE = "und"  # BCP 47's "undetermined"

RECORD_FIELDS = ("schema", "day", "pack", "games", "languages", "scores", "levels")
GAME_FIELDS = ("started", "finished", "abandoned", "won", "seated")
LEVEL_FIELDS = ("shown", "cleared", "skipped", "missed", "clear_times", "longest_hint")

_DAY_RE = re.compile(r"([0-9]{4})-([0-9]{2})-([0-9]{2})")
_LANGUAGE_RE = re.compile(PRIMARY_LANGUAGE)
# A level key: a pack picture's relative path (levelpack.py checks those), and
# "#<position>" for a later level of the pack that shows the same picture.
_LEVEL_KEY_RE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._/-]{0,199}(?:#[1-9][0-9]{0,2})?")

LevelOutcome = Literal["cleared", "skipped", "missed", "abandoned"]
_OUTCOMES: dict[str, LevelOutcome] = {
    "cleared": "cleared",
    "skipped": "skipped",
    "time_up": "missed",
}


class GameCounts(TypedDict):
    started: int
    finished: int
    abandoned: int
    won: int
    seated: int


class LevelCounts(TypedDict):
    shown: int
    cleared: int
    skipped: int
    missed: int
    clear_times: list[int]
    longest_hint: dict[str, int]


class DayRecord(TypedDict):
    schema: int
    day: str
    pack: str
    games: GameCounts
    languages: dict[str, int]
    scores: list[int]
    levels: dict[str, LevelCounts]


class RecordError(ValueError):
    """A day record that is not what this module writes."""


# --- what one game contributes -----------------------------------------------


@dataclass(frozen=True)
class LevelPlay:
    """One level as one game played it."""

    key: str  # level_keys()
    outcome: LevelOutcome
    clear_ms: float | None = None  # playing time to clear it (cleared only)
    longest_hint: str | None = None  # the limb whose hint was on screen longest


@dataclass(frozen=True)
class GameStarted:
    pack: str
    seated: bool
    language: str  # language_code()


@dataclass(frozen=True)
class GameEnded:
    pack: str
    finished: bool  # False: abandoned
    won: bool
    score: int | None  # finished games only
    levels: tuple[LevelPlay, ...]


Counted: TypeAlias = GameStarted | GameEnded


def language_code(tag: str) -> str:
    """The primary subtag of a language tag ("fr-CA" -> "fr"), or "und"."""
    primary = tag.split("-")[0].lower()
    return primary if _LANGUAGE_RE.fullmatch(primary) else UNKNOWN_LANGUAGE


def level_keys(images: Sequence[str]) -> tuple[str, ...]:
    """The statistics' name of each level of a pack, from its pictures in pack
    order: the picture's name, and ``name#N`` (N its position, from 1) for a
    level that shows a picture an earlier level shows too."""
    seen: set[str] = set()
    keys = []
    for position, image in enumerate(images, start=1):
        keys.append(image if image not in seen else f"{image}#{position}")
        seen.add(image)
    return tuple(keys)


def bin_index(value: float, edges: Sequence[int]) -> int:
    """Which bin of a histogram with these upper edges ``value`` falls in."""
    if math.isnan(value):
        raise ValueError("a histogram value must be a number, got NaN")
    return sum(1 for edge in edges if edge <= value)


# --- the fold over the game's steps -------------------------------------------


@dataclass(frozen=True)
class Tally:
    """What the fold remembers between steps: whether a game is under way and,
    per level slot, how long each limb's hint has been on screen (ms)."""

    in_game: bool = False
    hint_ms: Mapping[int, Mapping[str, float]] = field(default_factory=dict)

    def with_hint_time(self, slot: int, limb: str, ms: float) -> Tally:
        times = dict(self.hint_ms.get(slot, {}))
        times[limb] = times.get(limb, 0.0) + ms
        return Tally(self.in_game, {**self.hint_ms, slot: times})

    def longest_hint(self, slot: int) -> str | None:
        """The limb whose hint was shown longest at ``slot`` (ties: the core's limb order)."""
        times = self.hint_ms.get(slot, {})
        shown = [(ms, -LIMB_NAMES.index(limb), limb) for limb, ms in times.items() if ms > 0]
        return max(shown)[2] if shown else None


_IN_GAME = (Phase.PLAYING, Phase.LEVEL_CLEARED)


def observe(
    tally: Tally, before: GameState, after: GameState, now_ms: float
) -> tuple[Tally, tuple[Counted, ...]]:
    """Fold one step of the game (``before`` -> ``after`` at ``now_ms``) into
    the tally; also return what the step makes countable (a game started or
    ended).  Hint time runs from one step to the next while a level is played."""
    counted: list[Counted] = []
    if tally.in_game:
        hint = before.hint
        if before.phase == Phase.PLAYING and hint is not None and hint.limb is not None:
            since = before.now_ms if before.now_ms is not None else now_ms
            tally = tally.with_hint_time(before.level_index, hint.limb, max(0.0, now_ms - since))
        if after.phase == Phase.RESULTS:
            counted.append(_ended(tally, after, finished=True))
            tally = Tally()
        elif after.phase not in _IN_GAME:
            counted.append(_ended(tally, before, finished=False))
            tally = Tally()
    elif after.phase in (*_IN_GAME, Phase.RESULTS) and before.phase not in (
        *_IN_GAME,
        Phase.RESULTS,
    ):
        counted.append(
            GameStarted(
                after.pack.id, after.difficulty.upper_body_only, language_code(after.language)
            )
        )
        tally = Tally(in_game=True)
        if after.phase == Phase.RESULTS:  # started and over within one step
            counted.append(_ended(tally, after, finished=True))
            tally = Tally()
    return tally, tuple(counted)


def _ended(tally: Tally, state: GameState, finished: bool) -> GameEnded:
    """The game as it ended: ``state`` is its last state in play, or its results."""
    keys = level_keys([level.image for level in state.pack.levels])
    levels = []
    for slot, result in enumerate(state.level_results):
        outcome = _OUTCOMES[result]
        clear_ms = state.level_times_ms[slot] if outcome == "cleared" else None
        key = keys[state.level_order[slot]]
        levels.append(LevelPlay(key, outcome, clear_ms, tally.longest_hint(slot)))
    if not finished and state.phase == Phase.PLAYING:  # the level the visitor left
        key = keys[state.level_order[state.level_index]]
        levels.append(LevelPlay(key, "abandoned", None, tally.longest_hint(state.level_index)))
    return GameEnded(
        pack=state.pack.id,
        finished=finished,
        won=finished and state.outcome == "won",
        score=int(state.score) if finished else None,
        levels=tuple(levels),
    )


# --- the day records ------------------------------------------------------


def empty_record(day: str, pack: str) -> DayRecord:
    check_day(day)
    if not PACK_ID_RE.fullmatch(pack):
        raise RecordError(f"pack id {pack!r} is not a pack id")
    return {
        "schema": SCHEMA_VERSION,
        "day": day,
        "pack": pack,
        "games": {"started": 0, "finished": 0, "abandoned": 0, "won": 0, "seated": 0},
        "languages": {},
        "scores": [0] * (len(SCORE_EDGES) + 1),
        "levels": {},
    }


def empty_level() -> LevelCounts:
    """A level's counts before any game showed it."""
    return {
        "shown": 0,
        "cleared": 0,
        "skipped": 0,
        "missed": 0,
        "clear_times": [0] * (len(CLEAR_TIME_EDGES_MS) + 1),
        "longest_hint": {},
    }


def record_key(day: str, pack: str) -> str:
    """Where a day record is kept: ``"<day> <pack>"`` (neither has spaces)."""
    return f"{day} {pack}"


def count(record: DayRecord | None, counted: Counted, day: str) -> DayRecord:
    """``record`` (that day's and pack's, or None for a new one) with one more
    game start or end counted; ``record`` itself is left as it was."""
    result: DayRecord
    if record is None:
        result = empty_record(day, counted.pack)
    else:
        result = json.loads(json.dumps(parse_record(record)))  # a copy
        if (result["day"], result["pack"]) != (day, counted.pack):
            raise RecordError(
                f"the record of {result['day']} {result['pack']} cannot count "
                f"a game of {day} {counted.pack}"
            )
    games = result["games"]
    if isinstance(counted, GameStarted):
        games["started"] += 1
        games["seated"] += int(counted.seated)
        language = language_code(counted.language)
        result["languages"][language] = result["languages"].get(language, 0) + 1
        return result
    games["finished" if counted.finished else "abandoned"] += 1
    games["won"] += int(counted.won)
    if counted.finished and counted.score is not None:
        result["scores"][bin_index(max(0, counted.score), SCORE_EDGES)] += 1
    for play in counted.levels:
        if not _LEVEL_KEY_RE.fullmatch(play.key):
            raise RecordError(f"level key {play.key!r} is not a pack picture's name")
        level = result["levels"].setdefault(play.key, empty_level())
        level["shown"] += 1
        if play.outcome != "abandoned":
            level[play.outcome] += 1
        if play.outcome == "cleared" and play.clear_ms is not None:
            level["clear_times"][bin_index(max(0.0, play.clear_ms), CLEAR_TIME_EDGES_MS)] += 1
        if play.longest_hint is not None:
            if play.longest_hint not in LIMB_NAMES:
                raise RecordError(f"{play.longest_hint!r} is not a limb")
            hints = level["longest_hint"]
            hints[play.longest_hint] = hints.get(play.longest_hint, 0) + 1
    return result


def days_to_drop(keys: Iterable[str], keep_days: int = KEEP_DAYS) -> list[str]:
    """The record keys (:func:`record_key`) to delete so that only the newest
    ``keep_days`` days with records remain."""
    if keep_days < 1:
        raise ValueError(f"keep_days must be at least 1, got {keep_days}")
    keys = list(keys)
    days = sorted({key.split(" ")[0] for key in keys})
    if len(days) <= keep_days:
        return []
    oldest_kept = days[-keep_days]
    return sorted(key for key in keys if key.split(" ")[0] < oldest_kept)


# --- checking what is stored --------------------------------------------------


def _days_in_month(year: int, month: int) -> int:
    if month == 2:
        leap = year % 4 == 0 and (year % 100 != 0 or year % 400 == 0)
        return 29 if leap else 28
    return 30 if month in (4, 6, 9, 11) else 31


def check_day(day: object) -> str:
    """``day`` if it is a calendar date written ``YYYY-MM-DD``; else RecordError."""
    match = _DAY_RE.fullmatch(day) if isinstance(day, str) else None
    if match is None:
        raise RecordError(f"day {day!r} is not a date written YYYY-MM-DD")
    year, month, date = (int(part) for part in match.groups())
    if not (1 <= month <= 12 and 1 <= date <= _days_in_month(year, month)):
        raise RecordError(f"day {day!r} is not a calendar date")
    assert isinstance(day, str)
    return day


def _count_value(where: str, value: object, problems: list[str]) -> None:
    if isinstance(value, bool) or not isinstance(value, int) or value < 0:
        problems.append(f"{where} must be a count (a whole number >= 0), got {value!r}")


def _exact_keys(where: str, value: object, fields: Sequence[str], problems: list[str]) -> bool:
    if not isinstance(value, dict):
        problems.append(f"{where} must be an object, got {type(value).__name__}")
        return False
    if sorted(value) != sorted(fields):
        problems.append(f"{where} has fields {sorted(value)}, expected {sorted(fields)}")
        return False
    return True


def _histogram(where: str, value: object, edges: Sequence[int], problems: list[str]) -> None:
    if not isinstance(value, list) or len(value) != len(edges) + 1:
        problems.append(f"{where} must be a list of {len(edges) + 1} counts, got {value!r}")
        return
    for i, item in enumerate(value):
        _count_value(f"{where}[{i}]", item, problems)


def _counts_by(
    where: str, value: object, key_ok: re.Pattern[str] | tuple[str, ...], problems: list[str]
) -> None:
    if not isinstance(value, dict):
        problems.append(f"{where} must be an object, got {type(value).__name__}")
        return
    for key, item in value.items():
        ok = key in key_ok if isinstance(key_ok, tuple) else bool(key_ok.fullmatch(key))
        if not ok:
            problems.append(f"{where} has an unexpected key {key!r}")
        _count_value(f"{where}[{key!r}]", item, problems)


def check_record(data: object) -> list[str]:
    """Every way ``data`` differs from a day record this module writes
    (exact fields at every level, counts only); empty when it is one."""
    problems: list[str] = []
    if not _exact_keys("record", data, RECORD_FIELDS, problems):
        return problems
    assert isinstance(data, dict)
    if data["schema"] != SCHEMA_VERSION or isinstance(data["schema"], bool):
        problems.append(f"schema is {data['schema']!r}, this game writes {SCHEMA_VERSION}")
    try:
        check_day(data["day"])
    except RecordError as error:
        problems.append(str(error))
    if not (isinstance(data["pack"], str) and PACK_ID_RE.fullmatch(data["pack"])):
        problems.append(f"pack {data['pack']!r} is not a pack id")
    if _exact_keys("games", data["games"], GAME_FIELDS, problems):
        for name in GAME_FIELDS:
            _count_value(f"games.{name}", data["games"][name], problems)
    _counts_by("languages", data["languages"], _LANGUAGE_RE, problems)
    _histogram("scores", data["scores"], SCORE_EDGES, problems)
    levels = data["levels"]
    if not isinstance(levels, dict):
        problems.append(f"levels must be an object, got {type(levels).__name__}")
        return problems
    for key, level in levels.items():
        where = f"levels[{key!r}]"
        if not _LEVEL_KEY_RE.fullmatch(key):
            problems.append(f"{where}: the key is not a pack picture's name")
        if not _exact_keys(where, level, LEVEL_FIELDS, problems):
            continue
        for name in ("shown", "cleared", "skipped", "missed"):
            _count_value(f"{where}.{name}", level[name], problems)
        _histogram(f"{where}.clear_times", level["clear_times"], CLEAR_TIME_EDGES_MS, problems)
        _counts_by(f"{where}.longest_hint", level["longest_hint"], LIMB_NAMES, problems)
    return problems


def parse_record(data: object) -> DayRecord:
    """``data`` as a day record, or RecordError naming every problem."""
    problems = check_record(data)
    if problems:
        raise RecordError("; ".join(problems))
    return data  # type: ignore[return-value]
