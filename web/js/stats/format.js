// @ts-check
// The play statistics' figures in the page's language: numbers, shares, days,
// the names of histogram bins and of languages. The bins' edges come from the
// game core (playstats.py, through the overview), never retyped here.

import { _ } from "../i18n.js";

/** The page's language, as js/i18n.js set it. */
const lang = () => document.documentElement.lang || "en";

/** @param {number} value */
export function number(value) {
  return new Intl.NumberFormat(lang()).format(value);
}

/** A share (0..1) as a whole percentage, or a dash for none. @param {number | null} share */
export function percent(share) {
  if (share === null) return "–";
  return new Intl.NumberFormat(lang(), { style: "percent", maximumFractionDigits: 0 }).format(share);
}

/** "2026-11-30" as a date without a year ("30 Nov"), or with one. @param {string} day @param {boolean} [withYear] */
export function day(day, withYear = false) {
  const [year, month, date] = day.split("-").map(Number);
  /** @type {Intl.DateTimeFormatOptions} */
  const options = withYear ? { day: "numeric", month: "short", year: "numeric" } : { day: "numeric", month: "short" };
  return new Date(year, month - 1, date).toLocaleDateString(lang(), options);
}

/** A language code's name in the page's language, with the code. @param {string} code */
export function languageName(code) {
  try {
    const name = new Intl.DisplayNames([lang()], { type: "language" }).of(code);
    return name && name !== code ? `${name} (${code})` : code;
  } catch {
    return code;
  }
}

/**
 * The name of bin `index` of the time-to-clear histogram with these upper
 * edges (ms): "under 2 s", "2–4 s", "20 s or more".
 * @param {number} index @param {number[]} edgesMs
 */
export function clearTimeBin(index, edgesMs) {
  const seconds = edgesMs.map((ms) => number(ms / 1000));
  if (index === 0) return _("under {seconds} s", { seconds: seconds[0] });
  if (index >= edgesMs.length) return _("{seconds} s or more", { seconds: seconds[edgesMs.length - 1] });
  return _("{low}–{high} s", { low: seconds[index - 1], high: seconds[index] });
}

/**
 * The name of bin `index` of the score histogram with these upper edges:
 * "0", "1–249", "2000 or more".
 * @param {number} index @param {number[]} edges
 */
export function scoreBin(index, edges) {
  if (index >= edges.length) return _("{score} or more", { score: number(edges[edges.length - 1]) });
  const low = index === 0 ? 0 : edges[index - 1];
  const high = edges[index] - 1;
  return low === high ? number(low) : `${number(low)}–${number(high)}`;
}
