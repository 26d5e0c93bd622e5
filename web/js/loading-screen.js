// @ts-check
// The loading screen, in the visitor's language from the start:
// - real progress: each part's megabytes on the wire, from the page's own
//   Resource Timing, against the sizes in precache.json;
// - play can begin before Python is ready: once the pose model is ready, a
//   Start button (with the start screen's choices: I'm seated, photos for a
//   souvenir); pressed, the camera opens at once (a preview with the framing
//   help) and Python, when it starts, begins the game at once with those
//   choices (shell/app.py asks poseBridge.takeEarlyStart()). Not on a kiosk,
//   which starts by itself when a visitor stands in view.

import { earlyConfig } from "./early-fetch.js";
import { translateEarly } from "./early-i18n.js";
import { isOn, optionValue } from "./early-options.js";

/** @typedef {import("./i18n.js").Catalogue} Catalogue */
/** @typedef {{seated: boolean, photos: boolean}} EarlyChoices the visitor's choices with Start */

const MANIFEST_URL = new URL("../precache.json", import.meta.url);
const SITE_ROOT = new URL("../", import.meta.url);
const TRANSLATED_EVENT = "strike-a-pose:translated"; // as in shell/dom.py and js/offline.js
const MB = 1e6;
// Which downloads belong to which part (paths under the site).
const PART_FOLDERS = {
  python: ["vendor/pyodide-", "py/lib/"],
  model: ["vendor/tfjs-", "vendor/pose-detection-", "models/"],
};

/** @type {Promise<EarlyChoices | null> | null} once Start is pressed: the choices, null if the camera failed */
let earlyStart = null;

/**
 * If the visitor pressed Start on the loading screen and the camera opened,
 * their choices (resolves once the camera has answered); else null. Once.
 * @returns {Promise<EarlyChoices | null>}
 */
export async function takeEarlyStart() {
  const pressed = earlyStart;
  earlyStart = null;
  return pressed ? pressed : null;
}

/** The path of a URL under the site, as precache.json names it. @param {string} url */
function sitePath(url) {
  const absolute = new URL(url, location.href);
  absolute.search = "";
  return absolute.href.startsWith(SITE_ROOT.href) ? absolute.href.slice(SITE_ROOT.href.length) : "";
}

/**
 * Show each part's megabytes as its files arrive.
 * @param {Document} doc @param {Catalogue} catalogue
 */
async function showDownloads(doc, catalogue) {
  /** @type {Map<string, number>} */
  let sizes;
  try {
    const manifest = await (await fetch(MANIFEST_URL)).json();
    // What comes over the wire: the brotli copy where there is one (every
    // browser the game supports asks for it), else the file as it is.
    /** @typedef {{path: string, size: number, encodings?: {br?: {size: number}}}} Listed */
    sizes = new Map(manifest.files.map((/** @type {Listed} */ f) => [f.path, f.encodings?.br?.size ?? f.size]));
  } catch {
    return; // no precache.json on this server: the stages alone show progress
  }
  // What this page downloads: its preloads and scripts.
  const wanted = [...doc.querySelectorAll("link[rel=preload], link[rel=modulepreload], script[src]")]
    .map((element) => sitePath(element.getAttribute("href") || element.getAttribute("src") || ""))
    .filter((path) => sizes.has(path));
  // As shell/i18n.py Words.decimal: one decimal, the language's decimal mark.
  const mark = catalogue.pgettext("decimal mark", ".");
  const megabytes = (/** @type {number} */ bytes) => (bytes / MB).toFixed(1).replace(".", mark);
  const parts = Object.entries(PART_FOLDERS).map(([name, folders]) => {
    const files = new Set(wanted.filter((path) => folders.some((folder) => path.startsWith(folder))));
    const total = [...files].reduce((sum, path) => sum + (sizes.get(path) || 0), 0);
    const item = doc.getElementById(`stage-${name}`);
    return { files, total, done: 0, item, arrived: new Set() };
  });
  const show = () => {
    for (const part of parts) {
      if (!part.item || !part.total) continue;
      const bar = part.item.querySelector("progress");
      if (bar) bar.value = part.done / part.total;
      const text = part.item.querySelector(".stage-bytes");
      if (text) {
        const fields = { done: megabytes(part.done), total: megabytes(part.total) };
        // TRANSLATORS: a part of the game downloaded so far, on the loading screen: "3.2 of 12.5 MB".
        text.textContent = catalogue.gettext("{done} of {total} MB", fields);
      }
    }
  };
  const observer = new PerformanceObserver((list) => {
    for (const entry of list.getEntries()) {
      const path = sitePath(entry.name);
      for (const part of parts) {
        if (part.files.has(path) && !part.arrived.has(path)) {
          part.arrived.add(path);
          part.done += sizes.get(path) || 0;
        }
      }
    }
    show();
  });
  observer.observe({ type: "resource", buffered: true });
  show();
  whenStarted(doc, () => observer.disconnect()); // nothing more to count
}

/** Call `then` once the page has left its loading screen. @param {Document} doc @param {() => void} then */
function whenStarted(doc, then) {
  const watcher = new MutationObserver(() => {
    if (doc.body.dataset.state !== "loading") {
      watcher.disconnect();
      then();
    }
  });
  watcher.observe(doc.body, { attributes: true, attributeFilter: ["data-state"] });
}

/**
 * Offer Start as soon as the model is ready, while Python still loads, with
 * the start screen's choices.
 * @param {Document} doc
 * @param {any} bridge poseBridge (openCamera, video)
 * @param {Promise<{ok: boolean}>} modelReady
 * @param {(code: string, detail?: string) => void} showError
 * @param {Catalogue} catalogue
 * @param {{seated: boolean, seatedChoice: boolean}} options
 */
function offerEarlyStart(doc, bridge, modelReady, showError, catalogue, options) {
  const panel = doc.getElementById("early-start");
  const button = doc.getElementById("early-start-button");
  const preview = /** @type {HTMLVideoElement | null} */ (doc.getElementById("early-preview"));
  const seated = /** @type {HTMLInputElement | null} */ (doc.getElementById("early-seated-toggle"));
  const seatedChoice = doc.getElementById("early-seated-choice");
  const photos = /** @type {HTMLInputElement | null} */ (doc.getElementById("early-photos-toggle"));
  const hint = doc.getElementById("early-hint");
  if (!panel || !button || !preview || !seated || !seatedChoice || !photos || !hint) return;
  // Whether the pack plays seated is Python's to say: it may still turn it off.
  seated.checked = options.seated;
  seatedChoice.hidden = !options.seatedChoice;
  const loading = () => doc.body.dataset.state === "loading";
  const pythonStarted = () => doc.getElementById("stage-python")?.dataset.status === "done";
  modelReady.then((model) => {
    if (model.ok && loading() && !pythonStarted()) panel.dataset.status = "offered";
  });
  button.addEventListener("click", () => {
    if (panel.dataset.status !== "offered") return;
    panel.dataset.status = "opening";
    const choices = { seated: options.seatedChoice ? seated.checked : options.seated, photos: photos.checked };
    // The same framing help as the game's (shell/presenter.py), in a seated visitor's words too.
    hint.textContent = choices.seated
      ? catalogue.gettext("Move to where the camera can see you")
      : catalogue.gettext("Stand where the camera can see you");
    earlyStart = bridge.openCamera().then((/** @type {any} */ camera) => {
      if (!camera.ok) {
        panel.dataset.status = "offered";
        showError(camera.code, camera.message);
        return null;
      }
      if (loading()) {
        preview.srcObject = bridge.video.srcObject;
        preview.play().catch(() => {}); // muted: allowed; a failure only hides the preview
        panel.dataset.status = "pressed";
      }
      return choices;
    });
  });
  // The game screen has its own video: this one lets go when the screen changes.
  whenStarted(doc, () => {
    preview.pause();
    preview.srcObject = null;
  });
}

/**
 * Set the loading screen up (js/boot.js, once the bridge exists).
 * @param {{doc: Document, bridge: any, modelReady: Promise<{ok: boolean}>,
 *   showError: (code: string, detail?: string) => void}} page
 */
export async function setUpLoadingScreen({ doc, bridge, modelReady, showError }) {
  const query = new URLSearchParams(location.search);
  const config = await earlyConfig();
  const browserLanguages = navigator.languages?.length ? navigator.languages : [navigator.language];
  const { catalogue } = await translateEarly(doc, query, config, browserLanguages);
  doc.dispatchEvent(new Event(TRANSLATED_EVENT)); // js/offline.js copies its texts again
  if (!isOn(optionValue(query, config, "kiosk"))) {
    const options = {
      seated: isOn(optionValue(query, config, "seated")),
      seatedChoice: isOn(optionValue(query, config, "seated_choice"), true),
    };
    offerEarlyStart(doc, bridge, modelReady, showError, catalogue, options);
  }
  await showDownloads(doc, catalogue);
}
