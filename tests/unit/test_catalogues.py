"""The translation catalogues: the template is current, every shipped
catalogue is complete with the English placeholders, and the compiled files
the pages read are what the standard library's gettext reads."""

from __future__ import annotations

import gettext
import io
import json
from pathlib import Path

import pytest

from tools import catalogues as cat
from tools import messages

from .catalogue_words import SHIPPED

TEMPLATE = """\
msgid ""
msgstr ""
"Content-Type: text/plain; charset=utf-8\\n"

msgid "Hello {name}"
msgstr ""

msgctxt "start.button"
msgid "Start"
msgstr ""

msgid "{count} artwork"
msgid_plural "{count} artworks"
msgstr[0] ""
msgstr[1] ""
"""


def po(body: str, plural_forms: str = "nplurals=2; plural=(n != 1);") -> str:
    return f'msgid ""\nmsgstr ""\n"Language: xx\\n"\n"Plural-Forms: {plural_forms}\\n"\n\n' + body


GOOD = po(
    """\
#, python-brace-format
msgid "Hello {name}"
msgstr "Salut {name}"

msgctxt "start.button"
msgid "Start"
msgstr "Jouer"

msgid "{count} artwork"
msgid_plural "{count} artworks"
msgstr[0] "une œuvre"
msgstr[1] "{count} œuvres"

#~ msgid "Gone"
#~ msgstr "Parti"
"""
)


def problems(text: str) -> list[str]:
    return cat.check_catalogue(cat.parse_po(TEMPLATE), cat.parse_po(text), "xx.po")


def test_the_template_holds_exactly_the_messages_of_the_sources() -> None:
    assert messages.template_is_current(), "run: .venv/bin/python tools/messages.py update"


def test_every_shipped_catalogue_is_complete_with_the_english_placeholders() -> None:
    assert {"fr", "de", "es", "it", "ar"} <= set(SHIPPED)
    assert cat.check() == []


def test_a_good_catalogue_has_no_problem() -> None:
    assert problems(GOOD) == []


@pytest.mark.parametrize(
    ("change", "problem"),
    [
        (
            ('msgstr "Salut {name}"', 'msgstr "Salut"'),
            "has placeholders [], the English has ['name']",
        ),
        (('msgstr "Salut {name}"', 'msgstr "Salut {nom}"'), "has placeholders ['nom']"),
        (('msgstr "Jouer"', 'msgstr ""'), "msgctxt 'start.button' msgid 'Start' is not translated"),
        (("#, python-brace-format", "#, fuzzy"), "is fuzzy"),
        (('msgstr[1] "{count} œuvres"\n', ""), "has 1 plural forms, Plural-Forms says 2"),
        (('"une œuvre"', '"{total} œuvre"'), "form 0 has placeholders ['total']"),
        (('"{count} œuvres"', '"des œuvres"'), "never uses ['count']"),
        (('msgctxt "start.button"\n', ""), "msgctxt 'start.button' msgid 'Start' is missing"),
        (("nplurals=2; plural=(n != 1);", "nplurals=2; plural=(n !!= 1);"), "is not valid"),
    ],
)
def test_ci_fails_on_a_missing_message_or_placeholders_unlike_the_english(
    change: tuple[str, str], problem: str
) -> None:
    old, new = change
    assert old in GOOD
    found = problems(GOOD.replace(old, new, 1))
    assert any(problem in line for line in found), found


def test_a_message_the_template_no_longer_has_is_reported() -> None:
    extra = GOOD + '\nmsgid "Old words"\nmsgstr "Vieux mots"\n'
    assert any("'Old words' is not in the template" in line for line in problems(extra))


def test_the_po_reader_knows_escapes_continued_strings_and_refuses_nonsense() -> None:
    parsed = cat.parse_po(
        po('msgid ""\n"Two\\n"\n"lines \\"quoted\\""\nmsgstr "Deux\\nlignes\\t\\\\"\n')
    )
    (entry,) = parsed.entries
    assert entry.msgid == 'Two\nlines "quoted"'
    assert entry.msgstr == ("Deux\nlignes\t\\",)
    assert parsed.headers["Language"] == "xx" and parsed.nplurals == 2
    for bad, message in [
        ('msgid "a"\nmsgstr "b\\q"\n', "unknown escape"),
        ('msgid "a"\nmsgid "b"\nmsgstr ""\n', "msgid twice"),
        ('msgid "a"\nmsgstr "b"\nmsgid "a"\nmsgstr "c"\n', "is there twice"),
        ('msgid "a"\nmsgstr[0] "x"\nmsgstr[2] "y"\n', "plural forms are not 0..2"),
        ('msgfoo "a"\n', "unknown keyword"),
        ('"stray"\n', "a string outside an entry"),
    ]:
        with pytest.raises(cat.CatalogueError, match=message):
            cat.parse_po(bad)


def test_the_compiled_catalogue_reads_with_the_standard_gettext() -> None:
    translations = gettext.GNUTranslations(io.BytesIO(cat.mo_bytes(cat.parse_po(GOOD))))
    assert translations.gettext("Hello {name}") == "Salut {name}"
    assert translations.pgettext("start.button", "Start") == "Jouer"
    assert translations.gettext("Start") == "Start"  # no context: another message
    assert translations.ngettext("{count} artwork", "{count} artworks", 1) == "une œuvre"
    assert translations.ngettext("{count} artwork", "{count} artworks", 7) == "{count} œuvres"
    assert translations.gettext("Gone") == "Gone"  # obsolete entries are left out


def test_fuzzy_and_empty_translations_are_not_compiled() -> None:
    text = GOOD.replace("#, python-brace-format", "#, fuzzy").replace('"Jouer"', '""')
    translations = gettext.GNUTranslations(io.BytesIO(cat.mo_bytes(cat.parse_po(text))))
    assert translations.gettext("Hello {name}") == "Hello {name}"
    assert translations.pgettext("start.button", "Start") == "Start"


def test_build_writes_a_catalogue_per_language_and_the_language_list(tmp_path: Path) -> None:
    locale = tmp_path / "locale"
    locale.mkdir()
    (locale / "pt_BR.po").write_text(
        GOOD
        + '\nmsgctxt "language name"\nmsgid "English"\nmsgstr "Português"\n'
        + '\nmsgctxt "text direction"\nmsgid "ltr"\nmsgstr "ltr"\n',
        encoding="utf-8",
    )
    (locale / "he.po").write_text(
        po('msgctxt "text direction"\nmsgid "ltr"\nmsgstr "rtl"\n'), encoding="utf-8"
    )
    out = tmp_path / "web" / "locale"
    out.mkdir(parents=True)
    (out / "old.mo").write_bytes(b"stale")
    languages = cat.build(locale, out)
    assert [(x.code, x.name, x.direction) for x in languages] == [
        ("en", "English", "ltr"),
        ("he", "he", "rtl"),
        ("pt-BR", "Português", "ltr"),
    ]
    assert sorted(p.name for p in out.iterdir()) == ["he.mo", "languages.json", "pt-BR.mo"]
    listing = json.loads((out / "languages.json").read_text(encoding="utf-8"))
    assert listing["languages"][1] == {"code": "he", "name": "he", "dir": "rtl"}
    (locale / "Not a language.po").write_text(GOOD, encoding="utf-8")
    with pytest.raises(cat.CatalogueError, match="name it after its language"):
        cat.build(locale, out)


def test_the_shipped_arabic_catalogue_is_right_to_left_with_six_plural_forms() -> None:
    arabic = cat.read_catalogue(cat.LOCALE / "ar.po")
    assert arabic.nplurals == 6
    assert cat.describe("ar", arabic).direction == "rtl"
    assert cat.describe("it", cat.read_catalogue(cat.LOCALE / "it.po")).name == "Italiano"


def test_the_command_line_checks_and_builds(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    assert cat.main(["--check"]) == 0
    assert "0 problem(s)" in capsys.readouterr().out
    assert cat.main(["--out", str(tmp_path)]) == 0
    assert (tmp_path / "it.mo").is_file() and (tmp_path / "ar.mo").is_file()


def test_the_page_extractor_reads_texts_and_labels_in_their_context() -> None:
    page = (
        b'<p data-i18n="a.text">Hello\n   <b>there</b></p>'
        b'<div aria-label="time  left" data-i18n-label="b.label"><div>x</div></div>'
        b'<div data-i18n="c"><div>inner</div> outer</div>'
    )
    found = list(messages.extract_html(io.BytesIO(page), None, None, None))
    assert [(context, text) for _, _, (context, text), _ in found] == [
        ("a.text", "Hello there"),
        ("b.label", "time left"),
        ("c", "inner outer"),
    ]
