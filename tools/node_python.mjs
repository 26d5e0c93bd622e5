// The game's Python in Node, started as the page starts it, for the build
// tools that need it (tools/make_snapshot.mjs, tools/compile_stdlib.mjs).

import { readFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";

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
const pageGlobals = new Proxy(globalThis, {
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

const fileUrl = (/** @type {string} */ file) => pathToFileURL(file).href;

/**
 * Start Python as the page does (js/python-loader.js, with the page's own
 * web/js/wheel.js and web/js/python-runtime.js): Pyodide from py/python.json's
 * folder, numpy's wheels unpacked into site-packages and their libraries
 * loaded in the page's order, the game's files in the working folder, then
 * the manifest's imports.
 * @param {string} webDir the web folder
 * @param {object} how
 * @param {"repacked" | "original"} how.archives the standard library and wheels the
 *   pages fetch (py/lib/), or Pyodide's own that they are repacked from
 * @param {boolean} [how.recordPlaces] give each library a handle recording its places (the snapshot)
 * @param {object} [how.options] more loadPyodide options
 */
export async function startGamePython(webDir, { archives, recordPlaces = false, options = {} }) {
  const web = path.resolve(webDir);
  const { unzip } = await import(fileUrl(path.join(web, "js/wheel.js")));
  const runtime = await import(fileUrl(path.join(web, "js/python-runtime.js")));
  const manifestPath = path.join(web, "py/python.json");
  const manifest = JSON.parse(await readFile(manifestPath, "utf8"));
  const fromManifest = (/** @type {string} */ relative) => path.resolve(path.dirname(manifestPath), relative);
  const archive = (/** @type {string} */ repacked) =>
    archives === "repacked"
      ? fromManifest(repacked)
      : path.join(fromManifest(manifest.repacked_from), path.basename(repacked));
  const pyodideDir = fromManifest(manifest.pyodide) + path.sep;

  await import(fileUrl(path.join(pyodideDir, "pyodide.asm.js")));
  const { loadPyodide, version } = await import(fileUrl(path.join(pyodideDir, "pyodide.mjs")));
  /** @type {any} */
  let module = null;
  runtime.beforeNextStart(async (/** @type {any} */ m) => {
    module = m;
  });
  const pyodide = await loadPyodide({
    indexURL: pyodideDir,
    stdLibURL: archive(manifest.stdlib),
    jsglobals: pageGlobals,
    stdout: () => {},
    stderr: (/** @type {string} */ line) => console.error(line),
    ...options,
  });

  const sitePackages = module.API.sitePackages;
  const libraryPaths = [];
  for (const wheel of manifest.wheels) {
    const files = await unzip(await readFile(archive(wheel)));
    runtime.writeFiles(module, sitePackages, files);
    for (const { name } of files) if (name.endsWith(".so")) libraryPaths.push(`${sitePackages}/${name}`);
  }
  libraryPaths.sort();
  const libraries = await runtime.loadLibraries(module, libraryPaths, { recordPlaces });
  const tableLength = module.wasmTable.length;

  const home = module.FS.cwd();
  for (const file of manifest.files) {
    runtime.writeFiles(module, home, [{ name: file, bytes: await readFile(fromManifest(file)) }]);
  }
  pyodide.runPython(manifest.imports.map((/** @type {string} */ name) => `import ${name}`).join("\n"));
  return { pyodide, module, runtime, version, manifest, libraries, tableLength };
}
