"""Why we cannot judge a frame, as a stable code plus plain English for the visitor.

The code is what the page translates; the English text is the fallback.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Reason:
    code: str
    text: str

    def to_view(self) -> dict[str, str]:
        return {"code": self.code, "text": self.text}


NO_PERSON = Reason("no_person", "Come into the picture")
SHOW_SHOULDERS = Reason("show_shoulders", "Face the camera so we can see your shoulders")
SHOW_ARMS = Reason("show_arms", "Keep both arms in the picture")
SHOW_HIPS = Reason("show_hips", "Step back: we can't see your hips")
SHOW_LEGS = Reason("show_legs", "Step back: we can't see your legs")
TOO_LITTLE_VISIBLE = Reason("too_little_visible", "Step back so we can see more of you")

ALL_REASONS: tuple[Reason, ...] = (
    NO_PERSON,
    SHOW_SHOULDERS,
    SHOW_ARMS,
    SHOW_HIPS,
    SHOW_LEGS,
    TOO_LITTLE_VISIBLE,
)
