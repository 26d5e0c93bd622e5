"""A body frame that makes poses comparable whatever their position and size.

Two anchors, tried in this order:

* ``hips``: origin at the hip centre, unit = torso length (shoulder centre to
  hip centre).  Needs both shoulders and both hips.
* ``shoulders``: origin at the shoulder centre, unit = shoulder width times
  :data:`TORSO_PER_SHOULDER_WIDTH`, so that one unit is still roughly one
  torso length.  For upper-body framing (seated visitors, half-length
  portraits).  Needs both shoulders.

Both scale by a single factor in x and y, so angles are untouched.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from . import reasons
from .keypoints import HIPS, LEFT_HIP, LEFT_SHOULDER, RIGHT_HIP, RIGHT_SHOULDER, SHOULDERS, Pose
from .reasons import Reason

Anchor = Literal["hips", "shoulders"]

# Adult torso length (shoulder centre to hip centre) is about 1.4 times the
# distance between the MoveNet shoulder keypoints; only used to put the
# shoulder anchor in roughly the same units as the hip anchor.
TORSO_PER_SHOULDER_WIDTH = 1.4

# A body frame smaller than this, relative to the spread of the visible
# keypoints, is degenerate (e.g. both shoulders on the same pixel).
MIN_RELATIVE_SCALE = 0.05


@dataclass(frozen=True)
class BodyFrame:
    anchor: Anchor
    origin_x: float
    origin_y: float
    scale: float  # pixels per unit; the unit is about one torso length

    def to_body(self, pose: Pose) -> npt.NDArray[np.float64]:
        """The ``(17, 2)`` positions of ``pose`` in this frame."""
        xy = np.asarray(pose, dtype=np.float64)[:, :2]
        origin = np.array([self.origin_x, self.origin_y], dtype=np.float64)
        body: npt.NDArray[np.float64] = (xy - origin) / self.scale
        return body

    def point(self, x: float, y: float) -> tuple[float, float]:
        """One point in this frame, as :meth:`to_body` computes it, in plain floats."""
        return ((x - self.origin_x) / self.scale, (y - self.origin_y) / self.scale)


@dataclass(frozen=True)
class NoBodyFrame:
    reason: Reason


# The helpers below work on ``pose.tolist()`` rows: plain floats are much
# cheaper than numpy calls on 17 points, most of all in Pyodide.
Rows = list[list[float]]


def _visible(rows: Rows, indices: tuple[int, ...], floor: float) -> bool:
    return all(rows[i][2] >= floor for i in indices)


def _centre(rows: Rows, a: int, b: int) -> tuple[float, float]:
    return ((rows[a][0] + rows[b][0]) / 2.0, (rows[a][1] + rows[b][1]) / 2.0)


def _spread(rows: Rows, floor: float) -> float:
    """Size of the visible keypoints' bounding box (its longer side)."""
    seen = [row for row in rows if row[2] >= floor]
    if len(seen) < 2:
        return 0.0
    xs = [row[0] for row in seen]
    ys = [row[1] for row in seen]
    return max(max(xs) - min(xs), max(ys) - min(ys))


def body_frame(
    pose: Pose, confidence_floor: float, anchor: Anchor | None = None
) -> BodyFrame | NoBodyFrame:
    """The body frame of ``pose``, or why there is none.

    ``anchor`` forces one anchor (so that two poses are compared in the same
    kind of frame); ``None`` prefers ``hips`` and falls back to ``shoulders``.
    """
    return body_frame_of_rows(np.asarray(pose, dtype=np.float64).tolist(), confidence_floor, anchor)


def body_frame_of_rows(
    rows: Rows, confidence_floor: float, anchor: Anchor | None = None
) -> BodyFrame | NoBodyFrame:
    """:func:`body_frame` of a pose given as 17 ``[x, y, score]`` lists."""
    if not any(row[2] >= confidence_floor for row in rows):
        return NoBodyFrame(reasons.NO_PERSON)
    if not _visible(rows, SHOULDERS, confidence_floor):
        return NoBodyFrame(reasons.SHOW_SHOULDERS)
    spread = _spread(rows, confidence_floor)
    shoulder_x, shoulder_y = _centre(rows, LEFT_SHOULDER, RIGHT_SHOULDER)
    want_hips = anchor == "hips" or (anchor is None and _visible(rows, HIPS, confidence_floor))
    if want_hips:
        if not _visible(rows, HIPS, confidence_floor):
            return NoBodyFrame(reasons.SHOW_HIPS)
        hip_x, hip_y = _centre(rows, LEFT_HIP, RIGHT_HIP)
        scale = math.hypot(shoulder_x - hip_x, shoulder_y - hip_y)
        if scale <= MIN_RELATIVE_SCALE * spread or scale == 0.0:
            return NoBodyFrame(reasons.TOO_LITTLE_VISIBLE)
        return BodyFrame("hips", hip_x, hip_y, scale)
    left, right = rows[LEFT_SHOULDER], rows[RIGHT_SHOULDER]
    scale = math.hypot(left[0] - right[0], left[1] - right[1]) * TORSO_PER_SHOULDER_WIDTH
    if scale <= MIN_RELATIVE_SCALE * spread or scale == 0.0:
        return NoBodyFrame(reasons.SHOW_SHOULDERS)
    return BodyFrame("shoulders", shoulder_x, shoulder_y, scale)
