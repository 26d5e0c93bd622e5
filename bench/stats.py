"""Small, dependency-free summaries of timing samples."""

from __future__ import annotations

import statistics
from collections.abc import Sequence


def p95(samples: Sequence[float]) -> float:
    """The 95th percentile, interpolated between ranks as numpy's default
    ("linear") does: statistics.quantiles' "inclusive" method."""
    if len(samples) == 1:  # quantiles wants two points before Python 3.13
        return float(samples[0])
    return statistics.quantiles(samples, n=20, method="inclusive")[-1]


def summarize(samples: Sequence[float], digits: int = 3) -> dict[str, float | int]:
    """Count, median, p95, mean, min and max of ``samples``, rounded."""
    if not samples:
        return {"n": 0}
    return {
        "n": len(samples),
        "median": round(statistics.median(samples), digits),
        "p95": round(p95(samples), digits),
        "mean": round(statistics.fmean(samples), digits),
        "min": round(min(samples), digits),
        "max": round(max(samples), digits),
    }


def per_second(milliseconds: float) -> float:
    """Events per second for an event every ``milliseconds``; 0 for no time."""
    return round(1000.0 / milliseconds, 2) if milliseconds > 0 else 0.0
