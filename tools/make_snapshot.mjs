// Make the start-up snapshot in Node: Pyodide with numpy and the game's
// modules imported, as a memory image the page restores in a fraction of the
// time a normal start takes (docs/startup.md). Run by tools/build_snapshot.py,
// which checks, stores and describes what this writes:
//
//   node tools/make_snapshot.mjs WEB_DIR OUT_DIR
//
// writes OUT_DIR/snapshot.raw (Pyodide's makeMemorySnapshot() bytes) and
// OUT_DIR/snapshot-libraries.json (numpy's libraries and their handles, the
// function table's length, the modules imported, Pyodide's version).
//
// The same code as the page installs numpy (web/js/wheel.js,
// web/js/python-runtime.js), so the file system and the libraries are laid
// out exactly as a restore expects them.

import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";

import { pageGlobals, placeholderNames } from "./node_page.mjs";

const [webArg, outArg] = process.argv.slice(2);
if (!webArg || !outArg) {
  console.error("usage: node tools/make_snapshot.mjs WEB_DIR OUT_DIR");
  process.exit(2);
}
const web = path.resolve(webArg);
const out = path.resolve(outArg);
const fileUrl = (/** @type {string} */ file) => pathToFileURL(file).href;

const { unzip } = await import(fileUrl(path.join(web, "js/wheel.js")));
const runtime = await import(fileUrl(path.join(web, "js/python-runtime.js")));

const manifestPath = path.join(web, "py/python.json");
const manifest = JSON.parse(await readFile(manifestPath, "utf8"));
const fromManifest = (/** @type {string} */ relative) => path.resolve(path.dirname(manifestPath), relative);
const pyodideDir = fromManifest(manifest.pyodide) + path.sep;


await import(fileUrl(path.join(pyodideDir, "pyodide.asm.js")));
const { loadPyodide, version } = await import(fileUrl(path.join(pyodideDir, "pyodide.mjs")));
let module = null;
runtime.beforeNextStart(async (/** @type {any} */ m) => {
  module = m;
});
const pyodide = await loadPyodide({
  indexURL: pyodideDir,
  stdLibURL: fromManifest(manifest.stdlib), // the repacked copy the page fetches
  jsglobals: pageGlobals,
  _makeSnapshot: true,
  // As in the browser: Node would put this script's own path here.
  _sysExecutable: "./this.program",
  stdout: () => {},
  stderr: (/** @type {string} */ line) => console.error(line),
});

// numpy, installed as the page installs it (python-loader.js), with handles.
const sitePackages = module.API.sitePackages;
const libraryPaths = [];
for (const wheel of manifest.wheels) {
  const files = await unzip(await readFile(fromManifest(wheel)));
  runtime.writeFiles(module, sitePackages, files);
  for (const { name } of files) if (name.endsWith(".so")) libraryPaths.push(`${sitePackages}/${name}`);
}
libraryPaths.sort();
const libraries = await runtime.loadLibraries(module, libraryPaths, { recordPlaces: true });
const tableLength = module.wasmTable.length;

// The game's modules, where the page puts them (the working folder).
const home = module.FS.cwd();
for (const file of manifest.files) {
  runtime.writeFiles(module, home, [{ name: file, bytes: await readFile(fromManifest(file)) }]);
}
pyodide.runPython(
  [...manifest.imports.map((/** @type {string} */ name) => `import ${name}`), "import gc", "gc.collect()"].join("\n"),
);
if (module.wasmTable.length !== tableLength) {
  // The restore loads the libraries only; anything imported later must not
  // have added functions the snapshot's memory refers to.
  console.error(`note: the function table grew from ${tableLength} to ${module.wasmTable.length} on import`);
}

const snapshot = pyodide.makeMemorySnapshot({ serializer: runtime.snapshotSerializer(pyodide._api) });
await writeFile(path.join(out, "snapshot.raw"), snapshot);
const description = {
  pyodide_version: version,
  imports: manifest.imports,
  libraries,
  table_length: tableLength,
  page_globals: placeholderNames,
};
await writeFile(path.join(out, "snapshot-libraries.json"), JSON.stringify(description, null, 1) + "\n");
console.log(`made a ${snapshot.length}-byte snapshot with ${libraries.length} libraries`);
