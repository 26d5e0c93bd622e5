"""Page options from the URL's query string (pure: no browser imports).

``?pack=levels/default/pack.json`` a level pack on this server
``?pack=local:<id>`` a level pack the curator page saved on this device
``?difficulty=child|normal|hard``
``?seconds=30`` the time for all levels, 10 to 600
``?backend=auto|wasm|webgl|cpu`` force a TF.js backend
``?detector=auto|worker|main`` where MoveNet runs: a worker (auto: where the
browser can) or the page's main thread
``?debug=1`` show the debug panel (backend, frames per second, tensors)
``?lang=en`` the visitor's language (the game's words and the level texts);
without it, the browser's preferred language if the game speaks it
``?kiosk=1`` unattended kiosk: no buttons to press, see README
``?reading_min=4&reading_max=15`` bounds in seconds of the story shown after
each match (strike_a_pose/reading.py; over the pack's own bounds)
``museum`` (config.json) the museum's name, written on the visitor's souvenir
``?seated=1`` seated play is ticked at the start (the visitor may untick it)
``?seated_choice=0`` no "I'm seated" choice on the start screen (with
``seated=1``: every game is seated)
``?packs=default,ours`` (config.json: a list) the challenges the start screen
offers, by pack id, in this order (default: every installed pack)
``stats_kiosk=1`` / ``stats_visitor=0`` whether anonymous play statistics are
kept on this device (docs/statistics.md): on by default on a kiosk, off by
default on a visitor's own device; ``Options.stats`` is the one that applies

The same keys may be set in ``web/config.json`` (a museum's settings for its
kiosk, e.g. ``{"kiosk": true, "pack": "levels/ours/pack.json"}``); the URL
wins over the file.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from urllib.parse import parse_qs

from strike_a_pose import NORMAL, PRESETS
from strike_a_pose.packformat import LANGUAGE_TAG, PACK_ID, PACK_ID_RE
from strike_a_pose.reading import MAX_BOUND_S, MIN_BOUND_S, check_bound_s

from .i18n import SOURCE_LANGUAGE, choose_language

DEFAULT_PACK = "levels/default/pack.json"
DIFFICULTIES = tuple(PRESETS)  # child, normal, hard: the core's presets
BACKENDS = ("auto", "wasm", "webgl", "cpu")
DETECTORS = ("auto", "worker", "main")  # the same names in js/bridge.js
MIN_SECONDS, MAX_SECONDS = 10, 600
# A pack path is relative to the page, on our own server: no scheme, no host,
# no parent folders, ends in .json.
PACK_PATH = re.compile(r"^(?!/)(?!.*(?:^|/)\.\.(?:/|$))[A-Za-z0-9_./-]+\.json$")
# A pack the curator saved on this device (IndexedDB), by its id.
LOCAL_PACK = re.compile(rf"^local:{PACK_ID}$")
# ?lang= names any language a pack may have (levelpack.LANGUAGE_TAG).
LANGUAGE = re.compile(rf"^{LANGUAGE_TAG}$")
MAX_MUSEUM_CHARS = 80  # one line on the souvenir


@dataclass(frozen=True)
class Options:
    pack: str = DEFAULT_PACK
    difficulty: str = NORMAL.name
    seconds: int = 30
    backend: str = "auto"
    debug: bool = False
    lang: str = "en"
    kiosk: bool = False
    museum: str = ""
    reading_min: float | None = None  # seconds; None: the pack's or the game's
    reading_max: float | None = None
    seated: bool = False  # seated play ticked at the start
    seated_choice: bool = True  # the start screen offers "I'm seated"
    packs: tuple[str, ...] | None = None  # the challenges offered; None: all
    problems: tuple[str, ...] = field(default=())
    detector: str = "auto"
    stats: bool = False  # anonymous play statistics kept on this device (playstats.py)


KNOWN_KEYS = (
    "pack",
    "difficulty",
    "seconds",
    "backend",
    "debug",
    "lang",
    "kiosk",
    "museum",
    "reading_min",
    "reading_max",
    "seated",
    "seated_choice",
    "packs",
    "detector",
    "stats_kiosk",
    "stats_visitor",
)
# Play statistics: on by default on a kiosk, off on a visitor's own device.
STATS_DEFAULTS = {"stats_kiosk": True, "stats_visitor": False}
OFF_WORDS = ("", "0", "false", "no", "off")


def _file_values(config: Mapping[str, object], problems: list[str]) -> dict[str, str]:
    """config.json's values as the strings a query string would carry."""
    values = {}
    for key, value in config.items():
        if key not in KNOWN_KEYS:
            problems.append(f"config.json: unknown key {key!r}")
        elif isinstance(value, bool):
            values[key] = "1" if value else "0"
        elif isinstance(value, (str, int, float)):
            values[key] = str(value)
        elif key == "packs" and isinstance(value, list) and all(isinstance(v, str) for v in value):
            values[key] = ",".join(value)
        else:
            problems.append(f"config.json: {key} must be text, a number or true/false")
    return values


def parse_options(
    query: str,
    config: Mapping[str, object] | None = None,
    browser_languages: Sequence[str] = (),
    spoken: Sequence[str] = (SOURCE_LANGUAGE,),
) -> Options:
    """Read options from the query string over ``config`` (config.json's object);
    a bad value is ignored (default kept) and reported in ``problems``.
    ``browser_languages`` (navigator.languages) choose the language when
    neither sets one: the first the game speaks (``spoken``, from
    web/locale/languages.json)."""
    problems: list[str] = []
    values = _file_values(config or {}, problems)
    values.update({key: items[-1] for key, items in parse_qs(query.lstrip("?")).items()})
    defaults = Options(lang=choose_language(browser_languages, spoken) or Options.lang)

    pack = values.get("pack", defaults.pack)
    if not (PACK_PATH.match(pack) or LOCAL_PACK.match(pack)):
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

    detector = values.get("detector", defaults.detector)
    if detector not in DETECTORS:
        problems.append(f"detector={detector!r} is not one of {', '.join(DETECTORS)}")
        detector = defaults.detector

    lang = values.get("lang", defaults.lang)
    if not LANGUAGE.match(lang):
        problems.append(f"lang={lang!r} is not a language code such as 'en' or 'pt-BR'")
        lang = defaults.lang

    debug = values.get("debug", "0").lower() not in OFF_WORDS
    kiosk = values.get("kiosk", "0").lower() not in OFF_WORDS
    seated = values.get("seated", "0").lower() not in OFF_WORDS
    seated_choice = values.get("seated_choice", "1").lower() not in OFF_WORDS

    packs: tuple[str, ...] | None = None
    if "packs" in values:
        ids = tuple(item.strip() for item in values["packs"].split(",") if item.strip())
        bad = [pack_id for pack_id in ids if not PACK_ID_RE.fullmatch(pack_id)]
        if bad or not ids:
            problems.append(f"packs={values['packs']!r} is not a list of pack ids")
        else:
            packs = ids

    stats_key = "stats_kiosk" if kiosk else "stats_visitor"
    stats = STATS_DEFAULTS[stats_key]
    if stats_key in values:
        stats = values[stats_key].lower() not in OFF_WORDS

    museum = " ".join(values.get("museum", "").split())  # one line, no control characters
    if len(museum) > MAX_MUSEUM_CHARS:
        problems.append(f"museum is {len(museum)} characters long, at most {MAX_MUSEUM_CHARS}")
        museum = ""

    reading: dict[str, float | None] = {"reading_min": None, "reading_max": None}
    for key in reading:
        if key in values:
            reading[key] = _seconds(values[key])
            if reading[key] is None:
                problems.append(
                    f"{key}={values[key]!r} is not a number of seconds "
                    f"from {MIN_BOUND_S:g} to {MAX_BOUND_S:g}"
                )
    return Options(
        pack,
        difficulty,
        seconds,
        backend,
        debug,
        lang,
        kiosk,
        museum,
        reading["reading_min"],
        reading["reading_max"],
        seated,
        seated_choice,
        packs,
        tuple(problems),
        detector,
        stats=stats,
    )


def _seconds(raw: str) -> float | None:
    try:
        return check_bound_s(float(raw))
    except ValueError:
        return None
