"""What the staff read from the play statistics (playstats.py): the overview
the statistics view draws, the CSV export, and the curator's advice on a
level's tolerance.  Pure: the records, the packs and today's date come in as
arguments.

The CSV export has one row per level per day (and pack), sorted by day, pack
and level; its columns are :data:`CSV_COLUMNS` (docs/statistics.md):

``day``, ``pack``, ``level``
    the local date, the pack id, the level's picture name (playstats.level_keys)
``shown``, ``cleared``, ``skipped``, ``missed``, ``abandoned``
    games that showed the level, and how it went for them (``abandoned``:
    the visitor left during it)
``clear_rate``
    cleared / shown, three decimals
``cleared_under_2s`` ... ``cleared_20s_or_more``
    the clears by time to clear (playstats.CLEAR_TIME_EDGES_MS)
``median_clear``
    the histogram bin that holds the median time to clear, e.g. ``4-6 s``
``hardest_limb``
    the limb whose hint was most often the one shown longest
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any, Literal

from .keypoints import LIMB_NAMES
from .levelpack import MAX_TOLERANCE, MIN_TOLERANCE
from .playstats import (
    CLEAR_TIME_EDGES_MS,
    GAME_FIELDS,
    SCORE_EDGES,
    DayRecord,
    LevelCounts,
    RecordError,
    check_day,
    empty_level,
    level_keys,
    parse_record,
)
from .wording import PART_LABELS

DAYS_SHOWN = 30  # the games-per-day chart: this many days, up to today
# The curator is told a level may be too hard below this clear rate, too easy above.
HARD_BELOW = 0.20
EASY_ABOVE = 0.95
FEW_PLAYERS = 10  # fewer players than this: the advice says the rate is uncertain
TOLERANCE_FACTOR = 1.25  # a suggested tolerance is the current one times or over this
TOLERANCE_STEP = 0.05  # ... rounded to this (the curator page's tolerance field step)


def _pairs(edges: Sequence[int]) -> list[tuple[int, int]]:
    """Each edge with the next one."""
    return [(edges[i], edges[i + 1]) for i in range(len(edges) - 1)]


def _seconds(ms: int) -> str:
    return f"{ms / 1000:g}"


def clear_time_labels() -> tuple[str, ...]:
    """Readable names of the time-to-clear bins: "under 2 s", "2-4 s", ... "20 s or more"."""
    edges = CLEAR_TIME_EDGES_MS
    middle = [f"{_seconds(a)}-{_seconds(b)} s" for a, b in _pairs(edges)]
    return (f"under {_seconds(edges[0])} s", *middle, f"{_seconds(edges[-1])} s or more")


def score_labels() -> tuple[str, ...]:
    """Readable names of the score bins: "0", "1-249", ... "2000 or more"."""
    edges = SCORE_EDGES
    middle = [f"{a}-{b - 1}" for a, b in _pairs(edges)]
    return (f"under {edges[0]}" if edges[0] != 1 else "0", *middle, f"{edges[-1]} or more")


def _clear_time_columns() -> tuple[str, ...]:
    edges = CLEAR_TIME_EDGES_MS
    middle = [f"cleared_{_seconds(a)}_{_seconds(b)}s" for a, b in _pairs(edges)]
    return (
        f"cleared_under_{_seconds(edges[0])}s",
        *middle,
        f"cleared_{_seconds(edges[-1])}s_or_more",
    )


CSV_COLUMNS: tuple[str, ...] = (
    "day",
    "pack",
    "level",
    "shown",
    "cleared",
    "skipped",
    "missed",
    "abandoned",
    "clear_rate",
    *_clear_time_columns(),
    "median_clear",
    "hardest_limb",
)


# --- calendar days without a clock or a calendar library ------------------------


def day_number(day: str) -> int:
    """Days since 1970-01-01 of a ``YYYY-MM-DD`` date (proleptic Gregorian)."""
    year, month, date = (int(part) for part in check_day(day).split("-"))
    year -= month <= 2
    era = year // 400
    year_of_era = year - era * 400
    day_of_year = (153 * (month + (-3 if month > 2 else 9)) + 2) // 5 + date - 1
    day_of_era = year_of_era * 365 + year_of_era // 4 - year_of_era // 100 + day_of_year
    return era * 146_097 + day_of_era - 719_468


def day_from_number(number: int) -> str:
    """The ``YYYY-MM-DD`` date ``number`` days after 1970-01-01."""
    number += 719_468
    era = number // 146_097
    day_of_era = number - era * 146_097
    year_of_era = (
        day_of_era - day_of_era // 1460 + day_of_era // 36_524 - day_of_era // 146_096
    ) // 365
    day_of_year = day_of_era - (365 * year_of_era + year_of_era // 4 - year_of_era // 100)
    shifted_month = (5 * day_of_year + 2) // 153
    date = day_of_year - (153 * shifted_month + 2) // 5 + 1
    month = shifted_month + (3 if shifted_month < 10 else -9)
    year = year_of_era + era * 400 + (month <= 2)
    return f"{year:04d}-{month:02d}-{date:02d}"


# --- reading the records ----------------------------------------------------------


def load_records(items: Iterable[object]) -> tuple[list[DayRecord], list[str]]:
    """The valid day records among ``items`` and a problem for each other one."""
    records: list[DayRecord] = []
    problems: list[str] = []
    for n, item in enumerate(items, start=1):
        try:
            records.append(parse_record(item))
        except RecordError as error:
            problems.append(f"record {n}: {error}")  # the page says it was left out
    return records, problems


def median_bin(histogram: Sequence[int]) -> int | None:
    """The bin holding the median of the values counted in ``histogram``."""
    total = sum(histogram)
    if total == 0:
        return None
    running = 0
    for index, value in enumerate(histogram):
        running += value
        if 2 * running >= total:
            return index
    return len(histogram) - 1  # pragma: no cover - the loop always returns


def hardest_limb(longest_hint: Mapping[str, int]) -> str | None:
    """The limb most often shown longest (ties: the core's limb order)."""
    if not longest_hint:
        return None
    return max(longest_hint, key=lambda limb: (longest_hint[limb], -LIMB_NAMES.index(limb)))


def _add_level(total: LevelCounts, level: LevelCounts) -> None:
    for name in ("shown", "cleared", "skipped", "missed"):
        total[name] += level[name]
    total["clear_times"] = [
        a + b for a, b in zip(total["clear_times"], level["clear_times"], strict=True)
    ]
    for limb, times in level["longest_hint"].items():
        total["longest_hint"][limb] = total["longest_hint"].get(limb, 0) + times


def levels_of(records: Iterable[DayRecord], pack: str) -> dict[str, LevelCounts]:
    """One pack's level counts over every day of ``records``, by level key."""
    totals: dict[str, LevelCounts] = {}
    for record in records:
        if record["pack"] != pack:
            continue
        for key, level in record["levels"].items():
            _add_level(totals.setdefault(key, empty_level()), level)
    return totals


def _rate(cleared: int, shown: int) -> float | None:
    return cleared / shown if shown else None


def level_line(key: str, level: LevelCounts, title: str | None = None) -> dict[str, Any]:
    """One level's figures as the statistics view shows them."""
    median = median_bin(level["clear_times"])
    limb = hardest_limb(level["longest_hint"])
    return {
        "key": key,
        "title": title,
        "shown": level["shown"],
        "cleared": level["cleared"],
        "skipped": level["skipped"],
        "missed": level["missed"],
        "abandoned": level["shown"] - level["cleared"] - level["skipped"] - level["missed"],
        "clear_rate": _rate(level["cleared"], level["shown"]),
        "clear_times": list(level["clear_times"]),
        "median_clear_bin": median,  # an index into the clear-time bins
        "median_clear": None if median is None else clear_time_labels()[median],  # English
        "hardest_limb": limb,
        # English words for it; the curator page shows them through its catalogue.
        "hardest_limb_label": None if limb is None else PART_LABELS[limb],
    }


# --- the packs' names -------------------------------------------------------------


@dataclass(frozen=True)
class PackNames:
    """A pack's title and its levels' keys and titles, in pack order."""

    title: str
    levels: tuple[tuple[str, str], ...]


def pack_names(packs: Iterable[object]) -> dict[str, PackNames]:
    """Titles from packs as JSON objects (pack.json's content; a draft may be
    incomplete: what cannot be read is left out), by pack id."""
    names: dict[str, PackNames] = {}
    for pack in packs:
        if not isinstance(pack, dict) or not isinstance(pack.get("id"), str):
            continue
        levels = pack.get("levels")
        levels = levels if isinstance(levels, list) else []
        images = [str(lv.get("image", "")) if isinstance(lv, dict) else "" for lv in levels]
        titles = [str(lv.get("title", "")) if isinstance(lv, dict) else "" for lv in levels]
        pairs = tuple(zip(level_keys(images), titles, strict=True))
        names.setdefault(pack["id"], PackNames(str(pack.get("title", "")), pairs))
    return names


# --- the overview ---------------------------------------------------------------


def overview(
    records: Sequence[DayRecord],
    today: str,
    packs: Mapping[str, PackNames] | None = None,
    days_shown: int = DAYS_SHOWN,
) -> dict[str, Any]:
    """Everything the statistics view shows, as plain data."""
    packs = packs or {}
    # The chart ends today, or on the last day counted if the device's clock went back since.
    last = max([day_number(today), *(day_number(record["day"]) for record in records)])
    totals = {name: 0 for name in GAME_FIELDS}
    per_day: dict[str, int] = {}
    languages: dict[str, int] = {}
    scores = [0] * (len(SCORE_EDGES) + 1)
    for record in records:
        for name in GAME_FIELDS:
            totals[name] += record["games"][name]  # type: ignore[literal-required]
        per_day[record["day"]] = per_day.get(record["day"], 0) + record["games"]["started"]
        for language, games in record["languages"].items():
            languages[language] = languages.get(language, 0) + games
        scores = [a + b for a, b in zip(scores, record["scores"], strict=True)]
    language_total = sum(languages.values())
    pack_lines = []
    for pack in sorted({record["pack"] for record in records}):
        names = packs.get(pack)
        levels = levels_of(records, pack)
        order = [key for key, _ in names.levels if key in levels] if names else []
        order += sorted(key for key in levels if key not in order)
        titles = dict(names.levels) if names else {}
        pack_lines.append(
            {
                "pack": pack,
                "title": names.title if names else None,
                "levels": [level_line(key, levels[key], titles.get(key)) for key in order],
            }
        )
    days = sorted(per_day)
    return {
        "today": today,
        "first_day": days[0] if days else None,
        "last_day": days[-1] if days else None,
        "games": totals,
        "seated_share": totals["seated"] / totals["started"] if totals["started"] else None,
        "per_day": [
            {"day": day, "games": per_day.get(day, 0)}
            for day in (day_from_number(n) for n in range(last - days_shown + 1, last + 1))
        ],
        "languages": [
            {"language": language, "games": games, "share": games / language_total}
            for language, games in sorted(languages.items(), key=lambda item: (-item[1], item[0]))
        ],
        # The histograms' bins, for the page to name them in its own language.
        "clear_time_edges_ms": list(CLEAR_TIME_EDGES_MS),
        "score_edges": list(SCORE_EDGES),
        "scores": [
            {"bin": index, "label": label, "games": games}
            for index, (label, games) in enumerate(zip(score_labels(), scores, strict=True))
        ],
        "packs": pack_lines,
    }


# --- the CSV export ---------------------------------------------------------------


def csv_rows(records: Iterable[DayRecord]) -> list[list[str]]:
    """The export's rows (without the header): one per level per day and pack."""
    rows = []
    for record in sorted(records, key=lambda r: (r["day"], r["pack"])):
        for key in sorted(record["levels"]):
            line = level_line(key, record["levels"][key])
            rate = line["clear_rate"]
            rows.append(
                [
                    record["day"],
                    record["pack"],
                    key,
                    *(str(line[name]) for name in ("shown", "cleared", "skipped", "missed")),
                    str(line["abandoned"]),
                    "" if rate is None else f"{rate:.3f}",
                    *(str(n) for n in line["clear_times"]),
                    "" if line["median_clear"] is None else line["median_clear"],
                    line["hardest_limb"] or "",
                ]
            )
    return rows


def _csv_cell(text: str) -> str:
    if any(c in text for c in ',"\r\n'):
        return '"' + text.replace('"', '""') + '"'
    return text


def csv_text(records: Iterable[DayRecord]) -> str:
    """The CSV export: a header of :data:`CSV_COLUMNS`, then :func:`csv_rows`
    (RFC 4180: comma-separated, quoted where needed, CRLF line ends).  No cell
    can start a spreadsheet formula: days, pack ids and picture names start
    with a letter or digit, and every other cell is a number or a word."""
    lines = [CSV_COLUMNS, *csv_rows(records)]
    return "".join(",".join(_csv_cell(cell) for cell in line) + "\r\n" for line in lines)


# --- the curator's advice ---------------------------------------------------------

Suggestion = Literal["more_forgiving", "stricter"]


def _round_tolerance(value: float) -> float:
    steps = round(value / TOLERANCE_STEP)
    return round(min(MAX_TOLERANCE, max(MIN_TOLERANCE, steps * TOLERANCE_STEP)), 2)


def suggest_tolerance(rate: float, tolerance: float) -> tuple[Suggestion | None, float | None]:
    """Whether a level cleared at ``rate`` (0..1) may be too hard or too easy,
    and the tolerance to try instead (None when it is at its limit already)."""
    if rate < HARD_BELOW:
        wanted: Suggestion = "more_forgiving"
        new = _round_tolerance(tolerance * TOLERANCE_FACTOR)
    elif rate > EASY_ABOVE:
        wanted = "stricter"
        new = _round_tolerance(tolerance / TOLERANCE_FACTOR)
    else:
        return None, None
    return wanted, (None if new == round(tolerance, 2) else new)


def advice(
    records: Iterable[DayRecord],
    pack: str,
    images: Sequence[str],
    tolerances: Sequence[float],
) -> list[dict[str, Any] | None]:
    """For each level of a pack being edited (its pictures and tolerances, in
    pack order): how many players tried it and cleared it, and a suggested
    tolerance when it is cleared by fewer than :data:`HARD_BELOW` or more than
    :data:`EASY_ABOVE` of them; None for a level without statistics.  The
    curator decides: nothing is changed here."""
    if len(images) != len(tolerances):
        raise ValueError(f"{len(images)} pictures but {len(tolerances)} tolerances")
    levels = levels_of(records, pack)
    result: list[dict[str, Any] | None] = []
    for key, tolerance in zip(level_keys(images), tolerances, strict=True):
        level = levels.get(key)
        if level is None or level["shown"] == 0:
            result.append(None)
            continue
        rate = level["cleared"] / level["shown"]
        suggestion, new = suggest_tolerance(rate, tolerance)
        result.append(
            {
                "key": key,
                "tried": level["shown"],
                "cleared": level["cleared"],
                "clear_rate": rate,
                "few_players": level["shown"] < FEW_PLAYERS,
                "suggestion": suggestion,
                "tolerance": new,
            }
        )
    return result


# --- the curator page's entry points (JSON text in, JSON or CSV text out) ----------


def _records_from_json(records_json: str) -> tuple[list[DayRecord], list[str]]:
    items = json.loads(records_json)
    if not isinstance(items, list):
        raise ValueError("the statistics records must come as a JSON list")
    return load_records(items)


def overview_json(records_json: str, packs_json: str, today: str) -> str:
    """:func:`overview` of the stored records (JSON list), naming levels from
    the packs (JSON list of pack objects); ``problems`` lists records left out."""
    records, problems = _records_from_json(records_json)
    packs = json.loads(packs_json)
    view = overview(records, today, pack_names(packs if isinstance(packs, list) else []))
    view["problems"] = problems
    return json.dumps(view)


def csv_from_json(records_json: str) -> str:
    """:func:`csv_text` of the stored records (JSON list); bad records are left out."""
    records, _ = _records_from_json(records_json)
    return csv_text(records)


def _tolerance(level: object) -> float:
    value = level.get("tolerance", 1.0) if isinstance(level, dict) else 1.0
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return 1.0
    return float(value) if MIN_TOLERANCE <= value <= MAX_TOLERANCE else 1.0


def advice_json(records_json: str, pack_json: str) -> str:
    """:func:`advice` for a pack being edited (its JSON, which may be an
    unfinished draft), with each level's hardest limb; a JSON list."""
    records, _ = _records_from_json(records_json)
    pack = json.loads(pack_json)
    pack = pack if isinstance(pack, dict) else {}
    levels = pack.get("levels")
    levels = levels if isinstance(levels, list) else []
    images = [str(lv.get("image", "")) if isinstance(lv, dict) else "" for lv in levels]
    result = advice(records, str(pack.get("id", "")), images, [_tolerance(lv) for lv in levels])
    totals = levels_of(records, str(pack.get("id", "")))
    for item in result:
        if item is not None:
            item["hardest_limb_label"] = level_line(item["key"], totals[item["key"]])[
                "hardest_limb_label"
            ]
    return json.dumps(result)
