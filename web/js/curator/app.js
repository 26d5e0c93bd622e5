// @ts-check
// The curator's page: turn artwork pictures into a level pack, on this device.
// Validation is the game core's own (Python, web/py/curator_main.py). The
// picture with its pose is pose-editor.js, the level's fields level-form.js,
// the pack file exchange.js.

import { KEYPOINT_COUNT, SOURCE_LANGUAGE, SOURCE_LANGUAGE_ENTRY, VALUES_PER_KEYPOINT } from "../constants.js";
import { createPoseDetector } from "../detector.js";
import { _, pgettext, startI18n } from "../i18n.js";
import { loadPack, savePack } from "../local-packs.js";
import { startPython } from "../python-loader.js";
import { setUpStatisticsView, showStatistics, STATS_CHANGED_EVENT } from "../stats/view.js";
import { exposeTestHooks, testHooksOn } from "../test-hooks.js";
import { clearRateBadge, levelAdvice, loadStatistics, showSuggestion } from "./advice.js";
import { exportText, importText } from "./exchange.js";
import { loadImage, readImageFile } from "./images.js";
import { LevelForm } from "./level-form.js";
import { PoseEditor, roundPixel } from "./pose-editor.js";
import { curatorPython } from "./python-side.js";

/** @typedef {import("./level-form.js").Level} Level */
/** @typedef {import("./level-form.js").Schema} Schema */
/**
 * @typedef {object} Pack
 * @property {number} format_version
 * @property {string} id
 * @property {string} title
 * @property {string[]} languages
 * @property {string} default_language
 * @property {Level[]} levels
 */
/** @typedef {{id: string, pack: Pack, images: import("../local-packs.js").PackRecord["images"]}} CuratorRecord */
/** @typedef {{where: string, message: string}} Problem one of the game loader's findings */
/** What web/py/curator_main.py puts on the page once Python runs. */
const python = curatorPython();

// The languages a level's texts can be written in: the game's (locale/languages.json).
/** @type {import("../i18n.js").Language[]} */
let languages = [{ ...SOURCE_LANGUAGE_ENTRY }];
const COUNTS_SCORE = 0.3; // a detected joint scored at least this counts by default
const STORAGE_ID = "curator-draft"; // the pack being edited, saved as it changes

/** An element of curator.html, which has every one this script names. @param {string} id */
function $(id) {
  const found = document.getElementById(id);
  if (!found) throw new Error(`curator.html has no #${id}`);
  return found;
}
/** An <input> of curator.html. @param {string} id */
const input$ = (id) => /** @type {HTMLInputElement} */ ($(id));
/** A <button> of curator.html. @param {string} id */
const button$ = (id) => /** @type {HTMLButtonElement} */ ($(id));

/** @param {unknown} error */
const messageOf = (error) => String(error instanceof Error ? error.message : error);

const state = {
  /** @type {CuratorRecord} */
  record: { id: STORAGE_ID, pack: emptyPack(), images: {} },
  selected: -1,
  /** @type {Schema} */
  schema: { keypoints: [], bones: [], limbs: [], labels: {} },
  /** @type {import("../detector.js").PoseDetector | null} */
  detector: null,
  /** @type {Map<string, HTMLImageElement>} decoded pictures by name */
  images: new Map(),
  /** @type {Problem[]} */
  problems: [],
  /** @type {Set<string>} pictures of levels whose tolerance the curator took from a suggestion */
  retuned: new Set(),
};

const form = new LevelForm(document, {
  level: () => level(),
  changed: () => changed(),
  redraw: () => editor.draw(),
  setText: (lang, key, value) => setText(lang, key, value),
});
const editor = new PoseEditor(/** @type {HTMLCanvasElement} */ ($("pose-canvas")), {
  level: () => level(),
  picture: () => {
    const lvl = level();
    return lvl ? state.images.get(lvl.image) : undefined;
  },
  bones: () => state.schema.bones,
  changed: () => changed(),
});

/** @returns {Pack} */
function emptyPack() {
  return {
    format_version: 1,
    id: "my-museum",
    title: _("Our collection"),
    languages: [SOURCE_LANGUAGE],
    default_language: SOURCE_LANGUAGE,
    levels: [],
  };
}

/** @param {string} text @param {"info" | "error"} [kind] */
function setStatus(text, kind = "info") {
  $("status").textContent = text;
  $("status").dataset.kind = kind;
}

// --- saving and validating ---------------------------------------------

const SAVE_DELAY_MS = 150; // a drag saves once it settles, not at every pixel
/** @type {ReturnType<typeof setTimeout> | undefined} */
let saveTimer;
/** @type {Promise<unknown>} */
let saving = Promise.resolve();

/** Save the pack now (also when the page is hidden or closed: nothing lost). */
function flush() {
  clearTimeout(saveTimer);
  saving = saving.then(() => savePack(state.record)).then(() => {
    document.body.dataset.saved = String(Date.now());
  });
  return saving;
}
// Tests wait for the saved record rather than for the save delay.
exposeTestHooks({ curatorFlush: flush });
document.addEventListener("visibilitychange", () => {
  if (document.visibilityState === "hidden") flush();
});

function changed() {
  clearTimeout(saveTimer);
  saveTimer = setTimeout(flush, SAVE_DELAY_MS);
  validate();
  renderList();
}

function packText() {
  return JSON.stringify(state.record.pack);
}

/** The game loader's problems with a pack (none: valid). @param {string} text @returns {Problem[]} */
function problemsOf(text) {
  if (!python.validatePack) throw new Error("the game engine (Python) has not started");
  return JSON.parse(python.validatePack(text));
}

function validate() {
  if (!python.validatePack) return;
  state.problems = problemsOf(packText());
  const packWide = state.problems.filter((p) => !p.where.startsWith("level "));
  $("pack-problems").replaceChildren(...packWide.map((p) => item(`${p.where}: ${p.message}`)));
  const ok = state.problems.length === 0 && state.record.pack.levels.length > 0;
  button$("export-button").disabled = !ok;
  button$("try-button").disabled = !ok;
  document.body.dataset.valid = String(ok);
}

/** @param {string} text */
function item(text) {
  const li = document.createElement("li");
  li.textContent = text; // always text: titles may hold anything
  return li;
}

// --- the level list ----------------------------------------------------------

function renderList() {
  const list = $("level-list");
  const active = document.activeElement;
  const focused = active && list.contains(active) ? /** @type {HTMLElement | null} */ (active.closest("li")) : null;
  const focusedLevel = focused ? Number(focused.dataset.index) : -1;
  list.replaceChildren();
  const advice = levelAdvice(packText()); // per level: its play statistics, or null
  state.record.pack.levels.forEach((level, i) => {
    const li = document.createElement("li");
    li.dataset.index = String(i);
    li.setAttribute("aria-current", String(i === state.selected));
    // A button, so that a keyboard can pick the level too.
    const title = document.createElement("button");
    title.type = "button";
    title.className = "level-pick";
    title.textContent = `${i + 1}. ${level.title || _("(no title)")}`;
    title.setAttribute("aria-pressed", String(i === state.selected));
    li.append(title);
    const badge = clearRateBadge(advice[i] || null);
    if (badge) li.append(badge);
    const mine = state.problems.filter((p) => p.where === `level ${i + 1}`);
    li.dataset.valid = String(mine.length === 0);
    if (mine.length) {
      const problems = document.createElement("ul");
      problems.className = "problems";
      problems.append(...mine.map((p) => item(p.message)));
      li.append(problems);
    }
    li.addEventListener("click", () => select(i));
    list.append(li);
    if (focusedLevel === i) title.focus();
  });
}

// --- adding pictures -----------------------------------------------------

/** @param {File[]} files */
async function addFiles(files) {
  for (const file of files) {
    try {
      const picture = await readImageFile(file);
      await addLevel(picture, file.name);
    } catch (error) {
      setStatus(messageOf(error), "error");
      document.body.dataset.lastError = messageOf(error);
    }
  }
}

/** The pose MoveNet finds in a picture, or null (none, or no detector). @param {HTMLImageElement} img */
async function detect(img) {
  if (!state.detector) return null;
  state.detector.reset(); // unrelated pictures: nothing carried over from the last one
  return state.detector.estimate(img);
}

/**
 * The found pose's joints (those scored at least COUNTS_SCORE count), or
 * joints down the middle of the picture, none counting, to place by hand.
 * @param {Float32Array | null} found @param {number} w @param {number} h
 * @returns {import("./pose-editor.js").Joint[]}
 */
function startingJoints(found, w, h) {
  const n = VALUES_PER_KEYPOINT;
  return Array.from({ length: KEYPOINT_COUNT }, (_unused, k) =>
    found
      ? [roundPixel(found[k * n]), roundPixel(found[k * n + 1]), found[k * n + 2] >= COUNTS_SCORE ? 1 : 0]
      : [roundPixel(w / 2), roundPixel(((k + 1) * h) / (KEYPOINT_COUNT + 1)), 0],
  );
}

/** @param {{type: string, ext: string, dataUrl: string, img: HTMLImageElement}} picture @param {string} fileName */
async function addLevel(picture, fileName) {
  const pack = state.record.pack;
  const index = pack.levels.length;
  const name = `level-${Date.now().toString(36)}-${index + 1}.${picture.ext}`;
  state.record.images[name] = { type: picture.type, dataUrl: picture.dataUrl };
  state.images.set(name, picture.img);
  const { naturalWidth: w, naturalHeight: h } = picture.img;
  const found = await detect(picture.img);
  const title = fileName.replace(/\.[^.]*$/, "").slice(0, 200) || _("Level {number}", { number: index + 1 });
  pack.levels.push({
    image: name,
    image_size: [w, h],
    title,
    artist: _("Unknown artist"),
    date: _("Unknown date"),
    credit: _("Collection of the museum"),
    keypoints: startingJoints(found, w, h),
    texts: { [SOURCE_LANGUAGE]: { hint: "Copy the pose!", about: "An artwork from our collection." } },
    weights: {},
    tolerance: 1,
    mirror_ok: true,
    upper_body_only: false,
  });
  setStatus(
    found
      ? _("Pose found in {title}: check the joints.", { title })
      : _("No pose found in {title}: place the joints by hand.", { title }),
  );
  select(index);
  changed();
}

// --- the editor --------------------------------------------------------------

/** The level being edited, if any. @returns {Level | undefined} */
function level() {
  return state.record.pack.levels[state.selected];
}

/** @param {number} index a level, or -1 for none */
function select(index) {
  state.selected = index;
  editor.reset();
  $("editor").hidden = index < 0;
  if (index >= 0) fillEditor();
  renderList();
}

function fillEditor() {
  const lvl = level();
  if (!lvl) return;
  form.fill(lvl, state.schema, languages);
  showAdvice();
  editor.draw();
}

/** The play statistics' suggestion for the selected level; the curator decides. */
function showAdvice() {
  const lvl = level();
  const advice = lvl ? levelAdvice(packText())[state.selected] || null : null;
  const retuned = Boolean(lvl && state.retuned.has(lvl.image));
  showSuggestion($("tolerance-advice"), advice, retuned, (tolerance) => {
    const current = level();
    if (!current) return;
    current.tolerance = tolerance;
    state.retuned.add(current.image);
    input$("level-tolerance").value = String(tolerance);
    showAdvice();
    changed();
  });
}

/** @param {string} lang @param {import("./level-form.js").TextKey} key @param {string} value */
function setText(lang, key, value) {
  const lvl = level();
  if (!lvl) return;
  const entry = lvl.texts[lang] || { hint: "", about: "" };
  entry[key] = value;
  if (!entry.hint && !entry.about && lang !== SOURCE_LANGUAGE) delete lvl.texts[lang];
  else lvl.texts[lang] = entry;
  const pack = state.record.pack;
  const codes = languages.map((language) => language.code);
  const others = pack.languages.filter((l) => !codes.includes(l)); // an imported pack's
  pack.languages = [...codes, ...others].filter((l) => pack.levels.some((x) => x.texts[l]));
  changed();
}

// --- wiring ------------------------------------------------------------------

function wirePackControls() {
  input$("level-tolerance").addEventListener("change", () => showAdvice()); // after the form's own
  input$("pack-id").addEventListener("change", () => {
    state.record.pack.id = input$("pack-id").value;
    changed();
  });
  input$("pack-title").addEventListener("change", () => {
    state.record.pack.title = input$("pack-title").value;
    changed();
  });
  $("remove-level").addEventListener("click", () => {
    const levels = state.record.pack.levels;
    const [removed] = levels.splice(state.selected, 1);
    if (removed && !levels.some((l) => l.image === removed.image)) delete state.record.images[removed.image];
    select(Math.min(state.selected, levels.length - 1));
    changed();
  });
  input$("add-images").addEventListener("change", () => addFiles([...(input$("add-images").files || [])]));
  const zone = $("drop-zone");
  zone.addEventListener("dragover", (e) => {
    e.preventDefault();
    zone.dataset.over = "true";
  });
  zone.addEventListener("dragleave", () => (zone.dataset.over = "false"));
  zone.addEventListener("drop", (e) => {
    e.preventDefault();
    zone.dataset.over = "false";
    addFiles([...(e.dataTransfer ? e.dataTransfer.files : [])]);
  });
  $("export-button").addEventListener("click", exportPack);
  input$("import-file").addEventListener("change", () => {
    const files = input$("import-file").files;
    if (files && files[0]) importPack(files[0]);
  });
  $("try-button").addEventListener("click", tryIt);
}

function exportPack() {
  validate();
  if (state.problems.length) return setStatus(_("Fix the problems first: an invalid pack cannot be exported."), "error");
  const blob = new Blob([exportText(state.record)], { type: "application/json" });
  const link = document.createElement("a");
  link.href = URL.createObjectURL(blob);
  link.download = `${state.record.pack.id}.strikeapose.json`;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 10000);
  setStatus(_("Exported {name}. Install it on the kiosk with tools/install_pack.py.", { name: link.download }));
}

/** @param {File} file */
async function importPack(file) {
  try {
    const imported = importText(await file.text());
    const problems = problemsOf(JSON.stringify(imported.pack));
    if (problems.length) {
      throw new Error(_("the pack has problems: {problems}", { problems: problems.map((p) => `${p.where}: ${p.message}`).join("; ") }));
    }
    /** @type {Map<string, HTMLImageElement>} */
    const decoded = new Map();
    for (const [name, image] of Object.entries(imported.images)) {
      try {
        decoded.set(name, await loadImage(image.dataUrl, imported.sizes[name]));
      } catch (error) {
        throw new Error(`picture ${name} ${messageOf(error)}`);
      }
    }
    for (const [name, img] of decoded) state.images.set(name, img);
    // The game's loader found no problem: the pack has the fields a Pack has.
    const pack = /** @type {Pack} */ (/** @type {unknown} */ (imported.pack));
    state.record = { id: STORAGE_ID, pack, images: imported.images };
    fillPackFields();
    select(state.record.pack.levels.length ? 0 : -1);
    changed();
    setStatus(_("Imported {title}.", { title: state.record.pack.title }));
    document.body.dataset.imported = String(Date.now());
  } catch (error) {
    setStatus(_("Not imported: {reason}", { reason: messageOf(error) }), "error");
    document.body.dataset.lastError = messageOf(error);
  }
}

async function tryIt() {
  validate();
  if (state.problems.length) return setStatus(_("Fix the problems first."), "error");
  const id = state.record.pack.id;
  await savePack({ ...state.record, id });
  const hooks = testHooksOn() ? "&test=1" : ""; // a test of the curator goes on testing the game
  location.href = `index.html?pack=local:${encodeURIComponent(id)}&nosw=1${hooks}`;
}

function fillPackFields() {
  input$("pack-id").value = state.record.pack.id;
  input$("pack-title").value = state.record.pack.title;
}

async function restore() {
  const saved = await loadPack(STORAGE_ID);
  if (!saved) return;
  state.record = /** @type {CuratorRecord} */ (saved); // saved by this page
  for (const [name, image] of Object.entries(saved.images)) {
    try {
      state.images.set(name, await loadImage(image.dataUrl));
    } catch {
      // a picture that no longer decodes shows as blank; the joints stay editable
    }
  }
  fillPackFields();
  select(state.record.pack.levels.length ? 0 : -1);
  setStatus(_("Your saved work is back."));
}

// --- the two views: the pack (#pack) and the play statistics (#stats) ---------

function showView() {
  const view = location.hash === "#stats" ? "stats" : "pack";
  document.body.dataset.view = view;
  $("page-title").textContent =
    view === "stats" ? pgettext("curator.view-stats", "Play statistics") : pgettext("curator.title", "Make a level pack");
  if (view === "stats" && document.body.dataset.ready === "true") showStatistics(() => state.record.pack);
}

async function start() {
  languages = (await startI18n(document)).languages;
  state.record.pack = emptyPack(); // its words in the curator's language
  fillPackFields();
  showView();
  window.addEventListener("hashchange", showView);
  wirePackControls();
  button$("export-button").disabled = true;
  button$("try-button").disabled = true;
  /** @type {Promise<void>} */
  const pythonReady = new Promise((resolve) => {
    if (document.body.dataset.python === "ready") resolve();
    else document.addEventListener("python-ready", () => resolve(), { once: true });
  });
  // The game's own validation (py/curator_main.py), started as the game starts it.
  startPython("py/curator_main.py").catch((error) => {
    document.body.dataset.python = "failed";
    setStatus(`The pack checker (Python) did not start: ${error.message}. Reload the page.`, "error");
  });
  const detector = createPoseDetector("auto").then(
    (d) => {
      state.detector = d;
      document.body.dataset.detector = "ready";
    },
    (error) => {
      document.body.dataset.detector = "failed";
      setStatus(_("The pose detector did not start ({reason}); place the joints by hand.", { reason: messageOf(error) }), "error");
    },
  );
  await pythonReady;
  state.schema = JSON.parse(python.poseSchema || "null") || state.schema;
  await detector;
  await loadStatistics();
  setUpStatisticsView(() => state.record.pack);
  document.addEventListener(STATS_CHANGED_EVENT, async () => {
    await loadStatistics();
    renderList();
    if (level()) showAdvice();
  });
  await restore();
  validate();
  renderList();
  document.body.dataset.ready = "true";
  showView();
}

start();
