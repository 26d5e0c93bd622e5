// @ts-check
// The page's side of the pose detector: one interface, two implementations.
//
// - WorkerDetector: MoveNet in a dedicated module worker (detector-worker.js).
//   Frames are transferred to it (VideoFrame or ImageBitmap); it answers with
//   a transferred Float32Array of keypoints. The main thread keeps Python, the
//   DOM and the overlay only. Where the page is cross-origin isolated, TF.js
//   runs wasm threads inside the worker.
// - MainThreadDetector: the same detector (detector.js) on the main thread,
//   for browsers without module workers, OffscreenCanvas or transferable
//   frames, and for ?detector=main.
//
// Like pose-detection's own detectors, each owns reset() (forget frames in
// flight: their results are dropped) and dispose() (free the model, end the
// worker). createDetectorClient chooses: "worker", "main", or "auto" (the
// worker where the browser can run it, else the main thread).

import { createPoseDetector, DetectorError, PoseDetector, wasmThreadsFor } from "./detector.js";

/** @typedef {import("./frame-source.js").CapturedFrame} CapturedFrame */

/**
 * What the detector found in one frame.
 * @typedef {object} Detection
 * @property {Float32Array | null} keypoints 17 x 3 values (constants.js), or null: nobody in view
 * @property {number} width the frame's size in pixels
 * @property {number} height
 * @property {number} t_ms the frame's capture time, as taken (frame-source.js)
 * @property {number} inferenceMs time the detector spent on it
 */

/**
 * The interface both detectors offer.
 * @typedef {object} DetectorClient
 * @property {"worker" | "main"} where where MoveNet runs
 * @property {"transfer" | "element"} takes the frame form it wants (FrameSource.take)
 * @property {string} backend the TF.js backend, e.g. "wasm"
 * @property {Record<string, number>} measuredMs per backend tried at start-up, ms per frame
 * @property {number} threads wasm threads in use (1 when not cross-origin isolated)
 * @property {(frame: CapturedFrame) => Promise<Detection | null>} estimate the pose in a
 *   frame; null when reset() came meanwhile; rejects with a DetectorError when the
 *   detector fails, crashes or stops answering
 * @property {() => number} tensorCount live TF.js tensors, as last reported
 * @property {() => void} reset drop the results of frames in flight
 * @property {() => void} dispose free the model (and end the worker); the client is then unusable
 */

const WORKER_URL = new URL("./detector-worker.js", import.meta.url);
// The worker must answer a frame within this long, or it counts as failed
// (a crashed or terminated worker sends nothing at all). MoveNet takes
// 20-250 ms a frame from a fast laptop to a slow phone.
export const WORKER_TIMEOUT_MS = 5000;
// Classic scripts the main-thread detector needs (the worker imports its own).
const TFJS_SCRIPTS = [
  "../vendor/tfjs-4.22.0/tf.min.js",
  "../vendor/tfjs-4.22.0/tf-backend-wasm.min.js",
  "../vendor/pose-detection-2.1.3/pose-detection.min.js",
].map((path) => new URL(path, import.meta.url).href);

/** Whether this browser can run the detector worker and hand it frames. */
export function workerSupported() {
  return (
    typeof Worker === "function" &&
    typeof OffscreenCanvas === "function" &&
    (typeof VideoFrame === "function" || typeof createImageBitmap === "function")
  );
}

/** @param {unknown} error */
function messageOf(error) {
  return String(error instanceof Error ? error.message : error);
}

export class WorkerDetector {
  /**
   * Start the worker and load MoveNet in it.
   * @param {string} backend "auto" or a backend to force
   * @param {number} threads wasm threads to ask for
   * @returns {Promise<WorkerDetector>}
   */
  static create(backend, threads) {
    return new Promise((resolve, reject) => {
      let worker;
      try {
        worker = new Worker(WORKER_URL, { type: "module" });
      } catch (error) {
        reject(new DetectorError("model-failed", `the detector worker did not start: ${messageOf(error)}`));
        return;
      }
      /** @param {ErrorEvent} event */
      const onError = (event) => {
        event.preventDefault();
        worker.terminate();
        reject(new DetectorError("model-failed", `the detector worker failed to start: ${event.message || "error"}`));
      };
      /** @param {MessageEvent} event */
      const onMessage = (event) => {
        const message = event.data;
        worker.removeEventListener("error", onError);
        worker.removeEventListener("message", onMessage);
        if (message.type === "loaded") {
          resolve(new WorkerDetector(worker, message));
        } else {
          worker.terminate();
          reject(new DetectorError(message.code || "model-failed", message.message || "the model did not load"));
        }
      };
      worker.addEventListener("error", onError);
      worker.addEventListener("message", onMessage);
      worker.postMessage({ type: "load", backend, threads });
    });
  }

  /**
   * @param {Worker} worker a worker that has loaded the model
   * @param {{backend: string, measuredMs: Record<string, number>, threads: number, tensors: number}} loaded
   */
  constructor(worker, loaded) {
    this.worker = worker;
    /** @type {"worker"} */
    this.where = "worker";
    /** @type {"transfer"} */
    this.takes = "transfer";
    this.backend = loaded.backend;
    this.measuredMs = loaded.measuredMs;
    this.threads = loaded.threads;
    this.tensors = loaded.tensors;
    this.nextId = 1;
    /** @type {Map<number, {resolve: (d: Detection | null) => void, reject: (e: Error) => void, t_ms: number, timer: ReturnType<typeof setTimeout>}>} */
    this.pending = new Map();
    /** Why the worker is unusable (it crashed, stopped answering or was disposed), or null. @type {DetectorError | null} */
    this.broken = null;
    worker.addEventListener("message", (event) => this.#answer(event.data));
    worker.addEventListener("error", (event) => {
      event.preventDefault();
      this.#fail(`the detector worker crashed: ${event.message || "error"}`);
    });
    worker.addEventListener("messageerror", () => this.#fail("the detector worker sent an unreadable message"));
  }

  /** @param {CapturedFrame} frame */
  estimate(frame) {
    const image = /** @type {VideoFrame | ImageBitmap} */ (frame.image);
    if (this.broken) {
      image.close();
      return Promise.reject(this.broken);
    }
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      const timer = setTimeout(
        () => this.#fail(`the detector worker did not answer within ${WORKER_TIMEOUT_MS / 1000} s`),
        WORKER_TIMEOUT_MS,
      );
      this.pending.set(id, { resolve, reject, t_ms: frame.t_ms, timer });
      try {
        this.worker.postMessage({ type: "estimate", id, frame: image }, [image]);
      } catch (error) {
        this.#fail(`a frame could not be sent to the detector worker: ${messageOf(error)}`);
      }
    });
  }

  /** @param {any} message */
  #answer(message) {
    const request = this.pending.get(message.id);
    if (!request) return; // dropped by reset()
    this.pending.delete(message.id);
    clearTimeout(request.timer);
    if (message.type === "pose") {
      this.tensors = message.tensors;
      request.resolve({
        keypoints: message.keypoints,
        width: message.width,
        height: message.height,
        t_ms: request.t_ms,
        inferenceMs: message.inferenceMs,
      });
    } else {
      request.reject(new DetectorError("model-failed", message.message || "the detector failed"));
    }
  }

  /** The worker is gone or hung: every request fails now and later. @param {string} why */
  #fail(why) {
    if (!this.broken) {
      this.broken = new DetectorError("model-failed", why);
      this.worker.terminate();
    }
    for (const request of this.pending.values()) {
      clearTimeout(request.timer);
      request.reject(this.broken);
    }
    this.pending.clear();
  }

  tensorCount() {
    return this.tensors;
  }

  reset() {
    for (const request of this.pending.values()) {
      clearTimeout(request.timer);
      request.resolve(null);
    }
    this.pending.clear();
  }

  dispose() {
    this.reset();
    if (!this.broken) this.broken = new DetectorError("model-failed", "the detector was disposed");
    this.worker.terminate();
  }
}

/** @param {string} src */
function loadScript(src) {
  return new Promise((resolve, reject) => {
    const script = document.createElement("script");
    script.src = src;
    script.async = false; // in order: the wasm backend and pose-detection need tf
    script.addEventListener("load", resolve);
    script.addEventListener("error", () =>
      reject(new DetectorError("asset-missing", `could not load ${src}`)),
    );
    document.head.append(script);
  });
}

/** @type {Promise<unknown> | null} */
let scriptsLoading = null;

export class MainThreadDetector {
  /**
   * Load TF.js on the page (once) and MoveNet with it.
   * @param {string} backend "auto" or a backend to force
   */
  static async create(backend) {
    if (!(/** @type {any} */ (globalThis).tf)) {
      scriptsLoading ??= Promise.all(TFJS_SCRIPTS.map(loadScript));
      await scriptsLoading;
    }
    return new MainThreadDetector(await createPoseDetector(backend));
  }

  /** @param {PoseDetector} detector */
  constructor(detector) {
    this.detector = detector;
    /** @type {"main"} */
    this.where = "main";
    /** @type {"element"} */
    this.takes = "element";
    this.backend = detector.backend;
    this.measuredMs = detector.measuredMs;
    this.threads = detector.threads;
    this.generation = 0;
  }

  /** @param {CapturedFrame} frame */
  async estimate(frame) {
    const generation = this.generation;
    const start = performance.now();
    let keypoints;
    try {
      keypoints = await this.detector.estimate(/** @type {HTMLVideoElement} */ (frame.image));
    } catch (error) {
      throw new DetectorError("model-failed", messageOf(error));
    }
    if (generation !== this.generation) return null;
    return { keypoints, width: frame.width, height: frame.height, t_ms: frame.t_ms, inferenceMs: performance.now() - start };
  }

  tensorCount() {
    return this.detector.tensorCount();
  }

  reset() {
    this.generation += 1;
  }

  dispose() {
    this.reset();
    this.detector.dispose();
  }
}

/**
 * The detector for this page.
 * @param {string} mode "worker", "main", or "auto" (the worker where it can run, else the main thread)
 * @param {string} backend "auto" or a TF.js backend to force
 * @returns {Promise<DetectorClient>}
 */
export async function createDetectorClient(mode, backend) {
  if (mode !== "main") {
    if (workerSupported()) {
      try {
        return await WorkerDetector.create(backend, wasmThreadsFor(navigator.hardwareConcurrency));
      } catch (error) {
        const missing = error instanceof DetectorError && error.code === "model-missing";
        if (mode === "worker" || missing) throw error;
        console.warn("the detector worker failed; MoveNet runs on the main thread:", error);
      }
    } else if (mode === "worker") {
      throw new DetectorError("browser-unsupported", "this browser cannot run the pose detector in a worker");
    }
  }
  return MainThreadDetector.create(backend);
}
