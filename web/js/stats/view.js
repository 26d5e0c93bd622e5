// @ts-check
// The statistics view of the curator page (curator.html#stats): what the game
// has counted on this device (js/stats/store.js), drawn as charts and
// tables, exported as CSV, and erased after a confirmation. The figures are
// the game core's own report (web/py/strike_a_pose/playstats_report.py,
// reached through globalThis.statsOverview and statsCsv); this module draws.
// Nothing is fetched but the packs' own pack.json from this server (for the
// levels' titles) and nothing is sent.

import { _, pgettext } from "../i18n.js";
import { listPacks, loadPack } from "../local-packs.js";
import { barList, columnChart, rateBar, shareBar } from "./charts.js";
import { clearTimeBin, day, languageName, number, percent, scoreBin } from "./format.js";
import { curatorPython } from "../curator/python-side.js";
import { allRecords, clearRecords, localDay } from "./store.js";

/** Fired on the document when the records have changed (erased). */
export const STATS_CHANGED_EVENT = "strike-a-pose:stats-changed";
const LABEL_EVERY_DAYS = 7; // the games-per-day chart names every 7th day
const NARROWEST_CHART_PX = 280; // the games-per-day chart is drawn no narrower (it then scales down)

/** @param {string} id */
const $ = (id) => /** @type {HTMLElement} */ (document.getElementById(id));

/** @typedef {{language: string, games: number, share: number}} LanguageLine */
/** @typedef {{key: string, title: string | null, shown: number, cleared: number, skipped: number,
 *   missed: number, abandoned: number, clear_rate: number | null, median_clear_bin: number | null,
 *   hardest_limb: string | null, hardest_limb_label: string | null}} LevelLine */
/** @typedef {{games: Record<string, number>, seated_share: number | null, first_day: string | null,
 *   per_day: {day: string, games: number}[], languages: LanguageLine[],
 *   scores: {bin: number, games: number}[], clear_time_edges_ms: number[], score_edges: number[],
 *   packs: {pack: string, title: string | null, levels: LevelLine[]}[], problems: string[]}} Overview */

/**
 * A new element, its text always as text.
 * @template {keyof HTMLElementTagNameMap} K
 * @param {K} tag
 * @param {string} [text]
 * @param {string} [className]
 * @returns {HTMLElementTagNameMap[K]}
 */
function element(tag, text = "", className = "") {
  const made = document.createElement(tag);
  if (text) made.textContent = text; // always text: titles may hold anything
  if (className) made.className = className;
  return made;
}

/**
 * The packs whose titles name the levels: the one being edited, those saved
 * on this device, and those installed on this server (levels/index.json,
 * tools/pack_index.py) that the records mention.
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
  const counted = new Set(records.map((record) => /** @type {{pack?: unknown}} */ (record).pack));
  try {
    const response = await fetch("levels/index.json", { cache: "no-cache" });
    const index = response.ok ? await response.json() : { packs: [] };
    for (const entry of Array.isArray(index.packs) ? index.packs : []) {
      if (!counted.has(entry.id) || typeof entry.url !== "string") continue;
      const pack = await fetch(entry.url);
      if (pack.ok) packs.push(await pack.json());
    }
  } catch {
    // offline and never saved, or no index: the picture names stay
  }
  return packs;
}

/** @param {Overview} view */
function showSummary(view) {
  const g = view.games;
  const summary = $("stats-summary");
  for (const [name, value] of Object.entries(g)) summary.dataset[name] = String(value);
  const open = g.started - g.finished - g.abandoned;
  summary.textContent = g.started
    ? [
        _("Games since {day}: {count}", { day: day(view.first_day || "", true), count: number(g.started) }),
        _("finished: {count}", { count: number(g.finished) }),
        _("won with every artwork: {count}", { count: number(g.won) }),
        _("abandoned: {count}", { count: number(g.abandoned) }),
        _("not ended (the page was closed): {count}", { count: number(open) }),
      ].join(" · ")
    : _("No games have been counted on this device yet.");
  $("stats-empty").hidden = Boolean(g.started);
}

/**
 * The games-per-day chart, as wide in its units as its box is in CSS pixels,
 * so that its words keep their size from a phone to a kiosk.
 * @param {Overview} view
 */
function showGamesPerDay(view) {
  const box = $("stats-per-day");
  const days = view.per_day.map((line) => ({ label: day(line.day), value: line.games, text: number(line.games) }));
  const total = days.reduce((sum, line) => sum + line.value, 0);
  const width = Math.max(NARROWEST_CHART_PX, Math.round(box.clientWidth));
  box.dataset.drawnWidth = String(width);
  box.replaceChildren(
    columnChart(days, {
      description: _("Games per day over the last {days} days; in all: {count}", { days: days.length, count: number(total) }),
      labelEvery: LABEL_EVERY_DAYS,
      width,
    }),
  );
}

/** @type {Overview | null} the figures drawn last (redrawn when the chart's box changes width) */
let shown = null;

/** Redraw the games-per-day chart when its box has changed width (a phone turned, a window resized). */
function followTheBoxWidth() {
  const box = $("stats-per-day");
  new ResizeObserver(() => {
    const width = Math.round(box.clientWidth);
    if (shown && width > 0 && Math.max(NARROWEST_CHART_PX, width) !== Number(box.dataset.drawnWidth)) {
      showGamesPerDay(shown);
    }
  }).observe(box);
}

/** @param {Overview} view */
function showCharts(view) {
  showGamesPerDay(view);
  const g = view.games;
  $("stats-seated").replaceChildren(
    shareBar(
      [
        { label: _("Seated"), value: g.seated, kind: "seated" },
        { label: _("Standing"), value: g.started - g.seated, kind: "standing" },
      ],
      {
        description: _("Seated games: {share} of {count}", { share: percent(view.seated_share), count: number(g.started) }),
        format: (value, share) => `${number(value)} (${percent(share)})`,
      },
    ),
  );
  const languages = view.languages.map((line) => ({
    label: languageName(line.language),
    value: line.games,
    text: `${number(line.games)} (${percent(line.share)})`,
  }));
  const listed = languages.map((line) => `${line.label}: ${line.text}`).join(", ") || "–";
  $("stats-languages").replaceChildren(barList(languages, { description: _("Languages: {list}", { list: listed }) }));
  const scores = view.scores.map((line) => ({
    label: scoreBin(line.bin, view.score_edges),
    value: line.games,
    text: number(line.games),
  }));
  const bins = scores.map((line) => `${line.label}: ${line.text}`).join(", ");
  $("stats-scores").replaceChildren(barList(scores, { description: _("Scores of finished games: {list}", { list: bins }) }));
}

/** @param {LevelLine} level @param {number[]} edgesMs the time-to-clear bins' edges */
function levelRow(level, edgesMs) {
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
    element("td", number(level.shown), "shown"),
    element("td", number(level.cleared), "cleared"),
    rate,
    element("td", level.median_clear_bin === null ? "–" : clearTimeBin(level.median_clear_bin, edgesMs), "median"),
    element("td", level.hardest_limb_label ? _(level.hardest_limb_label) : "–", "limb"),
    element("td", number(level.skipped), "skipped"),
    element("td", number(level.missed), "missed"),
    element("td", number(level.abandoned), "abandoned"),
  );
  return row;
}

/** The level table's columns: heading, and the class of its cells (levelRow). */
const levelHeadings = () => [
  [pgettext("stats.table", "Level"), ""],
  [pgettext("stats.table", "Players"), "shown"],
  [pgettext("stats.table", "Cleared"), "cleared"],
  [pgettext("stats.table", "Clear rate"), "rate"],
  [pgettext("stats.table", "Median time to clear"), "median"],
  [pgettext("stats.table", "Hardest limb"), "limb"],
  [pgettext("stats.table", "Skipped"), "skipped"],
  [pgettext("stats.table", "Time ran out"), "missed"],
  [pgettext("stats.table", "Left the game"), "abandoned"],
];

/** @param {Overview} view */
function showLevels(view) {
  const blocks = view.packs.map((pack) => {
    const block = element("section", "", "stats-pack");
    block.dataset.pack = pack.pack;
    const heading = element("h3", pack.title ? `${pack.title} (${pack.pack})` : pack.pack);
    heading.id = `stats-pack-${pack.pack}`; // pack ids are [a-z0-9_-]: a valid id
    block.append(heading);
    const table = element("table", "", "stats-table");
    const head = element("tr");
    head.append(...levelHeadings().map(([text, className]) => Object.assign(element("th", text, className), { scope: "col" })));
    table.append(element("thead"), element("tbody"));
    table.tHead?.append(head);
    table.tBodies[0].append(...pack.levels.map((level) => levelRow(level, view.clear_time_edges_ms)));
    // On a narrow screen the table scrolls sideways: by keyboard too, as a named region.
    const scroller = element("div", "", "stats-scroll");
    Object.assign(scroller, { tabIndex: 0 });
    scroller.setAttribute("role", "region");
    scroller.setAttribute("aria-labelledby", heading.id);
    scroller.append(table);
    block.append(scroller);
    return block;
  });
  $("stats-levels").replaceChildren(...blocks);
  const problems = $("stats-problems");
  problems.replaceChildren(...view.problems.map((problem) => element("li", _("Left out: {problem}", { problem }))));
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
    const { statsOverview } = curatorPython();
    if (!statsOverview) throw new Error("the game engine (Python) has not started");
    /** @type {Overview} */
    const view = JSON.parse(statsOverview(JSON.stringify(records), JSON.stringify(packs), localDay()));
    shown = view;
    showSummary(view);
    showCharts(view);
    showLevels(view);
    root.dataset.status = "ready";
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    $("stats-summary").textContent = _("The statistics could not be read: {reason}", { reason });
    root.dataset.status = "failed";
  }
}

/** Download every record as CSV (one row per level per day; columns in docs/statistics.md). */
async function downloadCsv() {
  const { statsCsv } = curatorPython();
  if (!statsCsv) throw new Error("the game engine (Python) has not started");
  const text = statsCsv(JSON.stringify(await allRecords()));
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
  followTheBoxWidth();
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
