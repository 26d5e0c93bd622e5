import numpy as np
import pytest

from strike_a_pose.temporal import HoldTracker, ema_alpha, smooth_pose, smooth_value

from .synthetic_poses import ARMS_DOWN, T_POSE, make_pose


def test_ema_is_frame_rate_independent() -> None:
    one_step = smooth_value(0.0, 1.0, 100.0, 80.0)
    two_steps = smooth_value(smooth_value(0.0, 1.0, 50.0, 80.0), 1.0, 50.0, 80.0)
    assert one_step == pytest.approx(two_steps)
    assert ema_alpha(0.0, 80.0) == 0.0
    assert ema_alpha(10.0, 0.0) == 1.0
    assert smooth_value(None, 0.4, 10.0, 80.0) == 0.4


def test_smoothing_follows_confident_keypoints_faster_than_doubtful_ones() -> None:
    start = smooth_pose(None, make_pose(ARMS_DOWN, score=0.9), 0.0, 0.3)
    moved_sure = make_pose(T_POSE, score=0.9)
    moved_doubtful = make_pose(T_POSE, score=0.35)
    sure = smooth_pose(start, moved_sure, 40.0, 0.3).pose
    doubtful = smooth_pose(start, moved_doubtful, 40.0, 0.3).pose
    wrist = 9
    target = moved_sure[wrist, :2]
    origin = start.pose[wrist, :2]
    assert np.linalg.norm(sure[wrist, :2] - target) < np.linalg.norm(doubtful[wrist, :2] - target)
    assert np.linalg.norm(doubtful[wrist, :2] - origin) > 0


def test_score_zero_keypoint_keeps_its_last_position_and_fades() -> None:
    start = smooth_pose(None, make_pose(T_POSE, score=0.9), 0.0, 0.3)
    gone = make_pose(ARMS_DOWN, score=0.9)
    gone[9, 2] = 0.0
    later = smooth_pose(start, gone, 200.0, 0.3).pose
    assert later[9, :2] == pytest.approx(start.pose[9, :2])
    assert later[9, 2] < 0.3


def test_keypoint_that_reappears_jumps_instead_of_sliding() -> None:
    hidden = make_pose(T_POSE, score=0.9)
    hidden[9, 2] = 0.0
    start = smooth_pose(None, hidden, 0.0, 0.3)
    back = make_pose(ARMS_DOWN, score=0.9)
    after = smooth_pose(start, back, 33.0, 0.3).pose
    assert after[9, :2] == pytest.approx(back[9, :2])


def test_smoothed_pose_is_read_only() -> None:
    smoothed = smooth_pose(None, make_pose(T_POSE), 0.0, 0.3)
    with pytest.raises(ValueError):
        smoothed.pose[0, 0] = 1.0


def run(tracker: HoldTracker, frames: list[tuple[float, bool]]) -> list[bool]:
    done = []
    for t, ok in frames:
        tracker = tracker.observe(ok, t)
        done.append(tracker.complete(t))
    return done


def test_hold_needs_hold_ms_of_matched_frames() -> None:
    frames = [(t, True) for t in range(0, 800, 100)]
    assert run(HoldTracker(700.0, 250.0), frames) == [False] * 7 + [True]


def test_single_lucky_frame_never_completes() -> None:
    frames = [(0.0, True)] + [(t, False) for t in range(100, 3000, 100)]
    assert not any(run(HoldTracker(700.0, 250.0), frames))


def test_dip_within_grace_keeps_the_hold() -> None:
    # Last good frame at 100 ms, next at 300 ms: a 200 ms gap < 250 ms grace.
    frames = [(0.0, True), (100.0, True), (200.0, False), (300.0, True)]
    frames += [(400.0, True), (500.0, True), (600.0, True), (700.0, True)]
    assert run(HoldTracker(700.0, 250.0), frames)[-1] is True


def test_dip_beyond_grace_restarts_the_hold() -> None:
    frames = [(0.0, True), (100.0, True), (200.0, False), (300.0, False), (400.0, False)]
    frames += [(t, True) for t in (500.0, 700.0, 900.0, 1100.0)]
    done = run(HoldTracker(700.0, 250.0), frames)
    assert not any(done)
    tracker = HoldTracker(700.0, 250.0)
    for t, ok in frames:
        tracker = tracker.observe(ok, t)
    assert tracker.since_ms == 500.0


def test_dropped_frames_are_a_time_gap_too() -> None:
    # No observation at all between 100 and 600 ms: longer than the grace.
    tracker = HoldTracker(700.0, 250.0).observe(True, 0.0).observe(True, 100.0)
    assert tracker.tick(300.0).since_ms == 0.0
    assert tracker.tick(400.0).since_ms is None
    assert tracker.observe(True, 600.0).since_ms == 600.0


def test_progress_is_clamped_and_resets() -> None:
    tracker = HoldTracker(700.0, 250.0).observe(True, 0.0).observe(True, 200.0)
    assert tracker.progress(350.0) == pytest.approx(0.5)
    assert tracker.observe(True, 400.0).observe(True, 650.0).progress(900.0) == 1.0
    assert tracker.progress(5000.0) == 0.0  # grace long gone
    assert tracker.observe(True, 200.0).progress(2000.0) == 0.0
    assert HoldTracker(700.0, 250.0).progress(10.0) == 0.0
