"""What the game fetches from its server: config, words, packs.

It reads files over HTTP with the page's fetch (``pyodide.http.pyfetch``,
injected by main.py) and a pack the curator saved on this device through the
bridge.  Every file is optional except the pack: a missing ``config.json``,
language list, catalogue or pack index means defaults, English, and no
choice of challenges.
"""

from __future__ import annotations

import json
from dataclasses import dataclass

from strike_a_pose import LevelPack, parse_pack

from .challenges import INDEX_URL, Challenge, parse_index
from .i18n import ENGLISH, SOURCE_LANGUAGE, Language, Words, parse_languages, words_from_mo
from .ports import Fetch, LocalPacks, Response

CONFIG_URL = "config.json"
LANGUAGES_URL = "locale/languages.json"
CATALOGUE_URL = "locale/{code}.mo"


class PackLoadError(Exception):
    pass


@dataclass(frozen=True)
class Loader:
    fetch: Fetch  # GET relative to the page
    local_packs: LocalPacks  # the packs saved on this device (the bridge)

    async def _get(self, url: str) -> Response | None:
        """The response for ``url``, or None when it cannot be had."""
        try:
            response = await self.fetch(url, cache="no-cache")
        except Exception as error:  # a network error surfaces as a JS exception
            print(f"{url}: could not be fetched ({error})")
            return None
        return response if response.ok else None

    async def fetch_config(self) -> dict[str, object]:
        """The museum's optional web/config.json; absent or broken means defaults."""
        response = await self._get(CONFIG_URL)
        if response is None:
            return {}
        try:
            config = json.loads(await response.string())
        except ValueError as error:  # an unreadable file must not stop the game
            print(f"{CONFIG_URL} ignored: {error}")
            return {}
        if not isinstance(config, dict):
            print(f"{CONFIG_URL} ignored: not a JSON object")
            return {}
        return config

    async def fetch_languages(self) -> tuple[Language, ...]:
        """The languages the game speaks (English alone without the list)."""
        response = await self._get(LANGUAGES_URL)
        return parse_languages(await response.string()) if response is not None else (ENGLISH,)

    async def fetch_words(self, code: str) -> Words:
        """The game's words in ``code`` (a code of the language list); English
        when that is the language, or when its catalogue cannot be read."""
        if code == SOURCE_LANGUAGE:
            return Words()
        url = CATALOGUE_URL.format(code=code)
        response = await self._get(url)
        if response is None:
            return Words()
        try:
            return words_from_mo(code, bytes(await response.bytes()))
        except (OSError, ValueError, UnicodeDecodeError) as error:  # a damaged catalogue
            print(f"{url} ignored: {error}")
            return Words()

    async def fetch_challenges(self) -> tuple[Challenge, ...]:
        """The installed packs (web/levels/index.json); none without the index."""
        response = await self._get(INDEX_URL)
        if response is None:
            return ()
        try:
            return parse_index(await response.string())
        except ValueError as error:
            print(f"{INDEX_URL} ignored: {error}")
            return ()

    async def fetch_pack(self, url: str) -> tuple[LevelPack, dict[str, str]]:
        """The pack at ``url`` and, for a pack saved on this device
        (``local:<id>``), its pictures by name as data: URLs."""
        if url.startswith("local:"):
            local = await self.local_packs.loadLocalPack(url.removeprefix("local:"))
            if not local.ok:
                raise PackLoadError(f"{url}: {local.message}")
            result = parse_pack(str(local.text))
            if result.pack is None:
                raise PackLoadError(f"{url}:\n" + "\n".join(result.messages()))
            return result.pack, json.loads(str(local.images))
        try:
            response = await self.fetch(url, cache="no-cache")
        except Exception as error:  # a network error surfaces as a JS exception
            raise PackLoadError(f"{url}: could not be fetched ({error})") from error
        if not response.ok:
            raise PackLoadError(f"{url}: the server answered {response.status}")
        result = parse_pack(await response.string())
        if result.pack is None:
            raise PackLoadError(f"{url}:\n" + "\n".join(result.messages()))
        return result.pack, {}
