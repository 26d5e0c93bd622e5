import pytest

from strike_a_pose.scoring import level_points, streak_multiplier


@pytest.mark.parametrize(
    ("fit", "level_ms", "streak", "points"),
    [
        (0.72, 6000.0, 1, 100),  # just cleared at par: base only
        (1.0, 6000.0, 1, 200),  # perfect fit
        (0.72, 0.0, 1, 200),  # instant
        (1.0, 0.0, 1, 300),  # best possible single clear
        (0.86, 3000.0, 1, 200),  # half quality, half speed
        (0.72, 6000.0, 2, 125),
        (0.72, 6000.0, 5, 200),  # multiplier capped at 2
        (0.72, 6000.0, 9, 200),
        (0.5, 9000.0, 1, 100),  # below threshold / over par never go negative
    ],
)
def test_level_points_table(fit: float, level_ms: float, streak: int, points: int) -> None:
    assert level_points(fit, 0.72, level_ms, 6000.0, streak) == points


def test_streak_multiplier_steps_and_caps() -> None:
    assert [streak_multiplier(s) for s in range(1, 7)] == [1.0, 1.25, 1.5, 1.75, 2.0, 2.0]


@pytest.mark.parametrize(
    ("kwargs", "message"),
    [
        ({"streak": 0}, "streak"),
        ({"par_ms": 0.0}, "par_ms"),
        ({"threshold": 1.0}, "threshold"),
        ({"level_ms": -1.0}, "level_ms"),
    ],
)
def test_bad_arguments_are_named(kwargs: dict[str, float], message: str) -> None:
    args: dict[str, float] = {
        "fit": 0.9,
        "threshold": 0.7,
        "level_ms": 100.0,
        "par_ms": 6000.0,
        "streak": 1,
    }
    args.update(kwargs)
    with pytest.raises(ValueError, match=message):
        level_points(**args)  # type: ignore[arg-type]
