"""When the play statistics are counted and written (pure: the page is injected).

Every step of the game goes through :meth:`StatsFlow.update` (shell/app.py,
``Game._step``), which folds it into the core's tally
(strike_a_pose/playstats.py).  A game that starts or ends is written at once,
in the background, into its day's record on this device (js/stats/store.js,
IndexedDB): the page gives the local date and the stored record, the core
counts the game and names the oldest days to drop (``KEEP_DAYS``), and the
page writes the record back.  Writes go one at a time, in order.

Statistics are on or off for the whole page (``Options.stats``): off, nothing
is counted and the page's statistics store is never opened.  A failure to
count or to write never disturbs the game: it is logged, and play goes on.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import Awaitable, Callable, Coroutine
from dataclasses import dataclass, field
from typing import Any, Protocol

from strike_a_pose import GameState
from strike_a_pose.playstats import (
    KEEP_DAYS,
    Counted,
    Tally,
    count,
    days_to_drop,
    observe,
    parse_record,
    record_key,
)


class StatsPage(Protocol):
    """What the page's statistics store offers Python (js/bridge.js)."""

    def statsDay(self) -> str:
        """The device's local date, ``YYYY-MM-DD``."""

    def statsLoad(self, key: str) -> Awaitable[str]:
        """JSON: ``{"ok", "record" (or null), "keys" (every stored key), "message"}``."""

    def statsSave(self, key: str, record_json: str, drop_json: str) -> Awaitable[str]:
        """JSON ``{"ok", "message"}``: store the record, drop ``drop_json``'s keys."""


class StatsWriteError(Exception):
    pass


def _answer(text: object) -> dict[str, Any]:
    answer = json.loads(str(text))
    if not isinstance(answer, dict) or not answer.get("ok"):
        message = answer.get("message") if isinstance(answer, dict) else answer
        raise StatsWriteError(f"the page's statistics store said: {message}")
    return answer


@dataclass
class StatsFlow:
    page: StatsPage
    enabled: bool
    # How a background write is started (the shell's event loop).
    spawn: Callable[[Coroutine[Any, Any, None]], Any] = asyncio.ensure_future
    keep_days: int = KEEP_DAYS
    tally: Tally = field(default_factory=Tally)
    pending: list[tuple[Counted, str]] = field(default_factory=list)  # (what, its day)
    problems: list[str] = field(default_factory=list)  # the last few failures, for staff
    written: int = 0
    _writer: Any = None

    def update(self, before: GameState, after: GameState, now_ms: float) -> None:
        """Fold one step of the game; start writing what it made countable."""
        if not self.enabled:
            return
        try:
            self.tally, counted = observe(self.tally, before, after, now_ms)
            if counted:
                day = str(self.page.statsDay())
                self.pending.extend((item, day) for item in counted)
        except Exception as error:  # counting must never stop the game
            self._problem(f"a game was not counted: {error}")
            self.tally = Tally()
            return
        if self.pending and (self._writer is None or self._writer.done()):
            self._writer = self.spawn(self.write_pending())

    async def write_pending(self) -> None:
        """Write every pending count, oldest first; a failure loses that one only."""
        while self.pending:
            counted, day = self.pending.pop(0)
            try:
                await self._write(counted, day)
                self.written += 1
            except Exception as error:  # a full disk, a blocked database...
                self._problem(f"a game's statistics were not saved: {error}")

    async def _write(self, counted: Counted, day: str) -> None:
        key = record_key(day, counted.pack)
        stored = _answer(await self.page.statsLoad(key))
        before = stored.get("record")
        record = count(None if before is None else parse_record(before), counted, day)
        keys = [str(k) for k in stored.get("keys", [])]
        drop = days_to_drop([*keys, key], self.keep_days)
        _answer(await self.page.statsSave(key, json.dumps(record), json.dumps(drop)))

    def _problem(self, text: str) -> None:
        print(f"statistics: {text}")
        self.problems = [*self.problems[-9:], text]
