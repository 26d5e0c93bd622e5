// @ts-check
// Camera frames through the detector to Python, pipelined: while Python
// handles frame n, the detector already analyses frame n+1.
//
// At most one frame is with the detector and at most one result waits for
// Python. The detector always takes the newest frame on show, and a newer
// result replaces one Python has not taken yet: a result is at most one
// frame old when Python gets it, and stale frames are dropped, never queued.
// The detector keeps going while Python takes results; once Python has not
// asked for IDLE_AFTER_MS (a screen without the camera), it stops after one
// more result. With the main-thread detector the same rules hold; inference
// then simply cannot overlap Python.

import { discardImage } from "./frame-source.js";

/** @typedef {import("./frame-source.js").FrameSource} FrameSource */
/** @typedef {import("./detector-client.js").DetectorClient} DetectorClient */
/** @typedef {import("./detector-client.js").Detection} Detection */

/**
 * What Python gets from poseBridge.nextFrame().
 * @typedef {{kind: "pose", keypoints: Float32Array, width: number, height: number, t_ms: number}
 *   | {kind: "none", width: number, height: number, t_ms: number}
 *   | {kind: "timeout", t_ms: number}
 *   | {kind: "wake", t_ms: number}
 *   | {kind: "error", code: string, message: string, t_ms: number}} Frame
 */

const RATE_WINDOW = 30; // analysed frames the frames-per-second figure is taken over
// Python asks for a frame every few ms while it plays; this long without a
// request means it is elsewhere, and the detector rests.
const IDLE_AFTER_MS = 1000;

/** @param {unknown} error */
function failure(error) {
  const code = error && typeof error === "object" && "code" in error ? String(error.code) : "model-failed";
  const message = String(error instanceof Error ? error.message : error);
  return /** @type {Frame} */ ({ kind: "error", code, message, t_ms: performance.now() });
}

export class PosePipeline {
  /** @param {FrameSource} frames */
  constructor(frames) {
    this.frames = frames;
    /** @type {DetectorClient | null} */
    this.detector = null;
    /** Bumped by reset(): work begun before it is dropped. */
    this.epoch = 0;
    /** Whether Python is taking frames (from its first nextFrame until reset()). */
    this.active = false;
    /** performance.now() of Python's latest next(). */
    this.askedAt = 0;
    this.inFlight = false;
    /** The result Python has not taken yet. @type {Frame | null} */
    this.ready = null;
    /** Python's pending next(), if any. @type {{resolve: (frame: Frame) => void, expired: boolean} | null} */
    this.waiter = null;
    /** Milliseconds the detector spent on the latest frame. */
    this.inferenceMs = 0;
    /** performance.now() of recent results, for frames per second. @type {number[]} */
    this.resultTimes = [];
    frames.onFrame = () => this.#pump();
  }

  /** Use this detector from now on (after a restart, the new one). @param {DetectorClient} detector */
  setDetector(detector) {
    this.reset();
    this.detector = detector;
  }

  /**
   * The next analysed frame: {kind: "timeout"} when no camera frame came for
   * timeoutMs (a frame being analysed is always waited for: the detector's
   * own timeout bounds that), {kind: "wake"} when wake() came first.
   * @param {number} timeoutMs
   * @returns {Promise<Frame>}
   */
  next(timeoutMs) {
    this.active = true;
    this.askedAt = performance.now();
    this.frames.start();
    if (this.ready) {
      const frame = this.ready;
      this.ready = null;
      this.#pump();
      return Promise.resolve(frame);
    }
    this.#finishWaiter({ kind: "wake", t_ms: performance.now() }); // one caller at a time
    return new Promise((resolve) => {
      const waiter = { resolve, expired: false };
      this.waiter = waiter;
      setTimeout(() => {
        if (this.waiter !== waiter) return;
        if (this.inFlight) waiter.expired = true; // answered by the frame being analysed
        else this.#finishWaiter({ kind: "timeout", t_ms: performance.now() });
      }, timeoutMs);
      this.#pump();
    });
  }

  /** Answer a pending next() at once with {kind: "wake"} (a button was pressed). */
  wake() {
    this.#finishWaiter({ kind: "wake", t_ms: performance.now() });
  }

  /** Drop everything in flight or waiting; idle until the next next(). */
  reset() {
    this.epoch += 1;
    this.active = false;
    this.ready = null;
    this.frames.skipToNow();
    if (this.detector) this.detector.reset();
    this.#finishWaiter({ kind: "timeout", t_ms: performance.now() });
  }

  /** Frames per second over the recent results. */
  rate() {
    const times = this.resultTimes;
    const span = times.length > 1 ? times[times.length - 1] - times[0] : 0;
    return span > 0 ? ((times.length - 1) * 1000) / span : 0;
  }

  /** @param {Frame} frame */
  #finishWaiter(frame) {
    const waiter = this.waiter;
    this.waiter = null;
    if (waiter) waiter.resolve(frame);
  }

  /** Give the detector the newest frame, if it is free and Python is taking results. */
  #pump() {
    if (!this.active || this.inFlight || !this.detector) return;
    if (this.ready && performance.now() - this.askedAt > IDLE_AFTER_MS) return; // Python is elsewhere
    if (!this.frames.hasNewFrame()) return; // FrameSource calls again on the next frame
    this.#analyse(this.detector);
  }

  /** @param {DetectorClient} detector */
  async #analyse(detector) {
    this.inFlight = true;
    const epoch = this.epoch;
    /** @type {Frame | null} */
    let frame = null;
    try {
      const captured = await this.frames.take(detector.takes);
      if (captured && epoch !== this.epoch) discardImage(captured.image);
      else if (captured) frame = this.#toFrame(await detector.estimate(captured));
    } catch (error) {
      frame = failure(error);
    }
    this.inFlight = false;
    if (frame && epoch === this.epoch) {
      if (this.waiter) this.#finishWaiter(frame);
      else this.ready = frame; // a result Python did not take yet is stale now: dropped
    } else if (this.waiter && this.waiter.expired) {
      this.#finishWaiter({ kind: "timeout", t_ms: performance.now() });
    }
    this.#pump();
  }

  /** @param {Detection | null} detection @returns {Frame | null} */
  #toFrame(detection) {
    if (!detection) return null; // dropped by a reset
    this.inferenceMs = detection.inferenceMs;
    this.resultTimes.push(performance.now());
    if (this.resultTimes.length > RATE_WINDOW) this.resultTimes.shift();
    const { keypoints, width, height, t_ms } = detection;
    if (!keypoints) return { kind: "none", width, height, t_ms };
    return { kind: "pose", keypoints, width, height, t_ms };
  }
}
