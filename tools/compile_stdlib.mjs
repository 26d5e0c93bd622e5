// Compile, with the pinned Pyodide itself, the standard-library modules a
// start of the game imports, so that the page need not compile them from
// source on every cold start (docs/startup.md, Decision 4). Run by
// tools/repack_archives.py, which puts the results into the repacked
// standard library:
//
//   node tools/compile_stdlib.mjs WEB_DIR OUT_JSON
//
// Python starts as the page starts it, from Pyodide's own (pinned) archives:
// numpy installed the page's way (web/js/wheel.js, web/js/python-runtime.js),
// the game's files in the working folder and py/python.json's imports run.
// Every module then loaded from the standard library's zip is compiled from
// its source bytes into an unchecked-hash .pyc (PEP 552: Python never
// compares it with a source, which the repacked archive no longer holds).
// OUT_JSON lists each one's source member, the sha256 of that source and the
// .pyc bytes (base64), plus Python's version and the .pyc magic number.
// PYTHONHASHSEED is fixed so that the same inputs give the same bytes.

import { readFile, writeFile } from "node:fs/promises";
import path from "node:path";
import { pathToFileURL } from "node:url";

import { pageGlobals } from "./node_page.mjs";

const [webArg, outArg] = process.argv.slice(2);
if (!webArg || !outArg) {
  console.error("usage: node tools/compile_stdlib.mjs WEB_DIR OUT_JSON");
  process.exit(2);
}
const web = path.resolve(webArg);
const fileUrl = (/** @type {string} */ file) => pathToFileURL(file).href;
const { unzip } = await import(fileUrl(path.join(web, "js/wheel.js")));
const runtime = await import(fileUrl(path.join(web, "js/python-runtime.js")));

const manifestPath = path.join(web, "py/python.json");
const manifest = JSON.parse(await readFile(manifestPath, "utf8"));
const fromManifest = (/** @type {string} */ relative) => path.resolve(path.dirname(manifestPath), relative);
const pyodideDir = fromManifest(manifest.pyodide) + path.sep;
// Pyodide's own archives, not our repacked copies (made from these results).
const original = (/** @type {string} */ repacked) => path.join(fromManifest(manifest.repacked_from), path.basename(repacked));

await import(fileUrl(path.join(pyodideDir, "pyodide.asm.js")));
const { loadPyodide } = await import(fileUrl(path.join(pyodideDir, "pyodide.mjs")));
/** @type {any} */
let module = null;
runtime.beforeNextStart(async (/** @type {any} */ m) => {
  module = m;
});
const pyodide = await loadPyodide({
  indexURL: pyodideDir,
  stdLibURL: original(manifest.stdlib),
  env: { PYTHONHASHSEED: "0" },
  jsglobals: pageGlobals,
  stdout: () => {},
  stderr: (/** @type {string} */ line) => console.error(line),
});
const sitePackages = module.API.sitePackages;
for (const wheel of manifest.wheels) {
  const files = await unzip(await readFile(original(wheel)));
  runtime.writeFiles(module, sitePackages, files);
  const libraries = files.filter((f) => f.name.endsWith(".so")).map((f) => `${sitePackages}/${f.name}`);
  await runtime.loadLibraries(module, libraries.sort());
}
const home = module.FS.cwd();
for (const file of manifest.files) {
  runtime.writeFiles(module, home, [{ name: file, bytes: await readFile(fromManifest(file)) }]);
}
pyodide.runPython(manifest.imports.map((/** @type {string} */ name) => `import ${name}`).join("\n"));

const result = pyodide.runPython(`
import base64, hashlib, importlib.util, json, sys, zipimport
from importlib._bootstrap_external import _code_to_hash_pyc

ZIP = "/lib/python312.zip/"
compiled = []
for name, module in sorted(sys.modules.items()):
    path = getattr(module, "__file__", None) or ""
    loader = getattr(module, "__loader__", None)
    # (Python's frozen modules name a path in the zip too, but are not read from it.)
    if not (isinstance(loader, zipimport.zipimporter) and path.endswith(".py")):
        continue
    member = path[len(ZIP):]
    source = loader.get_data(path)
    code = compile(source, path, "exec", dont_inherit=True)
    pyc = _code_to_hash_pyc(code, importlib.util.source_hash(source), checked=False)
    compiled.append({
        "source": member,
        "source_sha256": hashlib.sha256(source).hexdigest(),
        "pyc": base64.b64encode(bytes(pyc)).decode(),
    })
json.dumps({
    "python": sys.version.split()[0],
    "magic": importlib.util.MAGIC_NUMBER.hex(),
    "modules": sorted(compiled, key=lambda entry: entry["source"]),
})
`);
await writeFile(path.resolve(outArg), result);
