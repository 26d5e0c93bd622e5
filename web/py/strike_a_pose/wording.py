"""The core's visitor-facing English, marked for translation (pure).

Hints and framing reasons are English sentences here; the shell shows them
through the gettext catalogues (shell/i18n.py), with the English sentence as
the message.  ``N_`` only marks a sentence for tools/messages.py (Babel finds
the calls): it returns its argument unchanged.
"""

from __future__ import annotations


def N_(message: str) -> str:
    """Mark ``message`` for the translation catalogues; return it unchanged."""
    return message


# What the curator page calls each keypoint and limb (keypoints.KEYPOINT_NAMES
# and LIMB_NAMES; a unit test checks that every one has its words).
PART_LABELS: dict[str, str] = {
    "nose": N_("nose"),
    "left_eye": N_("left eye"),
    "right_eye": N_("right eye"),
    "left_ear": N_("left ear"),
    "right_ear": N_("right ear"),
    "left_shoulder": N_("left shoulder"),
    "right_shoulder": N_("right shoulder"),
    "left_elbow": N_("left elbow"),
    "right_elbow": N_("right elbow"),
    "left_wrist": N_("left wrist"),
    "right_wrist": N_("right wrist"),
    "left_hip": N_("left hip"),
    "right_hip": N_("right hip"),
    "left_knee": N_("left knee"),
    "right_knee": N_("right knee"),
    "left_ankle": N_("left ankle"),
    "right_ankle": N_("right ankle"),
    "torso": N_("torso"),
    "left_upper_arm": N_("left upper arm"),
    "right_upper_arm": N_("right upper arm"),
    "left_forearm": N_("left forearm"),
    "right_forearm": N_("right forearm"),
    "left_thigh": N_("left thigh"),
    "right_thigh": N_("right thigh"),
    "left_shin": N_("left shin"),
    "right_shin": N_("right shin"),
}
