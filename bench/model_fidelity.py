"""Could MoveNet's weights be uint8 instead of float16 (half the bytes)?
Measured on the recorded test frames (those of
tests/fixtures/keypoints/sports2d_demo.json: the test video, cropped and
scaled as the fake camera sees it), in Chromium, every model on the same
TF.js backend as the pinned float16 one:

* every keypoint's distance from the float16 model's, as a share of the
  frame's larger side (the bar: 2 %), over all keypoints and over those both
  models score at least the game's confidence floor;
* the weights' bytes, as stored and gzipped.

Variants (tools/quantize_model.py): every float tensor in uint8, and only the
tensors whose uint8 step stays under a share of their standard deviation
(the others stay float16).  The answer (docs/startup.md): no variant that
saves bytes worth having keeps the keypoints within the bar, so the game
keeps the float16 model.

    .venv/bin/python bench/model_fidelity.py
"""

from __future__ import annotations

import argparse
import base64
import datetime
import gzip
import json
import math
import sys
import tempfile
from pathlib import Path
from typing import Any

if __package__ in (None, ""):  # run as a script: make bench, server, tests, tools importable
    sys.path[:0] = [
        str(Path(__file__).resolve().parent.parent),
        str(Path(__file__).resolve().parent.parent / "web" / "py"),
    ]

from playwright.sync_api import sync_playwright

from bench.browser import BENCH_PAGE, launch, web_root
from bench.report import RESULTS_DIR
from bench.stats import summarize
from strike_a_pose.difficulty import PRESETS
from tests.e2e.packs import FIXTURE
from tools import quantize_model
from tools.fetch_test_media import demo_video
from tools.local_server import LocalServer
from tools.record_keypoints import CAMERA_SIZE, extract_frames

ROOT = Path(__file__).resolve().parent.parent
BAR = 0.02  # a keypoint may move this share of the frame's larger side

DETECT_JS = """
async ({ models, frames, backend }) => {
  const { tf, poseDetection } = globalThis;
  tf.wasm.setWasmPaths(new URL("vendor/tfjs-4.22.0/", location.href).href);
  await tf.setBackend(backend);
  await tf.ready();
  const out = {};
  for (const [name, url] of Object.entries(models)) {
    const detector = await poseDetection.createDetector(poseDetection.SupportedModels.MoveNet, {
      modelType: poseDetection.movenet.modelType.SINGLEPOSE_LIGHTNING,
      modelUrl: url, enableSmoothing: false,
    });
    out[name] = [];
    for (const dataUrl of frames) {
      const img = new Image();
      img.src = dataUrl;
      await img.decode();
      const poses = await detector.estimatePoses(img, { flipHorizontal: false });
      out[name].push(poses.length ? poses[0].keypoints.map((k) => [k.x, k.y, k.score]) : null);
    }
    detector.dispose();
  }
  return out;
}
"""


def detect(frames: list[Path], limits: dict[str, float | None]) -> dict[str, list[Any]]:
    """Keypoints of every frame by the float16 model and each uint8 variant, in Chromium."""
    data_urls = [
        "data:image/png;base64," + base64.b64encode(p.read_bytes()).decode() for p in frames
    ]
    with web_root() as root, sync_playwright() as playwright:
        models = {"float16": "models/movenet-lightning.json"}
        for name, limit in limits.items():
            quantize_model.write(root / "models", limit, target=f"variant-{name}")
            models[name] = f"models/variant-{name}.json"
        browser = launch(playwright)
        try:
            with LocalServer(root) as server:
                page = browser.new_page()
                page.goto(f"{server.url}/{BENCH_PAGE}")
                result: dict[str, list[Any]] = page.evaluate(
                    DETECT_JS, {"models": models, "frames": data_urls, "backend": "wasm"}
                )
                return result
        finally:
            browser.close()


def compare(float16: list[Any], uint8: list[Any], floor: float) -> dict[str, Any]:
    side = max(CAMERA_SIZE)
    every: list[float] = []
    confident: list[float] = []
    worst: dict[str, Any] = {}
    lost = 0  # frames where one model found the person and the other nobody
    for index, (a, b) in enumerate(zip(float16, uint8, strict=True)):
        if a is None or b is None:
            lost += (a is None) != (b is None)
            continue
        for joint, (p, q) in enumerate(zip(a, b, strict=True)):
            share = math.dist(p[:2], q[:2]) / side
            every.append(share)
            if min(p[2], q[2]) >= floor:
                confident.append(share)
            if share > worst.get("share", -1.0):
                worst = {"frame": index, "keypoint": joint, "share": round(share, 4)}
    return {
        "keypoints": len(every),
        "confident_keypoints": len(confident),
        "share_of_frame_all": summarize(every, digits=4),
        "share_of_frame_confident": summarize(confident, digits=4),
        "worst": worst,
        "frames_person_lost": lost,
        "all_within_bar": not lost and max(every, default=0.0) <= BAR,
        "confident_within_bar": not lost and max(confident, default=0.0) <= BAR,
        "bar": BAR,
    }


def weight_bytes(models: Path, name: str) -> dict[str, int]:
    raw = (models / f"{name}.bin").read_bytes()
    return {"bytes": len(raw), "gzip6": len(gzip.compress(raw, 6, mtime=0))}


# Variant name -> step limit (share of the tensor's standard deviation; None: every tensor).
LIMITS: dict[str, float | None] = {"all": None, "0.1": 0.1, "0.05": 0.05, "0.03": 0.03}


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.parse_args(argv)
    floor = PRESETS["normal"].confidence_floor
    with tempfile.TemporaryDirectory() as tmp:
        frames = extract_frames(demo_video(), Path(tmp))
        found = detect(frames, LIMITS)
        models = Path(tmp) / "models"
        models.mkdir()
        for name in ("movenet-lightning.json", "movenet-lightning.bin"):
            (models / name).write_bytes((ROOT / "web" / "models" / name).read_bytes())
        sizes = {"float16": weight_bytes(models, "movenet-lightning")}
        for name, limit in LIMITS.items():
            quantize_model.write(models, limit, target=f"variant-{name}")
            sizes[name] = weight_bytes(models, f"variant-{name}")
    recorded = [
        [[x, y, s] for x, y, s in f["keypoints"]] if f["keypoints"] else None
        for f in json.loads(FIXTURE.read_text(encoding="utf-8"))["frames"]
    ]
    variants = {}
    for name in LIMITS:
        variants[name] = {
            "step_limit": LIMITS[name],
            "weights": sizes[name],
            "gzip_saved_bytes": sizes["float16"]["gzip6"] - sizes[name]["gzip6"],
            **compare(found["float16"], found[name], floor),
        }
    result = {
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "frames": len(frames),
        "confidence_floor": floor,
        "float16_weights": sizes["float16"],
        "variants": variants,
        # The same frames, the same model: how far this run is from the recorded fixture.
        "float16_vs_recorded_fixture": compare(recorded, found["float16"], floor),
    }
    RESULTS_DIR.mkdir(parents=True, exist_ok=True)
    (RESULTS_DIR / "model-fidelity.json").write_text(json.dumps(result, indent=1) + "\n")
    header = ("uint8 variant", "gzip bytes saved", "keypoint shift median/p95/max", "within 2 %")
    print("| " + " | ".join(header) + " |")
    print("|---|---|---|---|")
    for name, v in variants.items():
        shift = v["share_of_frame_all"]
        moved = (
            f"{shift['median']} / {shift['p95']} / {shift['max']}"
            if shift["n"]
            else f"person lost in {v['frames_person_lost']} frames"
        )
        print(f"| {name} | {v['gzip_saved_bytes']:,} | {moved} | {v['all_within_bar']} |")
    print("float16 vs the recorded fixture:", result["float16_vs_recorded_fixture"]["worst"])
    return 0


if __name__ == "__main__":
    sys.exit(main())
