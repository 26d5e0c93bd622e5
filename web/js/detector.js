// @ts-check
// MoveNet SinglePose Lightning on TensorFlow.js, from our own server only.
// Runs wherever TF.js is loaded: in the detector worker (detector-worker.js),
// on the page's main thread (detector-client.js's fallback), in the curator
// and in the self-test.
//
// Output: a Float32Array of 17 x 3 values (constants.js), keypoints in
// MoveNet/COCO order (nose, left_eye, right_eye, left_ear, right_ear,
// left_shoulder, right_shoulder, left_elbow, right_elbow, left_wrist,
// right_wrist, left_hip, right_hip, left_knee, right_knee, left_ankle,
// right_ankle), each as x, y in pixels of the unmirrored source image (x
// right, y down) and a score in [0, 1]. Labels are anatomical: the person's
// own left.

import { KEYPOINT_COUNT, POSE_VALUES, VALUES_PER_KEYPOINT } from "./constants.js";

const MODEL_URL = new URL("../models/movenet-lightning.json", import.meta.url).href;
const WASM_DIR = new URL("../vendor/tfjs-4.22.0/", import.meta.url).href;
const MODEL_INPUT_SIZE = 192; // pixels, Lightning's square input
const TIMED_FRAMES = 3; // frames timed per backend when choosing one
// Renderers that mean WebGL runs on the CPU: never faster than wasm-SIMD.
const SOFTWARE_GL = /swiftshader|llvmpipe|software|basic render/i;
// Wasm threads never beyond this: MoveNet Lightning is small, and more
// threads than this only add synchronisation (TF.js's own cap is 4 too).
const MAX_WASM_THREADS = 4;

/** @typedef {"wasm" | "webgl" | "cpu"} Backend */
/** Anything TF.js can read pixels from. */
/** @typedef {HTMLVideoElement | HTMLCanvasElement | HTMLImageElement | ImageBitmap | ImageData} PixelSource */

export class DetectorError extends Error {
  /** @param {string} code an error screen's code (index.html), e.g. "model-missing" @param {string} message */
  constructor(code, message) {
    super(message);
    this.name = "DetectorError";
    this.code = code;
  }
}

/** TF.js and pose-detection, loaded as classic scripts (globals) before this runs. */
function libraries() {
  const { tf, poseDetection } = /** @type {any} */ (globalThis);
  if (!tf || !tf.wasm || !poseDetection) {
    throw new DetectorError("asset-missing", "TensorFlow.js or pose-detection did not load");
  }
  if (typeof WebAssembly !== "object") {
    throw new DetectorError("browser-unsupported", "this browser has no WebAssembly");
  }
  return { tf, poseDetection };
}

/** A 2-D canvas here: a <canvas> on a page, an OffscreenCanvas in a worker. */
function makeCanvas(width = 1, height = 1) {
  if (typeof document !== "undefined") {
    const canvas = document.createElement("canvas");
    canvas.width = width;
    canvas.height = height;
    return canvas;
  }
  return new OffscreenCanvas(width, height);
}

/** Whether WebGL 2 runs on a real GPU here (a software renderer never beats wasm-SIMD). */
function hardwareWebGL() {
  try {
    const gl = /** @type {WebGL2RenderingContext | null} */ (makeCanvas().getContext("webgl2"));
    if (!gl) return false;
    const info = gl.getExtension("WEBGL_debug_renderer_info");
    const renderer = info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : "";
    return !SOFTWARE_GL.test(String(renderer));
  } catch {
    return false;
  }
}

/**
 * Wasm threads suited to a device with `cores` logical cores: all of them
 * but one, which the page's main thread keeps for Python and painting,
 * between 1 and MAX_WASM_THREADS. (TF.js itself also caps its pool at half
 * the logical cores that the thread running it sees, counting on two
 * hardware threads per core: 1 on a 2-core device, 4 on an 8-core phone.)
 * @param {number} cores navigator.hardwareConcurrency (0 or undefined when unknown)
 * @returns {number}
 */
export function wasmThreadsFor(cores) {
  const known = Number.isFinite(cores) && cores > 0 ? Math.floor(cores) : 1;
  return Math.max(1, Math.min(MAX_WASM_THREADS, known - 1));
}

/** @param {Backend} backend */
async function loadOn(backend) {
  const { tf, poseDetection } = libraries();
  if (!(await tf.setBackend(backend))) return null;
  await tf.ready();
  try {
    return await poseDetection.createDetector(poseDetection.SupportedModels.MoveNet, {
      modelType: poseDetection.movenet.modelType.SINGLEPOSE_LIGHTNING,
      modelUrl: MODEL_URL,
      // Smoothing is the game's job, with real timestamps (web/py).
      enableSmoothing: false,
    });
  } catch (error) {
    const missing = /404|not found|failed to fetch|networkerror/i.test(String(error));
    throw new DetectorError(
      missing ? "model-missing" : "model-failed",
      `MoveNet could not be loaded from ${MODEL_URL}: ${error}`,
    );
  }
}

/** Median milliseconds per frame over a few frames, after one warm-up. @param {any} detector */
async function timeDetector(detector) {
  const blank = new ImageData(MODEL_INPUT_SIZE, MODEL_INPUT_SIZE); // black, opaque enough for timing
  await detector.estimatePoses(blank); // warm-up: compiles kernels
  const times = [];
  for (let i = 0; i < TIMED_FRAMES; i += 1) {
    const start = performance.now();
    await detector.estimatePoses(blank);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/**
 * Load MoveNet on the fastest backend available.
 * @param {string} preferred "auto", or a backend name to force ("wasm", "webgl", "cpu")
 * @param {{threads?: number}} [options] wasm threads (absent: 1); more than one only
 *   where the page is cross-origin isolated (SharedArrayBuffer), else one
 * @returns {Promise<PoseDetector>}
 */
export async function createPoseDetector(preferred = "auto", options = {}) {
  const { tf } = libraries();
  tf.wasm.setWasmPaths(WASM_DIR);
  const threads = options.threads ?? 1;
  if (threads > 1 && globalThis.crossOriginIsolated) {
    tf.wasm.setThreadsCount(threads);
  } else {
    // One thread: TF.js loads the plain SIMD build and starts no thread pool
    // (which on a page's main thread could only busy-wait).
    tf.env().set("WASM_HAS_MULTITHREAD_SUPPORT", false);
  }
  /** @type {Backend[]} */
  let candidates;
  if (preferred !== "auto") candidates = [/** @type {Backend} */ (preferred)];
  else candidates = hardwareWebGL() ? ["wasm", "webgl"] : ["wasm"];
  /** @type {Backend[]} */
  const all = ["wasm", "webgl", "cpu"];
  const fallbacks = all.filter((b) => !candidates.includes(b));

  /** @type {{backend: Backend, detector: any, ms: number} | null} */
  let best = null;
  /** @type {Record<string, number>} */
  const measured = {};
  for (const backend of [...candidates, ...fallbacks]) {
    if (best && !candidates.includes(backend)) break; // fallbacks only if nothing worked
    let detector = null;
    try {
      detector = await loadOn(backend);
    } catch (error) {
      if (error instanceof DetectorError && error.code === "model-missing") throw error;
      console.warn(`backend ${backend} failed:`, error);
    }
    if (!detector) continue;
    const ms = await timeDetector(detector);
    measured[backend] = ms;
    if (!best || ms < best.ms) {
      if (best) best.detector.dispose();
      best = { backend, detector, ms };
    } else {
      detector.dispose();
    }
  }
  if (!best) throw new DetectorError("model-failed", "no TensorFlow.js backend could run MoveNet");
  await tf.setBackend(best.backend);
  const running = best.backend === "wasm" ? tf.wasm.getThreadsCount() : 1;
  return new PoseDetector(best.detector, best.backend, measured, running);
}

export class PoseDetector {
  /**
   * @param {any} detector pose-detection's MoveNet detector
   * @param {Backend} backend
   * @param {Record<string, number>} measuredMs
   * @param {number} threads
   */
  constructor(detector, backend, measuredMs, threads = 1) {
    this.detector = detector;
    /** The TF.js backend in use, e.g. "wasm". */
    this.backend = backend;
    /** Milliseconds per frame measured for each backend tried at start-up. */
    this.measuredMs = measuredMs;
    /** Threads TF.js's wasm backend runs (1 without cross-origin isolation or off wasm). */
    this.threads = threads;
  }

  /**
   * Keypoints of the most prominent person in `source`, or null if none.
   * @param {PixelSource} source
   * @returns {Promise<Float32Array | null>}
   */
  async estimate(source) {
    const poses = await this.detector.estimatePoses(source, { flipHorizontal: false });
    if (!poses.length) return null;
    const values = new Float32Array(POSE_VALUES);
    /** @type {Array<{x: number, y: number, score?: number}>} */
    const keypoints = poses[0].keypoints;
    keypoints.slice(0, KEYPOINT_COUNT).forEach((k, i) => {
      values[i * VALUES_PER_KEYPOINT] = k.x;
      values[i * VALUES_PER_KEYPOINT + 1] = k.y;
      values[i * VALUES_PER_KEYPOINT + 2] = k.score ?? 0;
    });
    return values;
  }

  /** Forget earlier frames (MoveNet tracks its crop region from frame to frame): for unrelated pictures. */
  reset() {
    this.detector.reset();
  }

  /** Live TF.js tensors: must stay flat from frame to frame. */
  tensorCount() {
    return /** @type {any} */ (globalThis).tf.memory().numTensors;
  }

  dispose() {
    this.detector.dispose();
  }
}
