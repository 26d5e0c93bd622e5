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

from dataclasses import dataclass
from typing import Literal

import numpy as np
import numpy.typing as npt

from . import reasons
from .keypoints import LEFT_HIP, LEFT_SHOULDER, RIGHT_HIP, RIGHT_SHOULDER, Pose
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


@dataclass(frozen=True)
class NoBodyFrame:
    reason: Reason


def _visible(pose: Pose, indices: tuple[int, ...], floor: float) -> bool:
    return bool(np.all(pose[list(indices), 2] >= floor))


def _centre(pose: Pose, a: int, b: int) -> npt.NDArray[np.float64]:
    return (pose[a, :2] + pose[b, :2]) / 2.0


def _spread(pose: Pose, floor: float) -> float:
    """Size of the visible keypoints' bounding box (its longer side)."""
    seen = pose[pose[:, 2] >= floor, :2]
    if len(seen) < 2:
        return 0.0
    return float(np.max(np.ptp(seen, axis=0)))


def body_frame(
    pose: Pose, confidence_floor: float, anchor: Anchor | None = None
) -> BodyFrame | NoBodyFrame:
    """The body frame of ``pose``, or why there is none.

    ``anchor`` forces one anchor (so that two poses are compared in the same
    kind of frame); ``None`` prefers ``hips`` and falls back to ``shoulders``.
    """
    shoulders = (LEFT_SHOULDER, RIGHT_SHOULDER)
    hips = (LEFT_HIP, RIGHT_HIP)
    if not np.any(pose[:, 2] >= confidence_floor):
        return NoBodyFrame(reasons.NO_PERSON)
    if not _visible(pose, shoulders, confidence_floor):
        return NoBodyFrame(reasons.SHOW_SHOULDERS)
    spread = _spread(pose, confidence_floor)
    shoulder_centre = _centre(pose, LEFT_SHOULDER, RIGHT_SHOULDER)
    want_hips = anchor == "hips" or (anchor is None and _visible(pose, hips, confidence_floor))
    if want_hips:
        if not _visible(pose, hips, confidence_floor):
            return NoBodyFrame(reasons.SHOW_HIPS)
        hip_centre = _centre(pose, LEFT_HIP, RIGHT_HIP)
        scale = float(np.hypot(*(shoulder_centre - hip_centre)))
        if scale <= MIN_RELATIVE_SCALE * spread or scale == 0.0:
            return NoBodyFrame(reasons.TOO_LITTLE_VISIBLE)
        return BodyFrame("hips", float(hip_centre[0]), float(hip_centre[1]), scale)
    width = float(np.hypot(*(pose[LEFT_SHOULDER, :2] - pose[RIGHT_SHOULDER, :2])))
    scale = width * TORSO_PER_SHOULDER_WIDTH
    if scale <= MIN_RELATIVE_SCALE * spread or scale == 0.0:
        return NoBodyFrame(reasons.SHOW_SHOULDERS)
    return BodyFrame("shoulders", float(shoulder_centre[0]), float(shoulder_centre[1]), scale)
