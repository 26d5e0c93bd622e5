import math

import pytest

from strike_a_pose import reasons
from strike_a_pose.difficulty import NORMAL
from strike_a_pose.keypoints import LEFT_SHOULDER, RIGHT_SHOULDER
from strike_a_pose.similarity import match_pose, settings_for
from strike_a_pose.verdicts import (
    HINT_TEXTS,
    SIDED_HINT_TEXTS,
    Hint,
    choose_hint,
    limb_verdict,
    limb_verdicts,
    raw_verdict,
)

from .synthetic_poses import ARMS_45, ARMS_DOWN, T_POSE, Shape, hide, make_pose

TOL = math.radians(25.0)


@pytest.mark.parametrize(
    ("error_deg", "expected"),
    [(0, "good"), (25, "good"), (26, "close"), (50, "close"), (51, "wrong"), (180, "wrong")],
)
def test_raw_verdict_boundaries(error_deg: float, expected: str) -> None:
    assert raw_verdict(math.radians(error_deg), TOL) == expected


def test_error_hovering_on_a_boundary_does_not_flicker() -> None:
    errors = [24, 27, 23, 28, 24, 27]  # jitter around the 25 degree boundary
    verdict = None
    seen = []
    for e in errors:
        verdict = limb_verdict(math.radians(e), TOL, verdict)
        seen.append(verdict)
    assert seen == ["good"] * len(errors)


@pytest.mark.parametrize(
    ("previous", "error_deg", "expected"),
    [
        ("good", 28.0, "good"),  # within the margin (3.75 degrees)
        ("good", 29.0, "close"),  # crossed it
        ("close", 22.0, "close"),
        ("close", 21.0, "good"),
        ("close", 53.0, "close"),
        ("close", 54.0, "wrong"),
        ("wrong", 47.0, "wrong"),
        ("wrong", 46.0, "close"),
        ("good", 80.0, "wrong"),  # a big jump goes straight through
        ("unseen", 30.0, "close"),  # no hysteresis when the limb comes back
        (None, 24.0, "good"),
    ],
)
def test_hysteresis_table(previous: str | None, error_deg: float, expected: str) -> None:
    assert limb_verdict(math.radians(error_deg), TOL, previous) == expected


def test_hidden_limb_is_unseen() -> None:
    assert limb_verdict(None, TOL, "good") == "unseen"


def _hint(visitor: Shape, figure: Shape, previous: Hint | None = None, **level: object) -> Hint:
    settings = settings_for(NORMAL, **level)  # type: ignore[arg-type]
    pose = make_pose(visitor)
    result = match_pose(pose, make_pose(figure, score=1.0), settings)
    verdicts = limb_verdicts(result, settings.angle_tolerance_rad, {})
    left_is_plus_x = float(pose[LEFT_SHOULDER, 0] - pose[RIGHT_SHOULDER, 0])
    return choose_hint(result, verdicts, previous, left_is_plus_x)


@pytest.mark.parametrize(
    ("visitor", "figure", "key", "text"),
    [
        (Shape(45, 45, 90, 90), T_POSE, "raise_arm", "Raise your left arm higher"),
        (Shape(90, 90, 150, 150), T_POSE, "lower_arm", "Lower your right arm"),
        (Shape(90, 0, 90, 90), T_POSE, "straighten_arm", "Straighten your left arm"),
        (Shape(90, 90, 90, 170), T_POSE, "straighten_arm", "Straighten your right arm"),
        (T_POSE, Shape(90, 90, 90, 170), "bend_arm", "Bend your right arm more"),
        # Same bend, other way round: the hand goes down.
        (Shape(90, 160, 90, 90), Shape(90, 20, 90, 90), "lower_hand", "Lower your left hand"),
        (Shape(10, 5, 90, 90), Shape(60, 60, 90, 90), "raise_arm", "Raise your left arm higher"),
        (Shape(-30, -30, 10, 5), ARMS_DOWN, "arm_out", None),
        (Shape(60, 60, 10, 5), Shape(-30, -30, 10, 5), "arm_in", None),
        (ARMS_DOWN, Shape(left_thigh=50, left_shin=50), "leg_out", None),
        (ARMS_DOWN, Shape(left_thigh=5, left_shin=70), "bend_knee", "Bend your left knee"),
        (Shape(right_thigh=50, right_shin=50), ARMS_DOWN, "leg_in", "Bring your right leg in"),
        (ARMS_DOWN, Shape(right_thigh=100, right_shin=100), "raise_leg", None),
        (Shape(lean=-20), Shape(lean=20), "lean_left", "Lean to your left"),
        (Shape(lean=25), ARMS_DOWN, "stand_straight", "Stand up straight"),
    ],
)
def test_hint_names_the_visitors_own_limb(
    visitor: Shape, figure: Shape, key: str, text: str | None
) -> None:
    hint = _hint(visitor, figure, mirror_ok=False)
    assert hint.key == key
    if text is not None:
        assert hint.text == text
    side = hint.params.get("side")
    assert hint.text == (SIDED_HINT_TEXTS[key][side] if side else HINT_TEXTS[key])


def test_hint_in_mirror_mode_talks_about_the_visitors_own_arm() -> None:
    # Figure: right arm up, left arm out at 60 degrees.  Visitor mirrors it
    # with their left arm up, but lets their right arm hang: in the camera
    # image that is the visitor's right arm, so that is what the hint names.
    figure = Shape(left_upper_arm=60, left_forearm=60, right_upper_arm=170, right_forearm=178)
    visitor = Shape(left_upper_arm=170, left_forearm=178)
    hint = _hint(visitor, figure)
    assert hint.key == "raise_arm" and hint.params == {"side": "right"}


def test_all_good_says_hold_it() -> None:
    assert _hint(ARMS_45, ARMS_45).key == "hold"


def test_no_match_reason_becomes_the_hint() -> None:
    settings = settings_for(NORMAL)
    visitor = hide(make_pose(ARMS_DOWN), "left_knee", "right_knee", "left_ankle", "right_ankle")
    result = match_pose(visitor, make_pose(ARMS_DOWN, score=1.0), settings)
    hint = choose_hint(result, {}, None, 1.0)
    assert (hint.key, hint.text) == (reasons.SHOW_LEGS.code, reasons.SHOW_LEGS.text)


def test_parent_limb_is_fixed_before_its_child() -> None:
    # Whole left arm hangs down instead of pointing out: fix the upper arm first.
    hint = _hint(Shape(5, 5, 90, 90), T_POSE)
    assert hint.limb == "left_upper_arm" and hint.key == "raise_arm"


def test_hint_stays_on_its_limb_unless_another_is_much_worse() -> None:
    # Both arms equally low: the first hint picks one; afterwards it sticks.
    first = _hint(Shape(60, 60, 60, 60), T_POSE)
    assert first.limb in ("left_upper_arm", "right_upper_arm")
    other = "right_upper_arm" if first.limb == "left_upper_arm" else "left_upper_arm"
    previous = Hint("raise_arm", {"side": other.split("_")[0]}, "", other)
    assert _hint(Shape(60, 60, 60, 60), T_POSE, previous).limb == other
