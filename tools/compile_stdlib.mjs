// Compile, with the pinned Pyodide itself, the standard-library modules a
// start of the game imports, so that the page need not compile them from
// source on every cold start (docs/startup.md, Decision 5). Run by
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

import { writeFile } from "node:fs/promises";
import path from "node:path";

import { startGamePython } from "./node_python.mjs";

const [webArg, outArg] = process.argv.slice(2);
if (!webArg || !outArg) {
  console.error("usage: node tools/compile_stdlib.mjs WEB_DIR OUT_JSON");
  process.exit(2);
}
// From Pyodide's own archives, not our repacked copies (made from these results).
const { pyodide } = await startGamePython(webArg, {
  archives: "original",
  options: { env: { PYTHONHASHSEED: "0" } },
});

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
