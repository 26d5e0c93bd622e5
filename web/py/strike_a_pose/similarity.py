"""The matcher: how well does the visitor's pose fit the artwork's figure?

Fit, in ``[0, 1]``::

    fit = (1 - POSITION_SHARE) * angle_fit + POSITION_SHARE * position_fit

``angle_fit`` is a weighted *geometric* mean of per-limb scores, so one limb
that is clearly wrong pulls the whole fit down (a weighted arithmetic mean
would let eight right limbs hide a wrong arm).  A limb's score is
``exp(-(error / tolerance)**2 / 2)`` where ``error`` is the unsigned angle
between the visitor's limb direction and the figure's (computed from the
vectors, so there is no wrap-around at +-180 degrees), floored at
:data:`LIMB_SCORE_FLOOR` before taking the logarithm.

``position_fit`` is a weighted arithmetic mean of the same bell curve applied
to the distance between elbows, wrists, knees and ankles in the body frame
(see normalize.py); it is small because bodies have different proportions.

Weights: the level's weight for a limb times :data:`DEFAULT_LIMB_WEIGHTS`,
times the level's weight for the limb's far keypoint (``left_wrist: 0``
ignores the left forearm), times ``0.5 + 0.5 * confidence``: a shaky limb
counts less, but never less than half.  A limb that the figure shows and the
visitor hides scores 0 at half weight; limbs the figure hides are not judged.

Mirror modes (see keypoints.py for the coordinate convention; both poses are
"as painted / as photographed"):

* ``anatomical``: the visitor's own right arm must do what the figure's right
  arm does; the camera pose is compared with the reference directly.
* ``mirrored``: the visitor copies the figure as a mirror image (natural in
  front of a selfie-mirrored screen); the visitor pose is mirrored (x flipped,
  left/right labels swapped) and then compared.

With ``mirror_ok`` (the default) both are scored and the better one counts;
without it only the anatomical comparison is made (a mirror copy could not
count, so it is not computed).  The mirrored comparison reuses the visitor's
own limb vectors and body frame, mirrored, instead of computing them again
(limbgeometry.py measures a pose once).
Limb results are always reported for the visitor's *own* limbs, in camera
coordinates, so hints can say "your left arm".
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from functools import cached_property
from typing import Literal, NamedTuple

import numpy as np
import numpy.typing as npt

from . import reasons
from .difficulty import Difficulty
from .keypoints import (
    HIPS,
    KEYPOINT_INDEX,
    KEYPOINT_NAMES,
    LEGS,
    LIMBS,
    Limb,
    Pose,
    check_pose,
    mirror_limb_name,
)
from .limbgeometry import PoseGeometry, Unit, measure, mirror_geometry, reference_geometry
from .normalize import Anchor, BodyFrame, NoBodyFrame, Rows
from .reasons import Reason

MirrorMode = Literal["anatomical", "mirrored"]

# Relative importance of each limb's direction (unitless; only ratios matter).
# Upper arms carry most artworks' gesture, so they weigh most.
DEFAULT_LIMB_WEIGHTS: dict[str, float] = {
    "torso": 0.75,
    "left_upper_arm": 1.5,
    "right_upper_arm": 1.5,
    "left_forearm": 1.0,
    "right_forearm": 1.0,
    "left_thigh": 1.0,
    "right_thigh": 1.0,
    "left_shin": 0.75,
    "right_shin": 0.75,
}
# Keypoints whose position (in the body frame) also counts, with their weights.
DEFAULT_POSITION_WEIGHTS: dict[str, float] = {
    "left_elbow": 1.0,
    "right_elbow": 1.0,
    "left_wrist": 1.0,
    "right_wrist": 1.0,
    "left_knee": 1.0,
    "right_knee": 1.0,
    "left_ankle": 1.0,
    "right_ankle": 1.0,
}
LEG_KEYPOINTS = frozenset(KEYPOINT_NAMES[i] for i in LEGS)
# Names a level may weight (see docs/levelpack.md).
WEIGHTABLE_NAMES: frozenset[str] = frozenset(DEFAULT_LIMB_WEIGHTS) | frozenset(
    DEFAULT_POSITION_WEIGHTS
)

POSITION_SHARE = 0.2  # share of the position term in the fit (0..1)
# Position tolerance, in body-frame units (about one torso length) per radian
# of angle tolerance: rotating an arm about one torso long by the tolerance
# moves the wrist by about this much.
POSITION_TOLERANCE_PER_RADIAN = 1.0
LIMB_SCORE_FLOOR = 0.01  # floor of a limb score inside the geometric mean (0..1)
MISSING_WEIGHT_FACTOR = 0.5  # weight of a limb the visitor hides, as in 0.5 + 0.5 * 0
# More than this share (0..1) of the judged weight hidden by the visitor: no match.
MAX_HIDDEN_SHARE = 0.5
# A limb shorter than this fraction of the body-frame unit has no direction.
MIN_LIMB_LENGTH = 1e-6


@dataclass(frozen=True)
class MatchSettings:
    """Everything the matcher needs besides the two poses."""

    angle_tolerance_rad: float
    confidence_floor: float
    limb_weights: Mapping[str, float] = field(default_factory=lambda: dict(DEFAULT_LIMB_WEIGHTS))
    position_weights: Mapping[str, float] = field(
        default_factory=lambda: dict(DEFAULT_POSITION_WEIGHTS)
    )
    mirror_ok: bool = True
    upper_body_only: bool = False

    def __post_init__(self) -> None:
        if not (math.isfinite(self.angle_tolerance_rad) and self.angle_tolerance_rad > 0):
            raise ValueError(f"angle_tolerance_rad must be > 0, got {self.angle_tolerance_rad!r}")
        if not (0.0 <= self.confidence_floor <= 1.0):
            raise ValueError(f"confidence_floor must be in [0, 1], got {self.confidence_floor!r}")

    # What the matcher asks of these settings on every camera frame, worked
    # out once (settings are immutable; cached_property writes past frozen).
    @cached_property
    def limb_plan(self) -> tuple[_LimbPlan, ...]:
        """Per limb, in LIMBS order: its weight and how it is judged."""
        return tuple(
            _LimbPlan(
                limb.name,
                self.limb_weights.get(limb.name, 0.0),
                self.upper_body_only and limb.is_leg,
                self.upper_body_only and limb.kind == "torso",
                "leg" if limb.is_leg else ("arm" if limb.kind != "torso" else ""),
            )
            for limb in LIMBS
        )

    @cached_property
    def position_plan(self) -> tuple[tuple[int, float], ...]:
        """The keypoints whose position counts, as (index, weight)."""
        return tuple(
            (KEYPOINT_INDEX[name], base)
            for name, base in self.position_weights.items()
            if not (base <= 0.0 or (self.upper_body_only and name in LEG_KEYPOINTS))
        )


class _LimbPlan(NamedTuple):
    name: str
    base: float  # the limb's weight (0: not judged)
    leg_ignored: bool  # upper body only, and this is a leg
    judged_when_seen: bool  # upper body only, and this is the torso: judged only when seen
    group: str  # "arm", "leg", or "" (the torso), for "show your arms/legs"


def limb_weight(limb: Limb, weights: Mapping[str, float], base: float = 1.0) -> float:
    """``base`` times a level's ``weights`` for ``limb``: its own weight times
    its far keypoint's (``left_wrist: 0`` ignores the left forearm)."""
    weight = base * weights.get(limb.name, 1.0)
    if limb.distal is not None:
        weight *= weights.get(KEYPOINT_NAMES[limb.distal], 1.0)
    return weight


def settings_for(
    difficulty: Difficulty,
    *,
    weights: Mapping[str, float] | None = None,
    tolerance: float = 1.0,
    mirror_ok: bool = True,
    upper_body_only: bool = False,
) -> MatchSettings:
    """Combine a difficulty preset with a level's own settings.

    ``tolerance`` multiplies the difficulty's angle tolerance; ``weights``
    maps limb names and elbow/wrist/knee/ankle names to multipliers.
    """
    weights = dict(weights or {})
    unknown = sorted(set(weights) - WEIGHTABLE_NAMES)
    if unknown:
        raise ValueError(f"cannot weight {unknown}; weightable: {sorted(WEIGHTABLE_NAMES)}")
    limb_weights = {
        limb.name: limb_weight(limb, weights, DEFAULT_LIMB_WEIGHTS[limb.name]) for limb in LIMBS
    }
    position_weights = {
        name: w * weights.get(name, 1.0) for name, w in DEFAULT_POSITION_WEIGHTS.items()
    }
    return MatchSettings(
        angle_tolerance_rad=difficulty.angle_tolerance_rad * tolerance,
        confidence_floor=difficulty.confidence_floor,
        limb_weights=limb_weights,
        position_weights=position_weights,
        mirror_ok=mirror_ok,
        upper_body_only=upper_body_only or difficulty.upper_body_only,
    )


@dataclass(frozen=True)
class LimbResult:
    """One limb of the visitor, judged against the figure."""

    name: str  # the visitor's own limb
    judged: bool  # the figure shows this limb and it has weight
    seen: bool  # the visitor's limb is visible
    error_rad: float | None  # unsigned angle to the figure's limb, 0..pi
    score: float  # 0..1
    weight: float  # effective weight used in the fit
    # Unit directions in camera coordinates (x right, y down): where the
    # visitor's limb points and where it should point.
    current: tuple[float, float] | None
    target: tuple[float, float] | None


@dataclass(frozen=True)
class MatchResult:
    fit: float  # the fit that counts (0 when there is no match)
    mode: MirrorMode | None  # which comparison counted; None when no match
    anatomical_fit: float
    mirrored_fit: float | None  # None: not matched (the level does not accept mirror copies)
    reason: Reason | None  # why the frame could not be judged, else None
    limbs: Mapping[str, LimbResult]  # keyed by the visitor's own limb names

    @property
    def ok(self) -> bool:
        return self.reason is None


# The limb a limb becomes in a mirror image, by name.
_MIRROR_NAME = {limb.name: mirror_limb_name(limb.name) for limb in LIMBS}
# A limb's judgement as LimbResult's fields, in its order: only the
# comparison that counts becomes LimbResults (see _limb_results).
_LimbRow = tuple[str, bool, bool, float | None, float, float, Unit | None, Unit | None]


@dataclass(frozen=True)
class _Comparison:
    fit: float
    reason: Reason | None
    limbs: list[_LimbRow]  # in LIMBS order (none when there is no body frame)


Vector2 = npt.NDArray[np.float64] | tuple[float, float]


def angle_between(a: Vector2, b: Vector2) -> float:
    """Unsigned angle between two 2-D vectors in ``[0, pi]``; no wrap-around issue."""
    cross = float(a[0] * b[1] - a[1] * b[0])
    dot = float(a[0] * b[0] + a[1] * b[1])
    return math.atan2(abs(cross), dot)


def _bell(error: float, tolerance: float) -> float:
    return math.exp(-0.5 * (error / tolerance) ** 2)


def _anchor_for(visitor: Rows, reference: Rows, settings: MatchSettings) -> Anchor:
    """Use the same kind of body frame for both poses."""
    if settings.upper_body_only:
        return "shoulders"
    floor = settings.confidence_floor
    both_have_hips = all(visitor[i][2] >= floor and reference[i][2] >= floor for i in HIPS)
    return "hips" if both_have_hips else "shoulders"


def _compare(vis: PoseGeometry, ref: PoseGeometry, settings: MatchSettings) -> _Comparison:
    """Score the visitor's pose against the figure's label by label (no mirroring)."""
    floor = settings.confidence_floor
    tolerance = settings.angle_tolerance_rad
    vis_rows, ref_rows = vis.rows, ref.rows
    anchor = _anchor_for(vis_rows, ref_rows, settings)
    ref_frame = ref.frame(floor, anchor)
    if isinstance(ref_frame, NoBodyFrame):
        # The reference is the level's figure; the pack loader guarantees
        # shoulders, so this only happens with hand-made references.
        return _Comparison(0.0, ref_frame.reason, [])
    vis_frame = vis.frame(floor, anchor)
    if isinstance(vis_frame, NoBodyFrame):
        # No shoulders, or none far enough apart (the hips, when they anchor,
        # were just seen by _anchor_for).
        return _Comparison(0.0, vis_frame.reason, [])

    ref_min_length = MIN_LIMB_LENGTH * ref_frame.scale
    vis_min_length = MIN_LIMB_LENGTH * vis_frame.scale
    limbs: list[_LimbRow] = []
    log_sum = 0.0
    weight_sum = 0.0
    hidden_weight = 0.0
    judged_kinds: dict[str, int] = {"arm": 0, "leg": 0}
    hidden_kinds: dict[str, int] = {"arm": 0, "leg": 0}
    for (
        plan,
        ref_vec,
        ref_conf,
        ref_length,
        ref_unit,
        vis_vec,
        vis_conf,
        vis_length,
        vis_unit,
    ) in zip(
        settings.limb_plan,
        ref.vectors,
        ref.scores,
        ref.lengths,
        ref.units,
        vis.vectors,
        vis.scores,
        vis.lengths,
        vis.units,
        strict=True,
    ):
        base = plan.base
        seen = vis_conf >= floor and vis_length > vis_min_length
        judged = (
            base > 0.0
            and ref_conf >= floor
            and not plan.leg_ignored
            and ref_length > ref_min_length
            # Seated visitors' hips are often behind a table: judge the lean
            # only when we can see it.
            and (seen or not plan.judged_when_seen)
        )
        current = vis_unit if seen else None
        target = ref_unit if judged else None
        if not judged:
            limbs.append((plan.name, False, seen, None, 0.0, 0.0, current, target))
            continue
        group = plan.group
        if group:
            judged_kinds[group] += 1
        if not seen:
            weight = base * MISSING_WEIGHT_FACTOR
            hidden_weight += weight
            if group:
                hidden_kinds[group] += 1
            score = 0.0
            error: float | None = None
        else:
            weight = base * (0.5 + 0.5 * min(ref_conf, vis_conf))
            error = angle_between(vis_vec, ref_vec)
            score = _bell(error, tolerance)
        log_sum += weight * math.log(max(score, LIMB_SCORE_FLOOR))
        weight_sum += weight
        limbs.append((plan.name, True, seen, error, score, weight, current, target))

    # Whole groups hidden: say which, rather than judging what is left.
    if weight_sum == 0.0:
        return _Comparison(0.0, reasons.TOO_LITTLE_VISIBLE, limbs)
    if judged_kinds["leg"] and hidden_kinds["leg"] == judged_kinds["leg"]:
        return _Comparison(0.0, reasons.SHOW_LEGS, limbs)
    if judged_kinds["arm"] and hidden_kinds["arm"] == judged_kinds["arm"]:
        return _Comparison(0.0, reasons.SHOW_ARMS, limbs)
    if hidden_weight > MAX_HIDDEN_SHARE * weight_sum:
        return _Comparison(0.0, reasons.TOO_LITTLE_VISIBLE, limbs)
    angle_fit = math.exp(log_sum / weight_sum)

    position_fit = _position_fit(vis_rows, ref, vis_frame, ref_frame, settings)
    if position_fit is None:
        position_fit = angle_fit
    fit = (1.0 - POSITION_SHARE) * angle_fit + POSITION_SHARE * position_fit
    return _Comparison(min(1.0, max(0.0, fit)), None, limbs)


def _position_fit(
    visitor: Rows,
    ref: PoseGeometry,
    vis_frame: BodyFrame,
    ref_frame: BodyFrame,
    settings: MatchSettings,
) -> float | None:
    floor = settings.confidence_floor
    sigma = POSITION_TOLERANCE_PER_RADIAN * settings.angle_tolerance_rad
    reference = ref.rows
    ref_points = ref.points_in(ref_frame)
    total = 0.0
    weight_sum = 0.0
    for i, base in settings.position_plan:
        vx, vy, vis_score = visitor[i]
        ref_score = reference[i][2]
        if ref_score < floor:
            continue
        if vis_score < floor:
            weight_sum += base * MISSING_WEIGHT_FACTOR
            continue
        weight = base * (0.5 + 0.5 * min(ref_score, vis_score))
        # Both keypoints in their own body frame (see normalize.py).
        (bx, by), (cx, cy) = vis_frame.point(vx, vy), ref_points[i]
        distance = math.hypot(bx - cx, by - cy)
        total += weight * _bell(distance, sigma)
        weight_sum += weight
    if weight_sum == 0.0:
        return None
    return total / weight_sum


def _limb_results(rows: list[_LimbRow], mirrored: bool) -> dict[str, LimbResult]:
    """The comparison's limbs as LimbResults named after the visitor's own
    limbs: a mirrored comparison's are relabelled and their directions
    flipped back into camera coordinates."""
    if not mirrored:
        return {row[0]: LimbResult(*row) for row in rows}

    def flip(v: Unit | None) -> Unit | None:
        return None if v is None else (-v[0], v[1])

    out: dict[str, LimbResult] = {}
    for name, judged, seen, error, score, weight, current, target in rows:
        own = _MIRROR_NAME[name]
        out[own] = LimbResult(own, judged, seen, error, score, weight, flip(current), flip(target))
    return out


def match_pose(visitor: Pose, reference: Pose, settings: MatchSettings) -> MatchResult:
    """Score the mirror modes the level accepts and report the one that
    counts (see module doc): both with ``mirror_ok``, else only anatomical."""
    vis = measure(check_pose(visitor))
    ref = reference_geometry(reference)
    anatomical = _compare(vis, ref, settings)
    if not settings.mirror_ok:
        # A mirror copy cannot count here, so it is not matched at all.
        limbs = _limb_results(anatomical.limbs, mirrored=False)
        if anatomical.reason is not None:
            return MatchResult(0.0, None, 0.0, None, anatomical.reason, limbs)
        return MatchResult(anatomical.fit, "anatomical", anatomical.fit, None, None, limbs)
    mirrored = _compare(mirror_geometry(vis), ref, settings)
    use_mirror = mirrored.reason is None and mirrored.fit > anatomical.fit
    if anatomical.reason is not None and not use_mirror:
        limbs = _limb_results(anatomical.limbs, mirrored=False)
        return MatchResult(0.0, None, 0.0, mirrored.fit, anatomical.reason, limbs)
    if use_mirror:
        return MatchResult(
            mirrored.fit,
            "mirrored",
            anatomical.fit,
            mirrored.fit,
            None,
            _limb_results(mirrored.limbs, mirrored=True),
        )
    return MatchResult(
        anatomical.fit,
        "anatomical",
        anatomical.fit,
        mirrored.fit,
        None,
        _limb_results(anatomical.limbs, mirrored=False),
    )


def pose_similarity(a: Pose, b: Pose, settings: MatchSettings) -> float:
    """Anatomical fit of ``a`` against ``b`` (0 when ``a`` cannot be judged)."""
    result = _compare(measure(check_pose(a)), measure(check_pose(b)), settings)
    return result.fit if result.reason is None else 0.0
