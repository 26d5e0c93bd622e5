"""Per-limb verdicts that don't flicker, and one hint for the limb to fix first.

Verdicts, from the limb's angle error ``e`` and the angle tolerance ``t``:
``good`` when ``e <= t``, ``close`` when ``e <= CLOSE_FACTOR * t``, else
``wrong``; ``unseen`` when the figure shows the limb but the visitor hides it
(limbs the figure does not show get no verdict).  Hysteresis: to move to a
different verdict the error must cross the boundary by ``HYSTERESIS_FACTOR *
t`` (so an error hovering on a boundary keeps its verdict).

Hints talk about the visitor's *own* limbs ("your left arm") and come as a
key + params + English text; the page translates the text (a whole sentence
per side, see HINT_TEXTS).  A seated visitor is told to sit up straight, not
to stand, and is never given a hint about the legs (they are not judged).
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Literal

from .keypoints import LIMB_BY_NAME
from .reasons import Reason, for_seated
from .similarity import LimbResult, MatchResult, angle_between
from .wording import N_

Verdict = Literal["good", "close", "wrong", "unseen"]
VERDICT_ORDER: tuple[Verdict, ...] = ("good", "close", "wrong")

CLOSE_FACTOR = 2.0  # "close" up to this many tolerances of angle error
HYSTERESIS_FACTOR = 0.15  # margin, in tolerances, needed to change verdict
# A new hint replaces the current one only if its limb is this much worse
# (ratio of badness), so the hint text does not jump between two limbs.
HINT_SWITCH_RATIO = 1.25
# Bend differences (radians) below this are not worth a bend/straighten hint.
BEND_HINT_MIN_RAD = math.radians(15.0)
# Arms get an up/down hint unless the sideways change is more than 1 / this
# times the vertical one.
ARM_VERTICAL_BIAS = 0.5
# A torso within this angle (radians) of vertical counts as upright.
UPRIGHT_RAD = math.radians(10.0)


def raw_verdict(error_rad: float, tolerance_rad: float) -> Verdict:
    """Verdict without hysteresis."""
    if error_rad <= tolerance_rad:
        return "good"
    if error_rad <= CLOSE_FACTOR * tolerance_rad:
        return "close"
    return "wrong"


def limb_verdict(error_rad: float | None, tolerance_rad: float, previous: str | None) -> Verdict:
    """Verdict for one limb with hysteresis relative to ``previous``.

    ``error_rad`` None means the visitor's limb is not visible.
    """
    if error_rad is None:
        return "unseen"
    if previous not in VERDICT_ORDER:
        return raw_verdict(error_rad, tolerance_rad)
    level = VERDICT_ORDER.index(previous)
    margin = HYSTERESIS_FACTOR * tolerance_rad
    boundaries = (tolerance_rad, CLOSE_FACTOR * tolerance_rad)
    new_level = 0
    for k, boundary in enumerate(boundaries, start=1):
        # Crossing boundary k moves from level k-1 to level k.  Going away
        # from the previous verdict takes the margin in either direction.
        shifted = boundary + margin if k > level else boundary - margin
        if error_rad > shifted:
            new_level = k
    return VERDICT_ORDER[new_level]


def limb_verdicts(
    result: MatchResult, tolerance_rad: float, previous: Mapping[str, str]
) -> dict[str, Verdict]:
    """Verdicts for every limb the figure shows, keyed by the visitor's limb names."""
    verdicts: dict[str, Verdict] = {}
    for name, limb in result.limbs.items():
        if limb.judged:
            verdicts[name] = limb_verdict(limb.error_rad, tolerance_rad, previous.get(name))
    return verdicts


@dataclass(frozen=True)
class Hint:
    key: str
    params: Mapping[str, str] = field(default_factory=dict)
    text: str = ""
    limb: str | None = None  # the limb it is about, for hint stability

    def to_view(self) -> dict[str, object]:
        return {"key": self.key, "params": dict(self.params), "text": self.text, "limb": self.limb}


# The English of every hint.  A hint about one side of the body is a whole
# sentence per side ("left", "right"), so that every language can make its
# words agree (the page translates the sentence: shell/i18n.py).
HINT_TEXTS: dict[str, str] = {
    "hold": N_("Hold it!"),
    "lean_left": N_("Lean to your left"),
    "lean_right": N_("Lean to your right"),
    "stand_straight": N_("Stand up straight"),
    "sit_straight": N_("Sit up straight"),
}
SIDED_HINT_TEXTS: dict[str, dict[str, str]] = {
    "raise_arm": {
        "left": N_("Raise your left arm higher"),
        "right": N_("Raise your right arm higher"),
    },
    "lower_arm": {"left": N_("Lower your left arm"), "right": N_("Lower your right arm")},
    "arm_out": {
        "left": N_("Move your left arm away from your body"),
        "right": N_("Move your right arm away from your body"),
    },
    "arm_in": {
        "left": N_("Bring your left arm closer to your body"),
        "right": N_("Bring your right arm closer to your body"),
    },
    "bend_arm": {"left": N_("Bend your left arm more"), "right": N_("Bend your right arm more")},
    "straighten_arm": {
        "left": N_("Straighten your left arm"),
        "right": N_("Straighten your right arm"),
    },
    "raise_hand": {
        "left": N_("Lift your left hand higher"),
        "right": N_("Lift your right hand higher"),
    },
    "lower_hand": {"left": N_("Lower your left hand"), "right": N_("Lower your right hand")},
    "raise_leg": {
        "left": N_("Lift your left leg higher"),
        "right": N_("Lift your right leg higher"),
    },
    "lower_leg": {"left": N_("Lower your left leg"), "right": N_("Lower your right leg")},
    "leg_out": {
        "left": N_("Move your left leg out to the side"),
        "right": N_("Move your right leg out to the side"),
    },
    "leg_in": {"left": N_("Bring your left leg in"), "right": N_("Bring your right leg in")},
    "bend_knee": {"left": N_("Bend your left knee"), "right": N_("Bend your right knee")},
    "straighten_leg": {
        "left": N_("Straighten your left leg"),
        "right": N_("Straighten your right leg"),
    },
    "raise_foot": {
        "left": N_("Lift your left foot higher"),
        "right": N_("Lift your right foot higher"),
    },
    "lower_foot": {"left": N_("Lower your left foot"), "right": N_("Lower your right foot")},
    "show_arm": {"left": N_("Show us your left arm"), "right": N_("Show us your right arm")},
    "show_leg": {"left": N_("Show us your left leg"), "right": N_("Show us your right leg")},
}
# Hints that are about the legs: never given to a seated visitor.
LEG_HINTS = frozenset(
    {
        "raise_leg",
        "lower_leg",
        "leg_out",
        "leg_in",
        "bend_knee",
        "straighten_leg",
        "raise_foot",
        "lower_foot",
        "show_leg",
    }
)


def make_hint(key: str, limb: str | None = None, side: str | None = None) -> Hint:
    """The hint ``key`` (about the visitor's ``side`` for a sided hint)."""
    if side is None:
        return Hint(key, {}, HINT_TEXTS[key], limb)
    return Hint(key, {"side": side}, SIDED_HINT_TEXTS[key][side], limb)


def hint_for_reason(reason: Reason) -> Hint:
    return Hint(reason.code, {}, reason.text, None)


HOLD_HINT = make_hint("hold")


def _badness(limb: LimbResult) -> float:
    return limb.weight * (1.0 - limb.score)


def _bend(
    upper: LimbResult, lower: LimbResult, which: Literal["current", "target"]
) -> float | None:
    """How far a joint is bent: 0 = straight, pi = folded back."""
    a = getattr(upper, which)
    b = getattr(lower, which)
    if a is None or b is None:
        return None
    return angle_between(a, b)


def _outward(side: str, left_is_plus_x: float) -> float:
    """+1 if the visitor's ``side`` is towards +x in the camera image, else -1."""
    left_sign = -1.0 if left_is_plus_x < 0 else 1.0
    return left_sign if side == "left" else -left_sign


def _limb_hint(
    name: str, limbs: Mapping[str, LimbResult], left_is_plus_x: float, seated: bool = False
) -> Hint:
    """The one instruction that moves limb ``name`` towards the figure's."""
    limb = limbs[name]
    meta = LIMB_BY_NAME[name]
    side = meta.side
    if not limb.seen or limb.current is None or limb.target is None:
        part = "arm" if meta.kind in ("upper_arm", "forearm") else "leg"
        return make_hint(f"show_{part}", name, side=side)
    (cx, cy), (tx, ty) = limb.current, limb.target
    if meta.kind == "torso":
        # Torso points from hips to shoulders; "lean left" moves the
        # shoulders towards the visitor's own left.
        target_from_vertical = math.atan2(abs(tx), -ty)
        if target_from_vertical <= UPRIGHT_RAD:
            return make_hint("sit_straight" if seated else "stand_straight", name)
        towards_left = (tx - cx) * left_is_plus_x
        return make_hint("lean_left" if towards_left > 0 else "lean_right", name)
    if meta.parent is not None:
        parent = limbs.get(meta.parent)
        if parent is not None:
            now = _bend(parent, limb, "current")
            want = _bend(parent, limb, "target")
            if now is not None and want is not None and abs(want - now) >= BEND_HINT_MIN_RAD:
                if meta.kind == "forearm":
                    return make_hint(
                        "bend_arm" if want > now else "straighten_arm", name, side=side
                    )
                return make_hint("bend_knee" if want > now else "straighten_leg", name, side=side)
        # Same bend, different direction: move the hand or foot up or down.
        up = ty < cy  # y grows downwards
        if meta.kind == "forearm":
            return make_hint("raise_hand" if up else "lower_hand", name, side=side)
        return make_hint("raise_foot" if up else "lower_foot", name, side=side)
    outward = _outward(side, left_is_plus_x)
    d_vertical = ty - cy
    d_out = (tx - cx) * outward
    is_arm = meta.kind == "upper_arm"
    # People call lifting an arm sideways "raising" it, so arms prefer the
    # up/down wording; legs use whichever direction changes most.
    bias = ARM_VERTICAL_BIAS if is_arm else 1.0
    if abs(d_vertical) >= bias * abs(d_out):
        if is_arm:
            return make_hint("raise_arm" if d_vertical < 0 else "lower_arm", name, side=side)
        return make_hint("raise_leg" if d_vertical < 0 else "lower_leg", name, side=side)
    if is_arm:
        return make_hint("arm_out" if d_out > 0 else "arm_in", name, side=side)
    return make_hint("leg_out" if d_out > 0 else "leg_in", name, side=side)


def choose_hint(
    result: MatchResult,
    verdicts: Mapping[str, str],
    previous: Hint | None,
    left_is_plus_x: float,
    seated: bool = False,
) -> Hint:
    """Hint about the limb to fix first.

    ``left_is_plus_x`` is positive when the visitor's left shoulder is to the
    right of their right shoulder in the camera image (they face the camera).
    The worst limb is the one with the largest ``weight * (1 - score)`` among
    those not ``good``; if its parent limb is not good either, the parent is
    fixed first (moving the upper arm moves the forearm too).  The previous
    hint stays while its limb is still not good and no limb is
    :data:`HINT_SWITCH_RATIO` times worse.  ``seated``: the visitor is
    seated (legs are not judged then, so never hinted at).
    """
    if result.reason is not None:
        return hint_for_reason(for_seated(result.reason) if seated else result.reason)
    candidates = {
        name: limb
        for name, limb in result.limbs.items()
        if limb.judged and verdicts.get(name, "good") != "good"
    }
    if not candidates:
        return HOLD_HINT
    worst = max(candidates, key=lambda n: (_badness(candidates[n]), n))
    parent = LIMB_BY_NAME[worst].parent
    if parent is not None and parent in candidates:
        worst = parent
    if (
        previous is not None
        and previous.limb is not None
        and previous.limb in candidates
        and previous.limb != worst
        and _badness(candidates[worst]) < HINT_SWITCH_RATIO * _badness(candidates[previous.limb])
    ):
        worst = previous.limb
    return _limb_hint(worst, result.limbs, left_is_plus_x, seated)
