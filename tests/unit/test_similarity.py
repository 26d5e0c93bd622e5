import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from strike_a_pose import limbgeometry, reasons, similarity
from strike_a_pose.difficulty import CHILD, HARD, NORMAL, Difficulty
from strike_a_pose.keypoints import KEYPOINT_NAMES, LIMB_NAMES, mirror_pose
from strike_a_pose.similarity import (
    DEFAULT_LIMB_WEIGHTS,
    angle_between,
    match_pose,
    pose_similarity,
    settings_for,
)

from .synthetic_poses import (
    ARMS_45,
    ARMS_DOWN,
    BOTH_ARMS_UP,
    HANDS_ON_HIPS,
    LEFT_ARM_UP,
    LEFT_LEG_OUT,
    RIGHT_ARM_UP,
    SQUAT,
    T_POSE,
    Shape,
    hide,
    make_pose,
)

NORMAL_SETTINGS = settings_for(NORMAL)
LEGS = ("left_knee", "right_knee", "left_ankle", "right_ankle")
FACE = ("nose", "left_eye", "right_eye", "left_ear", "right_ear")


def fit(visitor: Shape, figure: Shape, difficulty: Difficulty = NORMAL, **level: object) -> float:
    settings = settings_for(difficulty, **level)  # type: ignore[arg-type]
    visitor_pose = make_pose(visitor, hip_centre=(180.0, 260.0), scale=0.8, noise_px=3.0, seed=7)
    return match_pose(visitor_pose, make_pose(figure, score=1.0), settings).fit


SAME_POSES = [T_POSE, ARMS_DOWN, LEFT_ARM_UP, BOTH_ARMS_UP, ARMS_45, HANDS_ON_HIPS, SQUAT]


@pytest.mark.parametrize("difficulty", [CHILD, NORMAL, HARD], ids=lambda d: d.name)
@pytest.mark.parametrize("shape", SAME_POSES)
def test_same_pose_with_noise_fits_near_one(shape: Shape, difficulty: Difficulty) -> None:
    assert fit(shape, shape, difficulty) >= 0.9


T_POSE_ONE_ARM_UP = Shape(170, 178, 90, 90)
DIFFERENT = [
    (T_POSE, ARMS_DOWN),
    (ARMS_DOWN, T_POSE),
    (T_POSE, T_POSE_ONE_ARM_UP),
    (T_POSE, BOTH_ARMS_UP),
    (ARMS_DOWN, BOTH_ARMS_UP),
    (ARMS_45, BOTH_ARMS_UP),
    (SQUAT, ARMS_DOWN),
]


@pytest.mark.parametrize("difficulty", [CHILD, NORMAL, HARD], ids=lambda d: d.name)
@pytest.mark.parametrize(("visitor", "figure"), DIFFERENT)
def test_clearly_different_poses_stay_well_below_threshold(
    visitor: Shape, figure: Shape, difficulty: Difficulty
) -> None:
    # "Clearly below": a margin of 0.05 under the match threshold.
    assert fit(visitor, figure, difficulty) < difficulty.match_threshold - 0.05


def test_one_leg_out_is_a_near_miss_that_hard_rejects() -> None:
    assert fit(LEFT_LEG_OUT, ARMS_DOWN, HARD) < HARD.match_threshold
    assert fit(LEFT_LEG_OUT, ARMS_DOWN, NORMAL) < fit(ARMS_DOWN, ARMS_DOWN, NORMAL)


def test_mirror_copy_counts_only_when_level_allows_it() -> None:
    # The figure raises its right arm; the visitor copies it like a mirror
    # image, raising their own left arm.
    figure = make_pose(RIGHT_ARM_UP, score=1.0)
    visitor = make_pose(LEFT_ARM_UP, noise_px=2.0, seed=3)
    allowed = match_pose(visitor, figure, settings_for(NORMAL, mirror_ok=True))
    strict = match_pose(visitor, figure, settings_for(NORMAL, mirror_ok=False))
    assert allowed.mode == "mirrored" and allowed.fit >= 0.9
    assert allowed.mirrored_fit == allowed.fit
    assert strict.mode == "anatomical" and strict.fit < NORMAL.match_threshold
    # Only the mode the level accepts is matched: no mirrored fit at all.
    assert strict.mirrored_fit is None
    assert strict.anatomical_fit == allowed.anatomical_fit


def test_a_strict_level_makes_one_comparison_a_permissive_one_two(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    calls: list[int] = []
    compare = similarity._compare

    def counting(*args: object) -> object:
        calls.append(1)
        return compare(*args)  # type: ignore[arg-type]

    monkeypatch.setattr(similarity, "_compare", counting)
    figure = make_pose(RIGHT_ARM_UP, score=1.0)
    visitor = make_pose(LEFT_ARM_UP, noise_px=2.0, seed=3)
    match_pose(visitor, figure, settings_for(NORMAL, mirror_ok=False))
    assert len(calls) == 1
    match_pose(visitor, figure, settings_for(NORMAL, mirror_ok=True))
    assert len(calls) == 3


def test_anatomical_copy_counts_in_both_settings() -> None:
    figure = make_pose(RIGHT_ARM_UP, score=1.0)
    visitor = make_pose(RIGHT_ARM_UP, noise_px=2.0, seed=3)
    for mirror_ok in (True, False):
        result = match_pose(visitor, figure, settings_for(NORMAL, mirror_ok=mirror_ok))
        assert result.mode == "anatomical" and result.fit >= 0.9


def test_mirrored_limb_results_name_the_visitors_own_limbs() -> None:
    figure = make_pose(Shape(right_upper_arm=170, right_forearm=178, left_upper_arm=60), score=1.0)
    visitor = make_pose(LEFT_ARM_UP)  # right arm hangs down, figure's (mirrored) one is at 60
    result = match_pose(visitor, figure, NORMAL_SETTINGS)
    assert result.mode == "mirrored"
    assert result.limbs["left_upper_arm"].score > 0.9  # the raised arm is right
    assert result.limbs["right_upper_arm"].score < 0.5  # the visitor's right arm is off
    # Its target direction points out to the visitor's right (-x in the camera image).
    target = result.limbs["right_upper_arm"].target
    assert target is not None and target[0] < -0.5


def test_angles_wrap_around_without_a_jump() -> None:
    just_left_of_up = np.array([-0.01, -1.0])
    just_right_of_up = np.array([0.01, -1.0])
    assert angle_between(just_left_of_up, just_right_of_up) == pytest.approx(0.02, abs=1e-4)
    left = np.array([-1.0, 0.001])
    left_other = np.array([-1.0, -0.001])  # atan2 jumps from +pi to -pi between these
    assert angle_between(left, left_other) == pytest.approx(0.002, abs=1e-5)
    assert angle_between(np.array([1.0, 0.0]), np.array([-1.0, 0.0])) == pytest.approx(math.pi)


def test_arm_straight_up_either_side_of_vertical_still_matches() -> None:
    assert fit(Shape(185, 185, 175, 175), Shape(175, 175, 185, 185)) >= 0.85


def test_hidden_legs_ask_the_visitor_to_step_back() -> None:
    visitor = hide(make_pose(ARMS_DOWN), *LEGS)
    result = match_pose(visitor, make_pose(ARMS_DOWN, score=1.0), NORMAL_SETTINGS)
    assert not result.ok and result.fit == 0.0
    assert result.reason == reasons.SHOW_LEGS
    assert result.reason.text == "Step back: we can't see your legs"


def test_nobody_visible_says_come_into_the_picture() -> None:
    visitor = make_pose(ARMS_DOWN, score=0.0)
    result = match_pose(visitor, make_pose(ARMS_DOWN, score=1.0), NORMAL_SETTINGS)
    assert result.reason == reasons.NO_PERSON
    assert result.reason.text == "Come into the picture"
    assert result.fit == 0.0 and not math.isnan(result.anatomical_fit)


def test_hidden_arms_are_reported() -> None:
    visitor = hide(make_pose(T_POSE), "left_elbow", "right_elbow", "left_wrist", "right_wrist")
    result = match_pose(visitor, make_pose(T_POSE, score=1.0), settings_for(NORMAL, weights={}))
    assert result.reason == reasons.SHOW_ARMS


def test_one_hidden_forearm_costs_fit_but_is_judged() -> None:
    visitor = hide(make_pose(T_POSE), "left_wrist")
    result = match_pose(visitor, make_pose(T_POSE, score=1.0), NORMAL_SETTINGS)
    assert result.ok
    assert result.fit < match_pose(make_pose(T_POSE), make_pose(T_POSE), NORMAL_SETTINGS).fit
    assert not result.limbs["left_forearm"].seen


def test_upper_body_mode_ignores_legs() -> None:
    visitor = make_pose(Shape(90, 90, 90, 90, left_thigh=80, left_shin=80))
    figure = make_pose(T_POSE, score=1.0)
    full = match_pose(visitor, figure, NORMAL_SETTINGS)
    seated = match_pose(visitor, figure, settings_for(NORMAL, upper_body_only=True))
    assert full.fit < NORMAL.match_threshold
    assert seated.fit >= 0.95
    assert not seated.limbs["left_thigh"].judged
    # Seated visitors with legs out of view are fine in upper-body mode.
    hidden = match_pose(hide(visitor, *LEGS, "left_hip", "right_hip"), figure, seated_settings())
    assert hidden.ok and hidden.fit >= 0.9


def seated_settings() -> object:
    return settings_for(NORMAL, upper_body_only=True)


def test_level_weights_can_ignore_a_limb() -> None:
    # The visitor's left forearm is wrong; with the wrist weighted 0, it doesn't matter.
    visitor, figure = Shape(90, 0, 90, 90), T_POSE
    assert fit(visitor, figure) < NORMAL.match_threshold
    assert fit(visitor, figure, weights={"left_wrist": 0.0}) >= 0.9


def test_level_tolerance_widens_the_bell() -> None:
    visitor, figure = Shape(60, 60, 60, 60), ARMS_45  # 15 degrees off everywhere on the arms
    assert fit(visitor, figure, HARD, tolerance=2.0) > fit(visitor, figure, HARD)


def test_settings_reject_unknown_weight_names() -> None:
    with pytest.raises(ValueError, match="left_hand"):
        settings_for(NORMAL, weights={"left_hand": 1.0})


def test_default_limb_weights_cover_every_limb() -> None:
    assert set(DEFAULT_LIMB_WEIGHTS) == {
        name for name in NORMAL_SETTINGS.limb_weights if NORMAL_SETTINGS.limb_weights[name] > 0
    }


# --- properties -----------------------------------------------------------

SHAPES = st.builds(
    Shape,
    *(st.floats(-60.0, 200.0) for _ in range(8)),
    lean=st.floats(-30.0, 30.0),
)
coordinate = st.floats(-5000.0, 5000.0)
scales = st.floats(0.05, 20.0)


@settings(max_examples=60, deadline=None)
@given(SHAPES, SHAPES, coordinate, coordinate, scales)
def test_fit_is_invariant_to_translation_and_uniform_scale(
    visitor: Shape, figure: Shape, dx: float, dy: float, scale: float
) -> None:
    ref = make_pose(figure, score=1.0)
    base = match_pose(make_pose(visitor), ref, NORMAL_SETTINGS)
    moved = match_pose(make_pose(visitor, hip_centre=(dx, dy), scale=scale), ref, NORMAL_SETTINGS)
    assert moved.fit == pytest.approx(base.fit, abs=1e-9)
    assert moved.mode == base.mode or base.anatomical_fit == pytest.approx(base.mirrored_fit)


@settings(max_examples=60, deadline=None)
@given(SHAPES, SHAPES)
def test_fit_is_symmetric_when_everything_is_visible(a: Shape, b: Shape) -> None:
    pa, pb = make_pose(a, score=0.8), make_pose(b, hip_centre=(50.0, 90.0), score=0.8)
    assert pose_similarity(pa, pb, NORMAL_SETTINGS) == pytest.approx(
        pose_similarity(pb, pa, NORMAL_SETTINGS), abs=1e-12
    )


@settings(max_examples=60, deadline=None)
@given(SHAPES, SHAPES)
def test_mirroring_both_poses_changes_nothing(a: Shape, b: Shape) -> None:
    pa, pb = make_pose(a), make_pose(b, score=1.0)
    direct = pose_similarity(pa, pb, NORMAL_SETTINGS)
    both_mirrored = pose_similarity(mirror_pose(pa), mirror_pose(pb), NORMAL_SETTINGS)
    assert both_mirrored == pytest.approx(direct, abs=1e-12)
    np.testing.assert_allclose(mirror_pose(mirror_pose(pa)), pa)


pose_arrays = st.lists(
    st.tuples(
        st.floats(-1000.0, 1000.0),
        st.floats(-1000.0, 1000.0),
        st.sampled_from([0.0, 0.1, 0.5, 1.0]),
    ),
    min_size=17,
    max_size=17,
).map(lambda rows: np.array(rows, dtype=float))


@settings(max_examples=150, deadline=None)
@given(pose_arrays, pose_arrays, st.sampled_from([CHILD, NORMAL, HARD]), st.booleans())
def test_fit_is_always_a_number_in_unit_interval(
    visitor: np.ndarray, figure: np.ndarray, difficulty: Difficulty, upper: bool
) -> None:
    result = match_pose(visitor, figure, settings_for(difficulty, upper_body_only=upper))
    for value in (result.fit, result.anatomical_fit, result.mirrored_fit):
        assert 0.0 <= value <= 1.0 and not math.isnan(value)
    assert result.ok == (result.reason is None)
    if not result.ok:
        assert result.fit == 0.0 and result.mode is None


def test_zero_confidence_everywhere_never_gives_nan() -> None:
    zero = np.zeros((17, 3))
    result = match_pose(zero, zero, NORMAL_SETTINGS)
    assert result.fit == 0.0 and result.reason == reasons.NO_PERSON


@pytest.mark.parametrize("name", KEYPOINT_NAMES)
def test_the_matcher_judges_shoulders_to_ankles_and_never_the_face(name: str) -> None:
    figure = make_pose(T_POSE, score=1.0)
    visitor = make_pose(ARMS_45, noise_px=2.0, seed=3)
    before = match_pose(visitor, figure, NORMAL_SETTINGS)
    moved = visitor.copy()
    moved[KEYPOINT_NAMES.index(name), :2] += (37.0, -23.0)
    after = match_pose(moved, figure, NORMAL_SETTINGS)
    if name in FACE:
        # Hair, masks and hats fool the model: the face never counts.
        assert (after.fit, after.mode, after.limbs) == (before.fit, before.mode, before.limbs)
        hidden = visitor.copy()
        hidden[KEYPOINT_NAMES.index(name), 2] = 0.0
        assert match_pose(hidden, figure, NORMAL_SETTINGS).fit == before.fit
    else:
        assert before.ok and after.ok and after.fit != before.fit


@settings(max_examples=80, deadline=None)
@given(SHAPES, SHAPES, st.sampled_from([CHILD, NORMAL, HARD]), st.booleans())
def test_a_strict_level_scores_exactly_the_anatomical_comparison(
    visitor_shape: Shape, figure_shape: Shape, difficulty: Difficulty, upper: bool
) -> None:
    visitor = make_pose(visitor_shape, noise_px=2.0, seed=5)
    figure = make_pose(figure_shape, score=1.0)
    strict = match_pose(
        visitor, figure, settings_for(difficulty, mirror_ok=False, upper_body_only=upper)
    )
    both = match_pose(
        visitor, figure, settings_for(difficulty, mirror_ok=True, upper_body_only=upper)
    )
    assert strict.anatomical_fit == both.anatomical_fit
    if both.mode != "mirrored":
        # Same comparison, same result, to the last bit.
        assert (strict.fit, strict.mode, strict.reason) == (both.fit, both.mode, both.reason)
        assert strict.limbs == both.limbs
    else:
        assert strict.fit == (both.anatomical_fit if strict.ok else 0.0)


@settings(max_examples=150, deadline=None)
@given(
    st.lists(
        st.tuples(
            st.floats(-1000.0, 1000.0),
            st.floats(-1000.0, 1000.0),
            st.sampled_from([0.0, 0.05, 0.3, 0.5, 1.0]),
        ),
        min_size=17,
        max_size=17,
    ),
    st.sampled_from([0.1, 0.3, 0.5]),
    st.sampled_from(["hips", "shoulders"]),
)
def test_the_mirrored_geometry_is_exactly_that_of_the_mirror_image(
    rows: list[tuple[float, float, float]], floor: float, anchor: str
) -> None:
    # The mirrored comparison reuses the visitor's own limb vectors and body
    # frame; they must be exactly what the mirror image gives (so results
    # stay the same as when the mirror image was measured afresh).
    pose = np.array(rows, dtype=float)
    derived = limbgeometry.mirror_geometry(limbgeometry.measure(pose))
    fresh = limbgeometry.measure(mirror_pose(pose))
    assert derived.rows == fresh.rows
    assert derived.scores == fresh.scores
    assert derived.frame(floor, anchor) == fresh.frame(floor, anchor)  # type: ignore[arg-type]
    # Every limb joining two keypoints exactly; the torso (shoulder centre
    # minus hip centre, four terms summed in another order) to rounding.
    torso = LIMB_NAMES.index("torso")
    for i, (a, b) in enumerate(zip(derived.vectors, fresh.vectors, strict=True)):
        if i != torso:
            assert a == b, LIMB_NAMES[i]
            # Lengths and unit directions are reused too (not measured again).
            assert derived.lengths[i] == fresh.lengths[i], LIMB_NAMES[i]
            assert derived.units[i] == fresh.units[i], LIMB_NAMES[i]
    largest = max(abs(value) for row in rows for value in row[:2])
    for a, b in zip(derived.vectors[torso], fresh.vectors[torso], strict=True):
        assert abs(a - b) <= 4 * math.ulp(largest)
