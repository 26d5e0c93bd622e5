"""The pose pipeline (web/js/pose-pipeline.js) with a fake camera and a fake
detector, in Node: the detector gets a frame only when it is free, always
the newest on show (the frames in between are dropped, never queued), and
Python gets the results in order."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.unit.node_module import run_module

JS = Path(__file__).resolve().parents[2] / "web" / "js"

PIPELINE_SCRIPT = """
const [pipelineUrl] = process.argv.slice(2);
const { PosePipeline } = await import(pipelineUrl);
const settle = () => new Promise((resolve) => setTimeout(resolve, 0));

// A camera whose frames are numbered; a frame's capture time is its number.
const frames = {
  onFrame: null, presented: 0, taken: 0,
  start() {}, skipToNow() { this.taken = this.presented; },
  hasNewFrame() { return this.presented !== this.taken; },
  async take() {
    this.taken = this.presented;
    return { image: { close() {} }, t_ms: this.presented, width: 4, height: 3 };
  },
  present() { this.presented += 1; if (this.onFrame) this.onFrame(); },
};
// A detector that answers only when the test says so.
const asked = [];
const answers = new Map();
const detector = {
  takes: "transfer",
  estimate(frame) {
    asked.push(frame.t_ms);
    return new Promise((resolve) => answers.set(frame.t_ms, resolve));
  },
  answer(t) {
    const keypoints = new Float32Array(51);
    answers.get(t)({ keypoints, width: 4, height: 3, t_ms: t, inferenceMs: 1 });
  },
  reset() {}, dispose() {}, tensorCount: () => 0,
};
const pipeline = new PosePipeline(frames);
pipeline.setDetector(detector);
const log = {};
let got = pipeline.next(1000);
frames.present(); await settle();              // frame 1: the detector is free
frames.present(); await settle();              // frame 2 while 1 is analysed
frames.present(); await settle();              // frame 3 as well
log.askedWhileBusy = [...asked];
detector.answer(1); await settle();
log.first = (await got).t_ms;
got = pipeline.next(1000);
await settle();
log.askedAfterFirst = [...asked];
detector.answer(asked[asked.length - 1]);
await settle();
log.second = (await got).t_ms;
console.log(JSON.stringify(log));
"""


def test_the_detector_gets_the_newest_frame_when_free() -> None:
    log: dict[str, Any] = run_module(PIPELINE_SCRIPT, (JS / "pose-pipeline.js").as_uri())
    assert log["askedWhileBusy"] == [1]  # frames 2 and 3 came while 1 was analysed
    assert log["first"] == 1
    # Once free, it takes the newest frame on show (3), not the one in between.
    assert log["askedAfterFirst"] == [1, 3]
    assert log["second"] == 3
