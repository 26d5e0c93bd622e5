"""Install a level pack exported by the curator page on a kiosk's server.

``python3 tools/install_pack.py FILE.strikeapose.json`` checks the file the
way the game does (the core's loader for the pack) and every picture's header
(tools/pictures.py: PNG, JPEG or WebP only, never SVG; at most 8 MB, 8192
pixels a side and 40 million pixels; ``image_size`` equal to its real size),
then writes ``web/levels/<id>/`` with ``pack.json`` and the pictures.  The
kiosk then plays it with ``?pack=levels/<id>/pack.json`` or ``"pack"`` in
``web/config.json``, and the start screen offers it among the challenges
(``web/levels/index.json`` is written again: tools/pack_index.py).  An
invalid or hostile file installs nothing, and the command says why in one
line, never with a traceback.
"""

from __future__ import annotations

import argparse
import base64
import binascii
import json
import shutil
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT / "web" / "py"))
if __package__ in (None, ""):  # run as a script: make `tools` importable
    sys.path.insert(0, str(ROOT))
from strike_a_pose.levelpack import parse_pack  # noqa: E402
from tools import pack_index  # noqa: E402
from tools.pictures import PictureError, check_picture, name_fits_type  # noqa: E402

LEVELS_DIR = ROOT / "web" / "levels"
EXPORT_FORMAT = "strike-a-pose/exported-pack"  # web/js/curator/exchange.js
EXPORT_VERSION = 1
MAX_FILE_BYTES = 60 * 1024 * 1024
MAX_NUMBER_DIGITS = 20  # longer is no coordinate, weight or size: refused before parsing


class InstallError(Exception):
    """The file cannot be installed; the message says why, on one line."""


def _whole_number(text: str) -> int:
    if len(text.lstrip("-")) > MAX_NUMBER_DIGITS:
        raise InstallError(f"a number in the file has {len(text)} digits: not a pack export")
    return int(text)


def _load_json(text: str) -> object:
    try:
        return json.loads(text, parse_int=_whole_number)
    except json.JSONDecodeError as error:
        raise InstallError(f"not valid JSON: {error}") from None
    except RecursionError:
        raise InstallError("not a pack export: its JSON is nested too deeply") from None
    except ValueError as error:  # a float too long to convert, and the like
        raise InstallError(f"not a pack export: {error}") from None


def read_export(text: str) -> tuple[str, dict[str, object], dict[str, bytes]]:
    """Check an export file's text: (pack id, pack object, pictures by name)."""
    data = _load_json(text)
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
        raise InstallError(f'not a Strike a Pose pack export ("format" must be "{EXPORT_FORMAT}")')
    if data.get("version") != EXPORT_VERSION:
        raise InstallError(f"export version {data.get('version')!r}; expected {EXPORT_VERSION}")
    pack, images = data.get("pack"), data.get("images")
    if not isinstance(pack, dict) or not isinstance(images, dict):
        raise InstallError('the export needs a "pack" and an "images" object')
    result = parse_pack(json.dumps(pack))
    if result.pack is None:
        problems = result.messages()
        raise InstallError(f"the pack has {len(problems)} problem(s): " + "; ".join(problems))
    pictures: dict[str, bytes] = {}
    for level_number, level in enumerate(result.pack.levels, start=1):
        entry = images.get(level.image)
        if not isinstance(entry, dict) or not isinstance(entry.get("data"), str):
            raise InstallError(f"level {level_number}: picture {level.image} is not in the file")
        try:
            picture = base64.b64decode(entry["data"], validate=True)
        except binascii.Error:
            raise InstallError(f"picture {level.image}: the data is not base64") from None
        try:
            info = check_picture(picture)
        except PictureError as problem:
            raise InstallError(f"picture {level.image} {problem}") from None
        if not name_fits_type(level.image, info):
            raise InstallError(
                f"picture {level.image} is a {info.ext.upper()} picture: "
                f"its name must end in .{info.ext}"
            )
        real = (info.width, info.height)
        if level.image_size != real:
            raise InstallError(
                f'level {level_number}: "image_size" is {list(level.image_size)} but picture '
                f"{level.image} is {real[0]}x{real[1]} pixels"
            )
        pictures[level.image] = picture
    return result.pack.id, pack, pictures


def install(export_file: Path, levels_dir: Path = LEVELS_DIR, replace: bool = False) -> Path:
    """Write the pack into ``levels_dir/<id>/``; returns that folder."""
    if export_file.stat().st_size > MAX_FILE_BYTES:
        raise InstallError(f"{export_file} is larger than {MAX_FILE_BYTES // (1024 * 1024)} MB")
    pack_id, pack, pictures = read_export(export_file.read_text(encoding="utf-8"))
    target = levels_dir / pack_id
    if target.exists() and not replace:
        raise InstallError(f"{target} exists; use --replace to overwrite it")
    levels_dir.mkdir(parents=True, exist_ok=True)
    # Build beside the target and swap at the end: never a half-written pack.
    staging = Path(tempfile.mkdtemp(prefix=f".{pack_id}-", dir=levels_dir))
    try:
        (staging / "pack.json").write_text(json.dumps(pack, indent=1), encoding="utf-8")
        for name, picture in pictures.items():
            path = staging / name
            path.parent.mkdir(parents=True, exist_ok=True)
            path.write_bytes(picture)
        if target.exists():
            shutil.rmtree(target)
        staging.rename(target)
    finally:
        if staging.exists():
            shutil.rmtree(staging)
    pack_index.build(levels_dir)  # the start screen's choice of challenges
    return target


def one_line(message: str) -> str:
    return " ".join(message.split())


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Install a curator's exported level pack.")
    parser.add_argument("file", type=Path, help="the exported .strikeapose.json file")
    parser.add_argument("--levels", type=Path, default=LEVELS_DIR, help="levels folder")
    parser.add_argument("--replace", action="store_true", help="overwrite an installed pack")
    args = parser.parse_args(argv)
    try:
        target = install(args.file, args.levels, args.replace)
    except (InstallError, OSError) as error:
        print(f"install_pack: {args.file}: {one_line(str(error))}", file=sys.stderr)
        return 1
    except UnicodeDecodeError:
        print(f"install_pack: {args.file}: not a pack export (not UTF-8 text)", file=sys.stderr)
        return 1
    url = f"{target.relative_to(args.levels.parent).as_posix()}/pack.json"
    print(f"installed {target}; play it with ?pack={url}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
