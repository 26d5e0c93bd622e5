// MoveNet SinglePose Lightning on TensorFlow.js, from our own server only.
//
// Output: a Float32Array of 17 x 3 values, keypoints in MoveNet/COCO order
// (nose, left_eye, right_eye, left_ear, right_ear, left_shoulder,
// right_shoulder, left_elbow, right_elbow, left_wrist, right_wrist, left_hip,
// right_hip, left_knee, right_knee, left_ankle, right_ankle), each as
// x, y in pixels of the unmirrored source image (x right, y down) and a score
// in [0, 1]. Labels are anatomical: the person's own left.

export const KEYPOINT_COUNT = 17;
export const VALUES_PER_KEYPOINT = 3; // x (px), y (px), score

const MODEL_URL = new URL("../models/movenet-lightning.json", import.meta.url).href;
const WASM_DIR = new URL("../vendor/tfjs-4.22.0/", import.meta.url).href;
const MODEL_INPUT_SIZE = 192; // pixels, Lightning's square input
const TIMED_FRAMES = 3; // frames timed per backend when choosing one
// Renderers that mean WebGL runs on the CPU: never faster than wasm-SIMD.
const SOFTWARE_GL = /swiftshader|llvmpipe|software|basic render/i;

export class DetectorError extends Error {
  constructor(code, message) {
    super(message);
    this.name = "DetectorError";
    this.code = code;
  }
}

function libraries() {
  const { tf, poseDetection } = globalThis;
  if (!tf || !tf.wasm || !poseDetection) {
    throw new DetectorError("asset-missing", "TensorFlow.js or pose-detection did not load");
  }
  if (typeof WebAssembly !== "object") {
    throw new DetectorError("browser-unsupported", "this browser has no WebAssembly");
  }
  return { tf, poseDetection };
}

function hardwareWebGL() {
  try {
    const gl = document.createElement("canvas").getContext("webgl2");
    if (!gl) return false;
    const info = gl.getExtension("WEBGL_debug_renderer_info");
    const renderer = info ? gl.getParameter(info.UNMASKED_RENDERER_WEBGL) : "";
    return !SOFTWARE_GL.test(String(renderer));
  } catch {
    return false;
  }
}

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

/** Median milliseconds per frame over a few frames, after one warm-up. */
async function timeDetector(detector) {
  const canvas = document.createElement("canvas");
  canvas.width = canvas.height = MODEL_INPUT_SIZE;
  canvas.getContext("2d").fillRect(0, 0, MODEL_INPUT_SIZE, MODEL_INPUT_SIZE);
  await detector.estimatePoses(canvas); // warm-up: compiles kernels
  const times = [];
  for (let i = 0; i < TIMED_FRAMES; i += 1) {
    const start = performance.now();
    await detector.estimatePoses(canvas);
    times.push(performance.now() - start);
  }
  times.sort((a, b) => a - b);
  return times[Math.floor(times.length / 2)];
}

/**
 * Load MoveNet on the fastest backend available.
 * @param {string} preferred "auto", or a backend name to force ("wasm", "webgl", "cpu")
 * @returns {Promise<PoseDetector>}
 */
export async function createPoseDetector(preferred = "auto") {
  const { tf } = libraries();
  tf.wasm.setWasmPaths(WASM_DIR);
  let candidates;
  if (preferred !== "auto") candidates = [preferred];
  else candidates = hardwareWebGL() ? ["wasm", "webgl"] : ["wasm"];
  const fallbacks = ["wasm", "webgl", "cpu"].filter((b) => !candidates.includes(b));

  let best = null;
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
  return new PoseDetector(best.detector, best.backend, measured);
}

export class PoseDetector {
  constructor(detector, backend, measuredMs) {
    this.detector = detector;
    /** The TF.js backend in use, e.g. "wasm". */
    this.backend = backend;
    /** Milliseconds per frame measured for each backend tried at start-up. */
    this.measuredMs = measuredMs;
  }

  /**
   * Keypoints of the most prominent person in `source`, or null if none.
   * @param {HTMLVideoElement|HTMLCanvasElement|HTMLImageElement|ImageBitmap} source
   * @returns {Promise<Float32Array|null>}
   */
  async estimate(source) {
    const poses = await this.detector.estimatePoses(source, { flipHorizontal: false });
    if (!poses.length) return null;
    const values = new Float32Array(KEYPOINT_COUNT * VALUES_PER_KEYPOINT);
    poses[0].keypoints.forEach((k, i) => {
      values[i * 3] = k.x;
      values[i * 3 + 1] = k.y;
      values[i * 3 + 2] = k.score ?? 0;
    });
    return values;
  }

  /** Live TF.js tensors: must stay flat from frame to frame. */
  tensorCount() {
    return globalThis.tf.memory().numTensors;
  }

  dispose() {
    this.detector.dispose();
  }
}
