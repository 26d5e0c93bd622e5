"""Realistic synthetic MoveNet poses for the tests, built from limb angles.

Angles are in degrees measured from "hanging straight down", positive
*away from the body* (outwards), on each side alike: 0 = down, 90 = out to
the side horizontally, 180 = straight up, negative = across the body.
The person faces the camera, so in the unmirrored image their left side is
at larger x.  Lengths are in pixels for an adult about 400 px tall.
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import numpy as np

from strike_a_pose.keypoints import KEYPOINT_INDEX, NUM_KEYPOINTS, Pose

SHOULDER_HALF = 40.0
HIP_HALF = 30.0
TORSO = 120.0
UPPER_ARM = 70.0
FOREARM = 65.0
THIGH = 100.0
SHIN = 95.0


@dataclass(frozen=True)
class Shape:
    """Limb angles (degrees, see module doc) of one pose."""

    left_upper_arm: float = 10.0
    left_forearm: float = 5.0
    right_upper_arm: float = 10.0
    right_forearm: float = 5.0
    left_thigh: float = 5.0
    left_shin: float = 3.0
    right_thigh: float = 5.0
    right_shin: float = 3.0
    lean: float = 0.0  # torso lean towards the person's own left, degrees


def _direction(angle_deg: float, outward: float) -> np.ndarray:
    a = math.radians(angle_deg)
    return np.array([outward * math.sin(a), math.cos(a)])


def make_pose(
    shape: Shape,
    *,
    hip_centre: tuple[float, float] = (320.0, 300.0),
    scale: float = 1.0,
    score: float = 0.9,
    noise_px: float = 0.0,
    seed: int = 0,
) -> Pose:
    """A (17, 3) pose of ``shape``; ``noise_px`` adds Gaussian jitter (seeded)."""
    pts: dict[str, np.ndarray] = {}
    hip = np.array(hip_centre, dtype=float)
    lean = math.radians(shape.lean)
    # Torso unit vector from hips to shoulders; leaning left moves the
    # shoulders towards +x (the person's left in the unmirrored image).
    up = np.array([math.sin(lean), -math.cos(lean)])
    across = np.array([-up[1], up[0]])  # perpendicular, pointing to +x when upright
    shoulder = hip + TORSO * scale * up
    pts["left_hip"] = hip + HIP_HALF * scale * across
    pts["right_hip"] = hip - HIP_HALF * scale * across
    pts["left_shoulder"] = shoulder + SHOULDER_HALF * scale * across
    pts["right_shoulder"] = shoulder - SHOULDER_HALF * scale * across
    for side, out in (("left", 1.0), ("right", -1.0)):
        elbow = pts[f"{side}_shoulder"] + UPPER_ARM * scale * _direction(
            getattr(shape, f"{side}_upper_arm"), out
        )
        pts[f"{side}_elbow"] = elbow
        pts[f"{side}_wrist"] = elbow + FOREARM * scale * _direction(
            getattr(shape, f"{side}_forearm"), out
        )
        knee = pts[f"{side}_hip"] + THIGH * scale * _direction(getattr(shape, f"{side}_thigh"), out)
        pts[f"{side}_knee"] = knee
        pts[f"{side}_ankle"] = knee + SHIN * scale * _direction(getattr(shape, f"{side}_shin"), out)
    head = shoulder + 50.0 * scale * up
    pts["nose"] = head
    pts["left_eye"] = head + scale * (8.0 * across + 8.0 * up)
    pts["right_eye"] = head + scale * (-8.0 * across + 8.0 * up)
    pts["left_ear"] = head + scale * (16.0 * across + 4.0 * up)
    pts["right_ear"] = head + scale * (-16.0 * across + 4.0 * up)
    pose = np.zeros((NUM_KEYPOINTS, 3))
    for name, xy in pts.items():
        pose[KEYPOINT_INDEX[name], :2] = xy
    pose[:, 2] = score
    if noise_px:
        rng = np.random.default_rng(seed)
        pose[:, :2] += rng.normal(0.0, noise_px * scale, size=(NUM_KEYPOINTS, 2))
    return pose


def hide(pose: Pose, *names: str) -> Pose:
    """A copy of ``pose`` with the named keypoints at score 0."""
    out = np.array(pose, dtype=float)
    for name in names:
        out[KEYPOINT_INDEX[name], 2] = 0.0
    return out


T_POSE = Shape(90, 90, 90, 90)
ARMS_DOWN = Shape()
LEFT_ARM_UP = Shape(left_upper_arm=170, left_forearm=178)  # the person's own left
RIGHT_ARM_UP = Shape(right_upper_arm=170, right_forearm=178)
BOTH_ARMS_UP = Shape(170, 178, 170, 178)
ARMS_45 = Shape(45, 45, 45, 45)
ARMS_45_DOWN_BENT = Shape(45, 0, 45, 0)
HANDS_ON_HIPS = Shape(50, -60, 50, -60)
SQUAT = Shape(60, 80, 60, 80, left_thigh=70, left_shin=-5, right_thigh=70, right_shin=-5)
LEFT_LEG_OUT = Shape(left_thigh=45, left_shin=45)
LEANING_LEFT = Shape(lean=20)

NAMED_SHAPES: dict[str, Shape] = {
    "t_pose": T_POSE,
    "arms_down": ARMS_DOWN,
    "left_arm_up": LEFT_ARM_UP,
    "right_arm_up": RIGHT_ARM_UP,
    "both_arms_up": BOTH_ARMS_UP,
    "arms_45": ARMS_45,
    "hands_on_hips": HANDS_ON_HIPS,
    "squat": SQUAT,
    "left_leg_out": LEFT_LEG_OUT,
    "leaning_left": LEANING_LEFT,
}
