// What the page gives Python that Node lacks, for the build tools that run
// the game's Python in Node (tools/make_snapshot.mjs, tools/compile_stdlib.mjs).
//
// The page's globals that the game's modules (and Pyodide's) take from `js`
// when they are imported. Python records every name it takes from `js` by
// its path, and the page looks each one up again when it restores the
// snapshot; here each gets a placeholder, which nothing may call. A
// module-level `from js import X` of another browser-only X fails in Node
// with an ImportError: add X to this list.
export const PAGE_GLOBALS = ["document", "location", "navigator", "window", "XMLHttpRequest", "poseBridge"];

const placeholders = Object.fromEntries(
  PAGE_GLOBALS.filter((name) => !(name in globalThis)).map((name) => [name, { placeholder: name }]),
);

/** Node's globals, plus a placeholder for each page global it lacks: loadPyodide's `jsglobals`. */
export const pageGlobals = new Proxy(globalThis, {
  get(target, name) {
    if (typeof name === "string" && Object.hasOwn(placeholders, name)) return placeholders[name];
    return Reflect.get(target, name);
  },
  has(target, name) {
    return (typeof name === "string" && Object.hasOwn(placeholders, name)) || Reflect.has(target, name);
  },
});

/** The page globals that got a placeholder (the snapshot maker records them). */
export const placeholderNames = Object.keys(placeholders).sort();
