import pytest

from strike_a_pose import reasons
from strike_a_pose.framing import framing_problem
from strike_a_pose.reasons import Reason

from .synthetic_poses import ARMS_DOWN, hide, make_pose

LEGS = ("left_knee", "right_knee", "left_ankle", "right_ankle")
FACE = ("nose", "left_eye", "right_eye", "left_ear", "right_ear")


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
        ((*LEGS, "nose", "left_eye", "left_ear", "right_ear"), True, None),
        ((*LEGS, *FACE), True, reasons.SHOW_HEAD),
        ((*LEGS, "left_hip"), True, reasons.SHOW_HIPS),
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


@pytest.mark.parametrize(
    ("hidden", "expected_code"),
    [
        (FACE, "show_head"),
        (("right_shoulder",), "show_shoulders"),
        (("left_wrist",), "show_arms"),
        (("right_hip",), "show_hips"),
    ],
)
def test_seated_framing_asks_head_to_hips_in_a_seated_visitors_words(
    hidden: tuple[str, ...], expected_code: str
) -> None:
    pose = hide(make_pose(ARMS_DOWN), *LEGS, *hidden)
    problem = framing_problem(pose, 0.3, upper_body_only=True, seated=True)
    assert problem is not None and problem.code == expected_code
    assert "leg" not in problem.text and "Step" not in problem.text
    assert framing_problem(hide(make_pose(ARMS_DOWN), *LEGS), 0.3, True, seated=True) is None


def test_every_seated_wording_replaces_a_reason_with_the_same_code() -> None:
    codes = {reason.code for reason in reasons.ALL_REASONS}
    for code, reason in reasons.SEATED_REASONS.items():
        assert code in codes and reason.code == code
        assert "Step" not in reason.text
    assert reasons.for_seated(reasons.SHOW_ARMS) is reasons.SHOW_ARMS
