"""How long an artwork's story stays on screen after a match (pure).

When a level is cleared the game shows the artwork's title, artist, date and
``about`` text while the clock is paused.  The time it stays is::

    reading_ms(text) = clamp(base_ms + len(text) * ms_per_char, min_ms, max_ms)

``base_ms`` is the cheer and a first look at the picture; ``ms_per_char``
is a reading pace a child can keep up with (70 ms a character is about
14 characters, two or three words, a second: adults read silently at 20-25
characters a second, children of 8-10 at about 10-15).  A level pack may set
the bounds for its texts (``"reading_seconds": [min, max]``,
docs/levelpack.md) and a museum may override them for its screens
(``reading_min`` / ``reading_max`` in ``config.json`` or the URL); a visitor
can always go on early.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, replace

# The range any bound may take, in seconds: shorter than a second is no
# time to look at all; longer than a minute holds the next visitor up.
MIN_BOUND_S, MAX_BOUND_S = 1.0, 60.0


@dataclass(frozen=True)
class ReadingRules:
    """Reading time rules, in milliseconds."""

    min_ms: float = 4_000.0
    max_ms: float = 15_000.0
    base_ms: float = 1_500.0
    ms_per_char: float = 70.0

    def __post_init__(self) -> None:
        for name in ("min_ms", "max_ms", "base_ms", "ms_per_char"):
            value = getattr(self, name)
            if (
                isinstance(value, bool)
                or not isinstance(value, (int, float))
                or not math.isfinite(value)
                or value < 0
            ):
                raise ValueError(f"ReadingRules.{name} must be a finite number >= 0, got {value!r}")
        if self.min_ms > self.max_ms:
            raise ValueError(
                f"ReadingRules.min_ms ({self.min_ms:g}) is more than max_ms ({self.max_ms:g})"
            )

    def with_bounds(self, min_s: float | None, max_s: float | None) -> ReadingRules:
        """These rules with new bounds in seconds (None keeps a bound).

        A new bound wins over the old other one: a museum that sets only
        ``max`` below a pack's ``min`` gets ``min == max``, not an error.
        """
        low = self.min_ms if min_s is None else min_s * 1000.0
        high = self.max_ms if max_s is None else max_s * 1000.0
        if low > high:
            if max_s is None:
                high = low
            else:
                low = high
        return replace(self, min_ms=low, max_ms=high)


def reading_ms(text: str, rules: ReadingRules) -> float:
    """Milliseconds to show a story of ``text`` (see the module docstring)."""
    wanted = rules.base_ms + len(text.strip()) * rules.ms_per_char
    return min(rules.max_ms, max(rules.min_ms, wanted))


def check_bound_s(value: object) -> float | None:
    """``value`` as a bound in seconds if it is a number in range, else None."""
    if isinstance(value, bool) or not isinstance(value, (int, float)):
        return None
    if not math.isfinite(value) or not MIN_BOUND_S <= value <= MAX_BOUND_S:
        return None
    return float(value)
