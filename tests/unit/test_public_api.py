import ast
from pathlib import Path

import strike_a_pose

PACKAGE = Path(strike_a_pose.__file__).parent


def test_everything_in_all_exists() -> None:
    for name in strike_a_pose.__all__:
        assert hasattr(strike_a_pose, name), name


def test_core_never_touches_the_browser_the_clock_or_randomness() -> None:
    forbidden = {"js", "pyodide", "pyscript", "time", "datetime", "random", "secrets", "os"}
    for path in PACKAGE.glob("*.py"):
        tree = ast.parse(path.read_text(encoding="utf-8"))
        for node in ast.walk(tree):
            if isinstance(node, ast.Import):
                roots = {alias.name.split(".")[0] for alias in node.names}
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                roots = {node.module.split(".")[0]}
            else:
                continue
            assert not roots & forbidden, f"{path.name}:{node.lineno} imports {roots & forbidden}"
            assert roots <= {
                "__future__",
                "collections",
                "dataclasses",
                "enum",
                "functools",
                "json",
                "math",
                "numpy",
                "re",
                "types",
                "typing",
                "unicodedata",
            }, f"{path.name}:{node.lineno} imports {roots}"
        assert "np.random" not in path.read_text(encoding="utf-8"), path.name
