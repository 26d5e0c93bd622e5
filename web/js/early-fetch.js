// @ts-check
// The game's small settings files, requested from the page's first bytes
// together with the big downloads: the museum's config.json, the level pack,
// the list of the game's languages and the visitor's catalogue. Python
// (web/py/shell/loading.py, through poseBridge.takeEarlyFetch) takes these
// answers when it starts, seconds later, instead of asking then; the loading
// screen reads them too (language, kiosk; js/early-i18n.js). Loaded with
// <script async>, first in <head>, so that it runs before the rest of the
// page is even parsed (the other modules import the same instance).
//
// Python still checks everything: an answer here is only the file's text
// (a catalogue's bytes).

const CONFIG_PATH = "config.json"; // shell/loading.py CONFIG_URL
const DEFAULT_PACK = "levels/default/pack.json"; // shell/options.py DEFAULT_PACK (a test checks both)
const LANGUAGES_PATH = "locale/languages.json"; // shell/loading.py LANGUAGES_URL
const CATALOGUE_PATH = "locale/{code}.mo"; // shell/loading.py CATALOGUE_URL

/** @typedef {{status: number, text: string, bytes?: Uint8Array}} Answer
 *  (status 0: the request failed; bytes: a catalogue's, whose text is "") */

/** @type {Map<string, Promise<Answer>>} */
const answers = new Map();

/**
 * Request `path` (relative to the page) unless it is requested already.
 * @param {string} path
 * @returns {Promise<Answer> | null} null for anything but our own .json and .mo files (Python's to refuse)
 */
function request(path) {
  const url = new URL(path, location.href);
  const binary = url.pathname.endsWith(".mo");
  if (url.origin !== location.origin || !(binary || url.pathname.endsWith(".json"))) return null;
  let answer = answers.get(url.href);
  if (!answer) {
    answer = fetch(url).then(
      async (response) =>
        binary
          ? { status: response.status, text: "", bytes: new Uint8Array(await response.arrayBuffer()) }
          : { status: response.status, text: await response.text() },
    ).catch((error) => ({ status: 0, text: String(error) })); // the body may fail too
    answers.set(url.href, answer);
  }
  return answer;
}

/**
 * The answer for `path` (a promise of {status, text}), or null if it was not
 * requested early; each answer is handed out once.
 * @param {string} path
 * @returns {Promise<Answer> | null}
 */
export function takeEarly(path) {
  const url = new URL(path, location.href).href;
  const answer = answers.get(url) || null;
  answers.delete(url);
  return answer;
}

// As Python reads the query (shell/options.py): the last non-empty value.
const askedPack = new URLSearchParams(location.search).getAll("pack").filter(Boolean).pop();
const config = request(CONFIG_PATH);
const languages = request(LANGUAGES_PATH);

/**
 * The museum's config.json as an object ({} when absent or unreadable;
 * Python reports the problems).
 * @returns {Promise<Record<string, unknown>>}
 */
export async function earlyConfig() {
  const answer = await config;
  try {
    const value = answer && answer.status === 200 ? JSON.parse(answer.text) : {};
    return value && typeof value === "object" && !Array.isArray(value) ? value : {};
  } catch {
    return {};
  }
}

/**
 * The game's languages as locale/languages.json lists them (null when it
 * cannot be read: English alone).
 * @returns {Promise<{code: string, name: string, dir: string}[] | null>}
 */
export async function earlyLanguages() {
  const answer = await languages;
  try {
    const list = answer && answer.status === 200 ? JSON.parse(answer.text).languages : null;
    return Array.isArray(list) && list.length ? list : null;
  } catch {
    return null;
  }
}

/**
 * The compiled catalogue of language `code` (a code of the list), requested
 * now if it was not (Python takes the same answer).
 * @param {string} code
 * @returns {Promise<Uint8Array | null>} null when it cannot be had
 */
export async function earlyCatalogue(code) {
  const answer = await request(CATALOGUE_PATH.replace("{code}", encodeURIComponent(code)));
  return answer && answer.status === 200 && answer.bytes ? answer.bytes : null;
}

if (askedPack) {
  request(askedPack);
} else {
  // Most likely the default; the museum's config.json may name another.
  request(DEFAULT_PACK);
  config?.then(({ text }) => {
    try {
      const pack = JSON.parse(text).pack;
      if (typeof pack === "string") request(pack);
    } catch {
      // an unreadable config.json: Python reports it
    }
  });
}
