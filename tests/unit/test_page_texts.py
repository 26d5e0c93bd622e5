"""js/page-texts.js: the words the loading screen shows before Python runs are
Python's own (shell/i18n.py), copied by tools/build_page_texts.py."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

from shell.i18n import MESSAGES, UI_LANGUAGES
from shell.options import parse_options
from tools import build_page_texts

ROOT = Path(__file__).resolve().parents[2]
INDEX = (ROOT / "web" / "index.html").read_text(encoding="utf-8")


def test_the_generated_module_is_current() -> None:
    current = build_page_texts.TARGET.read_text(encoding="utf-8")
    assert current == build_page_texts.render(), "run python3 tools/build_page_texts.py"


def test_the_loading_screen_messages_are_python_messages_in_every_language() -> None:
    used = re.findall(r'data-i18n-message="([^"]+)">([^<]*)<', INDEX)
    assert used, "the loading screen shows a message (the framing help)"
    for key, english in used:
        assert key in build_page_texts.EARLY_MESSAGES
        assert MESSAGES[key]["en"] == english
    for key in build_page_texts.EARLY_MESSAGES:
        assert sorted(MESSAGES[key]) == sorted(UI_LANGUAGES), key


def test_the_early_language_rules_are_the_options_rules() -> None:
    script = (ROOT / "web" / "js" / "early-i18n.js").read_text(encoding="utf-8")
    # The rules come from the generated module, not retyped.
    assert 'from "./page-texts.js"' in script
    for name in ("UI_LANGUAGES", "LANGUAGE_TAG", "OFF_WORDS", "DEFAULT_LANGUAGE"):
        assert re.search(rf"\b{name}\b", script), name
        assert not re.search(rf"const {name}\s*=", script), f"{name} retyped in early-i18n.js"


CASES = [
    # (query, config.json, navigator.languages)
    ("", {}, ["de-DE", "en"]),
    ("", {}, ["pt-BR", "es-MX"]),
    ("", {}, ["ja"]),
    ("", {}, []),
    ("?lang=fr", {}, ["de-DE"]),
    ("?lang=fr-CA", {"lang": "de"}, ["es"]),
    ("?lang=", {"lang": "de"}, ["es"]),
    ("?lang=xx_bad", {}, ["es"]),
    ("?lang=fr&lang=es", {}, ["de"]),
    ("", {"lang": "es"}, ["de"]),
    ("", {"lang": 7}, ["de"]),
    ("?kiosk=1", {}, ["en"]),
    ("?kiosk=off", {"kiosk": True}, ["en"]),
    ("?kiosk=NO", {}, ["en"]),
    ("", {"kiosk": True}, ["en"]),
    ("", {"kiosk": "yes"}, ["en"]),
    ("", {"kiosk": False}, ["en"]),
]


def test_the_page_chooses_language_and_kiosk_as_python_does(tmp_path: Path) -> None:
    """js/early-i18n.js (run in Node) against shell/options.py, case by case."""
    node = shutil.which("node")
    assert node, "node is not installed"
    module = (ROOT / "web" / "js" / "early-i18n.js").as_uri()
    script = tmp_path / "check.mjs"
    script.write_text(
        f"""
import {{ chooseLanguage, isOn, optionValue }} from "{module}";
const cases = {json.dumps(CASES)};
console.log(JSON.stringify(cases.map(([query, config, languages]) => {{
  const params = new URLSearchParams(query);
  return [chooseLanguage(params, config, languages), isOn(optionValue(params, config, "kiosk"))];
}})));
""",
        encoding="utf-8",
    )
    run = subprocess.run([node, "--no-warnings", str(script)], capture_output=True, text=True)
    assert run.returncode == 0, run.stderr
    for (query, config, languages), (lang, kiosk) in zip(
        CASES, json.loads(run.stdout), strict=True
    ):
        options = parse_options(query, config, languages)
        assert (lang, kiosk) == (options.lang, options.kiosk), (query, config, languages)
