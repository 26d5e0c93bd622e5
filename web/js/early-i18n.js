// @ts-check
// The page's words in the visitor's language before Python runs (the loading
// screen, and an error shown on it), from the same gettext catalogues as all
// the game's words: locale/*.po, compiled into web/locale/ and read by
// js/i18n.js. The language is chosen as shell/options.py chooses it (?lang=,
// else config.json's "lang", else the first browser language the game
// speaks; a unit test checks both agree); the language list and the
// catalogue are the page's first requests (js/early-fetch.js), which Python
// takes when it starts instead of asking again. Python then translates the
// page once more, the same way (shell/dom.py).

import { earlyCatalogue, earlyLanguages } from "./early-fetch.js";
import { Catalogue, catalogueFromMo, chooseLanguage, match, SOURCE_LANGUAGE, translatePage } from "./i18n.js";

/**
 * Choose the visitor's language, load its words and translate the page
 * (text direction included). Never throws: without its catalogue the page
 * stays English.
 * @param {Document} doc @param {URLSearchParams} query @param {Record<string, unknown>} config
 * @param {readonly string[]} browserLanguages navigator.languages
 * @returns {Promise<{lang: string, catalogue: Catalogue}>}
 */
export async function translateEarly(doc, query, config, browserLanguages) {
  const languages = await earlyLanguages();
  const spoken = languages ? languages.map((language) => String(language.code)) : [SOURCE_LANGUAGE];
  const lang = chooseLanguage(query, config, browserLanguages, spoken);
  const code = match(lang, spoken) || SOURCE_LANGUAGE;
  let catalogue = new Catalogue();
  if (code !== SOURCE_LANGUAGE) {
    const bytes = await earlyCatalogue(code);
    try {
      if (bytes) catalogue = catalogueFromMo(code, bytes.slice().buffer);
    } catch {
      // a damaged catalogue: English, as Python does
    }
  }
  translatePage(doc, catalogue, lang);
  return { lang, catalogue };
}
