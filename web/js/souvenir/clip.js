// @ts-check
// The souvenir's short clip: each cleared artwork beside a replay of the
// visitor's match, painted on a canvas and recorded on the device with
// MediaRecorder. Nothing is sent; the recording is a Blob in memory.

import { paintOps } from "./painter.js";

// What to record, best first: MP4 plays on more phones; WebM is what
// Chromium and Firefox always record.
const TYPES = ["video/mp4;codecs=avc1", "video/mp4", "video/webm;codecs=vp9", "video/webm;codecs=vp8", "video/webm"];
const BITS_PER_SECOND = 2_500_000;

/**
 * A clip (web/py/shell/souvenir_layout.py, clip_spec): its size, frame rate,
 * and one list of drawing operations per scene.
 * @typedef {{width: number, height: number, fps: number, scene_ms: number,
 *   scenes: import("./painter.js").Op[][]}} ClipSpec
 */

/** The first clip type this browser can record, or "" if none. */
export function clipType() {
  const Recorder = globalThis.MediaRecorder;
  if (!Recorder || typeof Recorder.isTypeSupported !== "function") return "";
  return TYPES.find((type) => Recorder.isTypeSupported(type)) || "";
}

/** @param {number} ms */
const sleep = (ms) => new Promise((resolve) => setTimeout(resolve, ms));

/**
 * Record the clip of `spec` (see web/py/shell/souvenir_layout.py, clip_spec).
 * Frames are painted on a timer (not requestAnimationFrame, which stops in a
 * hidden tab) at the spec's rate, in real time: a 10 s clip takes 10 s.
 * @param {ClipSpec} spec
 * @param {import("./painter.js").Paints} paints
 * @param {() => boolean} cancelled polled between frames: stop and return null
 * @returns {Promise<Blob | null>} null where the browser cannot record, or if cancelled
 */
export async function recordClip(spec, paints, cancelled) {
  const type = clipType();
  const canvas = document.createElement("canvas");
  if (!type || typeof canvas.captureStream !== "function") return null;
  canvas.width = spec.width;
  canvas.height = spec.height;
  const ctx = /** @type {CanvasRenderingContext2D} */ (canvas.getContext("2d"));
  paintOps(ctx, spec.scenes[0], paints, 0); // the stream starts with a real frame
  const stream = canvas.captureStream(spec.fps);
  const recorder = new MediaRecorder(stream, { mimeType: type, videoBitsPerSecond: BITS_PER_SECOND });
  /** @type {Blob[]} */
  const chunks = [];
  recorder.ondataavailable = (event) => {
    if (event.data && event.data.size) chunks.push(event.data);
  };
  const stopped = new Promise((resolve) => {
    recorder.onstop = resolve;
  });
  recorder.start();
  const frameMs = 1000 / spec.fps;
  const started = performance.now();
  const total = spec.scenes.length * spec.scene_ms;
  let aborted = false;
  for (let elapsed = 0; elapsed < total; elapsed = performance.now() - started) {
    if (cancelled()) {
      aborted = true;
      break;
    }
    const scene = Math.min(spec.scenes.length - 1, Math.floor(elapsed / spec.scene_ms));
    paintOps(ctx, spec.scenes[scene], paints, (elapsed - scene * spec.scene_ms) / spec.scene_ms);
    await sleep(frameMs);
  }
  recorder.stop();
  await stopped;
  stream.getTracks().forEach((track) => track.stop());
  canvas.width = canvas.height = 0;
  if (aborted || !chunks.length) return null;
  return new Blob(chunks, { type: type.split(";")[0] });
}
