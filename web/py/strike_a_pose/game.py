"""The game as an explicit, pure state machine.

``step(state, event, now_ms) -> state``: no clock, no randomness, no I/O.
``now_ms`` is the caller's monotonic clock (``performance.now()``).

Phases and what moves them, in short (the table itself, the only place a
phase changes, is ``transitions.RULES``; what each change and each event does
is in actions.py, the state in gamestate.py)::

    IDLE --Start--> FRAMING --body steadily visible for framing_ms--> COUNTDOWN
    COUNTDOWN --countdown_ms--> PLAYING level 1
    PLAYING --pose held for hold_ms--> LEVEL_CLEARED --reading time or Next--> PLAYING next level
    PLAYING --Skip--> PLAYING next level (no points, streak reset)
    LEVEL_CLEARED (last level) / PLAYING (last level skipped) --> RESULTS
    PLAYING --time budget spent--> RESULTS (outcome "time_up")
    RESULTS --results_ms (unless 0)--> IDLE;  RESULTS --PlayAgain--> FRAMING (a fresh game)
    any --Reset--> IDLE;  FRAMING --nobody for framing_timeout_ms--> IDLE
    (kiosk) IDLE --a body steadily in view for presence_ms--> FRAMING
    (kiosk) COUNTDOWN / PLAYING / LEVEL_CLEARED --nobody for abandon_ms--> IDLE

In IDLE, SetSeated turns seated play on or off (no phase change).

Seated play (``SetSeated(True)``, or a difficulty with ``upper_body_only``):
every level is judged on the upper body only, framing asks for the head,
shoulders, arms and hips, hints never mention the legs, and the levels that
seated play cannot judge (``Level.seated_playable``: a pack's
``"seated": "skip"``) are left out of the game.

Touchless kiosk (``GameConfig.auto_start``): a visitor standing in view
starts the game as Start would, and a game nobody plays any more is abandoned
(``abandon_ms``, also without auto-start; 0: never).

Timer: the ``total_ms`` budget counts PLAYING time only.  It is paused during
LEVEL_CLEARED, where the artwork's story is shown for a reading time that
follows the length of its ``about`` text in the game's language (reading.py),
so the visitor never loses time to our applause or to reading.

The best moment: while a level is played, ``level_best_fit`` and
``level_best_ms`` hold the best raw fit seen and the time of that frame (the
shell keeps that camera frame for the souvenir, if the visitor allows it).
Timed transitions happen at their exact due time (e.g. the game ends at
exactly ``total_ms`` of playing) whatever event notices them first; the
event is then handled in the new phase.

Outcomes: ``won`` (every level cleared), ``finished`` (reached the end but
skipped some), ``time_up``.
"""

from __future__ import annotations

import math

from .events import EVENT_TYPES, Event
from .gamestate import (
    GameConfig,
    GameState,
    IllegalTransition,
    LevelResult,
    Outcome,
    Phase,
    game_order,
    new_game,
    plays_seated,
    replace,
)
from .transitions import RULES, TRANSITIONS, advance_time

__all__ = [
    "RULES",
    "TRANSITIONS",
    "GameConfig",
    "GameState",
    "IllegalTransition",
    "LevelResult",
    "Outcome",
    "Phase",
    "game_order",
    "new_game",
    "plays_seated",
    "step",
]


def step(state: GameState, event: Event, now_ms: float) -> GameState:
    """The state after ``event`` at time ``now_ms`` (pure; ``state`` is unchanged).

    Raises :class:`IllegalTransition` for an event the phase does not accept,
    ``ValueError`` for a non-finite or backwards ``now_ms`` or a bad pose.
    """
    if not isinstance(event, EVENT_TYPES):
        raise TypeError(f"not a game event: {event!r} (phase {state.phase.name})")
    name = type(event).__name__
    if (
        isinstance(now_ms, bool)
        or not isinstance(now_ms, (int, float))
        or not math.isfinite(now_ms)
    ):
        raise ValueError(
            f"now_ms must be a finite number, got {now_ms!r} ({name} in {state.phase.name})"
        )
    if state.now_ms is not None and now_ms < state.now_ms:
        raise ValueError(
            f"now_ms={now_ms!r} is earlier than the previous step at {state.now_ms!r} "
            f"({name} in {state.phase.name}); the clock must not go backwards"
        )
    now_ms = float(now_ms)
    if state.now_ms is None:
        state = replace(state, now_ms=now_ms, phase_started_ms=now_ms)
    state = advance_time(state, now_ms)
    handler = TRANSITIONS.get((state.phase, type(event)))
    if handler is None:
        raise IllegalTransition(state, event)
    return replace(handler(state, event, now_ms), now_ms=now_ms)
