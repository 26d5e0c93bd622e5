// @ts-check
// The technician's self-test (selftest.html): can this device run the game,
// also with no network? One PASS/WARN/FAIL line per check, each an <li> with
// data-status ("pending", "pass", "warn", "fail"); #summary gets "pass" when no
// check failed (warnings allowed), else "fail". No Python needed.

import { CameraError, openCamera } from "./camera.js";
import { createPoseDetector } from "./detector.js";
import { _, ngettext, startI18n } from "./i18n.js";
import { askForPersistentStorage, askWorker } from "./offline.js";

const MANIFEST_URL = new URL("../precache.json", import.meta.url).href;
const BASE = new URL("../", import.meta.url).href;
const CACHE_PREFIX = "strike-a-pose-";
const MEASURE_MS = 3000; // live inference measured this long
const GOOD_FPS = 8; // below this the game still works, but sluggishly: a warning

const params = new URLSearchParams(location.search);

/** @typedef {"pending" | "running" | "pass" | "warn" | "fail"} Status */

/** An element of selftest.html, which has every one this script names. @param {string} id */
function element(id) {
  const found = document.getElementById(id);
  if (!found) throw new Error(`selftest.html has no #${id}`);
  return found;
}

/** The verdict word for a status, in the page's language (#verdicts). @param {Status} status */
function verdict(status) {
  const word = document.querySelector(`#verdicts [data-status="${status}"]`);
  return (word && word.textContent) || "";
}

/** Write a verdict and its detail into a check's (or the summary's) line. @param {HTMLElement} item @param {Status} status @param {string} detail */
function show(item, status, detail) {
  item.dataset.status = status;
  /** @type {HTMLElement} */ (item.querySelector(".verdict")).textContent = verdict(status);
  /** @type {HTMLElement} */ (item.querySelector(".detail")).textContent = detail;
}

/** @param {string} name a check (its line is #check-NAME) @param {Status} status @param {string} detail */
function report(name, status, detail) {
  show(element(`check-${name}`), status, detail);
  return status;
}

/** @param {number} bytes */
function megabytes(bytes) {
  return _("{megabytes} MB", { megabytes: (bytes / 1e6).toFixed(1) });
}

/** @param {ArrayBuffer} buffer */
async function sha256(buffer) {
  const digest = await crypto.subtle.digest("SHA-256", buffer);
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

async function checkWorker() {
  if (!("serviceWorker" in navigator)) return report("worker", "fail", _("this browser has no service workers"));
  const registration = await navigator.serviceWorker.getRegistration(BASE);
  if (!registration) return report("worker", "fail", _("not registered: open the game once (without ?nosw=1)"));
  if (registration.installing || registration.waiting) {
    return report("worker", "fail", _("still saving the game: wait, then run again"));
  }
  if (!registration.active) return report("worker", "fail", _("registered but not active"));
  const answer = await askWorker(registration.active);
  if (!answer) return report("worker", "fail", _("the worker does not answer"));
  const state = _("{state}, version {version}", { state: registration.active.state, version: answer.version });
  const controlled = navigator.serviceWorker.controller ? _("controls this page") : _("does not control this page yet");
  if (!answer.complete) {
    const saved = _("{done} of {total} files saved", { done: answer.done, total: answer.total });
    return report("worker", "fail", `${state}: ${saved} ${answer.error || ""}`);
  }
  const saved = ngettext("{count} file saved", "{count} files saved", answer.total);
  return report("worker", "pass", `${state}, ${saved}, ${controlled}`);
}

async function checkCache() {
  const response = await fetch(MANIFEST_URL, { cache: "no-cache" });
  if (!response.ok) return report("cache", "fail", _("precache.json: the server answered {status}", { status: response.status }));
  const manifest = await response.json();
  const name = `${CACHE_PREFIX}${manifest.version}`;
  if (!(await caches.has(name))) {
    return report("cache", "fail", _("version {version} is not saved: open the game once", { version: manifest.version }));
  }
  const cache = await caches.open(name);
  const bad = [];
  let bytes = 0;
  for (const [i, file] of manifest.files.entries()) {
    report("cache", "pending", _("checking {number} of {total}: {path}", { number: i + 1, total: manifest.files.length, path: file.path }));
    const cached = await cache.match(new URL(file.path, BASE).href);
    if (!cached) {
      bad.push(_("{path} missing", { path: file.path }));
      continue;
    }
    const body = await cached.arrayBuffer();
    bytes += body.byteLength;
    if (body.byteLength !== file.size || (await sha256(body)) !== file.sha256) bad.push(_("{path} damaged", { path: file.path }));
  }
  if (bad.length) {
    const count = ngettext("{count} bad file", "{count} bad files", bad.length);
    return report("cache", "fail", `${count}: ${bad.slice(0, 5).join(", ")}`);
  }
  return report(
    "cache",
    "pass",
    _("all {total} files ({size}) match their sha256, version {version}", {
      total: manifest.files.length,
      size: megabytes(bytes),
      version: manifest.version,
    }),
  );
}

async function checkStorage() {
  if (!navigator.storage || !navigator.storage.estimate) return report("storage", "warn", _("the browser gives no figures"));
  const { usage = 0, quota = 0 } = await navigator.storage.estimate();
  // The kiosk asks for persistent storage (offline.js); ask again and show the answer.
  const granted = await askForPersistentStorage();
  element("check-storage").dataset.persistent = String(granted);
  const kept =
    granted === null
      ? _("this browser cannot keep it for sure")
      : granted
        ? _("persistent storage asked: granted (the browser keeps the saved game)")
        : _("persistent storage asked: refused (the browser may clear the saved game when space runs low)");
  const detail = _("{used} used of {quota}; {kept}", { used: megabytes(usage), quota: megabytes(quota), kept });
  const status = quota > usage ? "pass" : "fail";
  return report("storage", status, detail);
}

/** @param {HTMLVideoElement} video */
async function checkCamera(video) {
  try {
    const camera = await openCamera(video, () => report("camera", "fail", _("the camera stopped")));
    video.hidden = false;
    report("camera", "pass", _("found, {width}×{height} pixels", { width: camera.width, height: camera.height }));
    return camera;
  } catch (error) {
    const code = error instanceof CameraError ? error.code : "camera-failed";
    report("camera", "fail", `${code}: ${error instanceof Error ? error.message : error}`);
    return null;
  }
}

/** @param {HTMLVideoElement} video @returns {Promise<void>} */
function nextFrame(video) {
  return new Promise((resolve) => {
    if (video.requestVideoFrameCallback) video.requestVideoFrameCallback(() => resolve());
    else requestAnimationFrame(() => resolve());
  });
}

/** @param {HTMLVideoElement} video @param {{stop: () => void} | null} camera */
async function checkDetector(video, camera) {
  if (!camera) return report("detector", "fail", _("needs the camera"));
  report("detector", "pending", _("loading MoveNet…"));
  const detector = await createPoseDetector(params.get("backend") || "auto");
  try {
    report("detector", "pending", _("measuring for {seconds} s on {backend}…", { seconds: MEASURE_MS / 1000, backend: detector.backend }));
    let frames = 0;
    let people = 0;
    const start = performance.now();
    while (performance.now() - start < MEASURE_MS) {
      await nextFrame(video);
      if (await detector.estimate(video)) people += 1;
      frames += 1;
    }
    const fps = (frames * 1000) / (performance.now() - start);
    const detail = _("TF.js backend {backend}, {fps} frames per second, a person seen in {people} of {frames} frames", {
      backend: detector.backend,
      fps: fps.toFixed(1),
      people,
      frames,
    });
    return report("detector", fps >= GOOD_FPS ? "pass" : "warn", detail);
  } finally {
    detector.dispose();
  }
}

async function run() {
  const summary = element("summary");
  show(summary, "running", _("Running the checks…"));
  const items = /** @type {NodeListOf<HTMLElement>} */ (document.querySelectorAll("#checks li"));
  for (const item of items) show(item, "pending", "");
  /**
   * Run a check; one that throws fails.
   * @template T
   * @param {string} name @param {() => Promise<T>} check
   * @returns {Promise<T | Status>}
   */
  const guard = async (name, check) => {
    try {
      return await check();
    } catch (error) {
      return report(name, "fail", String(error instanceof Error ? error.message : error));
    }
  };
  await guard("worker", checkWorker);
  await guard("cache", checkCache);
  await guard("storage", checkStorage);
  const video = /** @type {HTMLVideoElement} */ (element("camera"));
  const opened = await guard("camera", () => checkCamera(video));
  const camera = opened && typeof opened === "object" ? opened : null;
  await guard("detector", () => checkDetector(video, camera));
  if (camera) camera.stop();
  video.hidden = true;
  const failed = [...items].filter((item) => item.dataset.status === "fail").length;
  if (failed) show(summary, "fail", ngettext("{count} check failed", "{count} checks failed", failed));
  else show(summary, "pass", _("All checks passed"));
}

element("rerun").addEventListener("click", () => run());
// Scripts with defer (TF.js) have run before this module: modules are deferred too.
startI18n(document).then(() => run());
