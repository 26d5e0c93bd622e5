"""Points for a cleared level.

Formula (points are whole numbers)::

    quality = clamp((fit - threshold) / (1 - threshold), 0, 1)
    speed   = clamp(1 - level_ms / par_ms, 0, 1)      # par_ms = total_ms / levels
    streak_multiplier = min(1 + STREAK_STEP * (streak - 1), STREAK_CAP)
    points  = round((BASE + QUALITY * quality + SPEED * speed) * streak_multiplier)

``fit`` is the smoothed fit when the level was cleared, ``threshold`` the
difficulty's match threshold, ``level_ms`` the playing time spent on the
level, and ``streak`` the number of consecutive clears including this one
(a skipped level resets it).  So a level is worth 100..300 points before the
streak multiplier, which goes 1.0, 1.25, 1.5, 1.75, 2.0 (capped).
"""

from __future__ import annotations

BASE_POINTS = 100  # for clearing at all
QUALITY_POINTS = 100  # for a perfect fit
SPEED_POINTS = 100  # for clearing instantly
STREAK_STEP = 0.25  # extra multiplier per consecutive clear after the first
STREAK_CAP = 2.0  # largest multiplier


def _clamp01(value: float) -> float:
    return min(1.0, max(0.0, value))


def streak_multiplier(streak: int) -> float:
    if streak < 1:
        raise ValueError(f"streak counts the clear being scored, so it is >= 1; got {streak}")
    return min(1.0 + STREAK_STEP * (streak - 1), STREAK_CAP)


def level_points(fit: float, threshold: float, level_ms: float, par_ms: float, streak: int) -> int:
    """Points for one cleared level, see the module doc."""
    if not 0.0 <= threshold < 1.0:
        raise ValueError(f"threshold must be in [0, 1), got {threshold}")
    if par_ms <= 0.0:
        raise ValueError(f"par_ms must be > 0, got {par_ms}")
    if level_ms < 0.0:
        raise ValueError(f"level_ms must be >= 0, got {level_ms}")
    quality = _clamp01((fit - threshold) / (1.0 - threshold))
    speed = _clamp01(1.0 - level_ms / par_ms)
    raw = BASE_POINTS + QUALITY_POINTS * quality + SPEED_POINTS * speed
    return round(raw * streak_multiplier(streak))
