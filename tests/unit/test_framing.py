import pytest

from strike_a_pose import reasons
from strike_a_pose.framing import framing_problem
from strike_a_pose.reasons import Reason

from .synthetic_poses import ARMS_DOWN, hide, make_pose

LEGS = ("left_knee", "right_knee", "left_ankle", "right_ankle")


@pytest.mark.parametrize(
    ("hidden", "upper_body_only", "expected"),
    [
        ((), False, None),
        (("nose", "left_eye", "right_eye", "left_ear", "right_ear"), False, None),
        (("right_shoulder",), False, reasons.SHOW_SHOULDERS),
        (("left_wrist",), False, reasons.SHOW_ARMS),
        (("left_hip",), False, reasons.SHOW_HIPS),
        (("right_ankle",), False, reasons.SHOW_LEGS),
        (LEGS, True, None),
        ((*LEGS, "left_hip", "right_hip"), True, None),
        (("left_elbow",), True, reasons.SHOW_ARMS),
    ],
)
def test_framing_table(
    hidden: tuple[str, ...], upper_body_only: bool, expected: Reason | None
) -> None:
    pose = hide(make_pose(ARMS_DOWN), *hidden)
    assert framing_problem(pose, 0.3, upper_body_only) == expected


def test_nobody_in_the_picture() -> None:
    assert framing_problem(None, 0.3, False) == reasons.NO_PERSON
    assert framing_problem(make_pose(ARMS_DOWN, score=0.1), 0.3, True) == reasons.NO_PERSON


def test_reason_texts_are_plain_english_with_stable_codes() -> None:
    codes = [r.code for r in reasons.ALL_REASONS]
    assert len(set(codes)) == len(codes)
    assert reasons.SHOW_LEGS.to_view() == {
        "code": "show_legs",
        "text": "Step back: we can't see your legs",
    }
