"""The shell's statistics flow: real games of the core, a fake page store
(the IndexedDB of js/stats/store.js as a dict), writes that fail, days that
roll over, and the size bound."""

from __future__ import annotations

import asyncio
import json
import threading
from collections.abc import Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any

from shell.playstats import StatsFlow
from strike_a_pose import GameConfig, GameState, NoPerson, Tick, new_game
from strike_a_pose.game import Phase
from strike_a_pose.playstats import KEEP_DAYS, check_record, record_key
from strike_a_pose.playstats_report import day_from_number, day_number

from .test_game import PACK, Player
from .test_playstats import clear_level, play_to_results

KIOSK = GameConfig(auto_start=True, abandon_ms=8_000.0, results_ms=15_000.0)


@dataclass
class FakeStore:
    """The page's statistics store: records by key, the local day, failures on demand."""

    day: str = "2026-11-30"
    records: dict[str, Any] = field(default_factory=dict)
    fail_save: bool = False
    broken: bool = False  # the database cannot even be opened
    calls: list[str] = field(default_factory=list)

    def statsDay(self) -> str:
        self.calls.append("day")
        return self.day

    async def statsLoad(self, key: str) -> str:
        self.calls.append("load")
        if self.broken:
            raise RuntimeError("IndexedDB is not available")
        record = self.records.get(key)
        return json.dumps({"ok": True, "record": record, "keys": sorted(self.records)})

    async def statsSave(self, key: str, record_json: str, drop_json: str) -> str:
        self.calls.append("save")
        if self.fail_save:
            return json.dumps({"ok": False, "message": "QuotaExceededError"})
        self.records[key] = json.loads(record_json)
        for old in json.loads(drop_json):
            del self.records[old]
        return json.dumps({"ok": True, "message": ""})


class FlowPlayer(Player):
    """A Player whose every step goes through the statistics flow, as in app.py."""

    flow: StatsFlow

    def send(self, event: Any, advance_ms: float = 33.0) -> GameState:
        before = self.state
        after = super().send(event, advance_ms)
        self.flow.update(before, after, self.now)
        return after


def flow_player(
    store: FakeStore, enabled: bool = True, config: GameConfig | None = None
) -> FlowPlayer:
    p = FlowPlayer(new_game(PACK, config or KIOSK))
    p.flow = StatsFlow(page=store, enabled=enabled)
    return p


def run(scenario: Callable[[], Coroutine[Any, Any, None]]) -> None:
    """Run an async scenario on an event loop of its own, in a thread of its
    own: the browser tests' Playwright may hold this thread's loop."""
    failures: list[BaseException] = []

    def target() -> None:
        try:
            asyncio.run(scenario())
        except BaseException as error:  # re-raised in the test's thread
            failures.append(error)

    thread = threading.Thread(target=target)
    thread.start()
    thread.join()
    if failures:
        raise failures[0]


async def settle(p: FlowPlayer) -> None:
    """Let the background writes finish."""
    for _ in range(100):
        await asyncio.sleep(0)
    assert not p.flow.pending


def won_game(p: FlowPlayer) -> None:
    p.to_playing()
    play_to_results(p)


def abandoned_game(p: FlowPlayer) -> None:
    p.to_playing()
    clear_level(p)
    while p.state.phase != Phase.IDLE:
        p.send(NoPerson(), 100.0)


def test_a_won_and_an_abandoned_game_are_written_into_the_days_record() -> None:
    async def scenario() -> None:
        store = FakeStore()
        p = flow_player(store)
        won_game(p)
        p.send(Tick(), 20_000.0)  # the results time out
        abandoned_game(p)
        await settle(p)
        (key,) = store.records
        assert key == record_key("2026-11-30", PACK.id)
        record = store.records[key]
        assert check_record(record) == []
        assert record["games"] == {
            "started": 2,
            "finished": 1,
            "abandoned": 1,
            "won": 1,
            "seated": 0,
        }
        assert p.flow.written == 4 and p.flow.problems == []
        first = record["levels"][PACK.levels[0].image]
        assert first["shown"] == 2 and first["cleared"] == 2
        second = record["levels"][PACK.levels[1].image]
        assert second["shown"] == 2 and second["cleared"] == 1

    run(scenario)


def test_statistics_off_never_touch_the_page_store() -> None:
    async def scenario() -> None:
        store = FakeStore()
        p = flow_player(store, enabled=False)
        won_game(p)
        await settle(p)
        assert store.calls == [] and store.records == {}

    run(scenario)


def test_a_failing_store_never_disturbs_the_game() -> None:
    async def scenario() -> None:
        store = FakeStore(fail_save=True)
        p = flow_player(store)
        won_game(p)
        assert p.state.outcome == "won"  # the game went on regardless
        await settle(p)
        assert store.records == {}
        assert len(p.flow.problems) == 2 and "QuotaExceededError" in p.flow.problems[0]
        store.broken = True
        p.send(Tick(), 20_000.0)
        abandoned_game(p)
        await settle(p)
        assert "not available" in p.flow.problems[-1]
        # The store works again: the next game is counted.
        store.broken = store.fail_save = False
        won_game(p)
        await settle(p)
        (record,) = store.records.values()
        assert record["games"]["started"] == 1 and record["games"]["finished"] == 1

    run(scenario)


def test_a_damaged_stored_record_is_left_alone_and_reported() -> None:
    async def scenario() -> None:
        store = FakeStore()
        key = record_key(store.day, PACK.id)
        store.records[key] = {"schema": 99, "anything": True}
        p = flow_player(store)
        won_game(p)
        await settle(p)
        assert store.records[key] == {"schema": 99, "anything": True}
        assert p.flow.problems and "schema" in p.flow.problems[0]

    run(scenario)


def test_games_are_counted_on_the_local_day_and_a_game_over_midnight_on_both() -> None:
    async def scenario() -> None:
        store = FakeStore(day="2026-12-31")
        p = flow_player(store)
        p.to_playing()
        store.day = "2027-01-01"  # midnight strikes during the game
        play_to_results(p)
        await settle(p)
        old = store.records[record_key("2026-12-31", PACK.id)]
        new = store.records[record_key("2027-01-01", PACK.id)]
        assert old["games"]["started"] == 1 and old["games"]["finished"] == 0
        assert new["games"]["started"] == 0 and new["games"]["finished"] == 1
        assert old["levels"] == {} and len(new["levels"]) == 5

    run(scenario)


def test_the_store_keeps_only_the_newest_days() -> None:
    async def scenario() -> None:
        store = FakeStore()
        p = flow_player(store)
        p.flow.keep_days = 3
        for day in ("2026-01-01", "2026-01-02", "2026-01-03", "2026-01-04", "2026-01-05"):
            store.day = day
            p.send(Tick(), 20_000.0)
            abandoned_game(p)
            await settle(p)
        assert sorted(store.records) == [
            record_key(day, PACK.id) for day in ("2026-01-03", "2026-01-04", "2026-01-05")
        ]

    run(scenario)


def test_400_days_are_kept_by_default() -> None:
    async def scenario() -> None:
        first = day_number("2025-01-01")
        days = [day_from_number(first + n) for n in range(400)]
        store = FakeStore(day=day_from_number(first + 400))
        store.records = {record_key(day, "other"): {} for day in days}  # 400 days stored
        p = flow_player(store)
        assert p.flow.keep_days == KEEP_DAYS == 400
        abandoned_game(p)
        await settle(p)
        kept = sorted({key.split(" ")[0] for key in store.records})
        assert len(kept) == 400
        assert kept[0] == days[1] and kept[-1] == store.day  # the oldest day went

    run(scenario)
