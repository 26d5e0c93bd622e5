// @ts-check
// The play statistics next to the pack being edited: each level's clear rate
// in the level list, and beside the tolerance a suggestion when a level is
// cleared by fewer than 20% or more than 95% of the players who tried it.
// The rule and the figures are the game core's (playstats_report.py, through
// globalThis.statsAdvice); the curator decides: nothing changes unless the
// "Use" button is pressed.

import { _ } from "../i18n.js";
import { number, percent } from "../stats/format.js";
import { allRecords } from "../stats/store.js";
import { curatorPython } from "./python-side.js";

/** @typedef {{key: string, tried: number, cleared: number, clear_rate: number, few_players: boolean,
 *   suggestion: "more_forgiving" | "stricter" | null, tolerance: number | null,
 *   hardest_limb_label: string | null}} LevelAdvice */

let recordsJson = "[]";

/** Read the statistics kept on this device (again, after a reset). */
export async function loadStatistics() {
  try {
    recordsJson = JSON.stringify(await allRecords());
  } catch {
    recordsJson = "[]"; // no statistics here: the editor shows none
  }
}

/**
 * The advice for each level of the pack (JSON text), in pack order; null for
 * a level without statistics.
 * @param {string} packText
 * @returns {(LevelAdvice | null)[]}
 */
export function levelAdvice(packText) {
  const { statsAdvice } = curatorPython();
  if (!statsAdvice) return [];
  try {
    return JSON.parse(statsAdvice(recordsJson, packText));
  } catch {
    return [];
  }
}

/**
 * The level list's line about a level's players, or null.
 * @param {LevelAdvice | null} advice
 */
export function clearRateBadge(advice) {
  if (!advice) return null;
  const badge = document.createElement("span");
  badge.className = "clear-rate";
  badge.dataset.rate = String(advice.clear_rate);
  badge.dataset.suggestion = advice.suggestion || "none";
  badge.textContent = _("Cleared: {rate} · players: {players}", {
    rate: percent(advice.clear_rate),
    players: number(advice.tried),
  });
  return badge;
}

/**
 * Fill `box` (beside the tolerance field) with the suggestion for the
 * selected level, or hide it.
 * @param {HTMLElement} box
 * @param {LevelAdvice | null} advice
 * @param {boolean} retuned the curator has taken a suggestion for this level already
 * @param {(tolerance: number) => void} use called when the curator takes the suggestion
 */
export function showSuggestion(box, advice, retuned, use) {
  box.replaceChildren();
  box.hidden = !advice;
  if (!advice) return;
  box.dataset.suggestion = advice.suggestion || "none";
  const figures = { rate: percent(advice.clear_rate), players: number(advice.tried) };
  const lines = [_("Clear rate {rate}, players who tried it: {players}.", figures)];
  if (advice.hardest_limb_label) lines.push(_("Hint shown longest: {limb}.", { limb: _(advice.hardest_limb_label) }));
  const tolerance = advice.tolerance === null ? "" : number(advice.tolerance);
  if (advice.suggestion === "more_forgiving") {
    lines.push(
      advice.tolerance === null
        ? _("It may be too hard, and its tolerance is already the most forgiving: try lower weights or another picture.")
        : _("It may be too hard: a tolerance of {tolerance} would forgive more.", { tolerance }),
    );
  } else if (advice.suggestion === "stricter") {
    lines.push(
      advice.tolerance === null
        ? _("It may be too easy, and its tolerance is already the strictest.")
        : _("It may be too easy: a tolerance of {tolerance} would ask for more.", { tolerance }),
    );
  }
  if (retuned) {
    // The figures were counted with the old tolerance: no new suggestion on top of them.
    lines.splice(1);
    lines.push(_("Its tolerance has been changed since: these figures are from before the change."));
  } else if (advice.suggestion && advice.few_players) {
    lines.push(_("Few players so far ({players}): an early sign.", figures));
  }
  const text = document.createElement("p");
  text.textContent = lines.join(" ");
  box.append(text);
  const suggested = advice.tolerance;
  if (advice.suggestion && suggested !== null && !retuned) {
    const button = document.createElement("button");
    button.type = "button";
    button.id = "use-suggested-tolerance";
    button.textContent = _("Use tolerance {tolerance}", { tolerance });
    button.addEventListener("click", () => use(suggested));
    box.append(button);
  }
}
