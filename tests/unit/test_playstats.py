"""Anonymous play statistics in the core: real games of the core (won, lost,
skipped, abandoned, seated) folded step by step, the day records they make,
their checks, histogram bounds, day roll-over and the size bound."""

from __future__ import annotations

import json
from dataclasses import dataclass, field, replace
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from strike_a_pose.difficulty import NORMAL, upper_body
from strike_a_pose.events import Event, NoPerson, PlayAgain, PoseSeen, Reset, Skip, Start, Tick
from strike_a_pose.game import GameConfig, GameState, IllegalTransition, Phase, new_game, step
from strike_a_pose.playstats import (
    CLEAR_TIME_EDGES_MS,
    GAME_FIELDS,
    LEVEL_FIELDS,
    RECORD_FIELDS,
    SCORE_EDGES,
    Counted,
    DayRecord,
    GameEnded,
    GameStarted,
    LevelPlay,
    RecordError,
    Tally,
    bin_index,
    check_day,
    check_record,
    count,
    days_to_drop,
    empty_record,
    language_code,
    level_keys,
    observe,
    parse_record,
    record_key,
)
from strike_a_pose.reading import ReadingRules
from strike_a_pose.verdicts import make_hint

from .pack_factory import GAME_SHAPES, make_pack
from .synthetic_poses import ARMS_DOWN, T_POSE, make_pose
from .test_game import PACK, Player, figure

DAY = "2026-11-30"
KIOSK = GameConfig(auto_start=True, abandon_ms=8_000.0, results_ms=15_000.0)


@dataclass
class CountingPlayer(Player):
    """A Player whose every step is folded into the statistics, as in app.py."""

    tally: Tally = field(default_factory=Tally)
    counted: list[Counted] = field(default_factory=list)

    def send(self, event: Event, advance_ms: float = 33.0) -> GameState:
        before = self.state
        after = super().send(event, advance_ms)
        self.tally, counted = observe(self.tally, before, after, self.now)
        self.counted.extend(counted)
        return after


def counting(config: GameConfig | None = None, difficulty: Any = NORMAL) -> CountingPlayer:
    return CountingPlayer(new_game(PACK, config or GameConfig(), difficulty, language="fr-CA"))


def clear_level(p: Player) -> None:
    while p.state.phase == Phase.PLAYING:
        p.pose(figure(p.state))


def play_to_results(p: Player) -> None:
    while p.state.phase != Phase.RESULTS:
        if p.state.phase == Phase.PLAYING:
            clear_level(p)
        else:
            p.send(Tick(), 100.0)


def records(counted: list[Counted], day: str = DAY) -> DayRecord:
    record: DayRecord | None = None
    for item in counted:
        record = count(record, item, day)
    assert record is not None
    assert check_record(record) == []
    return record


KEYS = level_keys([level.image for level in PACK.levels])


def test_a_won_game_counts_every_level_cleared_with_its_time() -> None:
    p = counting()
    p.to_playing()
    assert p.counted == [GameStarted("test-pack", seated=False, language="fr")]
    play_to_results(p)
    assert p.state.outcome == "won"
    _started, ended = p.counted
    assert isinstance(ended, GameEnded)
    assert ended.finished and ended.won and ended.score == p.state.score
    assert [play.outcome for play in ended.levels] == ["cleared"] * 5
    assert [play.key for play in ended.levels] == list(KEYS)
    assert [play.clear_ms for play in ended.levels] == list(p.state.level_times_ms)
    record = records(p.counted)
    assert record["games"] == {
        "started": 1,
        "finished": 1,
        "abandoned": 0,
        "won": 1,
        "seated": 0,
    }
    assert record["languages"] == {"fr": 1}
    assert sum(record["scores"]) == 1
    assert record["scores"][bin_index(p.state.score, SCORE_EDGES)] == 1
    for key, ms in zip(KEYS, p.state.level_times_ms, strict=True):
        level = record["levels"][key]
        assert (level["shown"], level["cleared"], level["skipped"], level["missed"]) == (1, 1, 0, 0)
        assert level["clear_times"][bin_index(ms, CLEAR_TIME_EDGES_MS)] == 1
        assert sum(level["clear_times"]) == 1
    # The results time out later: nothing more is counted.
    p.send(Tick(), 20_000.0)
    assert len(p.counted) == 2


def test_a_game_lost_to_the_clock_counts_the_level_missed_and_the_rest_unseen() -> None:
    p = counting(GameConfig(total_ms=10_000.0))
    p.to_playing()
    clear_level(p)  # level 1
    while p.state.phase != Phase.PLAYING:
        p.send(Tick(), 100.0)
    while p.state.phase == Phase.PLAYING:  # level 2 never matched: the time runs out
        p.pose(ARMS_DOWN if figure(p.state) != ARMS_DOWN else T_POSE, 100.0)
    assert p.state.outcome == "time_up"
    record = records(p.counted)
    assert record["games"]["finished"] == 1 and record["games"]["won"] == 0
    assert record["levels"][KEYS[0]]["cleared"] == 1
    assert record["levels"][KEYS[1]]["missed"] == 1
    assert record["levels"][KEYS[1]]["shown"] == 1
    assert set(record["levels"]) == {KEYS[0], KEYS[1]}  # levels 3-5 were never shown


def test_skipped_levels_are_counted_and_a_game_with_skips_is_finished_not_won() -> None:
    p = counting()
    p.to_playing()
    p.send(Skip())
    clear_level(p)
    play_to_results(p)
    assert p.state.outcome == "finished"
    record = records(p.counted)
    assert record["games"]["finished"] == 1 and record["games"]["won"] == 0
    assert record["levels"][KEYS[0]]["skipped"] == 1
    assert record["levels"][KEYS[0]]["cleared"] == 0
    assert sum(record["levels"][KEYS[0]]["clear_times"]) == 0
    assert all(record["levels"][key]["cleared"] == 1 for key in KEYS[1:])


def test_a_kiosk_game_the_visitor_walks_away_from_is_abandoned_on_its_level() -> None:
    p = counting(KIOSK)
    p.to_playing()
    clear_level(p)
    while p.state.phase != Phase.PLAYING:
        p.send(Tick(), 100.0)
    while p.state.phase != Phase.IDLE:  # nobody in view any more
        p.send(NoPerson(), 100.0)
    _started, ended = p.counted
    assert isinstance(ended, GameEnded)
    assert not ended.finished and not ended.won and ended.score is None
    assert [(play.key, play.outcome) for play in ended.levels] == [
        (KEYS[0], "cleared"),
        (KEYS[1], "abandoned"),
    ]
    record = records(p.counted)
    assert record["games"] == {
        "started": 1,
        "finished": 0,
        "abandoned": 1,
        "won": 0,
        "seated": 0,
    }
    assert record["scores"] == [0] * (len(SCORE_EDGES) + 1)  # abandoned games have no score
    level = record["levels"][KEYS[1]]
    assert level["shown"] == 1
    assert level["cleared"] + level["skipped"] + level["missed"] == 0


def test_a_reset_during_the_story_abandons_the_game_after_its_cleared_level() -> None:
    p = counting()
    p.to_playing()
    clear_level(p)
    assert p.state.phase == Phase.LEVEL_CLEARED
    p.send(Reset())
    ended = p.counted[-1]
    assert isinstance(ended, GameEnded) and not ended.finished
    assert [play.outcome for play in ended.levels] == ["cleared"]


def test_a_game_given_up_before_its_first_level_is_not_a_game() -> None:
    p = counting(KIOSK)
    p.send(Start(), 0.0)
    p.frames_until(ARMS_DOWN, Phase.COUNTDOWN)
    p.send(Reset())
    p.send(Start(), 0.0)
    p.send(Tick(), 40_000.0)  # nobody framed: back to the start
    assert p.counted == []


def test_a_seated_game_counts_as_seated() -> None:
    p = counting(difficulty=upper_body(NORMAL))
    p.to_playing()
    play_to_results(p)
    record = records(p.counted)
    assert record["games"]["seated"] == 1 and record["games"]["started"] == 1


def test_the_limb_whose_hint_stays_longest_is_counted_for_the_level() -> None:
    p = counting()
    p.to_playing()
    assert figure(p.state) == T_POSE
    hinted: dict[str, float] = {}
    for _ in range(60):  # arms down instead of a T: an arm's hint for two seconds
        before = p.state
        p.pose(ARMS_DOWN)
        if before.hint is not None and before.hint.limb is not None:
            hinted[before.hint.limb] = hinted.get(before.hint.limb, 0.0) + 33.0
    clear_level(p)
    assert hinted, "the wrong pose must bring a hint about a limb"
    assert p.tally.longest_hint(0) == max(hinted, key=lambda limb: hinted[limb])
    play_to_results(p)
    ended = p.counted[-1]
    assert isinstance(ended, GameEnded)
    assert ended.levels[0].longest_hint == max(hinted, key=lambda limb: hinted[limb])
    record = records(p.counted)
    assert record["levels"][KEYS[0]]["longest_hint"] == {ended.levels[0].longest_hint: 1}


def test_hint_time_is_a_fold_over_steps_not_a_clock() -> None:
    state = step(new_game(PACK), Start(), 0.0)
    playing = replace(state, phase=Phase.PLAYING, now_ms=1_000.0, level_index=2)
    arm = make_hint("raise_arm", "left_upper_arm", side="left")
    leg = make_hint("bend_knee", "right_shin", side="right")
    tally = Tally(in_game=True)
    a = replace(playing, hint=arm)
    b = replace(playing, hint=leg, now_ms=1_400.0)
    c = replace(playing, hint=None, now_ms=1_500.0)
    tally, _ = observe(tally, a, b, 1_400.0)  # the arm's hint was on screen 400 ms
    tally, _ = observe(tally, b, c, 1_500.0)  # the leg's 100 ms
    assert tally.hint_ms == {2: {"left_upper_arm": 400.0, "right_shin": 100.0}}
    assert tally.longest_hint(2) == "left_upper_arm"
    assert tally.longest_hint(0) is None
    # Ties go by the core's limb order, whatever order they came in.
    tie = Tally(True).with_hint_time(0, "right_shin", 5).with_hint_time(0, "torso", 5)
    assert tie.longest_hint(0) == "torso"


def test_two_games_in_a_row_make_two_starts_and_two_ends() -> None:
    p = counting()
    p.to_playing()
    play_to_results(p)
    p.send(PlayAgain(), 0.0)
    p.frames_until(ARMS_DOWN, Phase.COUNTDOWN)
    p.frames_until(None, Phase.PLAYING)
    p.send(Skip())
    p.send(Reset())
    kinds = [type(item).__name__ for item in p.counted]
    assert kinds == ["GameStarted", "GameEnded", "GameStarted", "GameEnded"]
    record = records(p.counted)
    assert record["games"]["started"] == 2
    assert record["games"]["finished"] == 1 and record["games"]["abandoned"] == 1
    assert record["levels"][KEYS[0]]["shown"] == 2
    assert record["levels"][KEYS[0]]["cleared"] == 1 and record["levels"][KEYS[0]]["skipped"] == 1
    assert record["levels"][KEYS[1]]["shown"] == 2  # the second game was left on it


# --- random streams ----------------------------------------------------------

CONFIG = GameConfig(
    total_ms=8_000.0,
    framing_ms=100.0,
    countdown_ms=500.0,
    reading=ReadingRules(min_ms=300.0, max_ms=600.0),
    results_ms=2_000.0,
    auto_start=True,
    abandon_ms=1_500.0,
)
SMALL_PACK = make_pack()
POSES = [PoseSeen(make_pose(shape, noise_px=2.0)) for shape in (*GAME_SHAPES, ARMS_DOWN)]
CHOICES: list[Event | str] = [Tick(), NoPerson(), Start(), Skip(), Reset(), *POSES]
CHOICES += ["match"] * 10


@settings(max_examples=60, deadline=None)
@given(
    st.lists(
        st.tuples(st.sampled_from(CHOICES), st.one_of(st.floats(0, 60), st.floats(0, 3_000))),
        max_size=200,
    ),
    st.booleans(),
)
def test_any_stream_of_play_counts_whole_games_into_valid_records(
    stream: list[tuple[Event | str, float]], seated: bool
) -> None:
    difficulty = upper_body(NORMAL) if seated else NORMAL
    state = new_game(SMALL_PACK, CONFIG, difficulty, language="de")
    tally, now = Tally(), 0.0
    counted: list[Counted] = []
    for choice, dt in stream:
        now += dt
        shape = GAME_SHAPES[state.level_order[state.level_index]]
        event = PoseSeen(make_pose(shape)) if choice == "match" else choice
        assert not isinstance(event, str)
        try:
            after = step(state, event, now)
        except IllegalTransition:
            continue
        tally, new = observe(tally, state, after, now)
        counted.extend(new)
        state = after
    starts = [c for c in counted if isinstance(c, GameStarted)]
    ends = [c for c in counted if isinstance(c, GameEnded)]
    # Starts and ends alternate, beginning with a start.
    assert [isinstance(c, GameStarted) for c in counted] == [
        i % 2 == 0 for i in range(len(counted))
    ]
    assert len(starts) - len(ends) == int(tally.in_game)
    assert all(s.seated == seated and s.language == "de" for s in starts)
    for end in ends:
        assert 1 <= len(end.levels) <= CONFIG.levels_per_game
        assert end.won == (end.finished and all(p.outcome == "cleared" for p in end.levels))
        assert (end.score is not None) == end.finished
        assert all((p.clear_ms is not None) == (p.outcome == "cleared") for p in end.levels)
        assert all(p.outcome != "abandoned" for p in end.levels[:-1])
    if counted:
        record = records(counted)
        games = record["games"]
        assert games["started"] == len(starts)
        assert games["finished"] + games["abandoned"] == len(ends)
        assert sum(record["scores"]) == games["finished"]
        for level in record["levels"].values():
            assert level["cleared"] + level["skipped"] + level["missed"] <= level["shown"]
            assert sum(level["clear_times"]) == level["cleared"]
            assert sum(level["longest_hint"].values()) <= level["shown"]


# --- histograms, days, keys, languages -------------------------------------------


@given(st.floats(min_value=0, max_value=1e9, allow_nan=False))
def test_every_time_falls_in_exactly_one_clear_time_bin(ms: float) -> None:
    index = bin_index(ms, CLEAR_TIME_EDGES_MS)
    assert 0 <= index <= len(CLEAR_TIME_EDGES_MS)
    low = 0 if index == 0 else CLEAR_TIME_EDGES_MS[index - 1]
    high = CLEAR_TIME_EDGES_MS[index] if index < len(CLEAR_TIME_EDGES_MS) else float("inf")
    assert low <= ms < high


def test_histogram_bounds_are_fixed_and_edges_go_up() -> None:
    assert bin_index(0, CLEAR_TIME_EDGES_MS) == 0
    assert bin_index(1_999.9, CLEAR_TIME_EDGES_MS) == 0
    assert bin_index(2_000, CLEAR_TIME_EDGES_MS) == 1
    assert bin_index(10**9, CLEAR_TIME_EDGES_MS) == len(CLEAR_TIME_EDGES_MS)
    assert bin_index(0, SCORE_EDGES) == 0 and bin_index(1, SCORE_EDGES) == 1
    assert bin_index(10**6, SCORE_EDGES) == len(SCORE_EDGES)
    for edges in (CLEAR_TIME_EDGES_MS, SCORE_EDGES):
        assert list(edges) == sorted(set(edges))
    with pytest.raises(ValueError, match="NaN"):
        bin_index(float("nan"), SCORE_EDGES)
    # A huge clear time or score lands in the last bin of the record.
    huge = GameEnded("p", True, False, 10**9, (LevelPlay("a.png", "cleared", 1e12),))
    record = count(None, huge, DAY)
    assert record["scores"][-1] == 1
    assert record["levels"]["a.png"]["clear_times"][-1] == 1


def test_languages_are_kept_as_their_primary_subtag_only() -> None:
    assert language_code("fr-CA") == "fr"
    assert language_code("DE") == "de"
    assert language_code("x-klingon-private") == "und"
    assert language_code("") == "und"


def test_level_keys_are_picture_names_and_repeat_pictures_get_their_position() -> None:
    assert level_keys(["a.png", "b/c.svg", "a.png", "a.png"]) == (
        "a.png",
        "b/c.svg",
        "a.png#3",
        "a.png#4",
    )


def test_days_are_calendar_dates_only() -> None:
    assert check_day("2028-02-29") == "2028-02-29"
    for bad in ("2027-02-29", "2026-13-01", "2026-11-31", "2026-11-30T10", "30/11/2026", 20261130):
        with pytest.raises(RecordError):
            check_day(bad)


def test_a_game_over_midnight_starts_on_one_day_and_ends_on_the_next() -> None:
    p = counting()
    p.to_playing()
    play_to_results(p)
    started, ended = p.counted
    before = count(None, started, "2026-12-31")
    after = count(None, ended, "2027-01-01")
    assert before["games"]["started"] == 1 and before["levels"] == {}
    assert after["games"]["started"] == 0 and after["games"]["finished"] == 1
    assert record_key("2026-12-31", "test-pack") < record_key("2027-01-01", "test-pack")
    with pytest.raises(RecordError, match="cannot count"):
        count(before, ended, "2027-01-01")  # a record only counts its own day


def test_the_size_bound_keeps_the_newest_days() -> None:
    keys = [record_key(f"2026-01-{d:02d}", pack) for d in range(1, 32) for pack in ("a", "b")]
    drop = days_to_drop(keys, keep_days=30)
    assert drop == [record_key("2026-01-01", "a"), record_key("2026-01-01", "b")]
    assert days_to_drop(keys, keep_days=31) == []
    with pytest.raises(ValueError):
        days_to_drop(keys, keep_days=0)


@given(st.sets(st.dates(), max_size=60), st.integers(1, 40))
def test_size_bound_property(days: set[Any], keep: int) -> None:
    keys = [record_key(day.isoformat(), "p") for day in days]
    drop = set(days_to_drop(keys, keep))
    kept = sorted(set(keys) - drop)
    assert len(kept) == min(keep, len(keys))
    assert kept == sorted(keys)[len(keys) - len(kept) :]  # the newest


# --- the record and its check ------------------------------------------------------


def test_an_empty_record_has_exactly_the_documented_fields() -> None:
    record = empty_record(DAY, "default")
    assert tuple(record) == RECORD_FIELDS
    assert tuple(record["games"]) == GAME_FIELDS
    played = count(
        record,
        GameEnded("default", True, True, 300, (LevelPlay("x.png", "cleared", 3_000.0, "torso"),)),
        DAY,
    )
    assert tuple(played["levels"]["x.png"]) == LEVEL_FIELDS
    assert record == empty_record(DAY, "default")  # count() left its argument alone
    assert json.loads(json.dumps(played)) == played


def test_the_check_refuses_anything_beyond_the_schema() -> None:
    good = count(
        None,
        GameEnded("default", True, True, 300, (LevelPlay("x.png", "cleared", 3_000.0, "torso"),)),
        DAY,
    )
    assert check_record(good) == []
    bad_cases = [
        {**good, "visitor": "abc"},
        {**good, "schema": 2},
        {**good, "day": "2026-11-30T14:03"},
        {**good, "pack": "My Pack"},
        {**good, "games": {**good["games"], "started": -1}},
        {**good, "games": {**good["games"], "started": True}},
        {**good, "games": {**good["games"], "name": 1}},
        {**good, "languages": {"French speaker": 1}},
        {**good, "scores": [0, 1]},
        {**good, "levels": {"x.png": {**good["levels"]["x.png"], "keypoints": [1, 2]}}},
        {**good, "levels": {"x.png": {**good["levels"]["x.png"], "longest_hint": {"nose": 1}}}},
        {**good, "levels": {"a picture of Anna.png": good["levels"]["x.png"]}},
        {**good, "levels": {"x.png": {**good["levels"]["x.png"], "clear_times": [1.5] * 8}}},
        [good],
    ]
    for bad in bad_cases:
        problems = check_record(bad)
        assert problems, bad
        with pytest.raises(RecordError):
            parse_record(bad)
    missing = dict(good)
    del missing["levels"]
    assert check_record(missing)


def test_counting_refuses_a_stored_record_that_is_not_one() -> None:
    started = GameStarted("default", False, "en")
    with pytest.raises(RecordError):
        count({"schema": 1}, started, DAY)  # type: ignore[arg-type]
    with pytest.raises(RecordError, match="not a pack id"):
        count(None, GameStarted("Not An Id", False, "en"), DAY)
    with pytest.raises(RecordError, match="limb"):
        count(
            None,
            GameEnded("default", True, False, 0, (LevelPlay("a.png", "skipped", None, "tail"),)),
            DAY,
        )
