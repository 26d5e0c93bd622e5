import math

import numpy as np
import pytest

from strike_a_pose.keypoints import (
    KEYPOINT_INDEX,
    KEYPOINT_NAMES,
    LIMB_BY_NAME,
    LIMBS,
    MIRROR_PERMUTATION,
    SKELETON_EDGES,
    PoseError,
    check_pose,
    mirror_limb_name,
    mirror_pose,
    pose_from_flat,
)

from .synthetic_poses import LEFT_ARM_UP, make_pose


def test_keypoint_order_is_movenet_order() -> None:
    assert KEYPOINT_NAMES[0] == "nose"
    assert KEYPOINT_NAMES[5:7] == ("left_shoulder", "right_shoulder")
    assert KEYPOINT_NAMES[-1] == "right_ankle"
    assert len(KEYPOINT_NAMES) == 17
    assert KEYPOINT_INDEX["left_wrist"] == 9


def test_mirror_permutation_swaps_sides_and_is_an_involution() -> None:
    for i, j in enumerate(MIRROR_PERMUTATION):
        a, b = KEYPOINT_NAMES[i], KEYPOINT_NAMES[j]
        swapped = a.replace("left", "#").replace("right", "left").replace("#", "right")
        assert b == swapped
        assert MIRROR_PERMUTATION[j] == i


def test_skeleton_edges_and_limbs_use_valid_indices() -> None:
    for a, b in SKELETON_EDGES:
        assert 0 <= a < 17 and 0 <= b < 17 and a != b
    assert {limb.name for limb in LIMBS} == {
        "torso",
        "left_upper_arm",
        "right_upper_arm",
        "left_forearm",
        "right_forearm",
        "left_thigh",
        "right_thigh",
        "left_shin",
        "right_shin",
    }
    for limb in LIMBS:
        assert mirror_limb_name(mirror_limb_name(limb.name)) == limb.name
        assert mirror_limb_name(limb.name) in LIMB_BY_NAME


def test_mirror_pose_flips_x_swaps_labels_and_twice_is_identity() -> None:
    pose = make_pose(LEFT_ARM_UP)
    mirrored = mirror_pose(pose, width=640.0)
    lw, rw = KEYPOINT_INDEX["left_wrist"], KEYPOINT_INDEX["right_wrist"]
    # The raised left wrist becomes a raised right wrist on the other side.
    assert mirrored[rw, 0] == pytest.approx(640.0 - pose[lw, 0])
    assert mirrored[rw, 1] == pytest.approx(pose[lw, 1])
    np.testing.assert_allclose(mirror_pose(mirrored, width=640.0), pose)


def _flat(pose: np.ndarray) -> list[float]:
    return [float(v) for v in pose.reshape(-1)]


def test_pose_from_flat_keeps_pixels_unchanged() -> None:
    pose = make_pose(LEFT_ARM_UP)
    built = pose_from_flat(_flat(pose), 640, 480)
    assert built.shape == (17, 3)
    np.testing.assert_array_equal(built, pose)


def test_pose_from_flat_accepts_normalized_coordinates_without_rescaling() -> None:
    pose = make_pose(LEFT_ARM_UP)
    normalized = pose.copy()
    normalized[:, :2] /= 640.0  # one factor for x and y
    built = pose_from_flat(_flat(normalized), 1, 1)
    np.testing.assert_array_equal(built, normalized)


@pytest.mark.parametrize(
    ("index", "value", "message"),
    [
        (4, math.nan, "index 4 (left_eye y) is not finite"),
        (27, math.inf, "index 27 (left_wrist x) is not finite"),
        (2, 1.5, "index 2 (nose score) = 1.5 is outside [0.0, 1.0]"),
        (50, -0.1, "index 50 (right_ankle score)"),
        (0, 5000.0, "index 0 (nose x) = 5000.0 is outside"),
        (1, "12", "index 1 (nose y) is not a number: '12'"),
        (3, True, "index 3 (left_eye x) is not a number: True"),
        (6, None, "index 6 (right_eye x) is not a number: None"),
    ],
)
def test_pose_from_flat_names_bad_index_and_value(index: int, value: object, message: str) -> None:
    values: list[object] = _flat(make_pose(LEFT_ARM_UP))
    values[index] = value
    with pytest.raises(PoseError) as caught:
        pose_from_flat(values, 640, 480)  # type: ignore[arg-type]
    assert message in str(caught.value)


@pytest.mark.parametrize("length", [0, 34, 50, 52])
def test_pose_from_flat_rejects_wrong_length(length: int) -> None:
    with pytest.raises(PoseError, match=f"expected 51 values .* got {length}"):
        pose_from_flat([0.5] * length, 1, 1)


@pytest.mark.parametrize(("width", "height"), [(0, 480), (640, -1), (math.nan, 1), (1, math.inf)])
def test_pose_from_flat_rejects_bad_image_size(width: float, height: float) -> None:
    with pytest.raises(PoseError, match="must be a finite number > 0"):
        pose_from_flat([0.5] * 51, width, height)


def test_check_pose_rejects_wrong_shape_and_nan() -> None:
    with pytest.raises(PoseError, match=r"shape \(17, 3\), got \(17, 2\)"):
        check_pose(np.zeros((17, 2)))
    bad = make_pose(LEFT_ARM_UP)
    bad[9, 1] = math.nan
    with pytest.raises(PoseError, match=r"pose\[9, 1\] \(left_wrist\) is not finite"):
        check_pose(bad)
