"""Install a level pack exported by the curator page on a kiosk's server.

``python3 tools/install_pack.py FILE.strikeapose.json`` checks the file the
way the game does (the core's loader for the pack, the first bytes of every
picture: PNG, JPEG or WebP only, never SVG) and writes ``web/levels/<id>/``
with ``pack.json`` and the pictures.  The kiosk then plays it with
``?pack=levels/<id>/pack.json`` or ``"pack"`` in ``web/config.json``.  An
invalid or hostile file installs nothing.
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
from strike_a_pose.levelpack import parse_pack  # noqa: E402

LEVELS_DIR = ROOT / "web" / "levels"
EXPORT_FORMAT = "strike-a-pose/exported-pack"  # web/js/curator/exchange.js
EXPORT_VERSION = 1
MAX_FILE_BYTES = 60 * 1024 * 1024
MAX_IMAGE_BYTES = 8 * 1024 * 1024
SIGNATURES: dict[str, tuple[bytes, ...]] = {
    ".png": (b"\x89PNG\r\n\x1a\n",),
    ".jpg": (b"\xff\xd8\xff",),
    ".jpeg": (b"\xff\xd8\xff",),
    ".webp": (b"RIFF",),
}


class InstallError(Exception):
    """The file cannot be installed; the message says why."""


def _picture_ok(name: str, data: bytes) -> bool:
    suffix = Path(name).suffix.lower()
    starts = SIGNATURES.get(suffix, ())
    if suffix == ".webp":
        return data.startswith(b"RIFF") and data[8:12] == b"WEBP"
    return any(data.startswith(start) for start in starts)


def read_export(text: str) -> tuple[str, dict[str, object], dict[str, bytes]]:
    """Check an export file's text: (pack id, pack object, pictures by name)."""
    try:
        data = json.loads(text)
    except json.JSONDecodeError as error:
        raise InstallError(f"not valid JSON: {error}") from None
    if not isinstance(data, dict) or data.get("format") != EXPORT_FORMAT:
        raise InstallError(f'not a Strike a Pose pack export ("format" must be "{EXPORT_FORMAT}")')
    if data.get("version") != EXPORT_VERSION:
        raise InstallError(f"export version {data.get('version')!r}; expected {EXPORT_VERSION}")
    pack, images = data.get("pack"), data.get("images")
    if not isinstance(pack, dict) or not isinstance(images, dict):
        raise InstallError('the export needs a "pack" and an "images" object')
    result = parse_pack(json.dumps(pack))
    if result.pack is None:
        raise InstallError("the pack has problems:\n  " + "\n  ".join(result.messages()))
    pictures: dict[str, bytes] = {}
    for level_number, level in enumerate(result.pack.levels, start=1):
        entry = images.get(level.image)
        if not isinstance(entry, dict) or not isinstance(entry.get("data"), str):
            raise InstallError(f"level {level_number}: picture {level.image} is not in the file")
        try:
            picture = base64.b64decode(entry["data"], validate=True)
        except binascii.Error:
            raise InstallError(f"picture {level.image}: the data is not base64") from None
        if len(picture) > MAX_IMAGE_BYTES:
            raise InstallError(f"picture {level.image}: larger than 8 MB")
        if not _picture_ok(level.image, picture):
            raise InstallError(f"picture {level.image}: not a PNG, JPEG or WebP picture")
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
    return target


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description="Install a curator's exported level pack.")
    parser.add_argument("file", type=Path, help="the exported .strikeapose.json file")
    parser.add_argument("--levels", type=Path, default=LEVELS_DIR, help="levels folder")
    parser.add_argument("--replace", action="store_true", help="overwrite an installed pack")
    args = parser.parse_args(argv)
    try:
        target = install(args.file, args.levels, args.replace)
    except (InstallError, OSError, UnicodeDecodeError) as error:
        print(f"install_pack: {error}", file=sys.stderr)
        return 1
    url = f"{target.relative_to(args.levels.parent).as_posix()}/pack.json"
    print(f"installed {target}; play it with ?pack={url}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
