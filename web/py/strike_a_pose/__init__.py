"""Strike a Pose: the game's pure core (no browser, no clock, no randomness).

Coordinates: x right, y down, pixels of the unmirrored camera image; left and
right are the person's own (see keypoints.py).  Entry points for the shell:
:func:`parse_pack`, :func:`new_game`, :func:`step` and ``GameState.to_view``.
"""

from .difficulty import CHILD, HARD, NORMAL, PRESETS, Difficulty, get_difficulty, upper_body
from .events import (
    Event,
    Next,
    NoPerson,
    PlayAgain,
    PoseSeen,
    Reset,
    SetSeated,
    Skip,
    Start,
    Tick,
)
from .framing import framing_problem
from .game import (
    GameConfig,
    GameState,
    IllegalTransition,
    Phase,
    game_order,
    new_game,
    plays_seated,
    step,
)
from .keypoints import (
    KEYPOINT_INDEX,
    KEYPOINT_NAMES,
    LIMB_NAMES,
    LIMBS,
    MIRROR_PERMUTATION,
    SKELETON_EDGES,
    Limb,
    Pose,
    PoseError,
    check_pose,
    mirror_pose,
    pose_from_flat,
)
from .levelpack import Level, LevelPack, LevelText, LoadResult, Problem, load_pack, parse_pack
from .normalize import BodyFrame, NoBodyFrame, body_frame
from .reading import ReadingRules, reading_ms
from .reasons import Reason
from .scoring import level_points
from .similarity import LimbResult, MatchResult, MatchSettings, match_pose, settings_for
from .temporal import HoldTracker, SmoothedPose, smooth_pose
from .verdicts import Hint, choose_hint, limb_verdict, limb_verdicts

__all__ = [
    "CHILD",
    "HARD",
    "KEYPOINT_INDEX",
    "KEYPOINT_NAMES",
    "LIMBS",
    "LIMB_NAMES",
    "MIRROR_PERMUTATION",
    "NORMAL",
    "PRESETS",
    "SKELETON_EDGES",
    "BodyFrame",
    "Difficulty",
    "Event",
    "GameConfig",
    "GameState",
    "Hint",
    "HoldTracker",
    "IllegalTransition",
    "Level",
    "LevelPack",
    "LevelText",
    "Limb",
    "LimbResult",
    "LoadResult",
    "MatchResult",
    "MatchSettings",
    "Next",
    "NoBodyFrame",
    "NoPerson",
    "Phase",
    "PlayAgain",
    "Pose",
    "PoseError",
    "PoseSeen",
    "Problem",
    "ReadingRules",
    "Reason",
    "Reset",
    "SetSeated",
    "Skip",
    "SmoothedPose",
    "Start",
    "Tick",
    "body_frame",
    "check_pose",
    "choose_hint",
    "framing_problem",
    "game_order",
    "get_difficulty",
    "level_points",
    "limb_verdict",
    "limb_verdicts",
    "load_pack",
    "match_pose",
    "mirror_pose",
    "new_game",
    "parse_pack",
    "plays_seated",
    "pose_from_flat",
    "reading_ms",
    "settings_for",
    "smooth_pose",
    "step",
    "upper_body",
]
