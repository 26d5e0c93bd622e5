// @ts-check
// The page's words in the visitor's language before Python runs (the loading
// screen, and an error shown on it). The words and the language rules come
// from Python (js/page-texts.js is generated from web/py/shell/i18n.py and
// options.py); the choice below is the one shell/options.py makes: ?lang=,
// else config.json's "lang", else the first of the browser's languages the
// game speaks. Python translates the page again when it starts, the same way.

import { DEFAULT_LANGUAGE, LANGUAGE_TAG, MESSAGES, OFF_WORDS, PAGE_TEXTS, UI_LANGUAGES } from "./page-texts.js";

/**
 * An option as Python reads it (shell/options.py): the query's last
 * non-empty value wins over config.json's.
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

/** Whether an on/off option is on (?kiosk=1). @param {string | null} value */
export function isOn(value) {
  return value !== null && !OFF_WORDS.includes(value.toLowerCase());
}

/**
 * The visitor's language tag.
 * @param {URLSearchParams} query @param {Record<string, unknown>} config
 * @param {readonly string[]} browserLanguages navigator.languages
 */
export function chooseLanguage(query, config, browserLanguages) {
  const spoken = browserLanguages.find((tag) => UI_LANGUAGES.includes(tag.split("-")[0].toLowerCase()));
  const fallback = spoken || DEFAULT_LANGUAGE;
  const asked = optionValue(query, config, "lang");
  return asked !== null && new RegExp(LANGUAGE_TAG).test(asked) ? asked : fallback;
}

/** The language of the game's own words for a tag ("fr-CA" -> "fr"). @param {string} tag */
export function uiLanguage(tag) {
  const primary = tag.split("-")[0].toLowerCase();
  return UI_LANGUAGES.includes(primary) ? primary : DEFAULT_LANGUAGE;
}

/**
 * A message of shell/i18n.py in `lang`, its {fields} filled in.
 * @param {string} lang @param {keyof typeof MESSAGES} key @param {Record<string, string>} [fields]
 */
export function message(lang, key, fields = {}) {
  const texts = /** @type {Record<string, string>} */ (MESSAGES[key]);
  const template = texts[uiLanguage(lang)] || texts[DEFAULT_LANGUAGE];
  return template.replace(/\{(\w+)\}/g, (whole, name) => (name in fields ? fields[name] : whole));
}

/**
 * Put the page's fixed texts in `lang`, as shell/dom.py translate_page does:
 * data-i18n elements get the text, data-i18n-label ones the aria-label, and
 * data-i18n-message ones (words only this screen shows) a message.
 * @param {Document} doc @param {string} lang
 */
export function translatePage(doc, lang) {
  const ui = uiLanguage(lang);
  const texts = /** @type {Record<string, Record<string, string>>} */ (PAGE_TEXTS);
  doc.documentElement.lang = lang;
  for (const element of doc.querySelectorAll("[data-i18n]")) {
    const text = texts[/** @type {HTMLElement} */ (element).dataset.i18n || ""]?.[ui];
    if (text !== undefined) element.textContent = text;
  }
  for (const element of doc.querySelectorAll("[data-i18n-label]")) {
    const text = texts[/** @type {HTMLElement} */ (element).dataset.i18nLabel || ""]?.[ui];
    if (text !== undefined) element.setAttribute("aria-label", text);
  }
  for (const element of doc.querySelectorAll("[data-i18n-message]")) {
    const key = /** @type {HTMLElement} */ (element).dataset.i18nMessage || "";
    if (key in MESSAGES) element.textContent = message(lang, /** @type {keyof typeof MESSAGES} */ (key));
  }
}
