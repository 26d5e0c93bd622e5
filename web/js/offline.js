// @ts-check
// Offline play: registers the service worker (../sw.js) and shows on the start
// screen whether this version of the game is saved on this device.
//
// The worker is registered as "sw.js?v=<version>" with precache.json's
// version, so a new version of the game installs as an update (see sw.js).
// ?nosw=1 in the page's URL: no worker is registered (for tests and debugging).
//
// <p id="offline-status" data-status=...>: "off" (nosw=1), "unsupported",
// "checking", "unavailable" (the server has no precache.json: nothing shown),
// "saving" (downloading), "ready", "outdated" (an older version is saved, the
// new one did not save), "failed".

const MANIFEST_URL = new URL("../precache.json", import.meta.url).href;
const WORKER_URL = new URL("../sw.js", import.meta.url).href;
const SCOPE = new URL("../", import.meta.url).href;
const POLL_MS = 1000;
const ANSWER_TIMEOUT_MS = 5000;

// The texts are in the page (#offline-texts), where the game's Python puts
// them in the visitor's language; it then fires TRANSLATED_EVENT on the
// document and the current status is written again.
const TRANSLATED_EVENT = "strike-a-pose:translated";

/** @typedef {"off" | "unsupported" | "checking" | "unavailable" | "saving" | "ready" | "outdated" | "failed"} Status */

/**
 * What a service worker says of its cache (sw.js, status()).
 * @typedef {object} WorkerStatus
 * @property {string} version the game version it saves
 * @property {boolean} complete whether every file is saved and checked
 * @property {number} done files saved so far
 * @property {number} total files to save
 * @property {string} [error] why saving failed
 */

/** The text for `status` in the page's language. @param {string} status */
function textFor(status) {
  const source = document.querySelector(`#offline-texts [data-status="${status}"]`);
  return (source && source.textContent) || "";
}

/** @param {HTMLElement | null} element @param {string} status @param {string} [detail] */
function show(element, status, detail = "") {
  if (!element) return;
  element.dataset.status = status;
  element.textContent = textFor(status);
  element.title = detail;
}

/** The version the server offers now, or null (offline, or no precache.json). */
async function currentVersion() {
  try {
    const response = await fetch(MANIFEST_URL, { cache: "no-cache" });
    if (!response.ok) return null;
    const manifest = await response.json();
    return typeof manifest.version === "string" ? manifest.version : null;
  } catch {
    return null;
  }
}

/**
 * Ask the browser to keep this site's storage (the offline copy) even when
 * space runs low; without it a browser may evict a kiosk's copy and the game
 * would not load on the next network failure. The page asks in kiosk mode,
 * the self-test asks again and shows the answer. Nothing is stored: the
 * answer is the browser's own, and is set on <body data-persistent-storage>.
 * @returns {Promise<boolean | null>} null: this browser cannot be asked
 */
export async function askForPersistentStorage() {
  const storage = navigator.storage;
  /** @type {boolean | null} */
  let granted = null;
  if (storage && storage.persist) {
    try {
      granted = (await storage.persisted()) || (await storage.persist());
    } catch {
      granted = false;
    }
  }
  document.body.dataset.persistentStorage = String(granted);
  return granted;
}

/**
 * Ask a worker how complete its cache is (see sw.js, status()).
 * @param {ServiceWorker} worker
 * @returns {Promise<WorkerStatus | null>} null: no answer in time
 */
export function askWorker(worker) {
  return new Promise((resolve) => {
    const channel = new MessageChannel();
    const timer = setTimeout(() => resolve(null), ANSWER_TIMEOUT_MS);
    channel.port1.onmessage = (event) => {
      clearTimeout(timer);
      resolve(event.data);
    };
    worker.postMessage({ type: "status" }, [channel.port2]);
  });
}

/**
 * Where saving stands.
 * @param {ServiceWorkerRegistration} registration
 * @param {string | null} wanted the version the server offers (null: unknown)
 * @returns {Promise<{status: Status, detail?: string, final: boolean}>}
 */
async function describe(registration, wanted) {
  const pending = registration.installing || registration.waiting;
  const active = registration.active;
  const answer = active ? await askWorker(active) : null;
  const saved = answer && answer.complete ? answer : null;
  if (saved && (!wanted || saved.version === wanted)) return { status: "ready", final: true };
  if (pending) {
    const news = await askWorker(pending);
    const count = news && news.total ? ` (${news.done} of ${news.total} files)` : "";
    return { status: "saving", detail: count, final: false };
  }
  if (saved) return { status: "outdated", detail: `saved: ${saved.version}`, final: true };
  return { status: "failed", detail: (answer && answer.error) || "", final: true };
}

/**
 * Resolves once the page has left its loading screen (<body data-state>), so
 * that saving 50 MB for offline play does not compete with the first start
 * for the network and the CPU; at once on a page without a loading screen.
 */
function pageStarted() {
  const body = document.body;
  return new Promise((resolve) => {
    if (body.dataset.state !== "loading") return resolve(undefined);
    const observer = new MutationObserver(() => {
      if (body.dataset.state !== "loading") {
        observer.disconnect();
        resolve(undefined);
      }
    });
    observer.observe(body, { attributes: true, attributeFilter: ["data-state"] });
    return undefined;
  });
}

/**
 * Register the worker (once the game has started) and keep `element` up to
 * date. Never throws: offline play is a bonus, the game runs without it.
 * @param {HTMLElement | null} element
 * @param {URLSearchParams} params the page's query
 */
export async function setUpOffline(element, params) {
  document.addEventListener(TRANSLATED_EVENT, () => {
    if (element) show(element, element.dataset.status || "", element.title);
  });
  if (params.get("nosw") === "1") return show(element, "off");
  if (!("serviceWorker" in navigator) || !window.isSecureContext) return show(element, "unsupported");
  show(element, "checking");
  await pageStarted();
  try {
    const wanted = await currentVersion();
    const registration = wanted
      ? await navigator.serviceWorker.register(`${WORKER_URL}?v=${encodeURIComponent(wanted)}`, { scope: SCOPE })
      : await navigator.serviceWorker.getRegistration(SCOPE);
    if (!registration) return show(element, "unavailable", "no precache.json on the server");
    for (;;) {
      const now = await describe(registration, wanted);
      show(element, now.status, now.detail);
      if (now.final && !registration.installing && !registration.waiting) return undefined;
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
    }
  } catch (error) {
    return show(element, "failed", String(error));
  }
}
