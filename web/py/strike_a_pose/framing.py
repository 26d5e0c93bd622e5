"""Is enough of the visitor in the picture to start playing?

Full body: shoulders, elbows, wrists, hips, knees and ankles (both sides);
the face is not required (hair, masks and hats fool the model, and no artwork
is judged on it).  Upper body (a seated visitor, or a game whose levels show
only the upper body): the head (any one point of the face is enough),
shoulders, elbows, wrists and hips; legs are never asked for.  A seated
visitor gets the reasons in their own words (reasons.for_seated).
"""

from __future__ import annotations

from . import reasons
from .keypoints import ARMS, HEAD, HIPS, LEGS, SHOULDERS, Pose
from .reasons import Reason


def framing_problem(
    pose: Pose | None, confidence_floor: float, upper_body_only: bool, seated: bool = False
) -> Reason | None:
    """Why the visitor is not framed yet, or None when they are.

    Checked from the top of the body down, so the message names the first
    thing to fix.  ``seated`` words the reason for a seated visitor.
    """
    problem = _problem(pose, confidence_floor, upper_body_only)
    if problem is not None and seated:
        return reasons.for_seated(problem)
    return problem


def _problem(pose: Pose | None, confidence_floor: float, upper_body_only: bool) -> Reason | None:
    if pose is None:
        return reasons.NO_PERSON
    # Plain floats: numpy calls on 17 scores cost more than the comparisons.
    scores: list[float] = pose[:, 2].tolist()

    def all_seen(indices: tuple[int, ...]) -> bool:
        return all(scores[i] >= confidence_floor for i in indices)

    if not any(score >= confidence_floor for score in scores):
        return reasons.NO_PERSON
    if upper_body_only and not any(scores[i] >= confidence_floor for i in HEAD):
        return reasons.SHOW_HEAD
    if not all_seen(SHOULDERS):
        return reasons.SHOW_SHOULDERS
    if not all_seen(ARMS):
        return reasons.SHOW_ARMS
    if not all_seen(HIPS):
        return reasons.SHOW_HIPS
    if upper_body_only:
        return None
    if not all_seen(LEGS):
        return reasons.SHOW_LEGS
    return None
