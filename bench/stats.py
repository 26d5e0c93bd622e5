"""Small, dependency-free summaries of timing samples."""

from __future__ import annotations

import math
from collections.abc import Sequence


def percentile(samples: Sequence[float], fraction: float) -> float:
    """The ``fraction`` (0..1) percentile, linearly interpolated between ranks.

    The same definition as numpy's default ("linear"): 0 is the minimum, 1 the
    maximum, 0.5 the median.
    """
    if not samples:
        raise ValueError("no samples")
    if not 0.0 <= fraction <= 1.0:
        raise ValueError(f"fraction {fraction} is not in [0, 1]")
    ordered = sorted(samples)
    position = fraction * (len(ordered) - 1)
    low = math.floor(position)
    high = math.ceil(position)
    weight = position - low
    return ordered[low] * (1.0 - weight) + ordered[high] * weight


def summarize(samples: Sequence[float], digits: int = 3) -> dict[str, float | int]:
    """Count, median, p95, mean, min and max of ``samples``, rounded."""
    if not samples:
        return {"n": 0}
    return {
        "n": len(samples),
        "median": round(percentile(samples, 0.5), digits),
        "p95": round(percentile(samples, 0.95), digits),
        "mean": round(sum(samples) / len(samples), digits),
        "min": round(min(samples), digits),
        "max": round(max(samples), digits),
    }


def per_second(milliseconds: float) -> float:
    """Events per second for an event every ``milliseconds``; 0 for no time."""
    return round(1000.0 / milliseconds, 2) if milliseconds > 0 else 0.0
