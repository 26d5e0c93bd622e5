"""The standard-library modules a start imports, compiled by the pinned Pyodide.

A cold start compiles every module it imports from source: Pyodide's
standard library ships sources only.  ``tools/compile_stdlib.mjs`` (Node,
the pinned Pyodide, started as the page starts it) compiles those modules
into unchecked-hash ``.pyc`` files, and tools/repack_archives.py puts them
into the repacked standard library in place of their sources
(docs/startup.md, Decision 4).

:func:`compiled` runs it, keeps its answer in ``.cache/bytecode/`` under a
key made of everything the answer depends on, and checks the answer: each
``.pyc`` names a member of the original archive and the sha256 of that
member's bytes, and starts with the magic number of Pyodide's Python.  Without
Node it returns nothing (with a warning): the archive then keeps its sources
and the game starts the slower way.
"""

from __future__ import annotations

import base64
import hashlib
import json
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from tools import node_script, python_manifest
from tools.atomic import write_atomically
from tools.fetch_assets import AssetError

ROOT = Path(__file__).resolve().parent.parent
COMPILER = ROOT / "tools" / "compile_stdlib.mjs"
# What the compiler runs besides the web folder's files.
COMPILER_FILES = (COMPILER, ROOT / "tools" / "node_python.mjs")
CACHE = ROOT / ".cache" / "bytecode"
NODE_TIMEOUT_S = 300
# The .pyc header (PEP 552): magic, flags, then the source's hash.
UNCHECKED_HASH_FLAGS = (1).to_bytes(4, "little")


@dataclass(frozen=True)
class Compiled:
    """One module: its source member in the archive, that source's sha256, its .pyc."""

    source: str
    source_sha256: str
    pyc: bytes

    @property
    def member(self) -> str:
        """Its name in the repacked archive (zipimport finds ``x.pyc`` beside ``x.py``)."""
        return self.source.removesuffix(".py") + ".pyc"


def _inputs(web_root: Path) -> list[Path]:
    manifest = python_manifest.read(web_root)
    relative = python_manifest.web_relative
    pyodide = relative(str(manifest["pyodide"]))
    source = relative(str(manifest["repacked_from"]))
    names = [
        *(f"{pyodide}/{name}" for name in ("pyodide.mjs", "pyodide.asm.js", "pyodide.asm.wasm")),
        *(f"{source}/{Path(str(path)).name}" for path in (manifest["stdlib"], *manifest["wheels"])),
        *(relative(str(path)) for path in manifest["files"]),
        python_manifest.MANIFEST,
        "js/wheel.js",
        "js/python-runtime.js",
    ]
    return [*COMPILER_FILES, *(web_root / name for name in names)]


def cache_key(web_root: Path) -> str:
    """A hash of every file the compiler's answer depends on."""
    digest = hashlib.sha256()
    for path in _inputs(web_root):
        try:
            digest.update(path.name.encode() + b"\0" + path.read_bytes() + b"\0")
        except OSError as error:
            raise AssetError(f"cannot compile the standard library: {error}") from None
    return digest.hexdigest()[:32]


def _run_compiler(web_root: Path) -> bytes:
    with tempfile.TemporaryDirectory(prefix="sap-bytecode-") as work:
        out = Path(work) / "compiled.json"
        node_script.run(COMPILER, web_root, out, what="the compiler", timeout_s=NODE_TIMEOUT_S)
        return out.read_bytes()


def parse(answer: bytes) -> tuple[bytes, list[Compiled]]:
    """(Python's .pyc magic number, the modules) from the compiler's answer; AssetError if odd."""
    try:
        data = json.loads(answer)
        magic = bytes.fromhex(data["magic"])
        modules = [
            Compiled(entry["source"], entry["source_sha256"], base64.b64decode(entry["pyc"]))
            for entry in data["modules"]
        ]
    except (ValueError, KeyError, TypeError) as error:
        raise AssetError(f"the compiler's answer cannot be read: {error}") from None
    if len(magic) != 4:
        raise AssetError("the compiler's answer has no .pyc magic number")
    for module in modules:
        if not module.source.endswith(".py") or module.source.startswith("/"):
            raise AssetError(f"the compiler named an odd member: {module.source!r}")
        if module.pyc[:8] != magic + UNCHECKED_HASH_FLAGS:
            raise AssetError(f"{module.member}: not an unchecked-hash .pyc of Pyodide's Python")
    return magic, modules


def compiled(web_root: Path) -> list[Compiled]:
    """The start's standard-library modules compiled (from the cache when current);
    an empty list, with a warning, when they cannot be compiled here."""
    try:
        key = cache_key(web_root)
        cached = CACHE / f"{key}.json"
        if cached.is_file():
            answer = cached.read_bytes()
        else:
            answer = _run_compiler(web_root)
            parse(answer)  # never keep an answer that cannot be used
            write_atomically(cached, answer)
        return parse(answer)[1]
    except AssetError as error:
        print(
            f"repack_archives: the standard library keeps its sources only, "
            f"a slower cold start ({error})",
            file=sys.stderr,
        )
        return []
