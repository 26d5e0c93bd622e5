"""Events the browser shell feeds into :func:`strike_a_pose.game.step`."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import TypeAlias

from .keypoints import Pose


@dataclass(frozen=True)
class Start:
    """The visitor pressed start (or raised a hand).

    ``levels`` optionally picks which pack levels to play, in order (indices
    into ``pack.levels``); the shell may shuffle with its own randomness.
    """

    levels: tuple[int, ...] | None = None


@dataclass(frozen=True)
class SetSeated:
    """Before a game: the visitor is seated (or not).  Seated play judges every
    level on the upper body only and leaves out the levels a pack marks
    ``"seated": "skip"``."""

    seated: bool


@dataclass(frozen=True)
class PoseSeen:
    """A camera frame with a detection; scores may be low. See keypoints.py for units."""

    pose: Pose = field(compare=False)


@dataclass(frozen=True)
class NoPerson:
    """A camera frame in which the model found nobody."""


@dataclass(frozen=True)
class Tick:
    """Time passes (sent every animation frame) so timeouts fire without detections."""


@dataclass(frozen=True)
class Skip:
    """The visitor gives up on the current level (no points, streak reset)."""


@dataclass(frozen=True)
class Next:
    """After a match: the visitor has read the artwork's story and goes on."""


@dataclass(frozen=True)
class PlayAgain:
    """On the results screen: start a new game with the same levels."""


@dataclass(frozen=True)
class Reset:
    """Staff or the shell abandon whatever is going on: back to the attract screen."""


Event: TypeAlias = Start | SetSeated | PoseSeen | NoPerson | Tick | Skip | Next | PlayAgain | Reset
EVENT_TYPES: tuple[type, ...] = (
    Start,
    SetSeated,
    PoseSeen,
    NoPerson,
    Tick,
    Skip,
    Next,
    PlayAgain,
    Reset,
)
