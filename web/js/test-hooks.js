// @ts-check
// What tests and benchmarks read from (or do to) a running page, and only
// when its address asks for it: ?test=1, or ?debug=1 (the debug panel's
// figures come from the same places). On a visitor's page none of it exists.
//
// The hooks are functions on globalThis.testHooks; a page adds its own with
// exposeTestHooks (the game's in boot.js, the curator's in curator/app.js).
// Each one's JSDoc says what it gives.

import { OFF_WORDS } from "./constants.js";

/**
 * Whether this page's address turns the hooks on: ?test= or ?debug= with a
 * value that does not mean off (shell/options.py reads ?debug= the same way).
 * @param {URLSearchParams} [params] the page's query
 */
export function testHooksOn(params = new URLSearchParams(location.search)) {
  return ["test", "debug"].some((name) => {
    const value = params.get(name);
    return value !== null && !OFF_WORDS.includes(value.toLowerCase());
  });
}

/**
 * Add `hooks` to globalThis.testHooks, if this page's address asks for them.
 * @param {Record<string, Function>} hooks
 * @param {URLSearchParams} [params] the page's query
 */
export function exposeTestHooks(hooks, params) {
  if (!testHooksOn(params)) return;
  const scope = /** @type {{testHooks?: Record<string, Function>}} */ (globalThis);
  scope.testHooks = Object.assign(scope.testHooks || {}, hooks);
}
