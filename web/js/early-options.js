// @ts-check
// The page's options before Python runs, read as shell/options.py reads them
// (tests/unit/test_early_i18n.py checks both agree, case by case): the
// query's last non-empty value wins over config.json's; an on/off option is
// off for the words of OFF_WORDS (js/constants.js, from Python). The loading
// screen needs only a few: kiosk (no early Start), seated and seated_choice
// (its "I'm seated").

import { OFF_WORDS } from "./constants.js";

/**
 * An option's value as Python reads it, or null when neither the query nor
 * config.json sets it.
 * @param {URLSearchParams} query @param {Record<string, unknown>} config @param {string} key
 * @returns {string | null}
 */
export function optionValue(query, config, key) {
  const asked = query.getAll(key).filter(Boolean).pop();
  if (asked !== undefined) return asked;
  const value = config[key];
  if (typeof value === "boolean") return value ? "1" : "0";
  if (typeof value === "string" || typeof value === "number") return String(value);
  return null;
}

/**
 * Whether an on/off option is on (?kiosk=1), `fallback` when it is not set.
 * @param {string | null} value @param {boolean} [fallback]
 */
export function isOn(value, fallback = false) {
  return value === null ? fallback : !OFF_WORDS.includes(value.toLowerCase());
}
