"""axe-core for the browser tests: pinned in package.json (test only), read
from node_modules and handed to the page under test by the test itself, over
the DevTools protocol (as a tester's console would): never served by our
server, never part of the game, never from a CDN."""

from __future__ import annotations

from functools import cache
from pathlib import Path
from typing import Any

import pytest
from playwright.sync_api import Page

ROOT = Path(__file__).resolve().parents[2]
AXE = ROOT / "node_modules" / "axe-core" / "axe.min.js"
WCAG_21_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
GRAVE = ("serious", "critical")

RUN_AXE = """async (tags) => {
  const result = await axe.run(document, {
    runOnly: { type: "tag", values: tags },
    resultTypes: ["violations"],
  });
  return result.violations.map((v) => ({
    id: v.id,
    impact: v.impact,
    help: v.help,
    nodes: v.nodes.slice(0, 6).map((n) => n.target.join(" ") + " :: " + n.failureSummary),
  }));
}"""


@cache
def axe_source() -> str:
    if not AXE.is_file():
        pytest.fail(f"{AXE} is missing: run `npm ci` (axe-core is a test dependency)")
    return AXE.read_text(encoding="utf-8")


def violations(page: Page, screen: str) -> list[str]:
    """Every serious or critical WCAG 2.1 A/AA violation axe finds on the page
    as it is now (hidden screens are not checked: axe skips what is hidden)."""
    if not page.evaluate("() => typeof globalThis.axe === 'object'"):
        session = page.context.new_cdp_session(page)
        try:
            answer: dict[str, Any] = session.send(
                "Runtime.evaluate", {"expression": axe_source(), "returnByValue": False}
            )
        finally:
            session.detach()
        assert "exceptionDetails" not in answer, answer
    found: list[dict[str, Any]] = page.evaluate(RUN_AXE, WCAG_21_AA)
    return [
        f"{screen}: {v['id']} ({v['impact']}) {v['help']}: " + " | ".join(v["nodes"])
        for v in found
        if v["impact"] in GRAVE
    ]
