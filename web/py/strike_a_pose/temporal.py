"""Time: smoothing with explicit timestamps, and the hold-to-match tracker.

Nothing here reads a clock; every function takes ``now_ms`` from the caller.
All state is immutable; each update returns a new value.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np

from .keypoints import Pose

# Time constant (ms) of the keypoint smoothing: after this long a steady new
# position has been followed by about 63 %.  Short, so the visitor's own
# skeleton on screen does not lag visibly, but long enough to calm jitter.
POSE_TAU_MS = 80.0
# Time constant (ms) of the fit shown on screen (the gauge).
FIT_TAU_MS = 200.0


def ema_alpha(dt_ms: float, tau_ms: float) -> float:
    """Share of the new value after ``dt_ms`` for a time-constant EMA (0..1).

    Frame-rate independent: two steps of ``dt`` equal one step of ``2 dt``.
    """
    if dt_ms <= 0.0:
        return 0.0
    if tau_ms <= 0.0:
        return 1.0
    return 1.0 - math.exp(-dt_ms / tau_ms)


def smooth_value(previous: float | None, value: float, dt_ms: float, tau_ms: float) -> float:
    if previous is None:
        return value
    return previous + ema_alpha(dt_ms, tau_ms) * (value - previous)


@dataclass(frozen=True)
class SmoothedPose:
    """A pose smoothed per keypoint, with the time of its last update."""

    pose: Pose = field(compare=False)
    t_ms: float


def smooth_pose(
    previous: SmoothedPose | None,
    pose: Pose,
    now_ms: float,
    confidence_floor: float,
    tau_ms: float = POSE_TAU_MS,
) -> SmoothedPose:
    """Fold a new detection into the smoothed pose, confidence-aware.

    * Positions follow the new detection with time constant
      ``tau_ms / score``: a confident keypoint is followed quickly, a doubtful
      one slowly, a score-0 one not at all.
    * A keypoint that was unseen (smoothed score below ``confidence_floor``)
      jumps straight to its new position instead of sliding from a stale one.
    * Scores follow with the plain time constant, so a keypoint that vanishes
      drops below the floor after a few frames.
    """
    new = np.array(pose, dtype=np.float64)
    if previous is None:
        new.flags.writeable = False
        return SmoothedPose(new, now_ms)
    dt = now_ms - previous.t_ms
    score_alpha = ema_alpha(dt, tau_ms)
    # Plain floats: 17 keypoints are too few for numpy to pay off.
    rows: list[tuple[float, float, float]] = []
    for (ox, oy, old_score), (nx, ny, score) in zip(
        previous.pose.tolist(), new.tolist(), strict=True
    ):
        if old_score < confidence_floor:
            x, y = (nx, ny) if score > 0.0 else (ox, oy)
        elif score > 0.0:
            alpha = ema_alpha(dt * score, tau_ms)
            x, y = ox + alpha * (nx - ox), oy + alpha * (ny - oy)
        else:
            x, y = ox, oy
        rows.append((x, y, old_score + score_alpha * (score - old_score)))
    out = np.array(rows, dtype=np.float64)
    out.flags.writeable = False
    return SmoothedPose(out, now_ms)


@dataclass(frozen=True)
class HoldTracker:
    """Has a condition stayed true for ``hold_ms``, forgiving gaps up to ``grace_ms``?

    ``since_ms`` is when the current run of true observations began,
    ``last_true_ms`` the latest true observation.  A false observation or a
    time step never ends the run by itself; the run ends once more than
    ``grace_ms`` has passed since ``last_true_ms``.  The hold is complete only
    on a *true* observation at least ``hold_ms`` after ``since_ms``, so a
    single lucky frame can never complete it (unless ``hold_ms`` is 0).
    """

    hold_ms: float
    grace_ms: float
    since_ms: float | None = None
    last_true_ms: float | None = None

    def _expired(self, now_ms: float) -> bool:
        return self.last_true_ms is not None and now_ms - self.last_true_ms > self.grace_ms

    def observe(self, ok: bool, now_ms: float) -> HoldTracker:
        """A new observation at ``now_ms`` (``ok`` = the condition holds)."""
        tracker = self.tick(now_ms)
        if not ok:
            return tracker
        since = tracker.since_ms if tracker.since_ms is not None else now_ms
        return HoldTracker(self.hold_ms, self.grace_ms, since, now_ms)

    def tick(self, now_ms: float) -> HoldTracker:
        """Time passes without an observation: end the run if the grace ran out."""
        if self._expired(now_ms):
            return HoldTracker(self.hold_ms, self.grace_ms)
        return self

    def held_ms(self, now_ms: float) -> float:
        if self.since_ms is None or self._expired(now_ms):
            return 0.0
        return max(0.0, now_ms - self.since_ms)

    def progress(self, now_ms: float) -> float:
        """0..1, for the hold bar."""
        if self.hold_ms <= 0.0:
            return 1.0 if self.since_ms is not None else 0.0
        return min(1.0, self.held_ms(now_ms) / self.hold_ms)

    def complete(self, now_ms: float) -> bool:
        """True when the latest observation (at ``now_ms``) was true and the run is long enough."""
        return (
            self.since_ms is not None
            and self.last_true_ms == now_ms
            and now_ms - self.since_ms >= self.hold_ms
        )
