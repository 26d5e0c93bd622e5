"""The page's test hooks (web/js/test-hooks.js) are on exactly when ?test= or
?debug= says so, and ?debug= means what it means to Python's options
(shell/options.py): one reading of an option's value, in both languages."""

from __future__ import annotations

import json
from pathlib import Path

from shell.options import parse_options
from tests.unit.node_module import run_module

HOOKS_JS = Path(__file__).resolve().parents[2] / "web" / "js" / "test-hooks.js"
QUERIES = [
    "",
    "debug=1",
    "debug=0",
    "debug=",
    "debug=off",
    "debug=No",
    "debug=yes",
    "test=1",
    "test=0",
    "test=false",
    "test=",
    "kiosk=1",
    "debug=0&test=1",
    "test=TRUE",
]


def hooks_on(queries: list[str]) -> list[bool]:
    """testHooksOn for each query string, as the page computes it (in Node)."""
    script = (
        f"import {{ testHooksOn }} from {json.dumps(HOOKS_JS.as_uri())};"
        f"const queries = {json.dumps(queries)};"
        "console.log(JSON.stringify(queries.map((q) => testHooksOn(new URLSearchParams(q)))));"
    )
    result: list[bool] = run_module(script)
    return result


def test_the_hooks_follow_test_and_debug_as_python_reads_debug() -> None:
    on = dict(zip(QUERIES, hooks_on(QUERIES), strict=True))
    for query in QUERIES:
        if query.startswith("debug=") and "&" not in query:
            assert on[query] == parse_options(f"?{query}").debug, query
    assert on["test=1"] and on["test=TRUE"] and on["debug=0&test=1"]
    assert not on[""] and not on["kiosk=1"] and not on["test=0"] and not on["test="]
