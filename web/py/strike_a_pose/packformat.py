"""The level-pack format's facts (docs/levelpack.md): its limits, its field
names and the shape of its identifiers, each defined once.

The loader (levelpack.py) checks packs against them; the shell's options
(a pack id, a language tag in the URL), the installer (tools/pictures.py) and
the curator page (web/js/curator/picture-check.js, tested to agree) use the
same ones.
"""

from __future__ import annotations

import re

FORMAT_VERSION = 1
MIN_LEVELS, MAX_LEVELS = 1, 20
MAX_LANGUAGES = 20
MAX_PACK_CHARS = 1_000_000  # JSON text, characters
MAX_PROBLEMS = 100  # more are summarised in one last problem
# A level picture's limits (docs/levelpack.md).  The loader checks image_size
# against the side; the installer (tools/pictures.py) and the curator page
# (web/js/curator/picture-check.js, tested to agree) check the files themselves.
# 8192, not 16384: under the pixel limit below, a side over 8192 only adds
# strips (16384 x 2441 at most) that no artwork needs, and such a side is over
# the largest texture many phones' GPUs take (often 8192 or less).
MAX_IMAGE_SIDE = 8192  # pixels
MAX_IMAGE_BYTES = 8 * 1024 * 1024
MAX_IMAGE_PIXELS = 40_000_000  # width x height: a phone must decode it
MAX_WEIGHT = 10.0
MIN_TOLERANCE, MAX_TOLERANCE = 0.25, 4.0  # multiplier of the difficulty's angle tolerance
# The figure's keypoints with a score at least this (0..1) count as clearly
# shown for the loader's sanity checks (both shoulders, two limbs).
SHOWN_SCORE = 0.5
MIN_SHOWN_LIMBS = 2
# Longest text per field, in characters.
TEXT_LIMITS: dict[str, int] = {
    "pack_title": 120,
    "title": 200,
    "artist": 200,
    "date": 80,
    "credit": 400,
    "hint": 200,
    "about": 1200,
    "image": 200,
}
# SVG is safe here: the page shows pack images with <img>, where SVG runs no script.
IMAGE_EXTENSIONS = (".jpg", ".jpeg", ".png", ".webp", ".avif", ".gif", ".svg")

# A pack's id: lowercase letters, digits, "-" and "_", at most 64.
PACK_ID = r"[a-z0-9][a-z0-9_-]{0,63}"
# A language tag such as "en", "pt-BR" or "zh-Hant-TW" (a BCP 47 subset):
# a pack's languages, and the visitor's ?lang= that picks among them.  Its
# primary language ("pt") is what play statistics keep.
PRIMARY_LANGUAGE = r"[a-z]{2,3}"
LANGUAGE_TAG = PRIMARY_LANGUAGE + r"(?:-[A-Za-z0-9]{2,8}){0,3}"
PACK_ID_RE = re.compile(PACK_ID)
LANGUAGE_TAG_RE = re.compile(LANGUAGE_TAG)
URL_SCHEME_RE = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*:")
PATH_SEGMENT_RE = re.compile(r"[A-Za-z0-9_][A-Za-z0-9._-]*")

PACK_FIELDS = ("format_version", "id", "title", "languages", "default_language", "levels")
PACK_OPTIONAL = ("reading_seconds",)
LEVEL_REQUIRED = ("image", "title", "artist", "date", "credit", "image_size", "keypoints", "texts")
LEVEL_OPTIONAL = ("weights", "tolerance", "mirror_ok", "upper_body_only", "seated")
# "seated": what seated play does with a level: play it on the upper body, or
# skip it (a figure whose legs make the artwork).
SEATED_CHOICES = ("play", "skip")
TEXT_FIELDS = ("hint", "about")
