"""Extract the game's words into ``locale/strike-a-pose.pot``, with Babel.

Development only (Babel is a dev dependency, pinned in pyproject.toml):

``python tools/messages.py extract``  rewrite the template from the sources;
``python tools/messages.py update``   also merge it into every ``locale/*.po``
(new messages appear untranslated, changed ones fuzzy, as Poedit shows them);
``python tools/messages.py init LANG`` start ``locale/LANG.po`` for a new language.

Where the messages are:

* Python (``web/py/``): ``words.gettext("...")``, ``ngettext``, ``pgettext``
  and ``N_("...")`` (the core's hints and framing reasons);
* JavaScript (``web/js/``): ``_("...")``, ``ngettext``, ``pgettext``, through
  js/i18n.js;
* the pages (``web/*.html``): the text of each ``data-i18n="context"``
  element and the ``aria-label`` of each ``data-i18n-label="context"``
  element, in that context (whitespace collapsed, as the pages read them).

``# TRANSLATORS:`` (Python) and ``// TRANSLATORS:`` (JavaScript) comments just
before a message reach the translators.  Compiling for the pages is
tools/catalogues.py's job (standard library only).
"""

from __future__ import annotations

import argparse
import io
import sys
from collections.abc import Iterator, Sequence
from datetime import UTC, datetime
from html.parser import HTMLParser
from pathlib import Path
from typing import IO, Any

from babel.messages.catalog import Catalog
from babel.messages.extract import extract_from_dir
from babel.messages.pofile import read_po, write_po

if __package__ in (None, ""):  # run as a script: make `tools` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tools.catalogues import (
    DIRECTION_CONTEXT,
    DIRECTION_MESSAGE,
    LOCALE,
    NAME_CONTEXT,
    NAME_MESSAGE,
    TEMPLATE_NAME,
)

ROOT = Path(__file__).resolve().parent.parent
WEB = ROOT / "web"
PROJECT = "Strike a Pose"
KEYWORDS: dict[str, Any] = {
    "_": None,
    "gettext": None,
    "ngettext": (1, 2),
    "pgettext": ((1, "c"), 2),
    "N_": None,
}
COMMENT_TAGS = ("TRANSLATORS:",)
# Source folder -> Babel method; the pinned third-party files are not ours.
METHODS = [
    ("vendor/**", "ignore"),
    ("models/**", "ignore"),
    ("py/**.py", "python"),
    ("js/**.js", "javascript"),
    ("*.html", "tools.messages:extract_html"),
]
WIDTH = 100


class _PageTexts(HTMLParser):
    """The data-i18n texts and data-i18n-label labels of a page."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.found: list[tuple[int, str, str]] = []  # (line, context, text)
        self._open: list[tuple[str, str, int, list[str]]] = []  # (tag, context, line, text)

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        line = self.getpos()[0]
        if "data-i18n-label" in values:
            label = " ".join(values.get("aria-label", "").split())
            self.found.append((line, values["data-i18n-label"], label))
        if "data-i18n" in values:
            self._open.append((tag, values["data-i18n"], line, []))
        elif self._open and tag == self._open[-1][0]:
            self._open.append((tag, "", line, []))  # a nested element of the same tag

    def handle_data(self, data: str) -> None:
        for _, context, _, text in self._open:
            if context:
                text.append(data)

    def handle_endtag(self, tag: str) -> None:
        if self._open and self._open[-1][0] == tag:
            _, context, line, text = self._open.pop()
            if context:
                self.found.append((line, context, " ".join("".join(text).split())))


def extract_html(
    fileobj: IO[bytes], keywords: Any, comment_tags: Any, options: Any
) -> Iterator[tuple[int, str, tuple[str, str], list[str]]]:
    """Babel extraction method for our pages (see the module docstring)."""
    parser = _PageTexts()
    parser.feed(fileobj.read().decode("utf-8"))
    parser.close()
    for line, context, text in parser.found:
        if text:
            yield line, "pgettext", (context, text), []


def extract(web: Path = WEB) -> Catalog:
    """A template catalogue of every message in the sources under ``web``."""
    catalog = Catalog(
        project=PROJECT,
        charset="utf-8",
        fuzzy=False,
        header_comment=(
            "# The words of Strike a Pose: the template of every translation.\n"
            "# Extracted from the sources by tools/messages.py (Babel); do not edit.\n"
            "# How to translate: docs/translating.md."
        ),
        copyright_holder="The Strike a Pose authors",
        msgid_bugs_address="",
    )
    catalog.add(
        NAME_MESSAGE,
        context=NAME_CONTEXT,
        auto_comments=["The language's own name for itself, e.g. Italiano."],
    )
    catalog.add(
        DIRECTION_MESSAGE,
        context=DIRECTION_CONTEXT,
        auto_comments=["'rtl' for a language written right to left (Arabic), else 'ltr'."],
    )
    messages = extract_from_dir(
        web, METHODS, keywords=KEYWORDS, comment_tags=COMMENT_TAGS, strip_comment_tags=True
    )
    for filename, lineno, message, comments, context in messages:
        path = (Path("web") / filename).as_posix()
        catalog.add(message, None, [(path, lineno)], auto_comments=comments, context=context)
    return catalog


def _render(catalog: Catalog) -> bytes:
    out = io.BytesIO()
    write_po(out, catalog, width=WIDTH, include_lineno=False, sort_output=False)
    return out.getvalue()


def _entries(data: bytes) -> list[tuple[object, ...]]:
    """What matters in a catalogue's text: its messages, comments and places."""
    catalog = read_po(io.BytesIO(data))
    return [
        (m.context, m.id, m.string, tuple(m.auto_comments), tuple(m.locations), m.fuzzy)
        for m in catalog
        if m.id
    ]


def write_template(path: Path = LOCALE / TEMPLATE_NAME) -> bool:
    """Rewrite the template if its messages changed; True if it did."""
    catalog = extract()
    if path.is_file():
        old = path.read_bytes()
        catalog.creation_date = read_po(io.BytesIO(old)).creation_date
        if _entries(old) == _entries(_render(catalog)):
            return False
    else:
        catalog.creation_date = datetime.now(UTC)
    path.write_bytes(_render(catalog))
    return True


def template_is_current(path: Path = LOCALE / TEMPLATE_NAME) -> bool:
    """Whether the committed template has exactly the sources' messages."""
    return path.is_file() and _entries(path.read_bytes()) == _entries(_render(extract()))


def update_translations(locale_dir: Path = LOCALE) -> list[Path]:
    """Merge the template into every translation; the files that changed."""
    template = read_po(io.BytesIO((locale_dir / TEMPLATE_NAME).read_bytes()))
    changed = []
    for path in sorted(locale_dir.glob("*.po")):
        old = path.read_bytes()
        catalog = read_po(io.BytesIO(old))
        catalog.update(template, update_header_comment=False)
        catalog.obsolete.clear()
        out = io.BytesIO()
        write_po(out, catalog, width=WIDTH, include_lineno=False, ignore_obsolete=True)
        if out.getvalue() != old:
            path.write_bytes(out.getvalue())
            changed.append(path)
    return changed


def init_translation(code: str, locale_dir: Path = LOCALE) -> Path:
    """A new, empty translation for language ``code`` (e.g. "pt_BR")."""
    target = locale_dir / f"{code}.po"
    if target.exists():
        raise SystemExit(f"{target} exists already")
    template = read_po(io.BytesIO((locale_dir / TEMPLATE_NAME).read_bytes()))
    catalog = Catalog(locale=code, project=PROJECT, charset="utf-8")
    catalog.update(template)
    out = io.BytesIO()
    write_po(out, catalog, width=WIDTH, include_lineno=False)
    target.write_bytes(out.getvalue())
    return target


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("command", choices=("extract", "update", "init"))
    parser.add_argument("language", nargs="?", help="for init: a language code such as it")
    args = parser.parse_args(argv)
    changed = write_template()
    print(f"{LOCALE / TEMPLATE_NAME}: {'rewritten' if changed else 'unchanged'}")
    if args.command == "update":
        for path in update_translations():
            print(f"{path}: updated")
    elif args.command == "init":
        if not args.language:
            parser.error("init needs a language code, e.g. init it")
        print(f"{init_translation(args.language)}: created")
    return 0


if __name__ == "__main__":
    sys.exit(main())
