"""The benchmarks' summary helpers (bench/stats.py)."""

from __future__ import annotations

import pytest

from bench.stats import p95, per_second, summarize


def test_p95_interpolates_like_numpy_linear() -> None:
    # numpy.percentile(range(1, 101), 95) == 95.05; of [1, 2, 3, 4]: 3.85.
    assert p95(list(range(1, 101))) == pytest.approx(95.05)
    assert p95([4.0, 1.0, 3.0, 2.0]) == pytest.approx(3.85)
    assert p95([7.0]) == 7.0


def test_summarize() -> None:
    summary = summarize([10.0, 20.0, 30.0, 40.0, 50.0])
    assert summary == {"n": 5, "median": 30.0, "p95": 48.0, "mean": 30.0, "min": 10.0, "max": 50.0}
    assert summarize([4.0, 1.0, 3.0, 2.0])["median"] == 2.5
    assert summarize([]) == {"n": 0}


def test_per_second() -> None:
    assert per_second(25.0) == 40.0
    assert per_second(0.0) == 0.0
