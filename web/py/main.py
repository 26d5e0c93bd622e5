"""The game page's entry point (js/python-loader.js runs it): hands the
browser to the game (shell/startup.py).

The one module of the game that imports ``js`` and ``pyodide``: the shell
gets the bridge, the document, ``pyfetch``, ``create_proxy`` and
``add_event_listener`` from here (shell/ports.py says what each must do), so
that CPython tests can hand it fakes instead.
"""

import asyncio
import traceback

from js import document, location, navigator, poseBridge  # type: ignore[import-not-found]
from pyodide.ffi import create_proxy  # type: ignore[import-not-found]
from pyodide.ffi.wrappers import add_event_listener  # type: ignore[import-not-found]
from pyodide.http import pyfetch  # type: ignore[import-not-found]

from shell.ports import Browser
from shell.startup import main


def browser_languages() -> tuple[str, ...]:
    """The visitor's languages, most wanted first (navigator.languages)."""
    languages = tuple(str(tag) for tag in (navigator.languages or []))
    if not languages and navigator.language:
        languages = (str(navigator.language),)
    return languages


async def _run() -> None:
    try:
        browser = Browser(
            bridge=poseBridge,
            document=document,
            fetch=pyfetch,
            create_proxy=create_proxy,
            add_event_listener=add_event_listener,
            query=str(location.search),
            languages=browser_languages(),
        )
        await main(browser)
    except Exception:
        # Never a frozen page: show the error screen with the details for staff.
        poseBridge.showError("unknown", traceback.format_exc())
        raise


# Keep a reference: the event loop holds tasks only weakly.
GAME_TASK = asyncio.ensure_future(_run())  # noqa: RUF006 (this is the reference)
