"""The pose pipeline (web/js/pose-pipeline.js) with a fake camera and a fake
detector, in Node: the worker detector gets every new frame even while it
is busy (it keeps the newest one itself), the main-thread detector only one
at a time; Python gets results in order, at most one frame old. And the
souvenir's keeper (web/js/souvenir/keeper.js) forgets frames whose
detection never comes back."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from tests.unit.node_module import run_module

JS = Path(__file__).resolve().parents[2] / "web" / "js"

PIPELINE_SCRIPT = """
const [pipelineUrl, holdsNewest] = process.argv.slice(2);
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
  holdsNewest: holdsNewest === "true", takes: "transfer",
  estimate(frame) {
    asked.push(frame.t_ms);
    return new Promise((resolve) => answers.set(frame.t_ms, resolve));
  },
  answer(t, found = true) {
    const keypoints = new Float32Array(51);
    answers.get(t)(found ? { keypoints, width: 4, height: 3, t_ms: t, inferenceMs: 1 } : null);
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
if (detector.holdsNewest) {
  detector.answer(2, false);                   // the worker replaced 2 by 3: dropped
  await settle();
  detector.answer(3);
} else {
  detector.answer(asked[asked.length - 1]);
}
await settle();
log.second = (await got).t_ms;
console.log(JSON.stringify(log));
"""


def run_pipeline(holds_newest: bool) -> dict[str, Any]:
    result: dict[str, Any] = run_module(
        PIPELINE_SCRIPT, (JS / "pose-pipeline.js").as_uri(), str(holds_newest).lower()
    )
    return result


def test_the_worker_detector_is_given_every_new_frame_while_busy() -> None:
    log = run_pipeline(holds_newest=True)
    assert log["askedWhileBusy"] == [1, 2, 3]
    assert log["first"] == 1
    # Frame 2 was dropped in the worker for frame 3: Python gets 3 next.
    assert log["second"] == 3


def test_the_main_thread_detector_gets_a_frame_only_when_free() -> None:
    log = run_pipeline(holds_newest=False)
    assert log["askedWhileBusy"] == [1]
    assert log["first"] == 1
    # Once free, it takes the newest frame on show, not the ones in between.
    assert log["askedAfterFirst"] == [1, 3]
    assert log["second"] == 3


KEEPER_SCRIPT = """
const [keeperUrl] = process.argv.slice(2);
const { MomentKeeper } = await import(keeperUrl);
const keeper = new MomentKeeper(() => { throw new Error("no photos in this test"); });
keeper.begin(false);
for (const t of [10, 20, 30, 40]) keeper.capture(null, 4, 3, t);
keeper.pose(30, new Float32Array(51));   // 10 and 20 never came back: dropped
const afterFirst = keeper.ring.map((frame) => [frame.t_ms, frame.analysed]);
keeper.pose(40, null);                   // nobody seen in 40: still analysed
keeper.pose(20, new Float32Array(51));   // too late: no longer held
const afterSecond = keeper.ring.map((f) => [f.t_ms, f.analysed, f.keypoints !== null]);
console.log(JSON.stringify({ afterFirst, afterSecond }));
"""


def test_the_keeper_forgets_frames_whose_detection_never_comes() -> None:
    result = run_module(KEEPER_SCRIPT, (JS / "souvenir" / "keeper.js").as_uri())
    assert result["afterFirst"] == [[30, True], [40, False]]
    assert result["afterSecond"] == [[30, True, True], [40, True, False]]
