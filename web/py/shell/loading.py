"""What the game fetches from its server: config, words, packs.

It reads files over HTTP with the page's fetch (``pyodide.http.pyfetch``,
injected by main.py), takes the answers the page already has for the files
it asked for while Python loaded (js/early-fetch.js), and reads a pack the
curator saved on this device through the bridge.  Every file is optional
except the pack: a missing ``config.json``, language list, catalogue or pack
index means defaults, English, and no choice of challenges.
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Protocol

from strike_a_pose import LevelPack, parse_pack

from .challenges import INDEX_URL, Challenge, parse_index
from .i18n import ENGLISH, SOURCE_LANGUAGE, Language, Words, parse_languages, words_from_mo
from .ports import EarlyAnswer, EarlyFetches, Fetch, LocalPacks, Response

CONFIG_URL = "config.json"
LANGUAGES_URL = "locale/languages.json"
CATALOGUE_URL = "locale/{code}.mo"


class PackLoadError(Exception):
    pass


class Page(EarlyFetches, LocalPacks, Protocol):
    """What the loader needs of the bridge."""


@dataclass(frozen=True)
class Loader:
    fetch: Fetch  # GET relative to the page
    page: Page  # the early answers and the packs saved on this device (the bridge)

    async def _get(self, url: str) -> Response | None:
        """The response for ``url``, or None when it cannot be had."""
        try:
            response = await self.fetch(url, cache="no-cache")
        except Exception as error:  # a network error surfaces as a JS exception
            print(f"{url}: could not be fetched ({error})")
            return None
        return response if response.ok else None

    async def _early(self, url: str) -> EarlyAnswer | None:
        """The page's answer for ``url`` if it asked already, with its first
        bytes; None if it did not, or if its request failed (then we ask again)."""
        early = self.page.takeEarlyFetch(url)
        if early is None:
            return None
        answer = await early
        return answer if int(answer.status) else None

    async def fetch_text(self, url: str) -> tuple[int, str]:
        """GET ``url`` (relative to the page): (HTTP status, text), the page's
        early answer when there is one.  Network errors raise."""
        answer = await self._early(url)
        if answer is not None:
            return int(answer.status), str(answer.text)
        response = await self.fetch(url, cache="no-cache")
        return int(response.status), await response.string()

    async def fetch_config(self) -> dict[str, object]:
        """The museum's optional web/config.json; absent or broken means defaults."""
        try:
            status, text = await self.fetch_text(CONFIG_URL)
        except Exception as error:  # a network error surfaces as a JS exception
            print(f"{CONFIG_URL}: could not be fetched ({error})")
            return {}
        if not 200 <= status < 300:
            return {}
        try:
            config = json.loads(text)
        except ValueError as error:  # an unreadable file must not stop the game
            print(f"{CONFIG_URL} ignored: {error}")
            return {}
        if not isinstance(config, dict):
            print(f"{CONFIG_URL} ignored: not a JSON object")
            return {}
        return config

    async def fetch_languages(self) -> tuple[Language, ...]:
        """The languages the game speaks (English alone without the list)."""
        try:
            status, text = await self.fetch_text(LANGUAGES_URL)
        except Exception as error:  # a network error surfaces as a JS exception
            print(f"{LANGUAGES_URL}: could not be fetched ({error})")
            return (ENGLISH,)
        return parse_languages(text) if 200 <= status < 300 else (ENGLISH,)

    async def fetch_words(self, code: str) -> Words:
        """The game's words in ``code`` (a code of the language list); English
        when that is the language, or when its catalogue cannot be read."""
        if code == SOURCE_LANGUAGE:
            return Words()
        url = CATALOGUE_URL.format(code=code)
        early = await self._early(url)
        if early is not None and 200 <= int(early.status) < 300:
            data = bytes(early.bytes.to_bytes())
        else:
            response = await self._get(url)
            if response is None:
                return Words()
            data = bytes(await response.bytes())
        try:
            return words_from_mo(code, data)
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
            local = await self.page.loadLocalPack(url.removeprefix("local:"))
            if not local.ok:
                raise PackLoadError(f"{url}: {local.message}")
            result = parse_pack(str(local.text))
            if result.pack is None:
                raise PackLoadError(f"{url}:\n" + "\n".join(result.messages()))
            return result.pack, json.loads(str(local.images))
        try:
            status, text = await self.fetch_text(url)
        except Exception as error:  # a network error surfaces as a JS exception
            raise PackLoadError(f"{url}: could not be fetched ({error})") from error
        if not 200 <= status < 300:
            raise PackLoadError(f"{url}: the server answered {status}")
        result = parse_pack(text)
        if result.pack is None:
            raise PackLoadError(f"{url}:\n" + "\n".join(result.messages()))
        return result.pack, {}
