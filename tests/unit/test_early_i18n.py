"""The loading screen's words and options before Python runs (js/early-i18n.js,
js/early-options.js) follow Python's own rules: the language and the on/off
options are chosen as shell/options.py chooses them, and the words come from
the same gettext catalogues (nothing copied: the page reads web/locale)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

from shell.options import parse_options

ROOT = Path(__file__).resolve().parents[2]
JS = ROOT / "web" / "js"
SPOKEN = ["en", "ar", "de", "es", "fr", "it"]

CASES = [
    # (query, config.json, navigator.languages)
    ("", {}, ["de-DE", "en"]),
    ("", {}, ["pt-BR", "es-MX"]),
    ("", {}, ["ja"]),
    ("", {}, []),
    ("", {}, ["ar-EG"]),
    ("?lang=fr", {}, ["de-DE"]),
    ("?lang=ar", {}, ["en"]),
    ("?lang=fr-CA", {"lang": "de"}, ["es"]),
    ("?lang=", {"lang": "de"}, ["es"]),
    ("?lang=it&lang=", {"lang": "de"}, ["es"]),
    ("?lang=xx_bad", {}, ["es"]),
    ("?lang=fr&lang=es", {}, ["de"]),
    ("", {"lang": "es"}, ["de"]),
    ("", {"lang": 7}, ["de"]),
    ("", {"lang": "it-CH"}, ["de"]),
    ("?kiosk=1", {}, ["en"]),
    ("?kiosk=off", {"kiosk": True}, ["en"]),
    ("?kiosk=NO", {}, ["en"]),
    ("?kiosk=", {"kiosk": True}, ["en"]),
    ("", {"kiosk": True}, ["en"]),
    ("", {"kiosk": "yes"}, ["en"]),
    ("", {"kiosk": False}, ["en"]),
    ("?seated=1", {}, ["en"]),
    ("?seated=0", {"seated": True}, ["en"]),
    ("", {"seated": "true", "seated_choice": False}, ["en"]),
    ("?seated_choice=no", {}, ["en"]),
    ("?seated_choice=1", {"seated_choice": "off"}, ["en"]),
]

CHECK_JS = """
import {{ chooseLanguage }} from "{i18n}";
import {{ isOn, optionValue }} from "{options}";
const cases = {cases};
const spoken = {spoken};
console.log(JSON.stringify(cases.map(([query, config, languages]) => {{
  const params = new URLSearchParams(query);
  return [
    chooseLanguage(params, config, languages, spoken),
    isOn(optionValue(params, config, "kiosk")),
    isOn(optionValue(params, config, "seated")),
    isOn(optionValue(params, config, "seated_choice"), true),
  ];
}})));
"""


def test_the_page_chooses_language_and_options_as_python_does(tmp_path: Path) -> None:
    """js/i18n.js and js/early-options.js (run in Node) against shell/options.py."""
    node = shutil.which("node")
    assert node, "node is not installed"
    script = tmp_path / "check.mjs"
    script.write_text(
        CHECK_JS.format(
            i18n=(JS / "i18n.js").as_uri(),
            options=(JS / "early-options.js").as_uri(),
            cases=json.dumps(CASES),
            spoken=json.dumps(SPOKEN),
        ),
        encoding="utf-8",
    )
    run = subprocess.run([node, "--no-warnings", str(script)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    for (query, config, languages), found in zip(CASES, json.loads(run.stdout), strict=True):
        options = parse_options(query, config, languages, SPOKEN)
        expected = [options.lang, options.kiosk, options.seated, options.seated_choice]
        assert found == expected, (query, config, languages)


def test_the_loading_screen_words_come_from_the_catalogues_only() -> None:
    """No second copy of the game's words for the page before Python: the early
    modules read web/locale through js/i18n.js and hold no texts of their own."""
    early = (JS / "early-i18n.js").read_text(encoding="utf-8")
    assert 'from "./i18n.js"' in early
    assert not (JS / "page-texts.js").exists()
    screen = (JS / "loading-screen.js").read_text(encoding="utf-8")
    # Its own sentences are catalogue messages (tools/messages.py extracts them).
    messages = re.findall(r'catalogue\.(?:p?gettext)\((?:"[^"]*", )?"([^"]+)"', screen)
    assert "{done} of {total} MB" in messages
    template = (ROOT / "locale" / "strike-a-pose.pot").read_text(encoding="utf-8")
    for message in messages:
        assert f'msgid "{message}"' in template, message
