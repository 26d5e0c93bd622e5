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

import { writeFile } from "node:fs/promises";
import path from "node:path";

import { placeholderNames, startGamePython } from "./node_python.mjs";

const [webArg, outArg] = process.argv.slice(2);
if (!webArg || !outArg) {
  console.error("usage: node tools/make_snapshot.mjs WEB_DIR OUT_DIR");
  process.exit(2);
}
const out = path.resolve(outArg);

// Python with numpy (its libraries loaded with handles) and the game
// imported, from the archives the page fetches.
const { pyodide, module, runtime, version, manifest, libraries, tableLength } = await startGamePython(webArg, {
  archives: "repacked",
  recordPlaces: true,
  // As in the browser: Node would put this script's own path here.
  options: { _makeSnapshot: true, _sysExecutable: "./this.program" },
});
pyodide.runPython("import gc\ngc.collect()");
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
