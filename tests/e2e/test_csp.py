"""server.py's Content-Security-Policy is the minimum that works: 'unsafe-eval'
is there for TF.js alone.

Served without it, Python (Pyodide and numpy) still starts, and the pose
model fails, in the detector worker as on the page, with the clear "model
failed" screen. When a TF.js upgrade no longer needs it, this test fails:
then take 'unsafe-eval' out of the policy.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest
from playwright.sync_api import BrowserContext, expect

from server import CONTENT_SECURITY_POLICY
from tests.e2e.conftest import collect_errors
from tests.e2e.helpers import BOOT_TIMEOUT_MS, wait_for_state, with_hooks
from tools.local_server import LocalServer

WITHOUT_EVAL = CONTENT_SECURITY_POLICY.replace(" 'unsafe-eval'", "")


@pytest.fixture(scope="module")
def strict_server(web_root: Path) -> Iterator[LocalServer]:
    assert WITHOUT_EVAL != CONTENT_SECURITY_POLICY
    with LocalServer(web_root, {"Content-Security-Policy": WITHOUT_EVAL}) as running:
        yield running


@pytest.mark.parametrize("detector", ["worker", "main"])
def test_without_unsafe_eval_the_pose_model_fails_clearly(
    strict_server: LocalServer, context: BrowserContext, detector: str
) -> None:
    page = collect_errors(context.new_page())
    page.goto(with_hooks(f"{strict_server.url}/index.html?nosw=1&detector={detector}"))
    wait_for_state(page, "error", timeout=BOOT_TIMEOUT_MS)
    expect(page.locator("body")).to_have_attribute("data-error", "model-failed")
    if detector == "main":  # the worker's errors do not reach the page's
        assert any("'unsafe-eval'" in error for error in page.errors), page.errors


def test_without_unsafe_eval_python_and_numpy_still_start(
    strict_server: LocalServer, context: BrowserContext
) -> None:
    # The curator page starts Python with numpy, and TF.js beside it.
    page = collect_errors(context.new_page())
    page.goto(f"{strict_server.url}/curator.html?nosw=1")
    expect(page.locator("body")).to_have_attribute("data-python", "ready", timeout=BOOT_TIMEOUT_MS)
    assert page.locator("body").get_attribute("data-python-start") == "normal"
