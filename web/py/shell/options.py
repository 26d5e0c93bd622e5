"""Page options from the URL's query string (pure: no browser imports).

``?pack=levels/default/pack.json`` a level pack on this server
``?difficulty=child|normal|hard``
``?seconds=30`` the time for all levels, 10 to 600
``?backend=auto|wasm|webgl|cpu`` force a TF.js backend
``?debug=1`` show the debug panel (backend, frames per second, tensors)
``?lang=en`` the language of the level texts
"""

from __future__ import annotations

import re
from dataclasses import dataclass, field
from urllib.parse import parse_qs

DEFAULT_PACK = "levels/default/pack.json"
DIFFICULTIES = ("child", "normal", "hard")
BACKENDS = ("auto", "wasm", "webgl", "cpu")
MIN_SECONDS, MAX_SECONDS = 10, 600
# A pack path is relative to the page, on our own server: no scheme, no host,
# no parent folders, ends in .json.
PACK_PATH = re.compile(r"^(?!/)(?!.*(?:^|/)\.\.(?:/|$))[A-Za-z0-9_./-]+\.json$")
LANGUAGE = re.compile(r"^[a-z]{2,3}(?:-[A-Za-z0-9]{2,8})?$")


@dataclass(frozen=True)
class Options:
    pack: str = DEFAULT_PACK
    difficulty: str = "normal"
    seconds: int = 30
    backend: str = "auto"
    debug: bool = False
    lang: str = "en"
    problems: tuple[str, ...] = field(default=())


def parse_options(query: str) -> Options:
    """Read options; a bad value is ignored (default kept) and reported in ``problems``."""
    values = {key: items[-1] for key, items in parse_qs(query.lstrip("?")).items()}
    problems: list[str] = []
    defaults = Options()

    pack = values.get("pack", defaults.pack)
    if not PACK_PATH.match(pack):
        problems.append(f"pack={pack!r} is not a .json path on this server; using the default")
        pack = defaults.pack

    difficulty = values.get("difficulty", defaults.difficulty)
    if difficulty not in DIFFICULTIES:
        problems.append(f"difficulty={difficulty!r} is not one of {', '.join(DIFFICULTIES)}")
        difficulty = defaults.difficulty

    seconds = defaults.seconds
    if "seconds" in values:
        raw = values["seconds"]
        if raw.isdigit() and MIN_SECONDS <= int(raw) <= MAX_SECONDS:
            seconds = int(raw)
        else:
            problems.append(
                f"seconds={raw!r} is not a whole number from {MIN_SECONDS} to {MAX_SECONDS}"
            )

    backend = values.get("backend", defaults.backend)
    if backend not in BACKENDS:
        problems.append(f"backend={backend!r} is not one of {', '.join(BACKENDS)}")
        backend = defaults.backend

    lang = values.get("lang", defaults.lang)
    if not LANGUAGE.match(lang):
        problems.append(f"lang={lang!r} is not a language code such as 'en' or 'pt-BR'")
        lang = defaults.lang

    debug = values.get("debug", "0") not in ("", "0", "false", "no")
    return Options(pack, difficulty, seconds, backend, debug, lang, tuple(problems))
