// @ts-check
// What the debug panel and the benchmarks read from the running game
// (figures), and what the test hooks read (test-hooks.js, behind ?test=1):
// the view Python showed last and the last pose that reached Python. Python
// hands over a function that encodes these as JSON only when asked: nothing
// is encoded per frame.

/** @typedef {(what: "view" | "pose") => string} ViewSource */

export class Probe {
  constructor() {
    /** @type {ViewSource | null} */
    this.viewSource = null;
    /** Python's own work on the latest camera frame, ms (see Bridge.publishView). */
    this.frameWorkMs = 0;
  }

  /** The game view as last shown (GameState.to_view(), JSON), or "null". */
  get lastView() {
    return this.viewSource ? this.viewSource("view") : "null";
  }

  /** The last pose that reached Python, [[x, y, score], ...] as JSON, or "null". */
  get lastPose() {
    return this.viewSource ? this.viewSource("pose") : "null";
  }
}

/**
 * Figures for the debug panel and the benchmarks.
 * @typedef {object} Stats
 * @property {string} backend the TF.js backend, "" before the model loads
 * @property {string} detector "worker" or "main", "" before the model loads
 * @property {number} threads wasm threads
 * @property {string} measured ms per frame per backend tried, as JSON
 * @property {number} fps analysed frames per second, recently
 * @property {number} inference_ms the detector's time on the latest frame
 * @property {number} python_ms Python's own work on the latest frame
 * @property {number} tensors live TF.js tensors where the model runs (the worker's, there)
 */

/** @param {Record<string, number>} measured ms per backend, to 0.1 ms */
function roundedMs(measured) {
  return Object.fromEntries(Object.entries(measured).map(([name, ms]) => [name, Math.round(ms * 10) / 10]));
}

/**
 * @param {import("./detector-client.js").DetectorClient | null} detector
 * @param {import("./pose-pipeline.js").PosePipeline} pipeline
 * @param {Probe} probe
 * @returns {Stats}
 */
export function collectStats(detector, pipeline, probe) {
  return {
    backend: detector ? detector.backend : "",
    detector: detector ? detector.where : "",
    threads: detector ? detector.threads : 0,
    measured: detector ? JSON.stringify(roundedMs(detector.measuredMs)) : "{}",
    fps: pipeline.rate(),
    inference_ms: pipeline.inferenceMs,
    python_ms: probe.frameWorkMs,
    tensors: detector ? detector.tensorCount() : 0,
  };
}
