"""JavaScript and Python agree on the keypoint layout they share.

web/js/keypoints.js names the numbers once for every JavaScript module (the
detector fills a Float32Array of that length, the overlay reads it);
web/py/strike_a_pose/keypoints.py is Python's definition.
"""

from __future__ import annotations

import re
from pathlib import Path

from strike_a_pose import keypoints

JS = Path(__file__).resolve().parents[2] / "web" / "js"


def js_constants(path: Path) -> dict[str, str]:
    """``export const NAME = expression;`` lines of a module."""
    text = path.read_text("utf-8")
    return dict(re.findall(r"^export const ([A-Z_]+) = ([^;]+);", text, re.M))


def test_keypoint_layout_matches_python() -> None:
    constants = js_constants(JS / "keypoints.js")
    assert int(constants["KEYPOINT_COUNT"]) == keypoints.NUM_KEYPOINTS == 17
    assert int(constants["VALUES_PER_KEYPOINT"]) == keypoints.VALUES_PER_KEYPOINT == 3
    assert constants["POSE_VALUES"] == "KEYPOINT_COUNT * VALUES_PER_KEYPOINT"
    assert keypoints.FLAT_POSE_LENGTH == 17 * 3


def test_the_game_modules_take_the_layout_from_keypoints_js() -> None:
    for name in ("detector.js", "skeleton.js"):
        text = (JS / name).read_text("utf-8")
        assert re.search(r'^import \{[^}]*\} from "\./keypoints\.js";', text, re.M), name
        # No retyped layout: the numbers appear only in keypoints.js.
        code = "\n".join(
            line for line in text.splitlines() if not line.lstrip().startswith(("//", "/*", "*"))
        )
        assert not re.search(r"\b(17|51)\b", code), f"{name} retypes the keypoint layout"
