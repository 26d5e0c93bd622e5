"""A pose's limbs and body frames, measured once per pose for the matcher
(similarity.py): each limb's vector (end mean minus start mean), lowest
keypoint score, length and unit direction, and the body frames asked for.

The mirror image's geometry (:func:`mirror_geometry`) is derived from the
pose's own instead of measured again, and a level's reference pose is
measured once for all the frames it is matched against
(:func:`reference_geometry`).  Plain floats after one matrix product: 17
keypoints are too few for more numpy calls to pay off, most of all in Pyodide.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import numpy.typing as npt

from .keypoints import (
    LIMB_NAMES,
    LIMBS,
    MIRROR_PERMUTATION,
    NUM_KEYPOINTS,
    Pose,
    check_pose,
    mirror_limb_name,
)
from .normalize import Anchor, BodyFrame, NoBodyFrame, Rows, body_frame_of_rows


def _limb_matrices() -> tuple[npt.NDArray[np.float64], npt.NDArray[np.bool_]]:
    """Per limb (rows, in LIMBS order) over the 17 keypoints (columns): the
    weights that turn a pose's x, y into the limb's vector (end mean minus
    start mean), and which keypoints the limb uses."""
    vectors = np.zeros((len(LIMBS), NUM_KEYPOINTS))
    uses = np.zeros((len(LIMBS), NUM_KEYPOINTS), dtype=bool)
    for row, limb in enumerate(LIMBS):
        vectors[row, list(limb.end)] += 1.0 / len(limb.end)
        vectors[row, list(limb.start)] -= 1.0 / len(limb.start)
        uses[row, list(limb.keypoints)] = True
    return vectors, uses


# Computing every limb at once is one matrix product instead of dozens of tiny
# numpy calls per frame, which dominate the cost in Pyodide.
_LIMB_VECTORS, _LIMB_USES = _limb_matrices()


def _limb_geometry(pose: Pose) -> tuple[list[tuple[float, float]], list[float]]:
    """Every limb's vector (x, y) and lowest keypoint score, in LIMBS order."""
    vectors = (_LIMB_VECTORS @ pose[:, :2]).tolist()
    scores = np.where(_LIMB_USES, pose[:, 2], np.inf).min(axis=1).tolist()
    return [(x, y) for x, y in vectors], scores


FrameKey = tuple[float, Anchor]
Unit = tuple[float, float]


def _units(vectors: list[tuple[float, float]], lengths: list[float]) -> list[Unit | None]:
    """Each vector over its length (None for a vector of length 0)."""
    return [
        (x / length, y / length) if length > 0.0 else None
        for (x, y), length in zip(vectors, lengths, strict=True)
    ]


@dataclass(frozen=True)
class PoseGeometry:
    """A pose as plain rows plus its limbs' vectors, lengths, unit directions
    and lowest scores, and its body frames as computed so far (by confidence
    floor and anchor)."""

    rows: Rows
    vectors: list[tuple[float, float]]
    scores: list[float]
    lengths: list[float]
    units: list[Unit | None]  # None for a limb of length 0
    frames: dict[FrameKey, BodyFrame | NoBodyFrame] = field(default_factory=dict)
    # Every keypoint in a body frame, by frame (used for a reference only).
    points: dict[BodyFrame, list[tuple[float, float]]] = field(default_factory=dict)
    # The pose this one mirrors, for a mirrored geometry (see mirror_geometry).
    mirror_of: PoseGeometry | None = None

    def frame(self, floor: float, anchor: Anchor) -> BodyFrame | NoBodyFrame:
        key = (floor, anchor)
        found = self.frames.get(key)
        if found is None:
            if self.mirror_of is None:
                found = body_frame_of_rows(self.rows, floor, anchor)
            else:
                found = _mirror_frame(self.mirror_of.frame(floor, anchor))
            self.frames[key] = found
        return found

    def points_in(self, frame: BodyFrame) -> list[tuple[float, float]]:
        """Every keypoint in ``frame`` (BodyFrame.point of each)."""
        found = self.points.get(frame)
        if found is None:
            found = self.points[frame] = [frame.point(x, y) for x, y, _ in self.rows]
        return found


def measure(pose: Pose) -> PoseGeometry:
    """The geometry of a checked pose (keypoints.check_pose)."""
    vectors, scores = _limb_geometry(pose)
    lengths = [math.hypot(x, y) for x, y in vectors]
    return PoseGeometry(pose.tolist(), vectors, scores, lengths, _units(vectors, lengths))


# The limb a limb becomes in a mirror image, by index in LIMBS.
_MIRROR_LIMB = tuple(LIMB_NAMES.index(mirror_limb_name(limb.name)) for limb in LIMBS)


def mirror_geometry(geometry: PoseGeometry) -> PoseGeometry:
    """The geometry of the pose's mirror image (keypoints.mirror_pose with the
    axis at x = 0), derived from the pose's own with little new arithmetic:
    mirroring negates every x and swaps left and right, so each limb's vector
    is its mirror limb's with x negated, with the same length and lowest
    score, and each body frame is the pose's own with its origin's x negated
    (the mirror image's hips and shoulders are the same points, relabelled).
    This is exactly what measuring the mirror image gives (negation is exact,
    and the sums of two terms involved do not depend on their order), except
    that the torso's vector, a sum of four terms, may round differently in
    the last place; on recorded games no view changes at all."""
    rows = geometry.rows
    mirrored_rows = [[0.0 - rows[i][0], rows[i][1], rows[i][2]] for i in MIRROR_PERMUTATION]
    vectors = [(0.0 - x, y) for x, y in (geometry.vectors[i] for i in _MIRROR_LIMB)]
    lengths = [geometry.lengths[i] for i in _MIRROR_LIMB]
    return PoseGeometry(
        mirrored_rows,
        vectors,
        [geometry.scores[i] for i in _MIRROR_LIMB],
        lengths,
        _units(vectors, lengths),
        mirror_of=geometry,
    )


def _mirror_frame(frame: BodyFrame | NoBodyFrame) -> BodyFrame | NoBodyFrame:
    if isinstance(frame, NoBodyFrame):
        return frame
    return BodyFrame(frame.anchor, 0.0 - frame.origin_x, frame.origin_y, frame.scale)


# A level's reference pose is the same on every frame (and in both mirror
# modes): its geometry and body frames are computed once.  Keyed by the
# pose's bytes, so a different array with the same values shares the entry;
# a few entries are enough (one level at a time, plus tests).
_REFERENCE_CACHE: dict[tuple[tuple[int, ...], bytes], PoseGeometry] = {}
_REFERENCE_CACHE_SIZE = 16


def reference_geometry(reference: Pose) -> PoseGeometry:
    """The reference's geometry; it is checked (check_pose) when first seen."""
    array = np.asarray(reference, dtype=np.float64)
    key = (array.shape, array.tobytes())
    found = _REFERENCE_CACHE.get(key)
    if found is None:
        checked = check_pose(array)
        if len(_REFERENCE_CACHE) >= _REFERENCE_CACHE_SIZE:
            _REFERENCE_CACHE.clear()
        found = _REFERENCE_CACHE[key] = measure(checked)
    return found
