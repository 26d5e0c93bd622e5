// @ts-check
// Page start-up before Python runs: shows real loading progress, starts
// loading MoveNet at once (in parallel with Pyodide; in the detector worker
// unless ?detector=main), and turns any failure to load into a friendly
// screen with a retry instead of a frozen page.

import { Bridge } from "./bridge.js";
import { setUpLoadingScreen } from "./loading-screen.js";
import { setUpOffline } from "./offline.js";
import { startPython } from "./python-loader.js";
import { exposeTestHooks } from "./test-hooks.js";

const PYTHON_TIMEOUT_MS = 120000; // a slow phone on a slow museum network

const body = document.body;
const params = new URLSearchParams(location.search);

/** Mark a loading stage: "active", "done" or "failed". @param {string} name @param {string} status */
export function setStage(name, status) {
  const item = document.getElementById(`stage-${name}`);
  if (item) item.dataset.status = status;
}

/** Show the error screen for `code` (its text is in index.html). @param {string} code @param {string} detail */
export function showError(code, detail = "") {
  body.dataset.error = document.querySelector(`[data-error-code="${code}"]`) ? code : "unknown";
  body.dataset.state = "error";
  const detailBox = document.getElementById("error-detail");
  if (detailBox) detailBox.textContent = detail;
}

const bridge = new Bridge(document);
/** @type {any} */ (globalThis).poseBridge = bridge;
bridge.setStage = setStage;
bridge.showError = showError;

// Behind ?test=1 (or ?debug=1) only: what the browser tests and benchmarks read.
exposeTestHooks(
  {
    /** The game view Python showed last (GameState.to_view()), as JSON; "null" before. */
    view: () => bridge.probe.lastView,
    /** The last pose that reached Python, [[x, y, score], ...] as JSON, or "null". */
    pose: () => bridge.probe.lastPose,
    /** What the souvenir holds (counts, never pixels) and how long it took to make. */
    souvenir: () => ({ ...bridge.souvenir.keeper.census(), timings: { ...bridge.souvenir.timings } }),
    /** The detector now in use (detector-client.js), to make it fail; null before it loads. */
    detector: () => bridge.detector,
    /** How often the camera was asked for (the kiosk's retries). */
    cameraAttempts: () => bridge.cameraAttempts,
    /** How many play statistics records were written (in the background). */
    statsSaved: () => bridge.statsSaved,
  },
  params,
);

// Once the game runs, Python handles a retry (it restarts the camera, or the
// detector after a crash); before that, or when the page itself did not
// load, only a reload helps.
/** @type {HTMLElement} */ (document.getElementById("retry-button")).addEventListener("click", () => {
  const code = body.dataset.error || "";
  if (bridge.retryHandler && !code.startsWith("load-")) {
    bridge.retryHandler(code);
  } else {
    location.reload();
  }
});

/** @param {string} detail */
function failedToLoad(detail) {
  if (body.dataset.state === "loading") showError("load-failed", detail);
}

// A script or module that fails to load (a missing asset) or throws.
window.addEventListener(
  "error",
  (event) => {
    const target = /** @type {any} */ (event.target);
    if (target && target !== window && (target.src || target.href)) {
      failedToLoad(`could not load ${target.src || target.href}`);
    } else if (event.message) {
      failedToLoad(event.message);
    }
  },
  true,
);
window.addEventListener("unhandledrejection", (event) => failedToLoad(String(event.reason)));

setStage("python", "active");
setStage("model", "active");
bridge.loadModel(params.get("backend") || "auto", params.get("detector") || "auto").then((result) => {
  if (result.ok) {
    setStage("model", "done");
  } else {
    setStage("model", "failed");
    showError(result.code, result.message);
  }
});

// Progress in bytes, the visitor's language, and Start before Python is ready.
setUpLoadingScreen({ doc: document, bridge, modelReady: bridge.loadModel(), showError });

// The game's Python (py/main.py takes over from there), once the bridge exists.
startPython("py/main.py").catch((error) => {
  setStage("python", "failed");
  failedToLoad(`the game engine (Python) did not start: ${error}`);
});

setTimeout(() => {
  if (body.dataset.state === "loading" && !bridge.pythonStarted) {
    setStage("python", "failed");
    showError("load-failed", "the game engine (Python) did not start");
  }
}, PYTHON_TIMEOUT_MS);

// Offline play (service worker) and the start screen's "Ready for offline".
setUpOffline(document.getElementById("offline-status"), params);
