// @ts-check
// The pages' words in the visitor's language, from the same gettext catalogues
// as the game's Python (shell/i18n.py): locale/*.po compiled by
// tools/catalogues.py into locale/<code>.mo and locale/languages.json. Used by
// the curator page and the self-test, which have no Python of their own words.
//
// Messages are English in the sources, written as _("..."), ngettext(...) and
// pgettext(...) (tools/messages.py finds them); placeholders are {name},
// filled by name only. Plural forms follow the catalogue's Plural-Forms,
// evaluated by a small parser of gettext's C subset (never eval: our CSP has
// no 'unsafe-eval', and a catalogue is data).

import { LANGUAGE_TAG as LANGUAGE_PATTERN, SOURCE_LANGUAGE, SOURCE_LANGUAGE_ENTRY } from "./constants.js";

export { SOURCE_LANGUAGE };
const LOCALE_URL = new URL("../locale/", import.meta.url);
const CONFIG_URL = new URL("../config.json", import.meta.url);
const MO_MAGIC = 0x950412de;
const CONTEXT_SEPARATOR = "\u0004";
const LANGUAGE_TAG = new RegExp(LANGUAGE_PATTERN); // as shell/options.py checks ?lang=

/** @typedef {{code: string, name: string, dir: string}} Language */

/**
 * `template` with each {name} of `params` replaced by its value.
 * @param {string} template @param {Record<string, unknown>} [params]
 */
export function fill(template, params = {}) {
  return template.replace(/\{(\w+)\}/g, (whole, name) => (name in params ? String(params[name]) : whole));
}

// --- Plural-Forms: gettext's C expression, parsed into a function of n -------

const TOKEN = /\s*(\d+|n|==|!=|<=|>=|&&|\|\||[-+*/%<>!?:()])/y;
const BINARY = [["||"], ["&&"], ["==", "!="], ["<", ">", "<=", ">="], ["+", "-"], ["*", "/", "%"]];

/**
 * The plural rule of a Plural-Forms expression ("n != 1", "n==0 ? 0 : ...").
 * Throws on anything outside gettext's grammar.
 * @param {string} expression
 * @returns {(n: number) => number}
 */
export function pluralRule(expression) {
  /** @type {string[]} */
  const tokens = [];
  TOKEN.lastIndex = 0;
  const text = expression.trim();
  while (TOKEN.lastIndex < text.length) {
    const match = TOKEN.exec(text);
    if (!match) throw new Error(`bad plural expression: ${expression}`);
    tokens.push(match[1]);
  }
  let at = 0;
  const peek = () => tokens[at];
  const take = (/** @type {string} */ wanted) => {
    if (tokens[at] !== wanted) throw new Error(`bad plural expression: ${expression}`);
    at += 1;
  };
  /** @returns {(n: number) => number} */
  const ternary = () => {
    const test = binary(0);
    if (peek() !== "?") return test;
    take("?");
    const yes = ternary();
    take(":");
    const no = ternary();
    return (n) => (test(n) ? yes(n) : no(n));
  };
  /** @param {number} level @returns {(n: number) => number} */
  const binary = (level) => {
    if (level === BINARY.length) return unary();
    let left = binary(level + 1);
    while (BINARY[level].includes(peek())) {
      const op = tokens[at++];
      const l = left;
      const r = binary(level + 1);
      left = (n) => apply(op, l(n), r(n));
    }
    return left;
  };
  /** @returns {(n: number) => number} */
  const unary = () => {
    const token = tokens[at++];
    if (token === "!") {
      const inner = unary();
      return (n) => (inner(n) ? 0 : 1);
    }
    if (token === "(") {
      const inner = ternary();
      take(")");
      return inner;
    }
    if (token === "n") return (n) => n;
    if (token !== undefined && /^\d+$/.test(token)) {
      const value = Number(token);
      return () => value;
    }
    throw new Error(`bad plural expression: ${expression}`);
  };
  const rule = ternary();
  if (at !== tokens.length) throw new Error(`bad plural expression: ${expression}`);
  return (n) => Number(rule(Math.abs(Math.trunc(n))));
}

/** @param {string} op @param {number} a @param {number} b */
function apply(op, a, b) {
  switch (op) {
    case "||": return a || b ? 1 : 0;
    case "&&": return a && b ? 1 : 0;
    case "==": return a === b ? 1 : 0;
    case "!=": return a !== b ? 1 : 0;
    case "<": return a < b ? 1 : 0;
    case ">": return a > b ? 1 : 0;
    case "<=": return a <= b ? 1 : 0;
    case ">=": return a >= b ? 1 : 0;
    case "+": return a + b;
    case "-": return a - b;
    case "*": return a * b;
    case "/": return b ? Math.trunc(a / b) : 0;
    default: return b ? a % b : 0;
  }
}

// --- the catalogue -----------------------------------------------------------

/**
 * The messages of a compiled catalogue (.mo): key -> translation, and its headers.
 * @param {ArrayBuffer} buffer
 */
export function parseMo(buffer) {
  const view = new DataView(buffer);
  let little = true;
  if (view.getUint32(0, true) !== MO_MAGIC) {
    if (view.getUint32(0, false) !== MO_MAGIC) throw new Error("not a .mo catalogue");
    little = false;
  }
  const count = view.getUint32(8, little);
  const ids = view.getUint32(12, little);
  const strs = view.getUint32(16, little);
  const decoder = new TextDecoder("utf-8", { fatal: true });
  const read = (/** @type {number} */ table, /** @type {number} */ i) => {
    const length = view.getUint32(table + i * 8, little);
    const offset = view.getUint32(table + i * 8 + 4, little);
    return decoder.decode(new Uint8Array(buffer, offset, length));
  };
  /** @type {Map<string, string[]>} */
  const messages = new Map();
  for (let i = 0; i < count; i += 1) {
    const key = read(ids, i).split("\u0000")[0]; // a plural's key is its singular
    messages.set(key, read(strs, i).split("\u0000"));
  }
  /** @type {Record<string, string>} */
  const headers = {};
  for (const line of (messages.get("") || [""])[0].split("\n")) {
    const colon = line.indexOf(":");
    if (colon > 0) headers[line.slice(0, colon).trim()] = line.slice(colon + 1).trim();
  }
  messages.delete("");
  return { messages, headers };
}

export class Catalogue {
  /**
   * @param {string} code the language, e.g. "it"
   * @param {Map<string, string[]>} [messages]
   * @param {string} [pluralForms] the catalogue's Plural-Forms header
   */
  constructor(code = SOURCE_LANGUAGE, messages = new Map(), pluralForms = "nplurals=2; plural=(n != 1);") {
    this.code = code;
    this.messages = messages;
    const expression = /plural\s*=\s*([^;]+)/.exec(pluralForms);
    this.plural = pluralRule(expression ? expression[1] : "n != 1");
    const direction = this.pgettext("text direction", "ltr");
    this.direction = direction === "rtl" ? "rtl" : "ltr";
  }

  /** @param {string} message @param {Record<string, unknown>} [params] */
  gettext(message, params) {
    const found = this.messages.get(message);
    return fill(found && found[0] ? found[0] : message, params);
  }

  /**
   * The form for `count` ({count} is filled with it too).
   * @param {string} singular @param {string} plural @param {number} count
   * @param {Record<string, unknown>} [params]
   */
  ngettext(singular, plural, count, params = {}) {
    const found = this.messages.get(singular);
    const form = found ? found[this.plural(count)] : undefined;
    const english = count === 1 ? singular : plural;
    return fill(form || english, { count, ...params });
  }

  /** @param {string} context @param {string} message @param {Record<string, unknown>} [params] */
  pgettext(context, message, params) {
    const found = this.messages.get(`${context}${CONTEXT_SEPARATOR}${message}`);
    return fill(found && found[0] ? found[0] : message, params);
  }
}

// --- choosing and loading ----------------------------------------------------

/** The languages the game speaks (English alone without the list). @returns {Promise<Language[]>} */
export async function loadLanguages() {
  try {
    const response = await fetch(new URL("languages.json", LOCALE_URL), { cache: "no-cache" });
    if (response.ok) {
      const data = await response.json();
      if (Array.isArray(data.languages) && data.languages.length) return data.languages;
    }
  } catch {
    // offline without a saved copy, or no list: English
  }
  return [{ ...SOURCE_LANGUAGE_ENTRY }];
}

/**
 * The catalogue code for a language tag: the exact tag, else its primary
 * language ("fr-CA" -> "fr"), else null (shell/i18n.py's rule).
 * @param {string} tag @param {string[]} spoken
 */
export function match(tag, spoken) {
  const exact = spoken.find((code) => code.toLowerCase() === tag.toLowerCase());
  if (exact) return exact;
  const primary = tag.split("-")[0].toLowerCase();
  return spoken.find((code) => code.toLowerCase() === primary) || null;
}

/**
 * The visitor's language tag, as the game chooses it (shell/options.py):
 * ?lang=, else config.json's "lang", else the first browser language we
 * speak, else English.
 * @param {URLSearchParams} query @param {Record<string, unknown>} config
 * @param {readonly string[]} browserLanguages @param {string[]} spoken
 */
export function chooseLanguage(query, config, browserLanguages, spoken) {
  // As shell/options.py: the query's last non-empty value, else config.json's.
  const asked = query.getAll("lang").filter(Boolean).pop() ?? (typeof config.lang === "string" ? config.lang : null);
  if (asked !== null && LANGUAGE_TAG.test(asked)) return asked;
  return browserLanguages.find((tag) => match(tag, spoken) !== null) || SOURCE_LANGUAGE;
}

/**
 * The catalogue of language `code` from its compiled bytes (a .mo file).
 * Throws when they are not a catalogue.
 * @param {string} code @param {ArrayBuffer} buffer
 */
export function catalogueFromMo(code, buffer) {
  const { messages, headers } = parseMo(buffer);
  return new Catalogue(code, messages, headers["Plural-Forms"]);
}

/** The catalogue of language `code` (English words when it cannot be read). @param {string} code */
export async function loadCatalogue(code) {
  if (code === SOURCE_LANGUAGE) return new Catalogue();
  try {
    const response = await fetch(new URL(`${code}.mo`, LOCALE_URL), { cache: "no-cache" });
    if (!response.ok) return new Catalogue();
    return catalogueFromMo(code, await response.arrayBuffer());
  } catch {
    return new Catalogue();
  }
}

/**
 * Put a page's fixed texts in a language, as shell/dom.py does for the game:
 * data-i18n elements get their text, data-i18n-label ones their aria-label,
 * each a message in the context the attribute names; lang and dir are set.
 * @param {Document} doc @param {Catalogue} catalogue @param {string} lang
 */
export function translatePage(doc, catalogue, lang) {
  doc.documentElement.lang = lang;
  doc.documentElement.dir = catalogue.direction;
  for (const element of doc.querySelectorAll("[data-i18n]")) {
    const english = (element.textContent || "").split(/\s+/).filter(Boolean).join(" ");
    element.textContent = catalogue.pgettext(/** @type {HTMLElement} */ (element).dataset.i18n || "", english);
  }
  for (const element of doc.querySelectorAll("[data-i18n-label]")) {
    const english = (element.getAttribute("aria-label") || "").split(/\s+/).filter(Boolean).join(" ");
    element.setAttribute("aria-label", catalogue.pgettext(/** @type {HTMLElement} */ (element).dataset.i18nLabel || "", english));
  }
}

// --- this page's words ---------------------------------------------------------

let current = new Catalogue();

/** A message in the page's language. @param {string} message @param {Record<string, unknown>} [params] */
export function _(message, params) {
  return current.gettext(message, params);
}

/** @param {string} singular @param {string} plural @param {number} count @param {Record<string, unknown>} [params] */
export function ngettext(singular, plural, count, params) {
  return current.ngettext(singular, plural, count, params);
}

/** @param {string} context @param {string} message @param {Record<string, unknown>} [params] */
export function pgettext(context, message, params) {
  return current.pgettext(context, message, params);
}

/**
 * Choose this page's language, load its words and translate the page. Never
 * throws: without catalogues the page stays English.
 * @param {Document} doc
 * @returns {Promise<{lang: string, catalogue: Catalogue, languages: Language[]}>}
 */
export async function startI18n(doc) {
  const languages = await loadLanguages();
  /** @type {Record<string, unknown>} */
  let config = {};
  try {
    const response = await fetch(CONFIG_URL, { cache: "no-cache" });
    if (response.ok) {
      const data = await response.json();
      if (data && typeof data === "object" && !Array.isArray(data)) config = data;
    }
  } catch {
    // no config.json: defaults
  }
  const spoken = languages.map((language) => language.code);
  const lang = chooseLanguage(new URLSearchParams(location.search), config, navigator.languages || [], spoken);
  current = await loadCatalogue(match(lang, spoken) || SOURCE_LANGUAGE);
  translatePage(doc, current, lang);
  return { lang, catalogue: current, languages };
}
