"""The benchmarks' summary helpers (bench/stats.py)."""

from __future__ import annotations

import pytest

from bench.stats import per_second, percentile, summarize


def test_percentile_interpolates_like_numpy_linear() -> None:
    samples = [4.0, 1.0, 3.0, 2.0]
    assert percentile(samples, 0.0) == 1.0
    assert percentile(samples, 1.0) == 4.0
    assert percentile(samples, 0.5) == 2.5
    assert percentile(list(range(1, 101)), 0.95) == pytest.approx(95.05)
    assert percentile([7.0], 0.95) == 7.0


def test_percentile_rejects_nothing_and_bad_fractions() -> None:
    with pytest.raises(ValueError):
        percentile([], 0.5)
    with pytest.raises(ValueError):
        percentile([1.0], 1.5)


def test_summarize() -> None:
    summary = summarize([10.0, 20.0, 30.0, 40.0, 50.0])
    assert summary == {"n": 5, "median": 30.0, "p95": 48.0, "mean": 30.0, "min": 10.0, "max": 50.0}
    assert summarize([]) == {"n": 0}


def test_per_second() -> None:
    assert per_second(25.0) == 40.0
    assert per_second(0.0) == 0.0
