import pytest

from strike_a_pose import reasons
from strike_a_pose.keypoints import KEYPOINT_NAMES
from strike_a_pose.normalize import TORSO_PER_SHOULDER_WIDTH, BodyFrame, NoBodyFrame, body_frame

from .synthetic_poses import SHOULDER_HALF, T_POSE, TORSO, hide, make_pose


def test_hip_frame_uses_hip_centre_and_torso_length() -> None:
    frame = body_frame(make_pose(T_POSE, hip_centre=(100.0, 200.0), scale=2.0), 0.3)
    assert isinstance(frame, BodyFrame)
    assert frame.anchor == "hips"
    assert (frame.origin_x, frame.origin_y) == pytest.approx((100.0, 200.0))
    assert frame.scale == pytest.approx(2.0 * TORSO)


def test_shoulder_frame_when_hips_are_hidden() -> None:
    pose = hide(make_pose(T_POSE), "left_hip", "right_hip")
    frame = body_frame(pose, 0.3)
    assert isinstance(frame, BodyFrame)
    assert frame.anchor == "shoulders"
    assert frame.scale == pytest.approx(2 * SHOULDER_HALF * TORSO_PER_SHOULDER_WIDTH)


def test_body_coordinates_are_translation_and_scale_free() -> None:
    a = make_pose(T_POSE)
    b = make_pose(T_POSE, hip_centre=(900.0, -40.0), scale=0.25)
    fa, fb = body_frame(a, 0.3), body_frame(b, 0.3)
    assert isinstance(fa, BodyFrame) and isinstance(fb, BodyFrame)
    assert fa.to_body(a) == pytest.approx(fb.to_body(b))
    assert fa.to_body(a)[9].tolist() == list(fa.point(*a[9, :2].tolist()))


@pytest.mark.parametrize(
    ("hidden", "anchor", "reason"),
    [
        (("nose",), "hips", None),
        (("left_shoulder",), None, reasons.SHOW_SHOULDERS),
        (("left_hip",), "hips", reasons.SHOW_HIPS),
        (
            KEYPOINT_NAMES,
            None,
            reasons.NO_PERSON,
        ),
    ],
)
def test_missing_body_frame_says_why(
    hidden: tuple[str, ...], anchor: str | None, reason: object
) -> None:
    result = body_frame(hide(make_pose(T_POSE), *hidden), 0.3, anchor)  # type: ignore[arg-type]
    if reason is None:
        assert isinstance(result, BodyFrame)
    else:
        assert result == NoBodyFrame(reason)  # type: ignore[arg-type]


def test_degenerate_shoulders_give_no_frame() -> None:
    pose = hide(make_pose(T_POSE), "left_hip", "right_hip")
    pose[6, :2] = pose[5, :2]
    assert isinstance(body_frame(pose, 0.3), NoBodyFrame)
