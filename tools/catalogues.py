"""Compile the game's translations (``locale/*.po``) for the pages: ``web/locale/``.

The game's words are gettext catalogues: ``locale/strike-a-pose.pot`` is the
template (extracted from the sources by ``tools/messages.py``, with Babel, in
development), and ``locale/<language>.po`` one translation each, as Poedit or
Weblate write them (docs/translating.md).  The pages read compiled copies:

* ``web/locale/<language>.mo``: the standard binary catalogue, read by the
  standard library's ``gettext`` in Pyodide and by ``js/i18n.js``;
* ``web/locale/languages.json``: the languages there are (the source language,
  English, first), each with its own name and its writing direction, which
  the catalogue itself says (the message "ltr" in the context "text
  direction", translated "rtl" for a right-to-left language).

This is plain standard library, so a museum's server can run it: a new
``.po`` file needs no code change, only this step, which
``tools/build_precache.py`` (scripts/serve.sh) and ``tools/export_static.py``
run.  The outputs are never committed (.gitignore).  Fuzzy and empty
translations are left out of the compiled catalogue (the page then shows the
English), as ``msgfmt`` does.

``check_catalogue`` is what CI runs on every shipped catalogue: every message
of the template translated, no fuzzy ones, the same ``{placeholders}`` as the
English, and as many plural forms as the catalogue's Plural-Forms says.

``python3 tools/catalogues.py [--out web/locale]`` (``--check`` checks instead).
"""

from __future__ import annotations

import argparse
import gettext
import json
import re
import struct
import sys
from collections.abc import Sequence
from dataclasses import dataclass, field
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `tools` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tools.atomic import write_atomically

ROOT = Path(__file__).resolve().parent.parent
LOCALE = ROOT / "locale"
OUT = ROOT / "web" / "locale"
TEMPLATE_NAME = "strike-a-pose.pot"
LANGUAGES_NAME = "languages.json"
SOURCE_LANGUAGE = "en"
SOURCE_NAME = "English"
# The messages that describe a catalogue itself (translated like any other).
NAME_CONTEXT, NAME_MESSAGE = "language name", "English"
DIRECTION_CONTEXT, DIRECTION_MESSAGE = "text direction", "ltr"
DIRECTIONS = ("ltr", "rtl")
CONTEXT_SEPARATOR = "\x04"  # between msgctxt and msgid in a .mo key (gettext's rule)
PLURAL_SEPARATOR = "\x00"
MO_MAGIC = 0x950412DE
# A .po file name: a language tag with "_" before the region, as gettext has it.
PO_NAME = re.compile(r"^([a-z]{2,3})(?:_([A-Z]{2}|[A-Za-z0-9]{4,8}))?\.po$")
PLACEHOLDER = re.compile(r"\{(\w*)\}")
NPLURALS = re.compile(r"nplurals\s*=\s*(\d+)")
PLURAL_EXPRESSION = re.compile(r"plural\s*=\s*([^;]+)")


class CatalogueError(Exception):
    """A .po file that cannot be read; the message says where and why."""


@dataclass(frozen=True)
class Entry:
    """One message of a .po file."""

    msgid: str
    msgstr: tuple[str, ...]  # one form, or one per plural form
    context: str | None = None
    plural: str | None = None  # msgid_plural
    fuzzy: bool = False
    line: int = 0

    @property
    def key(self) -> tuple[str | None, str]:
        return (self.context, self.msgid)

    @property
    def translated(self) -> bool:
        return not self.fuzzy and all(self.msgstr)

    def label(self) -> str:
        where = f"msgctxt {self.context!r} " if self.context is not None else ""
        return f"{where}msgid {self.msgid!r}"


@dataclass(frozen=True)
class Catalogue:
    """A parsed .po (or .pot) file."""

    entries: tuple[Entry, ...]
    headers: dict[str, str] = field(default_factory=dict)
    header_text: str = ""

    @property
    def nplurals(self) -> int:
        found = NPLURALS.search(self.headers.get("Plural-Forms", ""))
        return int(found.group(1)) if found else 2

    def find(self, context: str | None, msgid: str) -> Entry | None:
        for entry in self.entries:
            if entry.key == (context, msgid):
                return entry
        return None


_ESCAPES = {"n": "\n", "t": "\t", "r": "\r", '"': '"', "\\": "\\", "a": "\a", "b": "\b"}


def _unquote(token: str, where: str) -> str:
    if len(token) < 2 or not token.startswith('"') or not token.endswith('"'):
        raise CatalogueError(f"{where}: expected a quoted string, got {token[:40]!r}")
    out = []
    body = token[1:-1]
    i = 0
    while i < len(body):
        char = body[i]
        if char == "\\":
            if i + 1 >= len(body) or body[i + 1] not in _ESCAPES:
                raise CatalogueError(f"{where}: unknown escape in {token[:40]!r}")
            out.append(_ESCAPES[body[i + 1]])
            i += 2
        elif char == '"':
            raise CatalogueError(f"{where}: unescaped quote in {token[:40]!r}")
        else:
            out.append(char)
            i += 1
    return "".join(out)


def parse_po(text: str, name: str = "po") -> Catalogue:
    """Parse a .po file's text.  Obsolete entries (``#~``) are skipped."""
    entries: list[Entry] = []
    current: dict[str, object] = {}
    field_name: str | None = None
    flags: set[str] = set()
    start_line = 0

    def finish() -> None:
        nonlocal current, field_name, flags
        if "msgid" in current:
            forms = current.get("msgstr_forms")
            if isinstance(forms, dict):
                count = max(forms) + 1 if forms else 0
                if sorted(forms) != list(range(count)):
                    raise CatalogueError(
                        f"{name}:{start_line}: plural forms are not 0..{count - 1}"
                    )
                msgstr = tuple(str(forms[i]) for i in range(count))
            else:
                msgstr = (str(current.get("msgstr", "")),)
            plural = current.get("msgid_plural")
            context = current.get("msgctxt")
            entries.append(
                Entry(
                    msgid=str(current["msgid"]),
                    msgstr=msgstr,
                    context=None if context is None else str(context),
                    plural=None if plural is None else str(plural),
                    fuzzy="fuzzy" in flags,
                    line=start_line,
                )
            )
        elif current:
            raise CatalogueError(f"{name}:{start_line}: an entry without msgid")
        current, field_name, flags = {}, None, set()

    for number, raw in enumerate(text.splitlines(), start=1):
        line = raw.strip()
        where = f"{name}:{number}"
        if not line:
            continue
        if line.startswith("#"):
            if current and field_name is not None and "msgstr" in field_name:
                finish()
            if line.startswith("#,"):
                flags |= {flag.strip() for flag in line[2:].split(",")}
            continue
        keyword, _, rest = line.partition(" ")
        if line.startswith('"'):
            if field_name is None:
                raise CatalogueError(f"{where}: a string outside an entry")
            value = _unquote(line, where)
            if field_name.startswith("msgstr["):
                forms = current["msgstr_forms"]
                assert isinstance(forms, dict)
                index = int(field_name[7:-1])
                forms[index] = forms[index] + value
            else:
                current[field_name] = str(current[field_name]) + value
            continue
        if keyword in ("msgctxt", "msgid") and (
            "msgstr" in current or "msgstr_forms" in current or (keyword == "msgctxt" and current)
        ):
            finish()
        if not current:
            start_line = number
        value = _unquote(rest.strip(), where)
        if keyword in ("msgctxt", "msgid", "msgid_plural", "msgstr"):
            if keyword in current:
                raise CatalogueError(f"{where}: {keyword} twice in one entry")
            current[keyword] = value
            field_name = keyword
        elif keyword.startswith("msgstr[") and keyword.endswith("]") and keyword[7:-1].isdigit():
            forms = current.setdefault("msgstr_forms", {})
            assert isinstance(forms, dict)
            forms[int(keyword[7:-1])] = value
            field_name = keyword
        else:
            raise CatalogueError(f"{where}: unknown keyword {keyword[:20]!r}")
    finish()

    header = next((e for e in entries if e.msgid == "" and e.context is None), None)
    headers: dict[str, str] = {}
    header_text = ""
    if header is not None:
        header_text = header.msgstr[0]
        for row in header_text.splitlines():
            key, colon, value = row.partition(":")
            if colon:
                headers[key.strip()] = value.strip()
    messages = tuple(e for e in entries if e is not header)
    seen: set[tuple[str | None, str]] = set()
    for entry in messages:
        if entry.key in seen:
            raise CatalogueError(f"{name}:{entry.line}: {entry.label()} is there twice")
        seen.add(entry.key)
    return Catalogue(messages, headers, header_text)


def read_catalogue(path: Path) -> Catalogue:
    try:
        text = path.read_text(encoding="utf-8")
    except (OSError, UnicodeDecodeError) as error:
        raise CatalogueError(f"{path}: cannot be read as UTF-8 ({error})") from None
    return parse_po(text, path.name)


def placeholders(text: str) -> set[str]:
    """The ``{name}`` placeholders of a message."""
    return set(PLACEHOLDER.findall(text))


def _plural_expression_ok(expression: str) -> bool:
    """Whether a Plural-Forms expression is one gettext accepts (the standard
    library's own parser of it)."""
    try:
        gettext.c2py(expression.strip())
    except (ValueError, RecursionError):
        return False
    return True


def check_catalogue(template: Catalogue, catalogue: Catalogue, name: str) -> list[str]:
    """Every problem of a shipped translation against the template: missing,
    untranslated or fuzzy messages, placeholders unlike the English, a plural
    form too many or too few, a message the template no longer has."""
    problems: list[str] = []
    plural_forms = catalogue.headers.get("Plural-Forms", "")
    nplurals = catalogue.nplurals
    expression = PLURAL_EXPRESSION.search(plural_forms)
    if not NPLURALS.search(plural_forms) or expression is None:
        problems.append(f"{name}: no Plural-Forms header (nplurals=...; plural=...;)")
    elif not _plural_expression_ok(expression.group(1)):
        problems.append(f"{name}: the Plural-Forms expression {expression.group(1)!r} is not valid")
    if not catalogue.headers.get("Language"):
        problems.append(f"{name}: no Language header")
    charset = catalogue.headers.get("Content-Type", "charset=utf-8").lower()
    if "charset=utf-8" not in charset.replace(" ", ""):
        problems.append(f"{name}: save it as UTF-8 (Content-Type says {charset!r})")
    for wanted in template.entries:
        entry = catalogue.find(wanted.context, wanted.msgid)
        if entry is None:
            problems.append(f"{name}: {wanted.label()} is missing")
            continue
        if entry.fuzzy:
            problems.append(f"{name}:{entry.line}: {entry.label()} is fuzzy (not checked yet)")
        if not all(entry.msgstr):
            problems.append(f"{name}:{entry.line}: {entry.label()} is not translated")
            continue
        if wanted.plural is None:
            if entry.plural is not None or len(entry.msgstr) != 1:
                problems.append(f"{name}:{entry.line}: {entry.label()} must have one form")
                continue
            source, found = placeholders(wanted.msgid), placeholders(entry.msgstr[0])
            if source != found:
                problems.append(
                    f"{name}:{entry.line}: {entry.label()} has placeholders "
                    f"{sorted(found)}, the English has {sorted(source)}"
                )
            continue
        if len(entry.msgstr) != nplurals:
            problems.append(
                f"{name}:{entry.line}: {entry.label()} has {len(entry.msgstr)} plural forms, "
                f"Plural-Forms says {nplurals}"
            )
            continue
        # A form may leave out the number ("one artwork"), never add a name.
        source = placeholders(wanted.msgid) | placeholders(wanted.plural)
        used: set[str] = set()
        for index, form in enumerate(entry.msgstr):
            found = placeholders(form)
            used |= found
            if not found <= source:
                problems.append(
                    f"{name}:{entry.line}: {entry.label()} form {index} has placeholders "
                    f"{sorted(found - source)} the English lacks"
                )
        if used != source:
            problems.append(
                f"{name}:{entry.line}: {entry.label()} never uses {sorted(source - used)}"
            )
    wanted_keys = {entry.key for entry in template.entries}
    for entry in catalogue.entries:
        if entry.key not in wanted_keys:
            problems.append(
                f"{name}:{entry.line}: {entry.label()} is not in the template "
                "(run tools/messages.py update)"
            )
    direction = catalogue.find(DIRECTION_CONTEXT, DIRECTION_MESSAGE)
    if direction is not None and direction.msgstr[0] not in DIRECTIONS:
        problems.append(f"{name}: the text direction must be 'ltr' or 'rtl'")
    return problems


def mo_bytes(catalogue: Catalogue) -> bytes:
    """The catalogue compiled to GNU .mo format (little-endian, revision 0),
    with its header and every translated, non-fuzzy message.  The text is
    UTF-8 (the .po was read as UTF-8)."""
    header = catalogue.header_text
    if "Content-Type" not in catalogue.headers:  # gettext would read the rest as ASCII
        header += "Content-Type: text/plain; charset=UTF-8\n"
    pairs: dict[str, str] = {"": header}
    for entry in catalogue.entries:
        if not entry.translated:
            continue
        key = entry.msgid
        if entry.plural is not None:
            key += PLURAL_SEPARATOR + entry.plural
        if entry.context is not None:
            key = entry.context + CONTEXT_SEPARATOR + key
        pairs[key] = PLURAL_SEPARATOR.join(entry.msgstr)
    keys = sorted(pairs, key=lambda k: k.encode("utf-8"))
    ids = [key.encode("utf-8") for key in keys]
    strs = [pairs[key].encode("utf-8") for key in keys]
    count = len(keys)
    header_size = 7 * 4
    ids_table = header_size
    strs_table = ids_table + count * 8
    data_start = strs_table + count * 8
    offsets: list[tuple[int, int]] = []
    blob = b""
    for item in ids + strs:
        offsets.append((len(item), data_start + len(blob)))
        blob += item + b"\0"
    head = struct.pack("<7I", MO_MAGIC, 0, count, ids_table, strs_table, 0, 0)
    table = b"".join(struct.pack("<2I", length, offset) for length, offset in offsets)
    return head + table + blob


@dataclass(frozen=True)
class Language:
    code: str  # "it", "pt-BR"
    name: str  # in the language itself: "Italiano"
    direction: str  # "ltr" | "rtl"

    def to_json(self) -> dict[str, str]:
        return {"code": self.code, "name": self.name, "dir": self.direction}


def language_code(po_name: str) -> str | None:
    """``it.po`` -> ``it``, ``pt_BR.po`` -> ``pt-BR``; None for other names."""
    match = PO_NAME.match(po_name)
    if match is None:
        return None
    return match.group(1) + (f"-{match.group(2)}" if match.group(2) else "")


def describe(code: str, catalogue: Catalogue) -> Language:
    name = catalogue.find(NAME_CONTEXT, NAME_MESSAGE)
    direction = catalogue.find(DIRECTION_CONTEXT, DIRECTION_MESSAGE)
    return Language(
        code=code,
        name=name.msgstr[0] if name is not None and name.translated else code,
        direction=(
            direction.msgstr[0]
            if direction is not None and direction.translated and direction.msgstr[0] in DIRECTIONS
            else "ltr"
        ),
    )


def translations(locale_dir: Path = LOCALE) -> list[tuple[str, Path]]:
    """(language code, .po path) of every translation, sorted by code."""
    found = []
    for path in sorted(locale_dir.glob("*.po")):
        code = language_code(path.name)
        if code is None:
            raise CatalogueError(f"{path}: name it after its language, e.g. it.po or pt_BR.po")
        found.append((code, path))
    return found


def build(locale_dir: Path = LOCALE, out_dir: Path = OUT) -> list[Language]:
    """Compile every translation into ``out_dir``; returns the languages
    (English first).  Compiled files of removed translations are removed."""
    out_dir.mkdir(parents=True, exist_ok=True)
    languages = [Language(SOURCE_LANGUAGE, SOURCE_NAME, "ltr")]
    written = {LANGUAGES_NAME}
    for code, path in translations(locale_dir):
        catalogue = read_catalogue(path)
        write_atomically(out_dir / f"{code}.mo", mo_bytes(catalogue))
        written.add(f"{code}.mo")
        languages.append(describe(code, catalogue))
    listing = {
        "comment": "Generated by tools/catalogues.py from locale/*.po; do not edit.",
        "source": SOURCE_LANGUAGE,
        "languages": [language.to_json() for language in languages],
    }
    text = json.dumps(listing, ensure_ascii=False, indent=1) + "\n"
    write_atomically(out_dir / LANGUAGES_NAME, text.encode("utf-8"))
    for stale in out_dir.iterdir():
        if stale.is_file() and stale.name not in written and stale.suffix in (".mo", ".json"):
            stale.unlink()
    return languages


def check(locale_dir: Path = LOCALE) -> list[str]:
    """Every problem of every shipped catalogue against the template."""
    template = read_catalogue(locale_dir / TEMPLATE_NAME)
    problems: list[str] = []
    for _, path in translations(locale_dir):
        problems += check_catalogue(template, read_catalogue(path), path.name)
    return problems


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--locale", type=Path, default=LOCALE, help="folder of the .po files")
    parser.add_argument("--out", type=Path, default=OUT, help="folder for the compiled files")
    parser.add_argument("--check", action="store_true", help="check the catalogues instead")
    args = parser.parse_args(argv)
    try:
        if args.check:
            problems = check(args.locale)
            for problem in problems:
                print(problem, file=sys.stderr)
            print(f"{len(problems)} problem(s)")
            return 1 if problems else 0
        languages = build(args.locale, args.out)
    except CatalogueError as error:
        print(f"catalogues: {error}", file=sys.stderr)
        return 1
    print(f"wrote {args.out}: {', '.join(language.code for language in languages)}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
