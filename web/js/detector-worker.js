// @ts-check
// The detector worker: MoveNet runs here, off the page's main thread, so the
// page keeps Python, the DOM and the overlay only. Started as a module worker
// by detector-client.js (WorkerDetector), which is the only code that talks to
// it. Camera frames arrive as transferred VideoFrames or ImageBitmaps and are
// closed here as soon as their pixels are read; nothing leaves the device.
//
// Messages in (from the page):
//   {type: "load", backend: "auto" | "wasm" | "webgl" | "cpu", threads: number}
//   {type: "estimate", id: number, frame: VideoFrame | ImageBitmap}
// Messages out (to the page):
//   {type: "loaded", backend, measuredMs, threads, tensors}
//   {type: "load-failed", code, message}
//   {type: "pose", id, keypoints: Float32Array | null (transferred), width, height,
//    inferenceMs, tensors}
//   {type: "error", id, message}

// TF.js, its wasm backend and pose-detection are classic scripts that set
// globals (tf, poseDetection); imported here for their side effects, in order.
import "../vendor/tfjs-4.22.0/tf.min.js";
import "../vendor/tfjs-4.22.0/tf-backend-wasm.min.js";
import "../vendor/pose-detection-2.1.3/pose-detection.min.js";
import { createPoseDetector, DetectorError, PoseDetector } from "./detector.js";

/** @typedef {{type: "load", backend: string, threads: number}
 *   | {type: "estimate", id: number, frame: VideoFrame | ImageBitmap}} Request */

/** @type {PoseDetector | null} */
let detector = null;
/** @type {OffscreenCanvasRenderingContext2D | null} */
let context = null;

/** @param {any} message @param {Transferable[]} [transfer] */
function reply(message, transfer = []) {
  /** @type {any} */ (self).postMessage(message, transfer);
}

/**
 * The frame's pixels as ImageData (TF.js reads ImageData the same way in any
 * context; it does not know VideoFrame), on a canvas reused from frame to frame.
 * @param {VideoFrame | ImageBitmap} frame
 */
function pixelsOf(frame) {
  const width = "displayWidth" in frame ? frame.displayWidth : frame.width;
  const height = "displayHeight" in frame ? frame.displayHeight : frame.height;
  if (!context || context.canvas.width !== width || context.canvas.height !== height) {
    const canvas = new OffscreenCanvas(width, height);
    context = canvas.getContext("2d", { willReadFrequently: true });
    if (!context) throw new Error("no 2-D canvas in this worker");
  }
  context.drawImage(frame, 0, 0);
  return context.getImageData(0, 0, width, height);
}

/** @param {{backend: string, threads: number}} request */
async function load(request) {
  try {
    detector = await createPoseDetector(request.backend, { threads: request.threads });
    reply({
      type: "loaded",
      backend: detector.backend,
      measuredMs: detector.measuredMs,
      threads: detector.threads,
      tensors: detector.tensorCount(),
    });
  } catch (error) {
    const code = error instanceof DetectorError ? error.code : "model-failed";
    reply({ type: "load-failed", code, message: String(error && /** @type {Error} */ (error).message) });
  }
}

/** @param {number} id @param {VideoFrame | ImageBitmap} frame */
async function estimate(id, frame) {
  const start = performance.now();
  let pixels;
  try {
    pixels = pixelsOf(frame);
  } catch (error) {
    reply({ type: "error", id, message: `could not read the frame: ${error}` });
    return;
  } finally {
    frame.close(); // free the camera's buffer at once
  }
  if (!detector) {
    reply({ type: "error", id, message: "the model is not loaded" });
    return;
  }
  try {
    const keypoints = await detector.estimate(pixels);
    reply(
      {
        type: "pose",
        id,
        keypoints,
        width: pixels.width,
        height: pixels.height,
        inferenceMs: performance.now() - start,
        tensors: detector.tensorCount(),
      },
      keypoints ? [keypoints.buffer] : [],
    );
  } catch (error) {
    reply({ type: "error", id, message: String(error) });
  }
}

self.addEventListener("message", (event) => {
  const request = /** @type {Request} */ (/** @type {MessageEvent} */ (event).data);
  if (request.type === "load") load(request);
  else if (request.type === "estimate") estimate(request.id, request.frame);
});
