"""The game's start: options, words, the pack and the model, then the loop.

web/py/main.py calls :func:`main` with the browser (shell/ports.py).  The
page's loading screen follows along through the bridge's ``setStage``.
"""

from __future__ import annotations

import gc
import json

from .app import Game
from .challenges import offered
from .dom import DomScreen
from .i18n import ui_language
from .loading import Loader, PackLoadError
from .options import parse_options
from .ports import Browser
from .presenter import BONES


async def main(browser: Browser) -> None:
    bridge = browser.bridge
    bridge.pythonStarted = True
    bridge.setStage("python", "done")
    screen = DomScreen(browser.document, browser.add_event_listener)
    loader = Loader(browser.fetch, bridge)
    languages = await loader.fetch_languages()
    spoken = [language.code for language in languages]
    config = await loader.fetch_config()
    options = parse_options(browser.query, config, browser.languages, spoken)
    for problem in options.problems:
        print(f"option ignored: {problem}")
    words = await loader.fetch_words(ui_language(options.lang, spoken))
    screen.translate_page(options.lang, words)
    bridge.setBones(json.dumps(BONES))

    bridge.setStage("levels", "active")
    try:
        pack, pictures = await loader.fetch_pack(options.pack)
    except PackLoadError as error:
        bridge.setStage("levels", "failed")
        screen.show_error("levels-invalid", str(error))
        return
    challenges = offered(await loader.fetch_challenges(), options.packs, options.pack)
    bridge.setStage("levels", "done")

    model = await bridge.loadModel(options.backend, options.detector)
    if not model.ok:
        return  # boot.js has shown the model's error screen
    game = Game(
        bridge,
        screen,
        loader,
        browser.create_proxy,
        pack,
        options.pack,
        options,
        pictures,
        words,
        challenges,
    )
    # Everything loaded so far (Pyodide, numpy, the pack) lives as long as the
    # page: kept out of the garbage collector's sweeps, which are then shorter.
    gc.freeze()
    await game.run()
