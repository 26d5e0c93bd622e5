// The curator's page: turn artwork pictures into a level pack, on this device.
// Validation is the game core's own (Python, web/py/curator_main.py).

import { createPoseDetector } from "../detector.js";
import { _, pgettext, startI18n } from "../i18n.js";
import { loadPack, savePack } from "../local-packs.js";
import { startPython } from "../python-loader.js";
import { drawSkeleton } from "../skeleton.js";
import { setUpStatisticsView, showStatistics, STATS_CHANGED_EVENT } from "../stats/view.js";
import { clearRateBadge, levelAdvice, loadStatistics, showSuggestion } from "./advice.js";
import { exportText, importText } from "./exchange.js";
import { loadImage, readImageFile } from "./images.js";

// The languages a level's texts can be written in: the game's (locale/languages.json).
let languages = [{ code: "en", name: "English", dir: "ltr" }];
const COUNTS_SCORE = 0.3; // a detected joint scored at least this counts by default
const GRAB_RADIUS = 0.04; // of the picture's longer side: how near a press must be to a joint
const STORAGE_ID = "curator-draft"; // the pack being edited, saved as it changes
const $ = (id) => document.getElementById(id);

const state = {
  record: { id: STORAGE_ID, pack: emptyPack(), images: {} },
  selected: -1,
  schema: null,
  detector: null,
  images: new Map(), // name -> HTMLImageElement
  problems: [],
  dragging: -1,
  selectedJoint: -1,
  retuned: new Set(), // pictures of levels whose tolerance the curator took from a suggestion
};

function emptyPack() {
  return {
    format_version: 1,
    id: "my-museum",
    title: _("Our collection"),
    languages: ["en"],
    default_language: "en",
    levels: [],
  };
}

function setStatus(text, kind = "info") {
  $("status").textContent = text;
  $("status").dataset.kind = kind;
}

// --- saving and validating ---------------------------------------------

const SAVE_DELAY_MS = 150; // a drag saves once it settles, not at every pixel
let saveTimer = 0;
let saving = Promise.resolve();

/** Save the pack now (also when the page is hidden or closed: nothing lost). */
function flush() {
  clearTimeout(saveTimer);
  saving = saving.then(() => savePack(state.record)).then(() => {
    document.body.dataset.saved = String(Date.now());
  });
  return saving;
}
globalThis.curatorFlush = flush;
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

function validate() {
  if (!globalThis.validatePack) return;
  state.problems = JSON.parse(globalThis.validatePack(packText()));
  const packWide = state.problems.filter((p) => !p.where.startsWith("level "));
  const list = $("pack-problems");
  list.replaceChildren(...packWide.map((p) => item(`${p.where}: ${p.message}`)));
  const ok = state.problems.length === 0 && state.record.pack.levels.length > 0;
  $("export-button").disabled = !ok;
  $("try-button").disabled = !ok;
  document.body.dataset.valid = String(ok);
}

function item(text) {
  const li = document.createElement("li");
  li.textContent = text; // always text: titles may hold anything
  return li;
}

// --- the level list ----------------------------------------------------------

function renderList() {
  const list = $("level-list");
  const focused = list.contains(document.activeElement) ? document.activeElement.closest("li") : null;
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

async function addFiles(files) {
  for (const file of files) {
    try {
      const picture = await readImageFile(file);
      await addLevel(picture, file.name);
    } catch (error) {
      setStatus(String(error.message || error), "error");
      document.body.dataset.lastError = String(error.message || error);
    }
  }
}

async function detect(img) {
  if (!state.detector) return null;
  if (state.detector.detector.reset) state.detector.detector.reset(); // unrelated pictures
  return state.detector.estimate(img);
}

async function addLevel(picture, fileName) {
  const pack = state.record.pack;
  const index = pack.levels.length;
  const name = `level-${Date.now().toString(36)}-${index + 1}.${picture.ext}`;
  state.record.images[name] = { type: picture.type, dataUrl: picture.dataUrl };
  state.images.set(name, picture.img);
  const { naturalWidth: w, naturalHeight: h } = picture.img;
  const found = await detect(picture.img);
  const keypoints = [];
  for (let k = 0; k < 17; k += 1) {
    if (found) {
      const counts = found[k * 3 + 2] >= COUNTS_SCORE;
      keypoints.push([round(found[k * 3]), round(found[k * 3 + 1]), counts ? 1 : 0]);
    } else {
      keypoints.push([round(w / 2), round(((k + 1) * h) / 18), 0]);
    }
  }
  const title = fileName.replace(/\.[^.]*$/, "").slice(0, 200) || _("Level {number}", { number: index + 1 });
  pack.levels.push({
    image: name,
    image_size: [w, h],
    title,
    artist: _("Unknown artist"),
    date: _("Unknown date"),
    credit: _("Collection of the museum"),
    keypoints,
    texts: { en: { hint: "Copy the pose!", about: "An artwork from our collection." } },
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

function round(value) {
  return Math.round(value * 10) / 10;
}

// --- the editor --------------------------------------------------------------

function level() {
  return state.record.pack.levels[state.selected];
}

function select(index) {
  state.selected = index;
  state.selectedJoint = -1;
  $("editor").hidden = index < 0;
  if (index >= 0) fillEditor();
  renderList();
}

function fillEditor() {
  const lvl = level();
  for (const input of document.querySelectorAll("[data-field]")) input.value = lvl[input.dataset.field];
  $("level-tolerance").value = lvl.tolerance;
  showAdvice();
  $("level-mirror").checked = lvl.mirror_ok;
  $("level-upper").checked = lvl.upper_body_only;
  $("level-seated-skip").checked = lvl.seated === "skip";
  const schema = state.schema;
  $("joint-list").replaceChildren(
    ...schema.keypoints.map((name, k) => {
      const label = document.createElement("label");
      const box = document.createElement("input");
      box.type = "checkbox";
      box.dataset.joint = name;
      box.checked = lvl.keypoints[k][2] > 0;
      box.addEventListener("change", () => {
        lvl.keypoints[k][2] = box.checked ? 1 : 0;
        draw();
        changed();
      });
      label.append(box, _(schema.labels[name]));
      return label;
    }),
  );
  $("weight-list").replaceChildren(
    ...schema.limbs.map((name) => {
      const label = document.createElement("label");
      const input = document.createElement("input");
      input.type = "number";
      input.min = "0";
      input.max = "10";
      input.step = "0.5";
      input.dataset.weight = name;
      input.value = lvl.weights[name] ?? 1;
      input.addEventListener("change", () => {
        const value = Number(input.value);
        if (value === 1) delete lvl.weights[name];
        else lvl.weights[name] = value;
        changed();
      });
      label.append(input, _(schema.labels[name]));
      return label;
    }),
  );
  const fieldNames = {
    hint: (/** @type {string} */ language) => _("{language}: hint", { language }),
    about: (/** @type {string} */ language) => _("{language}: about the artwork", { language }),
  };
  $("text-list").replaceChildren(
    ...languages.flatMap(({ code, name, dir }) =>
      ["hint", "about"].map((key) => {
        const label = document.createElement("label");
        const input = document.createElement("input");
        input.dataset.lang = code;
        input.dataset.text = key;
        input.lang = code;
        input.dir = dir;
        input.value = (lvl.texts[code] && lvl.texts[code][key]) || "";
        input.addEventListener("change", () => setText(code, key, input.value));
        label.append(fieldNames[key](name), input);
        return label;
      }),
    ),
  );
  draw();
}

/** The play statistics' suggestion for the selected level; the curator decides. */
function showAdvice() {
  const lvl = level();
  const advice = lvl ? levelAdvice(packText())[state.selected] || null : null;
  const retuned = Boolean(lvl && state.retuned.has(lvl.image));
  showSuggestion($("tolerance-advice"), advice, retuned, (tolerance) => {
    level().tolerance = tolerance;
    state.retuned.add(level().image);
    $("level-tolerance").value = tolerance;
    showAdvice();
    changed();
  });
}

function setText(lang, key, value) {
  const lvl = level();
  const entry = lvl.texts[lang] || { hint: "", about: "" };
  entry[key] = value;
  if (!entry.hint && !entry.about && lang !== "en") delete lvl.texts[lang];
  else lvl.texts[lang] = entry;
  const pack = state.record.pack;
  const codes = languages.map((language) => language.code);
  const others = pack.languages.filter((/** @type {string} */ l) => !codes.includes(l)); // an imported pack's
  pack.languages = [...codes, ...others].filter((l) => pack.levels.some((x) => x.texts[l]));
  changed();
}

function draw() {
  const lvl = level();
  if (!lvl) return;
  const canvas = $("pose-canvas");
  const [w, h] = lvl.image_size;
  canvas.width = w;
  canvas.height = h;
  const img = state.images.get(lvl.image);
  const flat = lvl.keypoints.flatMap(([x, y, s]) => [x, y, s > 0 ? 1 : 0]);
  const bones = state.schema.bones;
  drawSkeleton(canvas, flat, { width: w, height: h }, bones, bones.map(() => "#ffb703"), 0.5);
  const ctx = canvas.getContext("2d");
  ctx.globalCompositeOperation = "destination-over";
  if (img) ctx.drawImage(img, 0, 0, w, h);
  ctx.globalCompositeOperation = "source-over";
  if (state.selectedJoint >= 0) {
    const [x, y] = lvl.keypoints[state.selectedJoint];
    ctx.strokeStyle = "#2ec27e";
    ctx.lineWidth = Math.max(w, h) * 0.006;
    ctx.beginPath();
    ctx.arc(x, y, Math.max(w, h) * 0.02, 0, 2 * Math.PI);
    ctx.stroke();
  }
}

function pictureXY(event) {
  const canvas = $("pose-canvas");
  const box = canvas.getBoundingClientRect();
  return [((event.clientX - box.left) * canvas.width) / box.width, ((event.clientY - box.top) * canvas.height) / box.height];
}

function nearestJoint(x, y) {
  const lvl = level();
  const reach = GRAB_RADIUS * Math.max(...lvl.image_size);
  let best = -1;
  let bestDistance = reach;
  lvl.keypoints.forEach(([jx, jy], k) => {
    const d = Math.hypot(jx - x, jy - y);
    if (d <= bestDistance) {
      best = k;
      bestDistance = d;
    }
  });
  return best;
}

function moveJoint(k, x, y) {
  const lvl = level();
  const [w, h] = lvl.image_size;
  lvl.keypoints[k][0] = round(Math.min(w, Math.max(0, x)));
  lvl.keypoints[k][1] = round(Math.min(h, Math.max(0, y)));
  draw();
}

function wireCanvas() {
  const canvas = $("pose-canvas");
  canvas.addEventListener("pointerdown", (event) => {
    if (!level()) return;
    const k = nearestJoint(...pictureXY(event));
    state.selectedJoint = k;
    state.dragging = k;
    if (k >= 0) canvas.setPointerCapture(event.pointerId);
    draw();
  });
  canvas.addEventListener("pointermove", (event) => {
    if (state.dragging >= 0) moveJoint(state.dragging, ...pictureXY(event));
  });
  const drop = () => {
    if (state.dragging >= 0) changed();
    state.dragging = -1;
  };
  canvas.addEventListener("pointerup", drop);
  canvas.addEventListener("pointercancel", drop);
  // Keyboard: Tab onto the picture, n/p pick the next/previous joint, arrows move it.
  canvas.addEventListener("keydown", (event) => {
    if (!level()) return;
    if (event.key === "n" || event.key === "p") {
      state.selectedJoint = (state.selectedJoint + (event.key === "n" ? 1 : 16) + 17) % 17;
      draw();
      return;
    }
    const step = event.shiftKey ? 10 : 1;
    const moves = { ArrowLeft: [-step, 0], ArrowRight: [step, 0], ArrowUp: [0, -step], ArrowDown: [0, step] };
    if (moves[event.key] && state.selectedJoint >= 0) {
      event.preventDefault();
      const [x, y] = level().keypoints[state.selectedJoint];
      moveJoint(state.selectedJoint, x + moves[event.key][0], y + moves[event.key][1]);
      changed();
    }
  });
}

// --- wiring ------------------------------------------------------------------

function wireFields() {
  for (const input of document.querySelectorAll("[data-field]")) {
    input.addEventListener("change", () => {
      level()[input.dataset.field] = input.value;
      changed();
    });
  }
  $("level-tolerance").addEventListener("change", (e) => {
    level().tolerance = Number(e.target.value);
    showAdvice();
    changed();
  });
  $("level-mirror").addEventListener("change", (e) => {
    level().mirror_ok = e.target.checked;
    changed();
  });
  $("level-upper").addEventListener("change", (e) => {
    level().upper_body_only = e.target.checked;
    changed();
  });
  $("level-seated-skip").addEventListener("change", (e) => {
    if (e.target.checked) level().seated = "skip";
    else delete level().seated;
    changed();
  });
  $("pack-id").addEventListener("change", (e) => {
    state.record.pack.id = e.target.value;
    changed();
  });
  $("pack-title").addEventListener("change", (e) => {
    state.record.pack.title = e.target.value;
    changed();
  });
  $("remove-level").addEventListener("click", () => {
    const [removed] = state.record.pack.levels.splice(state.selected, 1);
    if (!state.record.pack.levels.some((l) => l.image === removed.image)) delete state.record.images[removed.image];
    select(Math.min(state.selected, state.record.pack.levels.length - 1));
    changed();
  });
  $("add-images").addEventListener("change", (e) => addFiles([...e.target.files]));
  const zone = $("drop-zone");
  zone.addEventListener("dragover", (e) => {
    e.preventDefault();
    zone.dataset.over = "true";
  });
  zone.addEventListener("dragleave", () => (zone.dataset.over = "false"));
  zone.addEventListener("drop", (e) => {
    e.preventDefault();
    zone.dataset.over = "false";
    addFiles([...e.dataTransfer.files]);
  });
  $("export-button").addEventListener("click", exportPack);
  $("import-file").addEventListener("change", (e) => importPack(e.target.files[0]));
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

async function importPack(file) {
  if (!file) return;
  try {
    const imported = importText(await file.text());
    const problems = JSON.parse(globalThis.validatePack(JSON.stringify(imported.pack)));
    if (problems.length) {
      throw new Error(_("the pack has problems: {problems}", { problems: problems.map((p) => `${p.where}: ${p.message}`).join("; ") }));
    }
    const decoded = new Map();
    for (const [name, image] of Object.entries(imported.images)) {
      try {
        decoded.set(name, await loadImage(image.dataUrl, imported.sizes[name]));
      } catch (error) {
        throw new Error(`picture ${name} ${error.message || error}`);
      }
    }
    for (const [name, img] of decoded) state.images.set(name, img);
    state.record = { id: STORAGE_ID, pack: imported.pack, images: imported.images };
    fillPackFields();
    select(state.record.pack.levels.length ? 0 : -1);
    changed();
    setStatus(_("Imported {title}.", { title: state.record.pack.title }));
    document.body.dataset.imported = String(Date.now());
  } catch (error) {
    setStatus(_("Not imported: {reason}", { reason: error.message || error }), "error");
    document.body.dataset.lastError = String(error.message || error);
  }
}

async function tryIt() {
  validate();
  if (state.problems.length) return setStatus(_("Fix the problems first."), "error");
  const id = state.record.pack.id;
  await savePack({ ...state.record, id });
  location.href = `index.html?pack=local:${encodeURIComponent(id)}&nosw=1`;
}

function fillPackFields() {
  $("pack-id").value = state.record.pack.id;
  $("pack-title").value = state.record.pack.title;
}

async function restore() {
  const saved = await loadPack(STORAGE_ID);
  if (!saved) return;
  state.record = saved;
  for (const [name, image] of Object.entries(saved.images)) {
    try {
      state.images.set(name, await loadImage(image.dataUrl));
    } catch {
      // a picture that no longer decodes shows as blank; the joints stay editable
    }
  }
  fillPackFields();
  select(saved.pack.levels.length ? 0 : -1);
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
  wireFields();
  wireCanvas();
  $("export-button").disabled = true;
  $("try-button").disabled = true;
  const pythonReady = new Promise((resolve) => {
    if (document.body.dataset.python === "ready") resolve();
    else document.addEventListener("python-ready", resolve, { once: true });
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
      setStatus(_("The pose detector did not start ({reason}); place the joints by hand.", { reason: error.message }), "error");
    },
  );
  await pythonReady;
  state.schema = JSON.parse(globalThis.poseSchema);
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
