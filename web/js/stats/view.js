// @ts-check
// The statistics view of the curator page (curator.html#stats): what the game
// has counted on this device (js/stats/store.js), drawn as charts and
// tables, exported as CSV, and erased after a confirmation. The figures are
// the game core's own report (web/py/strike_a_pose/playstats_report.py,
// reached through globalThis.statsOverview and statsCsv); this module draws.
// Nothing is fetched but the packs' own pack.json from this server (for the
// levels' titles) and nothing is sent.

import { listPacks, loadPack } from "../local-packs.js";
import { barList, columnChart, rateBar, shareBar } from "./charts.js";
import { allRecords, clearRecords, localDay } from "./store.js";

/** Fired on the document when the records have changed (erased). */
export const STATS_CHANGED_EVENT = "strike-a-pose:stats-changed";
const LABEL_EVERY_DAYS = 7; // the games-per-day chart names every 7th day

/** @param {string} id */
const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

/** @typedef {{language: string, games: number, share: number}} LanguageLine */
/** @typedef {{key: string, title: string | null, shown: number, cleared: number, skipped: number,
 *   missed: number, abandoned: number, clear_rate: number | null, median_clear: string | null,
 *   hardest_limb: string | null, hardest_limb_label: string | null}} LevelLine */
/** @typedef {{games: Record<string, number>, seated_share: number | null, first_day: string | null,
 *   per_day: {day: string, games: number}[], languages: LanguageLine[],
 *   scores: {label: string, games: number}[],
 *   packs: {pack: string, title: string | null, levels: LevelLine[]}[], problems: string[]}} Overview */

/**
 * @param {string} tag
 * @param {string} [text]
 * @param {string} [className]
 */
function element(tag, text = "", className = "") {
  const made = document.createElement(tag);
  if (text) made.textContent = text; // always text: titles may hold anything
  if (className) made.className = className;
  return made;
}

/** @param {number | null} rate */
const percent = (rate) => (rate === null ? "–" : `${Math.round(rate * 100)}%`);

/** @param {string} code */
function languageName(code) {
  try {
    const names = new Intl.DisplayNames(["en"], { type: "language" });
    return `${names.of(code) || code} (${code})`;
  } catch {
    return code;
  }
}

/**
 * "2026-11-30" -> "30 Nov" (the chart's labels; staff pages speak English).
 * @param {string} day
 */
function shortDay(day) {
  const [year, month, date] = day.split("-").map(Number);
  return new Date(year, month - 1, date).toLocaleDateString("en-GB", { day: "numeric", month: "short" });
}

/**
 * The packs whose titles name the levels: the one being edited, those saved
 * on this device, and those installed on this server (levels/<id>/pack.json).
 * @param {unknown[]} records
 * @param {unknown} draft
 */
async function knownPacks(records, draft) {
  const packs = draft ? [draft] : [];
  try {
    for (const { id } of await listPacks()) {
      const saved = await loadPack(id);
      if (saved) packs.push(saved.pack);
    }
  } catch {
    // no saved packs: levels are named by their pictures
  }
  const ids = new Set(records.map((record) => /** @type {{pack?: unknown}} */ (record).pack).filter((id) => typeof id === "string"));
  for (const id of ids) {
    try {
      const response = await fetch(`levels/${encodeURIComponent(String(id))}/pack.json`);
      if (response.ok) packs.push(await response.json());
    } catch {
      // not installed here (or offline and never saved): the picture names stay
    }
  }
  return packs;
}

/** @param {Overview} view */
function showSummary(view) {
  const g = view.games;
  const summary = $("stats-summary");
  for (const [name, value] of Object.entries(g)) summary.dataset[name] = String(value);
  summary.textContent = g.started
    ? `${g.started} games since ${view.first_day}: ${g.finished} finished (${g.won} won with every artwork), ` +
      `${g.abandoned} abandoned, ${g.started - g.finished - g.abandoned} not ended (the page was closed).`
    : "No games have been counted on this device yet.";
  $("stats-empty").hidden = Boolean(g.started);
}

/** @param {Overview} view */
function showCharts(view) {
  const days = view.per_day.map(({ day, games }) => ({ label: shortDay(day), value: games }));
  const total = days.reduce((sum, day) => sum + day.value, 0);
  $("stats-per-day").replaceChildren(
    columnChart(days, { description: `Games per day, last ${days.length} days: ${total} in all`, labelEvery: LABEL_EVERY_DAYS }),
  );
  const g = view.games;
  $("stats-seated").replaceChildren(
    shareBar(
      [
        { label: "Seated", value: g.seated, kind: "seated" },
        { label: "Standing", value: g.started - g.seated, kind: "standing" },
      ],
      { description: `Seated games: ${percent(view.seated_share)} of ${g.started}` },
    ),
  );
  const languages = view.languages.map((line) => ({
    label: languageName(line.language),
    value: line.games,
    text: `${line.games} (${percent(line.share)})`,
  }));
  $("stats-languages").replaceChildren(
    barList(languages, { description: `Languages: ${languages.map((l) => `${l.label} ${l.text}`).join(", ") || "none"}` }),
  );
  const scores = view.scores.map((bin) => ({ label: bin.label, value: bin.games, text: String(bin.games) }));
  $("stats-scores").replaceChildren(
    barList(scores, { description: `Scores of finished games: ${scores.map((s) => `${s.label}: ${s.text}`).join(", ")}` }),
  );
}

/** @param {LevelLine} level */
function levelRow(level) {
  const row = element("tr");
  row.dataset.level = level.key;
  const name = element("th", level.title || level.key);
  name.scope = "row";
  if (level.title) name.append(element("small", level.key, "key"));
  const rate = element("td", "", "rate");
  const inside = element("span", "", "rate-cell");
  inside.append(rateBar(level.clear_rate), element("span", percent(level.clear_rate)));
  rate.append(inside);
  row.append(
    name,
    element("td", String(level.shown), "shown"),
    element("td", String(level.cleared), "cleared"),
    rate,
    element("td", level.median_clear || "–", "median"),
    element("td", level.hardest_limb_label || "–", "limb"),
    element("td", String(level.skipped), "skipped"),
    element("td", String(level.missed), "missed"),
    element("td", String(level.abandoned), "abandoned"),
  );
  return row;
}

/** The level table's columns: heading, and the class of its cells (levelRow). */
const LEVEL_HEADINGS = [
  ["Level", ""],
  ["Players", "shown"],
  ["Cleared", "cleared"],
  ["Clear rate", "rate"],
  ["Median time to clear", "median"],
  ["Hardest limb", "limb"],
  ["Skipped", "skipped"],
  ["Time ran out", "missed"],
  ["Left", "abandoned"],
];

/** @param {Overview} view */
function showLevels(view) {
  const blocks = view.packs.map((pack) => {
    const block = element("section", "", "stats-pack");
    block.dataset.pack = pack.pack;
    block.append(element("h3", pack.title ? `${pack.title} (${pack.pack})` : pack.pack));
    const table = element("table", "", "stats-table");
    const head = element("tr");
    head.append(...LEVEL_HEADINGS.map(([text, className]) => Object.assign(element("th", text, className), { scope: "col" })));
    table.append(element("thead"), element("tbody"));
    table.tHead?.append(head);
    table.tBodies[0].append(...pack.levels.map(levelRow));
    block.append(table);
    return block;
  });
  $("stats-levels").replaceChildren(...blocks);
  const problems = $("stats-problems");
  problems.replaceChildren(...view.problems.map((text) => element("li", text)));
  problems.hidden = view.problems.length === 0;
}

/**
 * Read the records and draw everything.
 * @param {() => unknown} draft the pack being edited (its titles name its levels)
 */
export async function showStatistics(draft) {
  const root = $("stats-view");
  root.dataset.status = "loading";
  try {
    const records = await allRecords();
    const packs = await knownPacks(records, draft());
    /** @type {Overview} */
    const view = JSON.parse(globalThis.statsOverview(JSON.stringify(records), JSON.stringify(packs), localDay()));
    showSummary(view);
    showCharts(view);
    showLevels(view);
    root.dataset.status = "ready";
  } catch (error) {
    $("stats-summary").textContent = `The statistics could not be read: ${error instanceof Error ? error.message : error}`;
    root.dataset.status = "failed";
  }
}

/** Download every record as CSV (one row per level per day; columns in docs/statistics.md). */
async function downloadCsv() {
  const text = globalThis.statsCsv(JSON.stringify(await allRecords()));
  const link = document.createElement("a");
  link.href = URL.createObjectURL(new Blob([text], { type: "text/csv" }));
  link.download = `strike-a-pose-statistics-${localDay()}.csv`;
  link.click();
  setTimeout(() => URL.revokeObjectURL(link.href), 10000);
}

/**
 * Wire the view's buttons. The reset asks first, in a dialog.
 * @param {() => unknown} draft
 */
export function setUpStatisticsView(draft) {
  $("stats-csv").addEventListener("click", () => downloadCsv());
  const dialog = /** @type {HTMLDialogElement} */ ($("stats-reset-dialog"));
  $("stats-reset").addEventListener("click", () => {
    dialog.returnValue = ""; // Escape closes it without a new value: nothing is erased
    dialog.showModal();
  });
  dialog.addEventListener("close", async () => {
    if (dialog.returnValue !== "erase") return;
    await clearRecords();
    document.dispatchEvent(new Event(STATS_CHANGED_EVENT));
    await showStatistics(draft);
  });
}
