"""Difficulty presets: every threshold that calibration may want to move lives here.

When real MoveNet recordings arrive (``tests/fixtures/keypoints/``), these
are the numbers to re-tune; ``tests/unit/test_real_keypoints.py`` checks them.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace


@dataclass(frozen=True)
class Difficulty:
    name: str
    # Fit (0..1, see similarity.py) needed for a frame to count as matched.
    match_threshold: float
    # Angle error (degrees) at which a limb's score has dropped to exp(-1/2),
    # about 0.61; also the edge between the "good" and "close" verdicts.
    angle_tolerance_deg: float
    # How long (ms) the pose must stay matched to clear a level.
    hold_ms: float
    # How long (ms) a dropped frame or a dip below the threshold is forgiven.
    grace_ms: float
    # Keypoints with a MoveNet score below this (0..1) are treated as unseen.
    confidence_floor: float
    # Seated / half-length mode: legs are never judged nor required.
    upper_body_only: bool = False

    def __post_init__(self) -> None:
        checks = (
            ("match_threshold", self.match_threshold, 0.0, 1.0),
            ("angle_tolerance_deg", self.angle_tolerance_deg, 1.0, 90.0),
            ("hold_ms", self.hold_ms, 0.0, 10_000.0),
            ("grace_ms", self.grace_ms, 0.0, 5_000.0),
            ("confidence_floor", self.confidence_floor, 0.0, 1.0),
        )
        for field_name, value, low, high in checks:
            if not (math.isfinite(value) and low <= value <= high):
                raise ValueError(
                    f"difficulty {self.name!r}: {field_name}={value!r} is outside [{low}, {high}]"
                )

    @property
    def angle_tolerance_rad(self) -> float:
        return math.radians(self.angle_tolerance_deg)


CHILD = Difficulty(
    name="child",
    match_threshold=0.65,
    angle_tolerance_deg=35.0,
    hold_ms=500.0,
    grace_ms=300.0,
    confidence_floor=0.25,
)
NORMAL = Difficulty(
    name="normal",
    match_threshold=0.72,
    angle_tolerance_deg=25.0,
    hold_ms=700.0,
    grace_ms=250.0,
    confidence_floor=0.3,
)
HARD = Difficulty(
    name="hard",
    match_threshold=0.80,
    angle_tolerance_deg=18.0,
    hold_ms=1000.0,
    grace_ms=200.0,
    confidence_floor=0.3,
)

PRESETS: dict[str, Difficulty] = {d.name: d for d in (CHILD, NORMAL, HARD)}


def upper_body(difficulty: Difficulty) -> Difficulty:
    """The same difficulty in seated / upper-body mode (legs ignored)."""
    return replace(difficulty, upper_body_only=True)


def get_difficulty(name: str, *, upper_body_only: bool = False) -> Difficulty:
    """A preset by name (``child``, ``normal``, ``hard``); raises ``ValueError`` naming it."""
    try:
        preset = PRESETS[name]
    except KeyError:
        raise ValueError(
            f"unknown difficulty {name!r}; expected one of {sorted(PRESETS)}"
        ) from None
    return upper_body(preset) if upper_body_only else preset
