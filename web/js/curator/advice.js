// @ts-check
// The play statistics next to the pack being edited: each level's clear rate
// in the level list, and beside the tolerance a suggestion when a level is
// cleared by fewer than 20% or more than 95% of the players who tried it.
// The rule and the figures are the game core's (playstats_report.py, through
// globalThis.statsAdvice); the curator decides: nothing changes unless the
// "Use" button is pressed.

import { allRecords } from "../stats/store.js";

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
  if (!globalThis.statsAdvice) return [];
  try {
    return JSON.parse(globalThis.statsAdvice(recordsJson, packText));
  } catch {
    return [];
  }
}

/** @param {number} rate */
const percent = (rate) => `${Math.round(rate * 100)}%`;

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
  badge.textContent = `Cleared by ${percent(advice.clear_rate)} (${advice.cleared} of ${advice.tried} players)`;
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
  const players = `${percent(advice.clear_rate)} of the ${advice.tried} players who tried it`;
  const lines = [`Cleared by ${players}.`];
  if (advice.hardest_limb_label) lines.push(`Players most often needed help with the ${advice.hardest_limb_label}.`);
  if (advice.suggestion === "more_forgiving") {
    lines.push(
      advice.tolerance === null
        ? "It may be too hard, and its tolerance is already the most forgiving: try lower weights or another picture."
        : `It may be too hard: a tolerance of ${advice.tolerance} would forgive more.`,
    );
  } else if (advice.suggestion === "stricter") {
    lines.push(
      advice.tolerance === null
        ? "It may be too easy, and its tolerance is already the strictest."
        : `It may be too easy: a tolerance of ${advice.tolerance} would ask for more.`,
    );
  }
  if (retuned) {
    // The figures were counted with the old tolerance: no new suggestion on top of them.
    lines.splice(1);
    lines.push("Its tolerance has been changed since: these figures are from before the change.");
  } else if (advice.suggestion && advice.few_players) {
    lines.push(`Only ${advice.tried} players so far: an early sign.`);
  }
  const text = document.createElement("p");
  text.textContent = lines.join(" ");
  box.append(text);
  const suggested = advice.tolerance;
  if (advice.suggestion && suggested !== null && !retuned) {
    const button = document.createElement("button");
    button.type = "button";
    button.id = "use-suggested-tolerance";
    button.textContent = `Use tolerance ${suggested}`;
    button.addEventListener("click", () => use(suggested));
    box.append(button);
  }
}
