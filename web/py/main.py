"""The game page's entry point (js/python-loader.js runs it): starts the game loop
(see shell/app.py)."""

import asyncio
import traceback

from js import poseBridge  # type: ignore[import-not-found]

from shell.app import main


async def _run() -> None:
    try:
        await main()
    except Exception:
        # Never a frozen page: show the error screen with the details for staff.
        poseBridge.showError("unknown", traceback.format_exc())
        raise


# Keep a reference: the event loop holds tasks only weakly.
GAME_TASK = asyncio.ensure_future(_run())  # noqa: RUF006 (this is the reference)
