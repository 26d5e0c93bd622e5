"""The game's words in a language, compiled from the shipped ``locale/*.po``
the way tools/catalogues.py compiles them for the page."""

from __future__ import annotations

from functools import cache

from shell.i18n import Words, words_from_mo
from tools.catalogues import LOCALE, mo_bytes, read_catalogue, translations

SHIPPED: tuple[str, ...] = tuple(code for code, _ in translations(LOCALE))


@cache
def words(lang: str) -> Words:
    """The words of ``lang`` ("en": the sources' English)."""
    if lang == "en":
        return Words()
    return words_from_mo(lang, mo_bytes(read_catalogue(LOCALE / f"{lang}.po")))
