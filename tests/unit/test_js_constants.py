"""JavaScript takes the facts it shares with Python from one module.

web/js/constants.js is generated from the Python definitions by
tools/js_constants.py: the committed file must be current, its values must be
Python's (read back by Node, as the browser reads them), and no other
JavaScript file may retype them.  Every module is type-checked (tsc, run by
scripts/test.sh), which needs ``// @ts-check`` at its top.
"""

from __future__ import annotations

import json
import re
from pathlib import Path

from shell import i18n, options
from strike_a_pose import keypoints, packformat
from tests.unit.node_module import run_module
from tools import js_constants

WEB = Path(__file__).resolve().parents[2] / "web"
JS = WEB / "js"
CONSTANTS = JS / "constants.js"


def our_scripts() -> list[Path]:
    """Every JavaScript file of ours that the browser runs (not the vendored ones)."""
    return sorted([*JS.rglob("*.js"), WEB / "sw.js"])


def code_of(path: Path) -> str:
    """A script without its comments (line and JSDoc), for looking at its code only."""
    text = path.read_text("utf-8")
    text = re.sub(r"/\*.*?\*/", "", text, flags=re.S)
    return "\n".join(re.sub(r"(^|\s)//.*$", "", line) for line in text.splitlines())


def test_the_committed_constants_are_current() -> None:
    assert CONSTANTS.read_text("utf-8") == js_constants.render(), (
        "web/js/constants.js is stale: run python3 tools/js_constants.py"
    )
    assert js_constants.main(["--check"]) == 0


def test_javascript_reads_pythons_values() -> None:
    script = f"import * as c from {json.dumps(CONSTANTS.as_uri())}; console.log(JSON.stringify(c));"
    values = run_module(script)
    assert values == {
        "KEYPOINT_COUNT": keypoints.NUM_KEYPOINTS,
        "VALUES_PER_KEYPOINT": keypoints.VALUES_PER_KEYPOINT,
        "POSE_VALUES": keypoints.FLAT_POSE_LENGTH,
        "MAX_IMAGE_BYTES": packformat.MAX_IMAGE_BYTES,
        "MAX_IMAGE_SIDE": packformat.MAX_IMAGE_SIDE,
        "MAX_IMAGE_PIXELS": packformat.MAX_IMAGE_PIXELS,
        "SOURCE_LANGUAGE": i18n.SOURCE_LANGUAGE,
        "SOURCE_LANGUAGE_ENTRY": {"code": "en", "name": "English", "dir": "ltr"},
        "OFF_WORDS": list(options.OFF_WORDS),
        "LANGUAGE_TAG": options.LANGUAGE.pattern,
    }
    assert (keypoints.NUM_KEYPOINTS, keypoints.VALUES_PER_KEYPOINT) == (17, 3)
    assert i18n.ENGLISH.code == i18n.SOURCE_LANGUAGE


def test_a_stale_file_is_rewritten_and_a_current_one_left_alone(tmp_path: Path) -> None:
    target = tmp_path / "constants.js"
    target.write_text("export const KEYPOINT_COUNT = 18;\n", encoding="utf-8")
    assert js_constants.write(target) is True
    assert target.read_text("utf-8") == js_constants.render()
    assert js_constants.write(target) is False


def test_no_script_retypes_a_shared_fact() -> None:
    retyped = re.compile(
        r"\b(17|51|8192|16384|8388608)\b|40_?000_?000|8 \* 1024 \* 1024"
        r"|\"English\"|\[a-z\]\{2,3\}"
    )
    for path in our_scripts():
        if path == CONSTANTS:
            continue
        found = retyped.search(code_of(path))
        assert found is None, (
            f"{path.relative_to(WEB)} retypes {found.group(0)!r}: use constants.js"
        )


def test_the_modules_that_use_the_keypoint_layout_import_it() -> None:
    for name in ("detector.js", "skeleton.js", "curator/app.js", "curator/pose-editor.js"):
        text = (JS / name).read_text("utf-8")
        assert re.search(r'^import \{[^}]*\} from "\.\.?/constants\.js";', text, re.M), name


def test_every_script_is_type_checked() -> None:
    for path in our_scripts():
        first = path.read_text("utf-8").splitlines()[0]
        assert first == "// @ts-check", f"{path.relative_to(WEB)} lacks // @ts-check"
