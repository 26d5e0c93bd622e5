// The one narrow, data-only bridge between the page's JavaScript and the
// game's Python (web/py/shell). Python calls these methods; everything that
// crosses is a number, a string (JSON), a plain object of those, or a
// Float32Array of keypoints. Camera frames never cross and never leave the page.

import { CameraError, openCamera } from "./camera.js";
import { createPoseDetector, DetectorError } from "./detector.js";
import { loadPack } from "./local-packs.js";
import { askForPersistentStorage } from "./offline.js";
import { drawSkeleton } from "./skeleton.js";
import { Souvenir } from "./souvenir/souvenir.js";
import { loadRecord, localDay, saveRecord } from "./stats/store.js";

/** @typedef {{kind: "pose", keypoints: Float32Array, width: number, height: number, t_ms: number}
 *   | {kind: "none", width: number, height: number, t_ms: number}
 *   | {kind: "timeout", t_ms: number}
 *   | {kind: "error", code: string, message: string, t_ms: number}} Frame */

// Kiosk watchdog: the game loop publishes a view several times a second; this
// long without one means Python has stopped, and the page is reloaded.
const KIOSK_STALL_MS = 30000;

export class Bridge {
  /** @param {Document} doc */
  constructor(doc) {
    this.doc = doc;
    this.video = doc.getElementById("camera-video");
    this.overlay = doc.getElementById("camera-overlay");
    this.detector = null;
    this.camera = null;
    this.cameraLost = false;
    this.lastKeypoints = null;
    this.bones = [];
    this.retryHandler = null;
    this.frameTimes = []; // performance.now() of recent frames, for frames per second
    this.inferenceMs = 0;
    this.frameWorkMs = 0; // Python's work on the latest camera frame (see publishView)
    this.modelPromise = null;
    this.viewSource = null;
    this.cameraAttempts = 0; // how often the camera was asked for (kiosk watchdog)
    // Frames the video element has presented, and how many of them had been
    // presented when the last one was analysed: a frame that arrived while
    // the model or Python was busy is analysed at once, not skipped for the
    // one after it (which would halve the rate whenever the work per frame
    // outlasts the camera's frame interval).
    this.framesPresented = 0;
    this.framesAnalysed = 0;
    this.frameWaiter = null;
    this.countingFrames = false;
    // The visitor's souvenir (js/souvenir/): its frames stay on this side.
    this.souvenir = new Souvenir(doc);
    this.statsSaved = 0; // play statistics records written (web/py/shell/playstats.py)
  }

  /** Milliseconds on the page's monotonic clock (the game's `now_ms`). */
  now() {
    return performance.now();
  }

  /** Start loading MoveNet (once); resolves to {ok, backend, measured} or {ok: false, code, message}. */
  loadModel(preferredBackend = "auto") {
    if (!this.modelPromise) {
      this.modelPromise = createPoseDetector(preferredBackend).then(
        (detector) => {
          this.detector = detector;
          return { ok: true, backend: detector.backend, measured: JSON.stringify(detector.measuredMs) };
        },
        (error) => ({
          ok: false,
          code: error instanceof DetectorError ? error.code : "model-failed",
          message: String(error && error.message),
        }),
      );
    }
    return this.modelPromise;
  }

  /** Open the front camera; resolves to {ok, width, height} or {ok: false, code, message}. */
  async openCamera() {
    if (this.camera && !this.cameraLost) {
      return { ok: true, width: this.camera.width, height: this.camera.height };
    }
    this.closeCamera();
    this.cameraLost = false;
    this.cameraAttempts += 1;
    try {
      this.camera = await openCamera(this.video, () => {
        this.cameraLost = true;
      });
      return { ok: true, width: this.camera.width, height: this.camera.height };
    } catch (error) {
      return {
        ok: false,
        code: error instanceof CameraError ? error.code : "camera-failed",
        message: String(error && error.message),
      };
    }
  }

  closeCamera() {
    if (this.camera) this.camera.stop();
    this.camera = null;
    this.lastKeypoints = null;
    this.framesAnalysed = this.framesPresented; // the next camera's frames only
  }

  /**
   * Wait for the next camera frame and find the pose in it.
   * @param {number} timeoutMs resolve with {kind: "timeout"} after this long without a frame
   * @returns {Promise<Frame>}
   */
  async nextFrame(timeoutMs) {
    const problem = this.#cameraProblem();
    if (problem) return problem;
    const arrived = await this.#newVideoFrame(timeoutMs);
    if (!arrived) return this.#cameraProblem() || { kind: "timeout", t_ms: performance.now() };
    const t_ms = performance.now();
    const keeper = this.souvenir.keeper;
    keeper.capture(this.video, this.video.videoWidth, this.video.videoHeight, t_ms);
    let keypoints;
    try {
      keypoints = await this.detector.estimate(this.video);
    } catch (error) {
      return { kind: "error", code: "model-failed", message: String(error), t_ms };
    }
    keeper.pose(t_ms, keypoints);
    this.inferenceMs = performance.now() - t_ms;
    this.frameTimes.push(t_ms);
    if (this.frameTimes.length > 30) this.frameTimes.shift();
    this.lastKeypoints = keypoints;
    const size = { width: this.video.videoWidth, height: this.video.videoHeight };
    if (!keypoints) return { kind: "none", ...size, t_ms };
    return { kind: "pose", keypoints, ...size, t_ms };
  }

  #cameraProblem() {
    const t_ms = performance.now();
    if (!this.detector) return { kind: "error", code: "model-failed", message: "model not loaded", t_ms };
    if (this.cameraLost) return { kind: "error", code: "camera-lost", message: "the camera stopped", t_ms };
    if (!this.camera) return { kind: "error", code: "camera-failed", message: "camera not open", t_ms };
    return null;
  }

  /** Count presented frames for as long as the page lives (see the constructor). */
  #countFrames() {
    if (this.countingFrames || !this.video.requestVideoFrameCallback) return;
    this.countingFrames = true;
    const onFrame = () => {
      this.framesPresented += 1;
      const waiter = this.frameWaiter;
      this.frameWaiter = null;
      if (waiter) waiter();
      this.video.requestVideoFrameCallback(onFrame);
    };
    this.video.requestVideoFrameCallback(onFrame);
  }

  /** Resolves true when a frame not yet analysed is on show, false after timeoutMs without one. */
  #newVideoFrame(timeoutMs) {
    if (this.video.requestVideoFrameCallback) {
      this.#countFrames();
      if (this.framesPresented !== this.framesAnalysed) {
        this.framesAnalysed = this.framesPresented;
        return Promise.resolve(true);
      }
      return new Promise((resolve) => {
        const timer = setTimeout(() => {
          this.frameWaiter = null;
          resolve(false);
        }, timeoutMs);
        this.frameWaiter = () => {
          clearTimeout(timer);
          this.framesAnalysed = this.framesPresented;
          resolve(true);
        };
      });
    }
    // No requestVideoFrameCallback: poll the video's clock once per screen refresh.
    return new Promise((resolve) => {
      let done = false;
      const finish = (value) => {
        if (!done) {
          done = true;
          clearTimeout(timer);
          resolve(value);
        }
      };
      const timer = setTimeout(() => finish(false), timeoutMs);
      const last = this.video.currentTime;
      const poll = () => {
        if (done) return;
        if (this.video.currentTime !== last) finish(true);
        else requestAnimationFrame(poll);
      };
      requestAnimationFrame(poll);
    });
  }

  /** The bones to draw, as JSON [[a, b], ...] of keypoint indices (set once by Python). */
  setBones(bonesJson) {
    this.bones = JSON.parse(bonesJson);
    this.souvenir.bones = this.bones;
  }

  /** Draw the last frame's pose on the (CSS-mirrored) camera overlay. */
  paintOverlay(coloursJson, minScore) {
    this.souvenir.minScore = minScore;
    const size = { width: this.video.videoWidth || 1, height: this.video.videoHeight || 1 };
    drawSkeleton(this.overlay, this.lastKeypoints, size, this.bones, JSON.parse(coloursJson), minScore);
  }

  /** Draw a level's reference pose, as painted, on a canvas. */
  drawTarget(canvasId, keypointsJson, width, height, colour) {
    const canvas = this.doc.getElementById(canvasId);
    const flat = JSON.parse(keypointsJson);
    drawSkeleton(canvas, flat, { width, height }, this.bones, this.bones.map(() => colour), 0.01);
  }

  /**
   * A pack the curator saved on this device: {ok, text, images} where text is
   * the pack's JSON and images (JSON) maps its picture names to data: URLs.
   */
  async loadLocalPack(id) {
    try {
      const record = await loadPack(id);
      if (!record) return { ok: false, text: "", images: "{}", message: `no pack "${id}" is saved on this device` };
      const images = Object.fromEntries(Object.entries(record.images).map(([name, image]) => [name, image.dataUrl]));
      return { ok: true, text: JSON.stringify(record.pack), images: JSON.stringify(images), message: "" };
    } catch (error) {
      return { ok: false, text: "", images: "{}", message: String(error) };
    }
  }

  /** A new game begins: keep photos for the souvenir only if `photos` (the visitor's choice). */
  souvenirBegin(photos) {
    this.souvenir.begin(photos);
  }

  /** The frame captured at `t_ms` is the best moment of level `slot` so far. */
  souvenirKeep(slot, t_ms) {
    this.souvenir.keeper.keep(slot, t_ms);
  }

  /** Level `slot` was cleared at `t_ms`: its replay is the frames up to then. */
  souvenirSeal(slot, t_ms) {
    this.souvenir.keeper.seal(slot, t_ms);
  }

  /** The results: make and show the souvenir (JSON specs from web/py/shell/souvenir_layout.py). */
  souvenirCompose(pictureJson, clipJson, kiosk) {
    return this.souvenir.compose(pictureJson, clipJson, kiosk);
  }

  /** The game is over and gone: erase every trace of the souvenir. */
  souvenirErase() {
    this.souvenir.erase();
  }

  /** The device's local date, YYYY-MM-DD: the day a game is counted on. */
  statsDay() {
    return localDay();
  }

  /** JSON {ok, record, keys, message}: the statistics record under `key` and every stored key. */
  async statsLoad(key) {
    try {
      const { record, keys } = await loadRecord(key);
      return JSON.stringify({ ok: true, record, keys, message: "" });
    } catch (error) {
      return JSON.stringify({ ok: false, record: null, keys: [], message: String(error) });
    }
  }

  /** JSON {ok, message}: store a statistics record under `key`, delete those under `dropJson`'s keys. */
  async statsSave(key, recordJson, dropJson) {
    try {
      await saveRecord(key, JSON.parse(recordJson), JSON.parse(dropJson));
      this.statsSaved += 1;
      this.doc.body.dataset.statsSaved = String(this.statsSaved);
      return JSON.stringify({ ok: true, message: "" });
    } catch (error) {
      return JSON.stringify({ ok: false, message: String(error) });
    }
  }

  /**
   * Python has updated the screen (the kiosk watchdog's heartbeat); workMs
   * is how long Python worked on the camera frame behind it (from taking it
   * to publishing, overlay drawing included), or -1 when the update does not
   * come from a camera frame.
   */
  publishView(workMs = -1) {
    this.lastViewAt = performance.now();
    if (workMs >= 0) this.frameWorkMs = workMs;
  }

  /** Python's function (what) -> JSON behind lastView ("view") and lastPose ("pose"). */
  setViewSource(source) {
    this.viewSource = source;
  }

  /** The game view as last shown (GameState.to_view(), JSON), for tests and benchmarks. */
  get lastView() {
    return this.viewSource ? this.viewSource("view") : "null";
  }

  /** The last pose that reached Python, [[x, y, score], ...] as JSON, or "null". */
  get lastPose() {
    return this.viewSource ? this.viewSource("pose") : "null";
  }

  /**
   * Unattended kiosk: no cursor, no selection, no context menu, no leaving
   * the page by gesture or key; fullscreen at the first touch; a watchdog
   * that reloads the page if the game loop (Python) stops; and persistent
   * storage asked for, so that the browser keeps the offline copy.
   */
  enterKioskMode() {
    const doc = this.doc;
    doc.body.dataset.kiosk = "true";
    askForPersistentStorage();
    const block = (event) => event.preventDefault();
    for (const type of ["contextmenu", "selectstart", "dragstart"]) {
      doc.addEventListener(type, block);
    }
    doc.addEventListener("keydown", (event) => {
      const leaving = event.altKey || event.metaKey || ["Backspace", "F5", "BrowserBack"].includes(event.key);
      if (leaving) event.preventDefault();
    });
    doc.addEventListener(
      "pointerdown",
      () => {
        const root = doc.documentElement;
        if (!doc.fullscreenElement && root.requestFullscreen) root.requestFullscreen().catch(() => {});
      },
      { once: true },
    );
    this.lastViewAt = performance.now();
    setInterval(() => {
      if (performance.now() - this.lastViewAt > KIOSK_STALL_MS) this.reloadPage();
    }, KIOSK_STALL_MS / 4);
  }

  /** Start the page afresh (the kiosk's last resort). */
  reloadPage() {
    location.reload();
  }

  /** Who handles the error screen's retry button (Python, once it runs). */
  setRetryHandler(handler) {
    this.retryHandler = handler;
  }

  /** Figures for the debug panel and the benchmarks. */
  stats() {
    const times = this.frameTimes;
    const span = times.length > 1 ? times[times.length - 1] - times[0] : 0;
    return {
      backend: this.detector ? this.detector.backend : "",
      measured: this.detector ? JSON.stringify(this.detector.measuredMs) : "{}",
      fps: span > 0 ? ((times.length - 1) * 1000) / span : 0,
      inference_ms: this.inferenceMs,
      python_ms: this.frameWorkMs,
      tensors: this.detector ? this.detector.tensorCount() : 0,
    };
  }
}
