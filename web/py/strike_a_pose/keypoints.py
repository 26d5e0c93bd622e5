"""The 17 MoveNet / COCO keypoints, the skeleton, the limbs we judge, and mirroring.

Coordinate convention (used everywhere in this package):

* ``x`` grows to the right and ``y`` grows downwards, in pixels of the
  *unmirrored* camera image, i.e. the person as a painter or a photographer
  standing behind the camera would see them.  The selfie-style mirroring that
  the page applies for display is never applied to the numbers we get.
* Left and right keypoint labels are *anatomical*: ``left_wrist`` is the
  person's own left wrist, which appears on the right-hand side of an
  unmirrored image when they face the camera.
* ``score`` is the model's confidence in ``[0, 1]``.

A :data:`Pose` is a ``(17, 3)`` float64 array of rows ``[x, y, score]`` in the
order of :data:`KEYPOINT_NAMES`.
"""

from __future__ import annotations

import math
from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any, TypeAlias

import numpy as np
import numpy.typing as npt

Pose: TypeAlias = npt.NDArray[np.float64]
"""A ``(17, 3)`` float64 array of ``[x, y, score]`` rows, see the module doc."""

# Order fixed by the MoveNet model output (the COCO keypoint order).
KEYPOINT_NAMES: tuple[str, ...] = (
    "nose",
    "left_eye",
    "right_eye",
    "left_ear",
    "right_ear",
    "left_shoulder",
    "right_shoulder",
    "left_elbow",
    "right_elbow",
    "left_wrist",
    "right_wrist",
    "left_hip",
    "right_hip",
    "left_knee",
    "right_knee",
    "left_ankle",
    "right_ankle",
)
NUM_KEYPOINTS = len(KEYPOINT_NAMES)
VALUES_PER_KEYPOINT = 3  # x, y, score
FLAT_POSE_LENGTH = NUM_KEYPOINTS * VALUES_PER_KEYPOINT

KEYPOINT_INDEX: dict[str, int] = {name: i for i, name in enumerate(KEYPOINT_NAMES)}

NOSE = 0
LEFT_EYE, RIGHT_EYE = 1, 2
LEFT_EAR, RIGHT_EAR = 3, 4
LEFT_SHOULDER, RIGHT_SHOULDER = 5, 6
LEFT_ELBOW, RIGHT_ELBOW = 7, 8
LEFT_WRIST, RIGHT_WRIST = 9, 10
LEFT_HIP, RIGHT_HIP = 11, 12
LEFT_KNEE, RIGHT_KNEE = 13, 14
LEFT_ANKLE, RIGHT_ANKLE = 15, 16

# Groups of keypoints, by index: what framing asks to see, and what the body
# frame (normalize.py) and the matcher (similarity.py) anchor on.
HEAD: tuple[int, ...] = (NOSE, LEFT_EYE, RIGHT_EYE, LEFT_EAR, RIGHT_EAR)
SHOULDERS: tuple[int, int] = (LEFT_SHOULDER, RIGHT_SHOULDER)
ARMS: tuple[int, ...] = (LEFT_ELBOW, RIGHT_ELBOW, LEFT_WRIST, RIGHT_WRIST)
HIPS: tuple[int, int] = (LEFT_HIP, RIGHT_HIP)
LEGS: tuple[int, ...] = (LEFT_KNEE, RIGHT_KNEE, LEFT_ANKLE, RIGHT_ANKLE)

# Lines to draw a stick figure; pairs of keypoint indices.
SKELETON_EDGES: tuple[tuple[int, int], ...] = (
    (NOSE, LEFT_EYE),
    (NOSE, RIGHT_EYE),
    (LEFT_EYE, LEFT_EAR),
    (RIGHT_EYE, RIGHT_EAR),
    (LEFT_SHOULDER, RIGHT_SHOULDER),
    (LEFT_SHOULDER, LEFT_ELBOW),
    (LEFT_ELBOW, LEFT_WRIST),
    (RIGHT_SHOULDER, RIGHT_ELBOW),
    (RIGHT_ELBOW, RIGHT_WRIST),
    (LEFT_SHOULDER, LEFT_HIP),
    (RIGHT_SHOULDER, RIGHT_HIP),
    (LEFT_HIP, RIGHT_HIP),
    (LEFT_HIP, LEFT_KNEE),
    (LEFT_KNEE, LEFT_ANKLE),
    (RIGHT_HIP, RIGHT_KNEE),
    (RIGHT_KNEE, RIGHT_ANKLE),
)

# Index i of the mirrored pose takes keypoint MIRROR_PERMUTATION[i] of the
# original: mirroring turns the left wrist into a right wrist and so on.
MIRROR_PERMUTATION: tuple[int, ...] = (
    NOSE,
    RIGHT_EYE,
    LEFT_EYE,
    RIGHT_EAR,
    LEFT_EAR,
    RIGHT_SHOULDER,
    LEFT_SHOULDER,
    RIGHT_ELBOW,
    LEFT_ELBOW,
    RIGHT_WRIST,
    LEFT_WRIST,
    RIGHT_HIP,
    LEFT_HIP,
    RIGHT_KNEE,
    LEFT_KNEE,
    RIGHT_ANKLE,
    LEFT_ANKLE,
)


@dataclass(frozen=True)
class Limb:
    """A body segment judged by its direction.

    The segment runs from the mean of the ``start`` keypoints to the mean of
    the ``end`` keypoints (the torso runs from the hip centre to the shoulder
    centre; the other limbs join two single keypoints, proximal to distal).
    """

    name: str
    start: tuple[int, ...]
    end: tuple[int, ...]
    side: str  # "left", "right" or "centre": the person's own side
    kind: str  # "upper_arm", "forearm", "thigh", "shin" or "torso"
    parent: str | None  # the limb this one hangs from, for hints ("fix the elbow first")
    is_leg: bool

    @property
    def keypoints(self) -> tuple[int, ...]:
        return self.start + self.end

    @property
    def distal(self) -> int | None:
        """The single keypoint at the far end, or None for the torso."""
        return self.end[0] if len(self.end) == 1 else None


LIMBS: tuple[Limb, ...] = (
    Limb(
        "torso",
        (LEFT_HIP, RIGHT_HIP),
        (LEFT_SHOULDER, RIGHT_SHOULDER),
        "centre",
        "torso",
        None,
        False,
    ),
    Limb("left_upper_arm", (LEFT_SHOULDER,), (LEFT_ELBOW,), "left", "upper_arm", None, False),
    Limb("left_forearm", (LEFT_ELBOW,), (LEFT_WRIST,), "left", "forearm", "left_upper_arm", False),
    Limb("right_upper_arm", (RIGHT_SHOULDER,), (RIGHT_ELBOW,), "right", "upper_arm", None, False),
    Limb(
        "right_forearm",
        (RIGHT_ELBOW,),
        (RIGHT_WRIST,),
        "right",
        "forearm",
        "right_upper_arm",
        False,
    ),
    Limb("left_thigh", (LEFT_HIP,), (LEFT_KNEE,), "left", "thigh", None, True),
    Limb("left_shin", (LEFT_KNEE,), (LEFT_ANKLE,), "left", "shin", "left_thigh", True),
    Limb("right_thigh", (RIGHT_HIP,), (RIGHT_KNEE,), "right", "thigh", None, True),
    Limb("right_shin", (RIGHT_KNEE,), (RIGHT_ANKLE,), "right", "shin", "right_thigh", True),
)
LIMB_NAMES: tuple[str, ...] = tuple(limb.name for limb in LIMBS)
LIMB_BY_NAME: dict[str, Limb] = {limb.name: limb for limb in LIMBS}


def mirror_limb_name(name: str) -> str:
    """The limb that ``name`` becomes in a mirror image (left <-> right)."""
    if name.startswith("left_"):
        return "right_" + name[len("left_") :]
    if name.startswith("right_"):
        return "left_" + name[len("right_") :]
    return name


def mirror_pose(pose: Pose, width: float = 0.0) -> Pose:
    """The mirror image of ``pose``: ``x -> width - x`` and left/right labels swapped.

    ``width`` only moves the mirror axis; the matcher is translation
    invariant, so the default 0 is fine there.  Mirroring twice with the same
    width gives back the original pose.
    """
    mirrored = np.array(pose, dtype=np.float64)[list(MIRROR_PERMUTATION)]
    mirrored[:, 0] = width - mirrored[:, 0]
    return mirrored


class PoseError(ValueError):
    """Raised for a malformed pose; the message names the bad index and value."""


def pose_from_flat(values: Sequence[float], width: float, height: float) -> Pose:
    """Build a :data:`Pose` from MoveNet's 51 numbers ``x0, y0, s0, x1, y1, s1, ...``.

    ``values`` are in the coordinate space of an image ``width`` x ``height``:
    either pixels of the unmirrored camera image (what TF.js MoveNet returns)
    or normalized coordinates with ``width = height = 1``.  Coordinates are
    kept exactly as given (x and y are never scaled by different factors,
    which would bend every angle); the size only bounds them: a keypoint may
    lie up to one image size outside the image, as MoveNet does for joints it
    guesses beyond the frame.

    Raises :class:`PoseError` naming the first bad index and value.
    """
    if isinstance(values, (str, bytes)):
        raise PoseError(f"pose values must be a sequence of numbers, got {type(values).__name__}")
    for label, size in (("width", width), ("height", height)):
        if isinstance(size, bool) or not isinstance(size, (int, float)):
            raise PoseError(f"{label} must be a number, got {size!r}")
        if not math.isfinite(size) or size <= 0:
            raise PoseError(f"{label} must be a finite number > 0, got {size!r}")
    flat = list(values)
    if len(flat) != FLAT_POSE_LENGTH:
        raise PoseError(
            f"expected {FLAT_POSE_LENGTH} values (17 keypoints x [x, y, score]), got {len(flat)}"
        )
    if _plainly_valid(flat, float(width), float(height)):
        return np.array(flat, dtype=np.float64).reshape(NUM_KEYPOINTS, VALUES_PER_KEYPOINT)
    # Something is off: find the first bad value and say which it is.
    limits = ((-width, 2.0 * width), (-height, 2.0 * height), (0.0, 1.0))
    for i, value in enumerate(flat):
        keypoint = KEYPOINT_NAMES[i // VALUES_PER_KEYPOINT]
        component = ("x", "y", "score")[i % VALUES_PER_KEYPOINT]
        where = f"index {i} ({keypoint} {component})"
        if isinstance(value, bool) or not isinstance(value, (int, float, np.floating, np.integer)):
            raise PoseError(f"{where} is not a number: {value!r}")
        number = float(value)
        if not math.isfinite(number):
            raise PoseError(f"{where} is not finite: {value!r}")
        low, high = limits[i % VALUES_PER_KEYPOINT]
        if not low <= number <= high:
            raise PoseError(f"{where} = {number!r} is outside [{low!r}, {high!r}]")
    return np.asarray(flat, dtype=np.float64).reshape(NUM_KEYPOINTS, VALUES_PER_KEYPOINT)


def _plainly_valid(flat: list[Any], width: float, height: float) -> bool:
    """The detector's usual case, checked fast: 51 floats, all within bounds
    (NaN fails every comparison).  False sends the caller to the slow check
    that names the bad value."""
    if not all(type(value) is float for value in flat):
        return False
    for i in range(0, FLAT_POSE_LENGTH, VALUES_PER_KEYPOINT):
        x, y, score = flat[i], flat[i + 1], flat[i + 2]
        inside = -width <= x <= 2.0 * width and -height <= y <= 2.0 * height
        if not (inside and 0.0 <= score <= 1.0):
            return False
    return True


def check_pose(pose: object) -> Pose:
    """Return ``pose`` as a float64 ``(17, 3)`` array, or raise :class:`PoseError`."""
    array = np.asarray(pose, dtype=np.float64)
    if array.shape != (NUM_KEYPOINTS, VALUES_PER_KEYPOINT):
        raise PoseError(f"a pose must have shape (17, 3), got {array.shape}")
    # Fast path (three reductions; a NaN or infinity makes the sum non-finite,
    # and so may a huge finite value, which the slow path then accepts).
    scores = array[:, 2]
    if math.isfinite(array.sum()) and scores.min() >= 0.0 and scores.max() <= 1.0:
        return array
    bad = np.argwhere(~np.isfinite(array))
    if bad.size:
        row, col = (int(v) for v in bad[0])
        raise PoseError(
            f"pose[{row}, {col}] ({KEYPOINT_NAMES[row]}) is not finite: {array[row, col]}"
        )
    out = np.flatnonzero((scores < 0.0) | (scores > 1.0))
    if out.size:
        row = int(out[0])
        raise PoseError(f"score of {KEYPOINT_NAMES[row]} must be in [0, 1], got {scores[row]}")
    return array
