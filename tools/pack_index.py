"""Write ``web/levels/index.json``: the installed level packs, for the start
screen's choice of challenges (format: web/py/shell/challenges.py).

Every ``web/levels/<folder>/pack.json`` that the game's own loader accepts is
listed, the default pack first, then by id; a pack that does not load is left
out with a warning (the game could not play it).  ``tools/install_pack.py``
and ``tools/build_precache.py`` (scripts/serve.sh) run this, so the list
follows what is installed; the file is never committed (.gitignore).

``python3 tools/pack_index.py [--levels web/levels]``
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT / "web" / "py") not in sys.path:  # the game's packages, not installed
    sys.path.insert(0, str(ROOT / "web" / "py"))
if __package__ in (None, ""):  # run as a script: make `tools` importable
    sys.path.insert(0, str(ROOT))

from shell.challenges import Challenge, index_entry, index_json  # noqa: E402
from strike_a_pose.levelpack import parse_pack  # noqa: E402
from tools.atomic import write_atomically  # noqa: E402

LEVELS_DIR = ROOT / "web" / "levels"
INDEX_NAME = "index.json"
DEFAULT_PACK = "default"


def collect(levels_dir: Path = LEVELS_DIR) -> tuple[list[Challenge], list[str]]:
    """The index entries of the packs under ``levels_dir``, and a warning per
    pack left out."""
    entries: list[Challenge] = []
    warnings: list[str] = []
    for pack_file in sorted(levels_dir.glob("*/pack.json")):
        folder = pack_file.parent.name
        if folder.startswith("."):
            continue  # an install in progress (install_pack.py's staging folder)
        try:
            text = pack_file.read_text(encoding="utf-8")
        except (OSError, UnicodeDecodeError) as error:
            warnings.append(f"{pack_file}: left out, it cannot be read ({error})")
            continue
        result = parse_pack(text)
        if result.pack is None:
            first = result.messages()[0] if result.problems else "it does not load"
            warnings.append(f"{pack_file}: left out, it does not load ({first})")
            continue
        url = f"{levels_dir.name}/{folder}/pack.json"
        entries.append(index_entry(result.pack, url))
    default_url = f"{levels_dir.name}/{DEFAULT_PACK}/pack.json"
    entries.sort(key=lambda entry: (entry.url != default_url, entry.id))
    return entries, warnings


def build(levels_dir: Path = LEVELS_DIR) -> tuple[Path, list[Challenge], list[str]]:
    """Write ``levels_dir/index.json`` atomically; (its path, entries, warnings)."""
    entries, warnings = collect(levels_dir)
    target = levels_dir / INDEX_NAME
    write_atomically(target, index_json(entries).encode("utf-8"))
    return target, entries, warnings


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--levels", type=Path, default=LEVELS_DIR, help="levels folder")
    args = parser.parse_args(argv)
    target, entries, warnings = build(args.levels)
    for warning in warnings:
        print(f"pack_index: {warning}", file=sys.stderr)
    print(f"wrote {target}: {', '.join(entry.id for entry in entries) or 'no packs'}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
