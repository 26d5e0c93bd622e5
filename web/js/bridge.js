// @ts-check
// The bridge between the page's JavaScript and the game's Python (web/py/shell):
// the one object Python calls, as globalThis.poseBridge (set by boot.js).
// What crosses is numbers, strings (JSON), plain objects of those and a
// Float32Array of keypoints, plus two Python functions the page calls back
// (the retry handler and the view source). Camera frames never cross and
// never leave the page.
//
// Python calls: now, loadModel, restartModel, openCamera, closeCamera,
// nextFrame, wake, setBones, setOverlayStyle, paintOverlay, drawTarget,
// loadLocalPack, souvenirBegin, souvenirKeep, souvenirSeal, souvenirCompose,
// souvenirErase, publishView, setViewSource, setRetryHandler, enterKioskMode,
// reloadPage, stats (the debug panel), and boot.js's setStage and showError,
// and it sets pythonStarted. Everything else here is the page's own.
//
// It only composes the modules that do the work:
//   camera.js          the front camera
//   frame-source.js    frame pacing, capture times, the capture hook (`frames`)
//   detector-client.js MoveNet in a worker or on the main thread, one interface
//   pose-pipeline.js   frames through the detector to Python, one frame ahead
//   overlay.js         the skeletons on the camera overlay and the artwork
//   kiosk.js           kiosk lockdown and the stalled-loop watchdog
//   local-packs.js     level packs saved on this device
//   probe.js           what the debug panel (and, behind ?test=1, tests) read
//   souvenir/          the visitor's souvenir: its frames come from the capture hook
// The test hooks (test-hooks.js) are not part of it: boot.js adds them, only
// behind ?test=1 or ?debug=1.

import { CameraError, openCamera } from "./camera.js";
import { createDetectorClient } from "./detector-client.js";
import { DetectorError } from "./detector.js";
import { takeEarly } from "./early-fetch.js";
import { FrameSource } from "./frame-source.js";
import { lockDown, Watchdog } from "./kiosk.js";
import { takeEarlyStart } from "./loading-screen.js";
import { loadPackForGame } from "./local-packs.js";
import { askForPersistentStorage } from "./offline.js";
import { Overlay } from "./overlay.js";
import { PosePipeline } from "./pose-pipeline.js";
import { collectStats, Probe } from "./probe.js";
import { Souvenir } from "./souvenir/souvenir.js";
import { loadRecord, localDay, saveRecord } from "./stats/store.js";

/** @typedef {import("./pose-pipeline.js").Frame} Frame */
/** @typedef {import("./detector-client.js").DetectorClient} DetectorClient */
/** @typedef {{ok: true, backend: string, detector: string, measured: string}
 *   | {ok: false, code: string, message: string}} ModelResult */

// Kiosk watchdog: the game loop publishes a view several times a second; this
// long without one means Python has stopped, and the page is reloaded.
const KIOSK_STALL_MS = 30000;
/** Where MoveNet may run: ?detector=worker|main; anything else is "auto". */
const DETECTOR_MODES = ["auto", "worker", "main"];

/** @param {unknown} error @param {string} fallbackCode */
function failure(error, fallbackCode) {
  const code = error instanceof DetectorError || error instanceof CameraError ? error.code : fallbackCode;
  return { ok: /** @type {const} */ (false), code, message: String(error instanceof Error ? error.message : error) };
}

export class Bridge {
  /** @param {Document} doc */
  constructor(doc) {
    this.doc = doc;
    this.video = /** @type {HTMLVideoElement} */ (doc.getElementById("camera-video"));
    /** Camera frames for the detector; `frames.addCaptureListener` is the capture hook. */
    this.frames = new FrameSource(this.video);
    this.pipeline = new PosePipeline(this.frames);
    this.overlay = new Overlay(/** @type {HTMLCanvasElement} */ (doc.getElementById("camera-overlay")), this.video);
    this.probe = new Probe();
    /** @type {DetectorClient | null} */
    this.detector = null;
    /** @type {{width: number, height: number, stop: () => void} | null} */
    this.camera = null;
    this.cameraLost = false;
    this.cameraAttempts = 0; // how often the camera was asked for (tests of the kiosk's retries)
    /** Keypoints of the frame Python took last: what the overlay draws. @type {Float32Array | null} */
    this.lastKeypoints = null;
    /** @type {((code: string) => void) | null} */
    this.retryHandler = null;
    /** @type {Promise<ModelResult> | null} */
    this.modelPromise = null;
    this.modelLoading = false;
    this.modelChoice = { backend: "auto", mode: "auto" };
    this.watchdog = new Watchdog(KIOSK_STALL_MS, () => this.reloadPage());
    // The visitor's souvenir (js/souvenir/): its frames stay on this side. It
    // sees each analysed frame through the capture hook, at its capture time
    // (the t_ms its pose carries), and its keypoints when they reach Python.
    this.souvenir = new Souvenir(doc);
    this.frames.addCaptureListener((image, t_ms, size) =>
      this.souvenir.keeper.capture(image, size.width, size.height, t_ms),
    );
    // Set by boot.js: loading stages and error screens before Python runs.
    /** @type {(name: string, status: string) => void} */
    this.setStage = () => {};
    /** @type {(code: string, detail?: string) => void} */
    this.showError = () => {};
    this.pythonStarted = false;
    this.statsSaved = 0; // play statistics records written (web/py/shell/playstats.py)
  }

  /** Milliseconds on the page's monotonic clock (the game's `now_ms`). */
  now() {
    return performance.now();
  }

  /**
   * Start loading MoveNet (once: later calls get the same promise).
   * @param {string} backend "auto" or a TF.js backend to force
   * @param {string} mode where it runs: "auto", "worker" or "main"
   * @returns {Promise<ModelResult>}
   */
  loadModel(backend = "auto", mode = "auto") {
    if (!this.modelPromise) {
      this.modelChoice = { backend, mode: DETECTOR_MODES.includes(mode) ? mode : "auto" };
      this.modelPromise = this.#startDetector();
    }
    return this.modelPromise;
  }

  /** Dispose of the detector and load a fresh one (a crashed or hung worker, a retry). */
  restartModel() {
    if (this.modelLoading && this.modelPromise) return this.modelPromise; // already under way
    if (this.detector) this.detector.dispose();
    this.detector = null;
    this.pipeline.reset();
    this.modelPromise = this.#startDetector();
    return this.modelPromise;
  }

  /** @returns {Promise<ModelResult>} */
  async #startDetector() {
    this.modelLoading = true;
    try {
      const detector = await createDetectorClient(this.modelChoice.mode, this.modelChoice.backend);
      this.detector = detector;
      this.pipeline.setDetector(detector);
      return { ok: true, backend: detector.backend, detector: detector.where, measured: JSON.stringify(detector.measuredMs) };
    } catch (error) {
      return failure(error, "model-failed");
    } finally {
      this.modelLoading = false;
    }
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
      return failure(error, "camera-failed");
    }
  }

  closeCamera() {
    if (this.camera) this.camera.stop();
    this.camera = null;
    this.lastKeypoints = null;
    this.pipeline.reset(); // the next camera's frames only
  }

  /**
   * The next camera frame with the pose found in it: Python's per-frame call.
   * A frame's t_ms is its capture time (frame-source.js). {kind: "wake"}
   * comes back at once when wake() is called meanwhile (a button press).
   * @param {number} timeoutMs resolve with {kind: "timeout"} after this long without a frame
   * @returns {Promise<Frame>}
   */
  async nextFrame(timeoutMs) {
    const problem = this.#cameraProblem();
    if (problem) return problem;
    const frame = await this.pipeline.next(timeoutMs);
    if (frame.kind === "timeout") return this.#cameraProblem() || frame;
    if (frame.kind === "pose" || frame.kind === "none") {
      this.lastKeypoints = frame.kind === "pose" ? frame.keypoints : null;
      this.souvenir.keeper.pose(frame.t_ms, this.lastKeypoints);
    }
    return frame;
  }

  /** Let a pending nextFrame() return {kind: "wake"} at once: Python has a request to handle. */
  wake() {
    this.pipeline.wake();
  }

  /** @returns {Frame | null} */
  #cameraProblem() {
    const t_ms = performance.now();
    if (!this.detector) return { kind: "error", code: "model-failed", message: "model not loaded", t_ms };
    if (this.cameraLost) return { kind: "error", code: "camera-lost", message: "the camera stopped", t_ms };
    if (!this.camera) return { kind: "error", code: "camera-failed", message: "camera not open", t_ms };
    return null;
  }

  /** Milliseconds the detector spent on the latest frame. */
  get inferenceMs() {
    return this.pipeline.inferenceMs;
  }

  /** The bones to draw, as JSON [[a, b], ...] of keypoint indices (set once by Python). @param {string} bonesJson */
  setBones(bonesJson) {
    this.overlay.setBones(bonesJson);
    this.souvenir.bones = this.overlay.bones;
  }

  /**
   * The overlay's colours from now on (Python calls this only when they change).
   * @param {string} coloursJson a CSS colour per bone, as JSON
   * @param {number} minScore keypoints scored below this are not drawn
   */
  setOverlayStyle(coloursJson, minScore) {
    this.overlay.setStyle(coloursJson, minScore);
    this.souvenir.minScore = minScore;
  }

  /** Draw the pose of the frame Python took last on the (CSS-mirrored) camera overlay. */
  paintOverlay() {
    this.overlay.paint(this.lastKeypoints);
  }

  /**
   * Draw a level's reference pose, as painted, on a canvas.
   * @param {string} canvasId @param {string} keypointsJson @param {number} width @param {number} height @param {string} colour
   */
  drawTarget(canvasId, keypointsJson, width, height, colour) {
    const canvas = /** @type {HTMLCanvasElement} */ (this.doc.getElementById(canvasId));
    this.overlay.drawTarget(canvas, keypointsJson, width, height, colour);
  }

  /** A pack the curator saved on this device (local-packs.js). @param {string} id */
  loadLocalPack(id) {
    return loadPackForGame(id);
  }

  /** A new game begins: keep photos for the souvenir only if `photos` (the visitor's choice). @param {boolean} photos */
  souvenirBegin(photos) {
    this.souvenir.begin(photos);
  }

  /** The frame captured at `t_ms` is the best moment of level `slot` so far. @param {number} slot @param {number} t_ms */
  souvenirKeep(slot, t_ms) {
    this.souvenir.keeper.keep(slot, t_ms);
  }

  /** Level `slot` was cleared at `t_ms`: its replay is the frames up to then. @param {number} slot @param {number} t_ms */
  souvenirSeal(slot, t_ms) {
    this.souvenir.keeper.seal(slot, t_ms);
  }

  /**
   * The results: make and show the souvenir (JSON specs from web/py/shell/souvenir_layout.py).
   * @param {string} pictureJson @param {string} clipJson @param {boolean} kiosk
   */
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

  /** JSON {ok, record, keys, message}: the statistics record under `key` and every stored key. @param {string} key */
  async statsLoad(key) {
    try {
      const { record, keys } = await loadRecord(key);
      return JSON.stringify({ ok: true, record, keys, message: "" });
    } catch (error) {
      return JSON.stringify({ ok: false, record: null, keys: [], message: String(error) });
    }
  }

  /**
   * JSON {ok, message}: store a statistics record under `key`, delete those under `dropJson`'s keys.
   * @param {string} key @param {string} recordJson @param {string} dropJson a JSON list of keys
   */
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
    this.watchdog.beat();
    if (workMs >= 0) this.probe.frameWorkMs = workMs;
  }

  /**
   * Python's function (what) -> JSON of the game view ("view") or of the
   * last pose ("pose"), asked for only by the test hooks (test-hooks.js).
   * @param {import("./probe.js").ViewSource} source
   */
  setViewSource(source) {
    this.probe.viewSource = source;
  }

  /**
   * Unattended kiosk (kiosk.js): lockdown, a reload if the game loop stops,
   * and persistent storage asked for, so that the browser keeps the offline copy.
   */
  enterKioskMode() {
    lockDown(this.doc);
    askForPersistentStorage();
    this.watchdog.start();
  }

  /** Start the page afresh (the kiosk's last resort). */
  reloadPage() {
    location.reload();
  }

  /**
   * A file the page requested with its first bytes (js/early-fetch.js):
   * a promise of {status, text} (a catalogue: bytes too; status 0: failed),
   * or null if not requested.
   * @param {string} path
   */
  takeEarlyFetch(path) {
    return takeEarly(path);
  }

  /**
   * If Start was pressed on the loading screen and the camera opened, resolves
   * to the visitor's choices there ({seated, photos}), else to null (once).
   */
  takeEarlyStart() {
    return takeEarlyStart();
  }

  /** Who handles the error screen's retry button (Python, once it runs). @param {(code: string) => void} handler */
  setRetryHandler(handler) {
    this.retryHandler = handler;
  }

  /** Figures for the debug panel and the benchmarks (probe.js). */
  stats() {
    return collectStats(this.detector, this.pipeline, this.probe);
  }
}
