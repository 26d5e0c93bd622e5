"""Why we cannot judge a frame, as a stable code plus plain English for the visitor.

The code is stable for tests and the page; the English text is the message
the page translates (shell/i18n.py).  A seated visitor does not "step back":
:func:`for_seated` words the same reasons for them.
"""

from __future__ import annotations

from dataclasses import dataclass

from .wording import N_


@dataclass(frozen=True)
class Reason:
    code: str
    text: str

    def to_view(self) -> dict[str, str]:
        return {"code": self.code, "text": self.text}


NO_PERSON = Reason("no_person", N_("Come into the picture"))
SHOW_HEAD = Reason("show_head", N_("Step back so we can see your head"))
SHOW_SHOULDERS = Reason("show_shoulders", N_("Face the camera so we can see your shoulders"))
SHOW_ARMS = Reason("show_arms", N_("Keep both arms in the picture"))
SHOW_HIPS = Reason("show_hips", N_("Step back: we can't see your hips"))
SHOW_LEGS = Reason("show_legs", N_("Step back: we can't see your legs"))
TOO_LITTLE_VISIBLE = Reason("too_little_visible", N_("Step back so we can see more of you"))

ALL_REASONS: tuple[Reason, ...] = (
    NO_PERSON,
    SHOW_HEAD,
    SHOW_SHOULDERS,
    SHOW_ARMS,
    SHOW_HIPS,
    SHOW_LEGS,
    TOO_LITTLE_VISIBLE,
)

# The same reasons for a seated visitor (no legs are ever asked for then).
SEATED_REASONS: dict[str, Reason] = {
    reason.code: reason
    for reason in (
        Reason("show_head", N_("Move further from the camera so we can see your head")),
        Reason("show_hips", N_("Move further from the camera: we can't see your hips")),
        Reason("too_little_visible", N_("Move further from the camera so we can see more of you")),
    )
}


def for_seated(reason: Reason) -> Reason:
    """``reason`` in a seated visitor's words."""
    return SEATED_REASONS.get(reason.code, reason)
