// @ts-check
// Starts the game's Python in the page (Pyodide 0.27.7, numpy and web/py/,
// listed in py/python.json) and runs an entry script (py/main.py, or the
// curator's py/curator_main.py). Replaces PyScript, which the game used only
// for this (docs/startup.md has the figures).
//
// Two ways to start, chosen at once:
// - from the start-up snapshot (tools/build_snapshot.py) when this device's
//   offline cache holds one that matches, by sha256, both its own bytes and
//   every file it was made from as the precache manifest lists them now;
// - else the normal way: Pyodide starts, numpy and the game's files are
//   written into its file system, numpy's libraries are loaded.
// A snapshot that fails to restore falls back to the normal way. The page
// says which way it took in <body data-python-start> ("snapshot" or
// "normal") and why in data-python-start-reason (also on the debug panel).
//
// Everything is requested together at the start (the pages also preload the
// big files from <head>), and numpy's wheel is unpacked while Pyodide's
// WebAssembly still compiles.

import {
  beforeNextStart,
  expandSnapshot,
  loadLibraries,
  restoreLibraries,
  snapshotDeserializer,
  writeFiles,
} from "./python-runtime.js";
import { unzip } from "./wheel.js";

const SITE_ROOT = new URL("../", import.meta.url);
const MANIFEST_URL = new URL("py/python.json", SITE_ROOT);
const PRECACHE_URL = new URL("precache.json", SITE_ROOT);
const SNAPSHOT_FORMAT = 1;

/**
 * @typedef {{pyodide: string, stdlib: string, wheels: string[], files: string[], imports: string[], snapshot: string}} PythonManifest
 * @typedef {{indexURL: string, stdLibURL: string}} PyodideFiles where loadPyodide finds its files
 *   (the standard library is our repacked copy, tools/repack_archives.py)
 * @typedef {{format_version: number, file: string, sha256: string, size: number, memory_size: number,
 *   runs: [number, number][], pyodide_version: string, libraries: {path: string, handle: number}[],
 *   table_length: number, inputs: Record<string, string>}} SnapshotDescription
 * @typedef {{name: string, bytes: Uint8Array}} FileData
 * @typedef {{stage: string, detail?: string}} Progress
 */

/** How Python started, for the debug panel, the tests and the benchmarks. */
export const pythonStart = { path: "", reason: "", ms: 0 };

/** A named moment of the start, in the page's performance timeline (bench/startup.py). */
function mark(/** @type {string} */ name) {
  performance.mark(`python:${name}`);
}

// Plain fetches (the server revalidates our own files): a request with
// other options would not reuse the page's <link rel="preload">.
/** @param {URL} url */
async function fetchOk(url) {
  const response = await fetch(url);
  if (!response.ok) throw new Error(`${url.pathname}: HTTP ${response.status}`);
  return response;
}

/** @param {Uint8Array} bytes */
async function sha256Hex(bytes) {
  // Our bytes are never shared memory (a SharedArrayBuffer), which the DOM types allow for.
  const digest = await crypto.subtle.digest("SHA-256", /** @type {Uint8Array<ArrayBuffer>} */ (bytes));
  return Array.from(new Uint8Array(digest), (b) => b.toString(16).padStart(2, "0")).join("");
}

/** A path under the site root, as the precache manifest names it. @param {URL} url */
function sitePath(url) {
  return url.href.startsWith(SITE_ROOT.href) ? url.href.slice(SITE_ROOT.href.length) : url.href;
}

/**
 * The snapshot, if this device's offline cache has a current one: its
 * description, and its memory image (read, checked against its sha256 and
 * expanded when awaited; rejects when damaged). Else the reason why not.
 * @param {PythonManifest} manifest
 * @returns {Promise<{description: SnapshotDescription, image: Promise<Uint8Array>} | {reason: string}>}
 */
async function findSnapshot(manifest) {
  if (new URLSearchParams(location.search).get("snapshot") === "0") return { reason: "turned off (?snapshot=0)" };
  if (!globalThis.caches || !globalThis.crypto || !crypto.subtle) return { reason: "no offline cache here" };
  const describedUrl = new URL(manifest.snapshot, MANIFEST_URL);
  /** @type {SnapshotDescription} */
  let description;
  /** @type {{files: {path: string, sha256: string, size: number}[]}} */
  let precache;
  try {
    [description, precache] = await Promise.all([
      fetchOk(describedUrl).then((r) => r.json()),
      fetchOk(PRECACHE_URL).then((r) => r.json()),
    ]);
  } catch (error) {
    return { reason: `no snapshot on the server (${error})` };
  }
  if (description.format_version !== SNAPSHOT_FORMAT) return { reason: "stale: made in another format" };
  const listed = new Map(precache.files.map((file) => [file.path, file]));
  for (const [path, sha256] of Object.entries(description.inputs)) {
    if (listed.get(path)?.sha256 !== sha256) return { reason: `stale: ${path} has changed since it was made` };
  }
  const fileUrl = new URL(description.file, describedUrl);
  const entry = listed.get(sitePath(fileUrl));
  if (!entry || entry.sha256 !== description.sha256 || entry.size !== description.size) {
    return { reason: "stale: not the snapshot the precache manifest lists" };
  }
  // Only a copy already on this device: a first visit would download 5.4 MB
  // more for it (docs/startup.md, Decision 2); the service worker saves it
  // for the next visit.
  const response = await caches.match(fileUrl.href, { ignoreSearch: true });
  if (!response) return { reason: "not saved on this device yet" };
  const image = response.arrayBuffer().then(async (buffer) => {
    const stored = new Uint8Array(buffer);
    mark("snapshot-read");
    if (stored.length !== description.size || (await sha256Hex(stored)) !== description.sha256) {
      throw new Error("damaged: its bytes do not match their sha256");
    }
    return expandSnapshot(stored, description.runs, description.memory_size);
  });
  image.catch(() => {}); // awaited by the restore
  return { description, image };
}

/** The .so files of unpacked wheels, in the order both the maker and a restore load them. */
function libraryPaths(/** @type {string} */ sitePackages, /** @type {FileData[]} */ files) {
  return files
    .filter((file) => file.name.endsWith(".so"))
    .map((file) => `${sitePackages}/${file.name}`)
    .sort();
}

/**
 * Restore Python from the snapshot; throws (and nothing half-restored
 * remains) if anything does not match.
 * @param {any} loadPyodide @param {PyodideFiles} files @param {Promise<WebAssembly.Module>} wasm
 * @param {Promise<Uint8Array>} imageLoaded
 * @param {SnapshotDescription} description @param {Promise<FileData[]>} unpacked
 */
async function restore(loadPyodide, files, wasm, imageLoaded, description, unpacked) {
  // Pyodide's Emscripten module (its API and file system): Pyodide ships no types for it.
  /** @type {any} */
  let module = null;
  /** @type {unknown} */
  let failure = null;
  beforeNextStart(async (m) => {
    module = m;
    // Pyodide has the image by now (it awaits it before it makes the memory).
    const image = await imageLoaded;
    try {
      mark("memory-ready");
      const packages = [{ directory: m.API.sitePackages, files: await unpacked }];
      await restoreLibraries(m, image, packages, description.libraries, description.table_length);
      mark("libraries-loaded");
    } catch (error) {
      failure = error;
      image.fill(0, 0, 4); // Pyodide then refuses the image: no half-restored Python
    }
  }, wasm);
  try {
    return await loadPyodide({
      ...files,
      _loadSnapshot: imageLoaded,
      _snapshotDeserializer: snapshotDeserializer(() => module),
    });
  } catch (error) {
    throw failure || error;
  }
}

/**
 * The normal start: Pyodide, then numpy and the game's files.
 * @param {any} loadPyodide @param {PyodideFiles} pyodideFiles @param {Promise<WebAssembly.Module>} wasm
 * @param {PythonManifest} manifest @param {Promise<FileData[]>} unpacked
 */
async function normalStart(loadPyodide, pyodideFiles, wasm, manifest, unpacked) {
  // Pyodide's Emscripten module (its API and file system): Pyodide ships no types for it.
  /** @type {any} */
  let module = null;
  beforeNextStart(async (m) => {
    module = m;
  }, wasm);
  const pyodide = await loadPyodide(pyodideFiles);
  mark("pyodide-ready");
  /** @type {FileData[] | null} */
  let files = null;
  try {
    files = await unpacked;
  } catch (error) {
    // A browser without DecompressionStream("deflate-raw"): Pyodide's own
    // package loader unpacks the wheels (in Python, after Pyodide has started).
    console.warn("unpacking numpy in JavaScript failed; Pyodide's loader does it:", error);
  }
  if (files) {
    const sitePackages = module.API.sitePackages;
    writeFiles(module, sitePackages, files);
    await loadLibraries(module, libraryPaths(sitePackages, files));
    mark("libraries-loaded");
  } else {
    await pyodide.loadPackage(manifest.wheels.map((wheel) => new URL(wheel, MANIFEST_URL).href));
  }
  return pyodide;
}

/**
 * The game's Python files (py/python.json), as both starts put them in
 * Python's working folder: a restored Python has imported most of them
 * already, but not those imported later (the curator's statistics report).
 * @param {PythonManifest} manifest
 * @returns {Promise<FileData[]>}
 */
function fetchSources(manifest) {
  return Promise.all(
    manifest.files.map(async (name) => ({
      name,
      bytes: new Uint8Array(await (await fetchOk(new URL(name, MANIFEST_URL))).arrayBuffer()),
    })),
  );
}

/**
 * Start Python and run `entry` (a path relative to the site, e.g. "py/main.py").
 * @param {string} entry
 * @param {{onProgress?: (progress: Progress) => void}} [options]
 */
export async function startPython(entry, { onProgress = () => {} } = {}) {
  const started = performance.now();
  const body = document.body;
  onProgress({ stage: "download" });
  const entryUrl = new URL(entry, SITE_ROOT);
  const entrySource = fetchOk(entryUrl).then((r) => r.text());
  entrySource.catch(() => {}); // awaited below
  /** @type {PythonManifest} */
  const manifest = await (await fetchOk(MANIFEST_URL)).json();
  const indexURL = new URL(manifest.pyodide, MANIFEST_URL);
  /** @type {PyodideFiles} */
  const pyodideFiles = { indexURL: indexURL.href, stdLibURL: new URL(manifest.stdlib, MANIFEST_URL).href };
  // All at once: the runtime (preloaded), its WebAssembly compiled, the
  // wheels and their unpacking.
  const runtime = Promise.all([
    import(new URL("pyodide.mjs", indexURL).href),
    import(new URL("pyodide.asm.js", indexURL).href),
  ]).then(([api]) => api);
  const wasm = WebAssembly.compileStreaming(fetch(new URL("pyodide.asm.wasm", indexURL)));
  wasm.catch(() => {}); // Pyodide compiles it itself then
  const unpacked = Promise.all(
    manifest.wheels.map(async (wheel) => unzip(await (await fetchOk(new URL(wheel, MANIFEST_URL))).arrayBuffer())),
  ).then((lists) => {
    mark("wheels-unpacked");
    return lists.flat();
  });
  unpacked.catch(() => {}); // awaited by whichever start runs
  const sources = fetchSources(manifest);
  sources.catch(() => {}); // awaited below
  const snapshot = findSnapshot(manifest);
  const { loadPyodide, version } = await runtime;
  mark("runtime-loaded");
  let found = await snapshot;
  mark("snapshot-checked");
  if ("description" in found && found.description.pyodide_version !== version) {
    found = { reason: `stale: made with Pyodide ${found.description.pyodide_version}` };
  }

  let pyodide = null;
  if ("image" in found) {
    onProgress({ stage: "restore" });
    try {
      pyodide = await restore(loadPyodide, pyodideFiles, wasm, found.image, found.description, unpacked);
      Object.assign(pythonStart, { path: "snapshot", reason: "" });
    } catch (error) {
      console.warn("start-up snapshot refused; starting Python the normal way:", error);
      Object.assign(pythonStart, { path: "normal", reason: `snapshot refused: ${error}` });
    }
  } else {
    Object.assign(pythonStart, { path: "normal", reason: found.reason });
  }
  if (!pyodide) {
    onProgress({ stage: "start" });
    pyodide = await normalStart(loadPyodide, pyodideFiles, wasm, manifest, unpacked);
  }
  writeFiles({ FS: pyodide.FS }, pyodide.FS.cwd(), await sources);
  pyodide.runPython("import importlib; importlib.invalidate_caches()");
  mark("started");
  pythonStart.ms = Math.round(performance.now() - started);
  body.dataset.pythonStart = pythonStart.path;
  body.dataset.pythonStartReason = pythonStart.reason;
  onProgress({ stage: "run" });
  await pyodide.runPythonAsync(await entrySource, { filename: entryUrl.pathname });
  mark("entry-ran");
  return pyodide;
}
