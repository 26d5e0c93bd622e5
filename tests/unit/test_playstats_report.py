"""What staff read from the statistics: the overview, the CSV export and the
curator's tolerance advice, from records of synthetic games."""

from __future__ import annotations

import csv
import datetime
import io
import json
from pathlib import Path

import pytest
from hypothesis import given
from hypothesis import strategies as st

from strike_a_pose.playstats import (
    CLEAR_TIME_EDGES_MS,
    GAME_FIELDS,
    KEEP_DAYS,
    LEVEL_FIELDS,
    RECORD_FIELDS,
    Counted,
    DayRecord,
    GameEnded,
    GameStarted,
    LevelPlay,
    count,
)
from strike_a_pose.playstats_report import (
    CSV_COLUMNS,
    EASY_ABOVE,
    FEW_PLAYERS,
    HARD_BELOW,
    advice,
    advice_json,
    clear_time_labels,
    csv_from_json,
    csv_rows,
    csv_text,
    day_from_number,
    day_number,
    hardest_limb,
    load_records,
    median_bin,
    overview,
    overview_json,
    pack_names,
    score_labels,
    suggest_tolerance,
)


def game(
    pack: str, plays: list[tuple[str, str, float | None, str | None]], finished: bool = True
) -> list[Counted]:
    levels = tuple(LevelPlay(key, outcome, ms, limb) for key, outcome, ms, limb in plays)  # type: ignore[arg-type]
    won = finished and all(p.outcome == "cleared" for p in levels)
    return [
        GameStarted(pack, seated=False, language="en"),
        GameEnded(pack, finished, won, 400 if finished else None, levels),
    ]


def day_record(day: str, *counted: Counted) -> DayRecord:
    record: DayRecord | None = None
    for item in counted:
        record = count(record, item, day)
    assert record is not None
    return record


WON = game(
    "museum", [("a.png", "cleared", 3_000.0, "left_forearm"), ("b.png", "cleared", 9_000.0, None)]
)
LEFT = game("museum", [("a.png", "abandoned", None, "left_forearm")], finished=False)
SKIPPED = game(
    "museum", [("a.png", "skipped", None, "torso"), ("b.png", "missed", None, "right_shin")]
)
SEATED = [
    GameStarted("museum", seated=True, language="fr"),
    GameEnded("museum", True, True, 700, (LevelPlay("a.png", "cleared", 1_000.0, None),)),
]


def test_the_csv_has_one_row_per_level_per_day_with_the_documented_columns() -> None:
    records = [
        day_record("2026-11-29", *WON, *LEFT),
        day_record("2026-11-30", *SKIPPED),
        day_record("2026-11-30", *game("default", [("david.svg", "cleared", 25_000.0, None)])),
    ]
    text = csv_text(records)
    assert text.startswith(",".join(CSV_COLUMNS) + "\r\n")
    assert text.endswith("\r\n") and "\n" not in text.replace("\r\n", "")
    rows = list(csv.DictReader(io.StringIO(text)))
    assert [(r["day"], r["pack"], r["level"]) for r in rows] == [
        ("2026-11-29", "museum", "a.png"),
        ("2026-11-29", "museum", "b.png"),
        ("2026-11-30", "default", "david.svg"),
        ("2026-11-30", "museum", "a.png"),
        ("2026-11-30", "museum", "b.png"),
    ]
    a = rows[0]
    assert {k: a[k] for k in ("shown", "cleared", "skipped", "missed", "abandoned")} == {
        "shown": "2",
        "cleared": "1",
        "skipped": "0",
        "missed": "0",
        "abandoned": "1",
    }
    assert a["clear_rate"] == "0.500"
    assert a["cleared_2_4s"] == "1" and a["median_clear"] == "2-4 s"
    assert a["hardest_limb"] == "left_forearm"
    assert rows[1]["cleared_8_10s"] == "1" and rows[1]["hardest_limb"] == ""
    assert rows[2]["cleared_20s_or_more"] == "1" and rows[2]["median_clear"] == "20 s or more"
    assert rows[3]["skipped"] == "1" and rows[3]["clear_rate"] == "0.000"
    assert rows[3]["median_clear"] == ""
    assert rows[4]["missed"] == "1" and rows[4]["hardest_limb"] == "right_shin"
    assert all(len(row) == len(CSV_COLUMNS) for row in csv_rows(records))


def test_the_csv_columns_are_the_documented_ones() -> None:
    assert CSV_COLUMNS == (
        "day",
        "pack",
        "level",
        "shown",
        "cleared",
        "skipped",
        "missed",
        "abandoned",
        "clear_rate",
        "cleared_under_2s",
        "cleared_2_4s",
        "cleared_4_6s",
        "cleared_6_8s",
        "cleared_8_10s",
        "cleared_10_15s",
        "cleared_15_20s",
        "cleared_20s_or_more",
        "median_clear",
        "hardest_limb",
    )
    assert len(clear_time_labels()) == len(CLEAR_TIME_EDGES_MS) + 1
    assert score_labels()[0] == "0" and score_labels()[-1] == "2000 or more"
    assert csv_text([]) == ",".join(CSV_COLUMNS) + "\r\n"


def test_the_overview_adds_days_up_and_fills_the_days_without_games() -> None:
    records = [
        day_record("2026-11-28", *WON, *SEATED),
        day_record("2026-11-30", *LEFT),
        day_record("2026-11-30", *game("default", [("david.svg", "cleared", 5_000.0, None)])),
    ]
    names = pack_names(
        [
            {
                "id": "museum",
                "title": "Our collection",
                "levels": [{"image": "b.png", "title": "B"}, {"image": "a.png", "title": "A"}],
            },
            "not a pack",
            {"levels": []},
        ]
    )
    view = overview(records, "2026-12-01", names, days_shown=5)
    assert view["games"] == {"started": 4, "finished": 3, "abandoned": 1, "won": 3, "seated": 1}
    assert view["seated_share"] == 0.25
    assert view["per_day"] == [
        {"day": "2026-11-27", "games": 0},
        {"day": "2026-11-28", "games": 2},
        {"day": "2026-11-29", "games": 0},
        {"day": "2026-11-30", "games": 2},
        {"day": "2026-12-01", "games": 0},
    ]
    assert view["first_day"] == "2026-11-28" and view["last_day"] == "2026-11-30"
    assert view["languages"] == [
        {"language": "en", "games": 3, "share": 0.75},
        {"language": "fr", "games": 1, "share": 0.25},
    ]
    assert sum(bar["games"] for bar in view["scores"]) == 3
    default, museum = view["packs"]
    assert default["pack"] == "default" and default["title"] is None
    assert museum["title"] == "Our collection"
    assert [level["key"] for level in museum["levels"]] == ["b.png", "a.png"]  # pack order
    b, a = museum["levels"]
    assert b["title"] == "B" and b["clear_rate"] == 1.0 and b["median_clear"] == "8-10 s"
    assert a["shown"] == 3 and a["cleared"] == 2 and a["abandoned"] == 1
    assert a["clear_rate"] == pytest.approx(2 / 3)
    assert a["median_clear"] == "under 2 s"  # 1 s and 3 s: the median is in the first bin
    assert a["hardest_limb"] == "left_forearm" and a["hardest_limb_label"] == "left forearm"


def test_an_empty_overview_says_so() -> None:
    view = overview([], "2026-03-01", days_shown=2)
    assert view["games"]["started"] == 0 and view["seated_share"] is None
    assert view["per_day"] == [{"day": "2026-02-28", "games": 0}, {"day": "2026-03-01", "games": 0}]
    assert view["packs"] == [] and view["languages"] == [] and view["first_day"] is None


def test_bad_records_are_left_out_with_a_reason() -> None:
    good = day_record("2026-11-30", *WON)
    records, problems = load_records([good, {"schema": 1}, {**good, "photo": "data:..."}])
    assert records == [good]
    assert len(problems) == 2 and problems[1].startswith("record 3: ")
    assert "photo" in problems[1]  # the reason names the stray field


def test_median_bin_and_hardest_limb() -> None:
    assert median_bin([0, 0, 0]) is None
    assert median_bin([1, 0, 0]) == 0
    assert median_bin([1, 1, 0]) == 0
    assert median_bin([1, 1, 1]) == 1
    assert median_bin([0, 0, 5]) == 2
    assert hardest_limb({}) is None
    assert hardest_limb({"right_shin": 2, "torso": 2, "left_thigh": 1}) == "torso"


@given(st.dates(min_value=datetime.date(1900, 1, 1), max_value=datetime.date(2400, 12, 31)))
def test_day_arithmetic_agrees_with_the_calendar(date: datetime.date) -> None:
    number = (date - datetime.date(1970, 1, 1)).days
    assert day_number(date.isoformat()) == number
    assert day_from_number(number) == date.isoformat()


def test_tolerance_advice_follows_the_20_and_95_percent_rule() -> None:
    assert (HARD_BELOW, EASY_ABOVE) == (0.20, 0.95)
    assert suggest_tolerance(0.19, 1.0) == ("more_forgiving", 1.25)
    assert suggest_tolerance(0.20, 1.0) == (None, None)
    assert suggest_tolerance(0.95, 1.0) == (None, None)
    assert suggest_tolerance(0.96, 1.0) == ("stricter", 0.8)
    assert suggest_tolerance(0.0, 3.5) == ("more_forgiving", 4.0)  # capped at the loader's 4
    assert suggest_tolerance(0.0, 4.0) == ("more_forgiving", None)  # already at the limit
    assert suggest_tolerance(1.0, 0.25) == ("stricter", None)
    assert suggest_tolerance(1.0, 1.3) == ("stricter", 1.05)  # the field's 0.05 steps


def test_advice_for_the_pack_being_edited() -> None:
    hard = [
        *game("museum", [("a.png", "cleared", 2_000.0, None)]),
        *[item for _ in range(9) for item in game("museum", [("a.png", "skipped", None, None)])],
    ]
    easy = [item for _ in range(12) for item in game("museum", [("b.png", "cleared", 500.0, None)])]
    records = [day_record("2026-11-29", *hard), day_record("2026-11-30", *easy)]
    result = advice(records, "museum", ["a.png", "b.png", "c.png", "a.png"], [1.0, 2.0, 1.0, 1.0])
    a, b, c, a_again = result
    assert a is not None and a["tried"] == 10 and a["cleared"] == 1
    assert a["suggestion"] == "more_forgiving" and a["tolerance"] == 1.25
    assert FEW_PLAYERS == 10 and a["few_players"] is False
    assert b is not None and b["suggestion"] == "stricter" and b["tolerance"] == 1.6
    assert c is None  # no statistics for it
    assert a_again is None  # a.png#4 is another level, never played
    assert advice(records, "other-pack", ["a.png"], [1.0]) == [None]
    (few,) = advice([day_record("2026-11-30", *LEFT)], "museum", ["a.png"], [1.0])
    assert few is not None and few["few_players"] is True and few["suggestion"] == "more_forgiving"
    with pytest.raises(ValueError):
        advice(records, "museum", ["a.png"], [])


def test_the_chart_ends_on_the_last_day_counted_if_the_clock_went_back() -> None:
    records = [day_record("2026-12-05", *WON)]
    view = overview(records, "2026-12-01", days_shown=3)
    assert [d["day"] for d in view["per_day"]] == ["2026-12-03", "2026-12-04", "2026-12-05"]
    assert view["per_day"][-1]["games"] == 1


def test_the_curator_pages_entry_points_take_and_give_json() -> None:
    records = [day_record("2026-11-30", *WON, *LEFT), {"schema": 1, "photo": "data:"}]
    text = json.dumps(records)
    view = json.loads(
        overview_json(text, json.dumps([{"id": "museum", "title": "T"}]), "2026-11-30")
    )
    assert view["games"]["started"] == 2 and view["packs"][0]["title"] == "T"
    assert len(view["problems"]) == 1 and view["problems"][0].startswith("record 2: ")
    assert csv_from_json(text) == csv_text(records[:1])  # type: ignore[arg-type]
    # An unfinished draft: odd tolerances count as 1, a level without a picture has no figures.
    draft = {
        "id": "museum",
        "levels": [{"image": "a.png", "tolerance": "wide"}, {"tolerance": 9}, "junk"],
    }
    a, nothing, junk = json.loads(advice_json(text, json.dumps(draft)))
    assert a["tried"] == 2 and a["cleared"] == 1 and a["suggestion"] is None
    assert a["hardest_limb_label"] == "left forearm"
    assert nothing is None and junk is None
    assert json.loads(advice_json(text, "null")) == []
    with pytest.raises(ValueError):
        csv_from_json('{"not": "a list"}')


def test_the_documentation_names_every_field_and_column() -> None:
    doc = (Path(__file__).resolve().parents[2] / "docs" / "statistics.md").read_text("utf-8")
    for name in (*RECORD_FIELDS, *GAME_FIELDS, *LEVEL_FIELDS, *CSV_COLUMNS):
        assert f"`{name}`" in doc, name
    assert f"{KEEP_DAYS} days" in doc
