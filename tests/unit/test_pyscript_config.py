"""The PyScript config ships exactly the Python the page imports, from our server."""

from __future__ import annotations

import ast
import json
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
PY = ROOT / "web" / "py"
CONFIG = json.loads((PY / "pyscript.json").read_text())


def test_every_shell_and_core_module_is_listed_and_nothing_else() -> None:
    on_disk = {
        path.relative_to(PY).as_posix()
        for package in ("shell", "strike_a_pose")
        for path in (PY / package).glob("*.py")
    }
    listed = set(CONFIG["files"].values())
    assert listed == on_disk
    for source, target in CONFIG["files"].items():
        assert source == f"./{target}"


def test_interpreter_and_numpy_are_local() -> None:
    interpreter = (PY / CONFIG["interpreter"]).resolve()
    assert interpreter == (ROOT / "web" / "vendor" / "pyodide-0.27.7" / "pyodide.mjs").resolve()
    assert CONFIG["packages"] == ["numpy"]
    assert CONFIG["packages_cache"] == "passthrough"
    assert "://" not in json.dumps(CONFIG)


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


def test_the_curator_page_ships_the_core_for_validation() -> None:
    curator = json.loads((PY / "curator.json").read_text())
    core = {p.relative_to(PY).as_posix() for p in (PY / "strike_a_pose").glob("*.py")}
    assert set(curator["files"].values()) == core
    for key in ("interpreter", "packages", "packages_cache"):
        assert curator[key] == CONFIG[key]
