"""py/python.json ships exactly the Python the pages import, from our server;
the pages preload what their loaders then fetch; shared names agree."""

from __future__ import annotations

import ast
import json
import posixpath
import re
from pathlib import Path

from shell.options import DEFAULT_PACK
from tools.fetch_assets import read_lock

ROOT = Path(__file__).resolve().parents[2]
WEB = ROOT / "web"
PY = WEB / "py"
CONFIG = json.loads((PY / "python.json").read_text())
LOCKED = {entry.dest.removeprefix("web/") for entry in read_lock(ROOT / "assets.lock.json")}


def web_path(relative: str) -> str:
    """A python.json path (relative to it) as a path under web/."""
    return posixpath.normpath(posixpath.join("py", relative))


def test_every_shell_and_core_module_is_listed_and_nothing_else() -> None:
    on_disk = {
        path.relative_to(PY).as_posix()
        for package in ("shell", "strike_a_pose")
        for path in (PY / package).glob("*.py")
    }
    assert set(CONFIG["files"]) == on_disk
    assert CONFIG["files"] == sorted(CONFIG["files"])


def test_pyodide_and_numpy_are_the_pinned_local_files() -> None:
    pyodide = web_path(CONFIG["pyodide"])
    assert pyodide == "vendor/pyodide-0.27.7"
    for name in ("pyodide.mjs", "pyodide.asm.js", "pyodide.asm.wasm"):
        assert f"{pyodide}/{name}" in LOCKED
    # The standard library and numpy: the pinned archives, repacked (tools/repack_archives.py).
    assert web_path(CONFIG["repacked_from"]) == pyodide
    archives = [web_path(CONFIG["stdlib"]), *map(web_path, CONFIG["wheels"])]
    assert archives == [
        "py/lib/python_stdlib.zip",
        "py/lib/numpy-2.0.2-cp312-cp312-pyodide_2024_0_wasm32.whl",
    ]
    assert {f"{pyodide}/{posixpath.basename(path)}" for path in archives} <= LOCKED
    assert "://" not in json.dumps(CONFIG)


def test_the_snapshot_imports_the_game_and_is_described_next_to_the_manifest() -> None:
    assert CONFIG["imports"][0] == "numpy"
    assert {"strike_a_pose", "shell.startup"} <= set(CONFIG["imports"])  # and all it imports
    assert web_path(CONFIG["snapshot"]) == "py/snapshot.json"


def preloaded(page: str) -> dict[str, str]:
    """href -> the kind of preload (the `as` value, or "module") in a page's <head>."""
    html = (WEB / page).read_text(encoding="utf-8")
    head = html[: html.index("</head>")]
    found = {}
    for tag in re.findall(r"<link [^>]*rel=\"(?:modulepreload|preload)\"[^>]*>", head):
        href = re.search(r'href="([^"]+)"', tag)
        assert href, tag
        if "modulepreload" in tag:
            found[href.group(1)] = "module"
        else:
            kind = re.search(r'as="([^"]+)"', tag)
            assert kind and kind.group(1) == "fetch", tag
            # fetch() requests are CORS-mode: the preload must be too, or it is not reused.
            assert " crossorigin" in tag, tag
            found[href.group(1)] = "fetch"
    return found


def test_both_pages_preload_every_big_file_their_loaders_fetch() -> None:
    pyodide = web_path(CONFIG["pyodide"])
    expected = {
        f"{pyodide}/pyodide.mjs": "module",
        f"{pyodide}/pyodide.asm.js": "module",  # imported, as Pyodide itself would
        f"{pyodide}/pyodide.asm.wasm": "fetch",
        web_path(CONFIG["stdlib"]): "fetch",
        f"{pyodide}/pyodide-lock.json": "fetch",
        **{web_path(wheel): "fetch" for wheel in CONFIG["wheels"]},
        "py/python.json": "fetch",
        web_path(CONFIG["snapshot"]): "fetch",
        "precache.json": "fetch",
        "js/python-loader.js": "module",
        "js/python-runtime.js": "module",
        "js/wheel.js": "module",
        "vendor/tfjs-4.22.0/tfjs-backend-wasm-simd.wasm": "fetch",
        "models/movenet-lightning.json": "fetch",
        "models/movenet-lightning.bin": "fetch",
    }
    game = {
        **expected,
        "levels/default/pack.json": "fetch",  # shell/options.py DEFAULT_PACK
        "locale/languages.json": "fetch",  # the loading screen's words (js/early-i18n.js)
        # What the detector worker imports (it cannot take the page's preloads,
        # but finds them in the HTTP cache); the curator runs TF.js on its page.
        "vendor/tfjs-4.22.0/tf.min.js": "fetch",
        "vendor/tfjs-4.22.0/tf-backend-wasm.min.js": "fetch",
        "vendor/pose-detection-2.1.3/pose-detection.min.js": "fetch",
    }
    assert preloaded("index.html") == game
    assert preloaded("curator.html") == expected
    for page in ("index.html", "curator.html"):
        html = (WEB / page).read_text(encoding="utf-8")
        assert "pyscript" not in html, page


def constant(path: Path, name: str) -> object:
    """A module-level constant of a Python file (shell/loading.py imports `js`: not importable)."""
    for node in ast.parse(path.read_text(encoding="utf-8")).body:
        if isinstance(node, ast.Assign) and any(
            isinstance(t, ast.Name) and t.id == name for t in node.targets
        ):
            return ast.literal_eval(node.value)
    raise LookupError(name)


def test_the_early_requests_name_the_files_python_takes() -> None:
    script = (WEB / "js" / "early-fetch.js").read_text(encoding="utf-8")
    loading = PY / "shell" / "loading.py"
    assert f'const CONFIG_PATH = "{constant(loading, "CONFIG_URL")}";' in script
    assert f'const LANGUAGES_PATH = "{constant(loading, "LANGUAGES_URL")}";' in script
    assert f'const CATALOGUE_PATH = "{constant(loading, "CATALOGUE_URL")}";' in script
    assert f'const DEFAULT_PACK = "{DEFAULT_PACK}";' in script
    html = (WEB / "index.html").read_text(encoding="utf-8")
    head = html[: html.index("</head>")]
    first_script = re.search(r"<script [^>]*>", head)
    assert first_script and 'src="js/early-fetch.js"' in first_script.group(0)
    assert " async" in first_script.group(0)


def imported_modules(path: Path) -> set[str]:
    modules = set()
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            modules |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            modules.add(node.module.split(".")[0])
    return modules


def test_core_never_imports_the_browser_a_clock_or_randomness() -> None:
    forbidden = {"js", "pyodide", "pyscript", "time", "datetime", "random", "secrets"}
    for path in (PY / "strike_a_pose").glob("*.py"):
        assert not imported_modules(path) & forbidden, path.name


def test_only_the_entry_points_touch_the_browser() -> None:
    """The shell gets the browser from main.py (shell/ports.py), so CPython
    tests can drive all of it with fakes."""
    browser = {"js", "pyodide", "pyscript"}
    touching = {
        p.relative_to(PY).as_posix() for p in PY.glob("**/*.py") if imported_modules(p) & browser
    }
    assert touching == {"main.py", "curator_main.py"}


def test_the_curator_page_validates_with_the_core_only() -> None:
    imported = imported_modules(PY / "curator_main.py")
    assert "strike_a_pose" in imported
    assert "shell" not in imported
