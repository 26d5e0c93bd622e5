// @ts-check
// The parts of Pyodide 0.27.7 that a fast start needs and its public API does
// not offer, in one place, shared by the page (js/python-loader.js) and by the
// snapshot maker (tools/make_snapshot.mjs, in Node).
//
// Why they are needed: a memory snapshot (loadPyodide({_loadSnapshot})) holds
// the WebAssembly memory, not the functions of numpy's own WebAssembly
// modules (its .so files) or the file system. Restored alone, numpy's first
// call fails with "table index is out of bounds" (docs/startup.md). So the
// maker loads every numpy library with a handle in WebAssembly memory that
// records where the library's memory and function table entries went, and a
// restore loads the same libraries, in the same order, at those very places,
// before the memory is put back. The wheel's files go back into the file
// system too. Everything here is checked, and any mismatch refuses the
// snapshot: the page then starts Python the normal way.

/** Bytes of Emscripten's `struct dso` before its name: next, flags, then
 * mem_allocated (byte 8), mem_addr (12), mem_size (16), table_addr (20),
 * table_size (24), file_data (28), file_data_size (32). */
export const DSO_HEADER_BYTES = 36;
const DSO_LOADED = 8; // byte: 1 once the library's memory and table places are set
const RUN_DEPENDENCY = "strike-a-pose-libraries";

/** @typedef {{path: string, handle: number}} LibraryRecord */

/** @type {{step: (module: any) => Promise<void>, wasm: Promise<WebAssembly.Module> | null} | null} */
let nextStart = null;

/**
 * Make the next loadPyodide() call run `step(Module)` as its last step
 * before the runtime starts (after the standard library is in place), and
 * instantiate Pyodide's WebAssembly from `wasm` when given: a module the
 * page began compiling at once, in parallel with everything else (Pyodide
 * would only begin once its JavaScript has loaded and the snapshot is read).
 * pyodide.asm.js must have been imported (it defines _createPyodideModule).
 * @param {(module: any) => Promise<void>} step
 * @param {Promise<WebAssembly.Module> | null} [wasm]
 */
export function beforeNextStart(step, wasm = null) {
  const factory = /** @type {any} */ (globalThis)._createPyodideModule;
  if (typeof factory !== "function") throw new Error("pyodide.asm.js is not loaded");
  if (!factory.strikeAPose) {
    /** @param {any} settings */
    const wrapped = (settings) => {
      const pending = nextStart;
      nextStart = null;
      if (pending) {
        // Emscripten runs the pre-run list from its end: the first one runs last.
        settings.preRun.unshift(async (/** @type {any} */ module) => {
          module.addRunDependency(RUN_DEPENDENCY);
          try {
            await pending.step(module);
          } finally {
            module.removeRunDependency(RUN_DEPENDENCY);
          }
        });
        if (pending.wasm) settings.instantiateWasm = fromCompiled(pending.wasm, settings.instantiateWasm);
      }
      return factory(settings);
    };
    wrapped.strikeAPose = true;
    /** @type {any} */ (globalThis)._createPyodideModule = wrapped;
  }
  nextStart = { step, wasm };
}

/**
 * An Emscripten instantiateWasm that uses an already compiled module, and
 * Pyodide's own way if that failed.
 * @param {Promise<WebAssembly.Module>} compiled
 * @param {any} fallback Pyodide's instantiateWasm
 */
function fromCompiled(compiled, fallback) {
  return (/** @type {any} */ imports, /** @type {any} */ done) => {
    compiled
      .then(async (module) => done(await WebAssembly.instantiate(module, imports), module))
      .catch((error) => {
        console.warn("precompiled Pyodide failed; compiling it again:", error);
        fallback(imports, done);
      });
    return {}; // asynchronous: no exports yet
  };
}

/**
 * Write files into Pyodide's file system under `directory`.
 * @param {any} module Emscripten's Module
 * @param {string} directory
 * @param {{name: string, bytes: Uint8Array}[]} files
 */
export function writeFiles(module, directory, files) {
  for (const { name, bytes } of files) {
    const path = `${directory}/${name}`;
    module.FS.mkdirTree(path.slice(0, path.lastIndexOf("/")));
    module.FS.writeFile(path, bytes);
  }
}

/** @param {any} module */
function libraryFlags(module) {
  // As Pyodide's own package loader loads a package's extension modules.
  const fs = {
    findObject: (/** @type {string} */ path, /** @type {boolean} */ last) => module.FS.findObject(path, last),
    readFile: (/** @type {string} */ path) => module.FS.readFile(path),
  };
  return { loadAsync: true, nodelete: true, allowUndefined: true, global: false, fs };
}

/**
 * Load WebAssembly libraries (.so files already in the file system), one
 * after the other in the order given, like Pyodide's package loader does.
 * With `recordPlaces`, each gets a handle in WebAssembly memory where
 * Emscripten notes its memory and table places (for the snapshot maker).
 * @param {any} module
 * @param {string[]} paths
 * @param {{recordPlaces?: boolean}} [options]
 * @returns {Promise<LibraryRecord[]>}
 */
export async function loadLibraries(module, paths, { recordPlaces = false } = {}) {
  /** @type {LibraryRecord[]} */
  const records = [];
  for (const path of paths) {
    let handle = 0;
    if (recordPlaces) {
      // Zeroed, so Emscripten sees a first load and fills the places in.
      handle = module._calloc(1, DSO_HEADER_BYTES + path.length + 1);
      if (!handle) throw new Error("out of memory for a library handle");
    }
    await module.loadDynamicLibrary(path, libraryFlags(module), {}, handle || undefined);
    if (recordPlaces && module.HEAPU8[handle + DSO_LOADED] !== 1) {
      throw new Error(`${path}: Emscripten did not record where it loaded the library`);
    }
    records.push({ path, handle });
  }
  return records;
}

/**
 * The restore's pre-run step: numpy's files back into the file system, and
 * its libraries loaded at the places the snapshot's memory expects them
 * (read from the handles inside the snapshot's memory image).
 * @param {any} module
 * @param {Uint8Array} image the whole snapshot (Pyodide's header, then memory)
 * @param {{directory: string, files: {name: string, bytes: Uint8Array}[]}[]} packages
 * @param {LibraryRecord[]} libraries
 * @param {number} tableLength the function table's length after the maker loaded them
 */
export async function restoreLibraries(module, image, packages, libraries, tableLength) {
  for (const { directory, files } of packages) writeFiles(module, directory, files);
  const memoryStart = new DataView(image.buffer, image.byteOffset, 8).getUint32(4, true);
  for (const { path, handle } of libraries) {
    const header = image.subarray(memoryStart + handle, memoryStart + handle + DSO_HEADER_BYTES);
    if (header.length !== DSO_HEADER_BYTES || header[DSO_LOADED] !== 1) {
      throw new Error(`${path}: the snapshot has no record of this library`);
    }
    // Fresh memory is overwritten by the snapshot afterwards; until then the
    // handle tells Emscripten the memory and table places to use.
    module.HEAPU8.set(header, handle);
    await module.loadDynamicLibrary(path, libraryFlags(module), {}, handle);
  }
  if (module.wasmTable.length !== tableLength) {
    throw new Error(
      `numpy's functions did not land where the snapshot expects them ` +
        `(table length ${module.wasmTable.length}, expected ${tableLength})`,
    );
  }
}

/**
 * For makeMemorySnapshot: the JavaScript objects Python holds besides
 * globals (Pyodide's own API object and its functions, which pyodide.http
 * imports), by name. Anything else cannot be restored: refuse.
 * @param {any} api pyodide._api
 */
export function snapshotSerializer(api) {
  return (/** @type {unknown} */ value) => {
    if (value === api) return { api: "" };
    for (const key of Object.keys(api)) if (api[key] === value) return { api: key };
    throw new Error(`the snapshot cannot keep a reference to ${String(value).slice(0, 80)}`);
  };
}

/**
 * The inverse of snapshotSerializer, for loadPyodide({_snapshotDeserializer}).
 * @param {() => any} moduleOf returns Emscripten's Module (known by then)
 */
export function snapshotDeserializer(moduleOf) {
  return (/** @type {{api?: string}} */ value) => {
    const api = moduleOf().API;
    if (value && value.api === "") return api;
    if (value && typeof value.api === "string" && value.api in api) return api[value.api];
    throw new Error(`unknown object in the snapshot: ${JSON.stringify(value)}`);
  };
}

/**
 * The snapshot as Pyodide wants it, from the stored form: only the runs of
 * non-zero bytes are stored (tools/build_snapshot.py), as [offset, length].
 * @param {Uint8Array} stored
 * @param {[number, number][]} runs
 * @param {number} length
 */
export function expandSnapshot(stored, runs, length) {
  const image = new Uint8Array(length);
  let at = 0;
  for (const [offset, size] of runs) {
    if (offset + size > length || at + size > stored.length) throw new Error("snapshot runs out of range");
    image.set(stored.subarray(at, at + size), offset);
    at += size;
  }
  if (at !== stored.length) throw new Error("snapshot has bytes no run accounts for");
  return image;
}
