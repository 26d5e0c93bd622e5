"""The game's own words in the visitor's language (pure: no browser imports).

Level texts (titles, hints, "about") come from the level pack in the pack's
languages (docs/levelpack.md).  Everything else a visitor reads is English in
the sources (the presenter's messages here and in presenter.py, the core's
hints and framing reasons, the pages' fixed texts) and translated through
gettext catalogues: ``locale/<language>.po``, compiled into
``web/locale/<language>.mo`` by tools/catalogues.py and read here with the
standard library's ``gettext`` (docs/translating.md).  A message a catalogue
lacks shows in English.

Placeholders are ``{name}``; they are filled by :func:`fill`, which knows
nothing but names (a translation cannot reach an attribute or an index, and
an unknown name stays as written).  Plural forms come from the catalogue's
``Plural-Forms``.  A sentence that names a side ("your left arm") is a whole
message per side, so each language makes its own words agree.
"""

from __future__ import annotations

import gettext
import io
import json
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

SOURCE_LANGUAGE = "en"  # the language of the sources, which needs no catalogue
# The messages that describe a catalogue (tools/catalogues.py uses the same).
DIRECTION_CONTEXT, DIRECTION_MESSAGE = "text direction", "ltr"
NAME_CONTEXT, NAME_MESSAGE = "language name", "English"

_PLACEHOLDER = re.compile(r"\{(\w+)\}")


def fill(template: str, params: Mapping[str, object]) -> str:
    """``template`` with each ``{name}`` of ``params`` replaced by its value."""
    if not params:
        return template

    def value(match: re.Match[str]) -> str:
        name = match.group(1)
        return str(params[name]) if name in params else match.group(0)

    return _PLACEHOLDER.sub(value, template)


@dataclass(frozen=True)
class Language:
    """One language the game speaks (web/locale/languages.json)."""

    code: str
    name: str
    direction: str = "ltr"


ENGLISH = Language(SOURCE_LANGUAGE, "English", "ltr")


class Words:
    """The game's words in one language: a gettext catalogue with ``{name}``
    placeholders.  The method names are gettext's, so that Babel finds the
    messages in the sources (tools/messages.py)."""

    def __init__(
        self, language: str = SOURCE_LANGUAGE, translations: gettext.NullTranslations | None = None
    ) -> None:
        self.language = language
        self._translations = translations or gettext.NullTranslations()
        direction = self._translations.pgettext(DIRECTION_CONTEXT, DIRECTION_MESSAGE)
        self.direction = "rtl" if direction == "rtl" else "ltr"

    def gettext(self, message: str, **params: object) -> str:
        return fill(self._translations.gettext(message), params)

    def ngettext(self, singular: str, plural: str, count: int, **params: object) -> str:
        """The form for ``count`` (``{count}`` is filled with it too)."""
        template = self._translations.ngettext(singular, plural, count)
        return fill(template, {"count": count, **params})

    def pgettext(self, context: str, message: str, **params: object) -> str:
        return fill(self._translations.pgettext(context, message), params)

    def decimal(self, value: float, digits: int = 1) -> str:
        """``value`` with ``digits`` decimals and the language's decimal mark."""
        # TRANSLATORS: the mark between a number's whole part and its decimals.
        mark = self.pgettext("decimal mark", ".")
        return f"{value:.{digits}f}".replace(".", mark)


def words_from_mo(language: str, data: bytes) -> Words:
    """The words of a compiled catalogue (``web/locale/<language>.mo``)."""
    return Words(language, gettext.GNUTranslations(io.BytesIO(data)))


ENGLISH_WORDS = Words()


def parse_languages(text: str) -> tuple[Language, ...]:
    """The languages of ``web/locale/languages.json``; English alone when
    the text is not such a listing."""
    try:
        data = json.loads(text)
        rows: Sequence[Any] = data["languages"]
        found = tuple(
            Language(str(row["code"]), str(row["name"]), "rtl" if row["dir"] == "rtl" else "ltr")
            for row in rows
        )
    except (ValueError, KeyError, TypeError):
        return (ENGLISH,)
    if not any(language.code == SOURCE_LANGUAGE for language in found):
        found = (ENGLISH, *found)
    return found


def _match(tag: str, spoken: Iterable[str]) -> str | None:
    codes = list(spoken)
    for code in codes:
        if code.lower() == tag.lower():
            return code
    primary = tag.split("-")[0].lower()
    for code in codes:
        if code.lower() == primary:
            return code
    return None


def ui_language(tag: str, spoken: Iterable[str]) -> str:
    """The language of the game's words for a language tag: the exact tag
    ("pt-BR"), else its primary language ("fr-CA" -> "fr"), else English."""
    return _match(tag, spoken) or SOURCE_LANGUAGE


def choose_language(preferred: Iterable[str], spoken: Iterable[str]) -> str | None:
    """The first of the browser's preferred tags (navigator.languages) that
    we speak, as given (level texts may match the full tag), else None."""
    codes = list(spoken)
    return next((tag for tag in preferred if _match(tag, codes) is not None), None)


def hint_text(hint: Mapping[str, Any], words: Words) -> str:
    """A core hint or framing reason (``{"key"|"code", "params", "text"}``)
    in the visitor's language: its English text is the message."""
    return words.gettext(str(hint.get("text", "")))
