"""The curator page's entry point (js/python-loader.js runs it): level packs
are validated by the game core's own loader, so what the curator can export
the game can play; the play statistics kept on this device are read by the
core's own report (strike_a_pose/playstats_report.py) for the statistics view
and the advice."""

import json

from js import document, window  # type: ignore[import-not-found]
from pyodide.ffi import create_proxy  # type: ignore[import-not-found]

from strike_a_pose import KEYPOINT_NAMES, LIMB_NAMES, SKELETON_EDGES, parse_pack
from strike_a_pose.playstats_report import advice_json, csv_from_json, overview_json
from strike_a_pose.wording import PART_LABELS


def validate(text: str) -> str:
    """JSON list of {"where", "message"} for every problem (empty: valid)."""
    result = parse_pack(text)
    return json.dumps([{"where": p.where, "message": p.message} for p in result.problems])


window.validatePack = create_proxy(validate)
# Play statistics (js/stats/view.js, js/curator/advice.js): JSON text in and out.
window.statsOverview = create_proxy(overview_json)
window.statsCsv = create_proxy(csv_from_json)
window.statsAdvice = create_proxy(advice_json)
# The keypoint order, bones and judged limbs come from the core, never retyped in JS.
window.poseSchema = json.dumps(
    {
        "keypoints": list(KEYPOINT_NAMES),
        "bones": [[int(a), int(b)] for a, b in SKELETON_EDGES],
        "limbs": list(LIMB_NAMES),
        # English; the page shows them through the catalogues (js/i18n.js).
        "labels": PART_LABELS,
    }
)
document.body.dataset.python = "ready"
document.dispatchEvent(window.CustomEvent.new("python-ready"))
