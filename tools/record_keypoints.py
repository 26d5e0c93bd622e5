"""Record real MoveNet keypoints from the test video, as fixtures for the core.

Runs the game's own detector (web/js/detector.js, MoveNet Lightning on
TF.js) in headless Chromium on frames of the sports2d demo video, cropped and
scaled exactly as the fake camera of the browser tests sees it, and writes
``tests/fixtures/keypoints/sports2d_demo.json``.  Frames near the moments
described in ``../shared/TEST_MEDIA.md`` get a pose label.

Usage: ``.venv/bin/python tools/record_keypoints.py`` (after
``tools/fetch_assets.py`` and ``tools/fetch_test_media.py``).
"""

from __future__ import annotations

import base64
import json
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from tools.chromium import CHROMIUM, CHROMIUM_ARGS  # noqa: E402
from tools.fetch_test_media import CAMERA_SIZE, VISITOR_CROP, demo_video  # noqa: E402
from tools.ffmpeg import ffmpeg  # noqa: E402
from tools.local_server import LocalServer  # noqa: E402

OUT = ROOT / "tests" / "fixtures" / "keypoints" / "sports2d_demo.json"
FPS = 15  # the fake camera's rate
DURATION_S = 3.3  # after this the man turns sideways and walks away
LABEL_WINDOW_MS = 40  # a frame this close to a described moment gets its label

# Moments of the video (seconds) and what the man on the box does then.
MOMENTS: list[tuple[float, str]] = [
    (0.07, "arms_down"),
    (0.53, "t_pose"),
    (0.80, "arms_up_bent"),
    (1.07, "t_pose"),
    (1.33, "arms_down"),
    (1.93, "arms_up"),
    (2.40, "arms_45_down"),
    (2.93, "arms_down"),
]


def extract_frames(video: Path, folder: Path) -> list[Path]:
    x, y, w, h = VISITOR_CROP
    cw, ch = CAMERA_SIZE
    ffmpeg(
        [
            "-i",
            str(video),
            "-t",
            str(DURATION_S),
            "-vf",
            f"crop={w}:{h}:{x}:{y},scale={cw}:{ch},fps={FPS}",
            str(folder / "f%04d.png"),
        ]
    )
    return sorted(folder.glob("f*.png"))


def label_for(t_ms: float) -> str | None:
    for seconds, label in MOMENTS:
        if abs(seconds * 1000 - t_ms) <= LABEL_WINDOW_MS:
            return label
    return None


DETECT_JS = """
async (dataUrl) => {
  const img = new Image();
  img.src = dataUrl;
  await img.decode();
  const values = await globalThis.poseBridge.detector.estimate(img);
  return values ? Array.from(values) : null;
}
"""


def main() -> int:
    from playwright.sync_api import sync_playwright

    server = LocalServer(ROOT / "web")
    url = f"{server.url}/index.html"
    frames_out = []
    with tempfile.TemporaryDirectory() as tmp, sync_playwright() as pw:
        paths = extract_frames(demo_video(), Path(tmp))
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=list(CHROMIUM_ARGS))
        page = browser.new_page()
        page.goto(url)
        page.wait_for_selector("#stage-model[data-status=done]", state="attached", timeout=60000)
        backend = page.evaluate("() => globalThis.poseBridge.detector.backend")
        for index, path in enumerate(paths):
            data_url = "data:image/png;base64," + base64.b64encode(path.read_bytes()).decode()
            values = page.evaluate(DETECT_JS, data_url)
            t_ms = round(index * 1000 / FPS, 1)
            keypoints = (
                [
                    [round(values[i], 2), round(values[i + 1], 2), round(values[i + 2], 4)]
                    for i in range(0, 51, 3)
                ]
                if values
                else None
            )
            frames_out.append(
                {
                    "t_ms": t_ms,
                    "label": label_for(t_ms),
                    "width": CAMERA_SIZE[0],
                    "height": CAMERA_SIZE[1],
                    "keypoints": keypoints,
                }
            )
        browser.close()
    server.stop()
    OUT.parent.mkdir(parents=True, exist_ok=True)
    document = {
        "source": "sports2d==0.8.34 Sports2D/Demo/demo.mp4 (BSD-3-Clause), the man on the box, "
        f"crop {VISITOR_CROP} scaled to {CAMERA_SIZE} at {FPS} fps, frames in sequence",
        "detector": f"MoveNet SinglePose Lightning v4 (TF.js, {backend} backend), "
        "keypoints [x, y, score] in pixels of the unmirrored frame, COCO order",
        "frames": frames_out,
    }
    OUT.write_text(json.dumps(document, indent=1) + "\n", encoding="utf-8")
    labelled = sum(1 for f in frames_out if f["label"])
    print(f"wrote {OUT.relative_to(ROOT)}: {len(frames_out)} frames, {labelled} labelled")
    return 0


if __name__ == "__main__":
    sys.exit(main())
