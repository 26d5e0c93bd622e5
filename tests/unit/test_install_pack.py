"""Installing a curator's exported pack on a kiosk: checked like the game
checks it, written whole or not at all."""

from __future__ import annotations

import base64
import json
import re
from pathlib import Path

import pytest

from strike_a_pose import parse_pack
from tests.unit.picture_factory import (
    HTML_BEHIND_PNG_MAGIC,
    decompression_bomb,
    jpeg,
    png,
    png_claiming,
    webp_lossless,
)
from tools.install_pack import InstallError, install, main, read_export

ROOT = Path(__file__).resolve().parents[2]
SVG = base64.b64encode(b"<svg><script/></svg>").decode()
FIGURE = json.loads((ROOT / "web" / "levels" / "default" / "pack.json").read_text())["levels"][0]
WIDTH, HEIGHT = FIGURE["image_size"]
PNG = png(WIDTH, HEIGHT)  # a real picture of the level's size


def b64(data: bytes) -> str:
    return base64.b64encode(data).decode()


def with_picture(data: bytes, name: str = "level-1.png", size: object = None) -> dict[str, object]:
    """Export changes: the level's picture replaced (and its image_size, if given)."""
    level = {**FIGURE, "image": name, "image_size": size or FIGURE["image_size"]}
    return {
        "pack": {**PACK, "levels": [level]},
        "images": {name: {"type": "image/png", "data": b64(data)}},
    }


PACK = {
    "format_version": 1,
    "id": "our-museum",
    "title": "Ours",
    "languages": ["en", "fr", "de", "es", "it"],
    "default_language": "en",
}


def export(tmp_path: Path, **changes: object) -> Path:
    level = {**FIGURE, "image": "level-1.png"}
    pack = {
        "format_version": 1,
        "id": "our-museum",
        "title": "Ours",
        "languages": ["en", "fr", "de", "es", "it"],
        "default_language": "en",
        "levels": [level],
    }
    data: dict[str, object] = {
        "format": "strike-a-pose/exported-pack",
        "version": 1,
        "pack": pack,
        "images": {"level-1.png": {"type": "image/png", "data": base64.b64encode(PNG).decode()}},
    }
    data.update(changes)
    path = tmp_path / "ours.strikeapose.json"
    path.write_text(json.dumps(data))
    return path


def test_installs_a_valid_pack_the_game_can_load(tmp_path: Path) -> None:
    levels = tmp_path / "levels"
    target = install(export(tmp_path), levels)
    assert target == levels / "our-museum"
    assert (target / "level-1.png").read_bytes() == PNG
    assert parse_pack((target / "pack.json").read_text()).ok
    # No staging left; the start screen's list of challenges has the pack.
    assert sorted(p.name for p in levels.iterdir()) == ["index.json", "our-museum"]
    index = json.loads((levels / "index.json").read_text())
    assert [(p["id"], p["url"], p["cover"]) for p in index["packs"]] == [
        ("our-museum", "levels/our-museum/pack.json", "levels/our-museum/level-1.png")
    ]


def test_refuses_to_overwrite_unless_asked(tmp_path: Path) -> None:
    levels = tmp_path / "levels"
    install(export(tmp_path), levels)
    with pytest.raises(InstallError, match="--replace"):
        install(export(tmp_path), levels)
    assert install(export(tmp_path), levels, replace=True).is_dir()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        ({"format": "zip"}, "not a Strike a Pose pack export"),
        ({"version": 2}, "export version 2"),
        ({"images": []}, '"images" object'),
        ({"images": {}}, "picture level-1.png is not in the file"),
        ({"images": {"level-1.png": {"data": SVG}}}, "not a PNG, JPEG or WebP"),
        ({"images": {"level-1.png": {"data": "%%%not base64"}}}, "not base64"),
    ],
)
def test_rejects_bad_exports_and_installs_nothing(
    tmp_path: Path, changes: dict[str, object], message: str
) -> None:
    levels = tmp_path / "levels"
    with pytest.raises(InstallError, match=message):
        install(export(tmp_path, **changes), levels)
    assert not (levels / "our-museum").exists()


@pytest.mark.parametrize(
    ("changes", "message"),
    [
        (with_picture(png_claiming(100_000, 100_000)), "is 100000x100000 pixels; at most 8192"),
        (with_picture(decompression_bomb()), "is 16384x16384 pixels; at most 8192 pixels a side"),
        (
            with_picture(png(4, 4), size=[16384, 16384]),
            '"image_size" width = 16384 is outside [1, 8192]',
        ),
        (with_picture(png(4, 4), size=[8000, 8000]), '"image_size" is [8000, 8000] but picture'),
        (with_picture(HTML_BEHIND_PNG_MAGIC), "is a damaged PNG (a chunk runs past the end)"),
        (with_picture(png_claiming(8000, 8000), size=[8000, 8000]), "40 million pixels in all"),
        (with_picture(jpeg(WIDTH, HEIGHT)), "picture level-1.png is a JPG picture"),
        (with_picture(webp_lossless(WIDTH, HEIGHT)[:-2], "level-1.webp"), "damaged WebP"),
        (with_picture(b"\x89PNG\r\n\x1a\n" + b"\0" * (9 * 1024 * 1024)), "larger than 8 MB"),
    ],
)
def test_hostile_pictures_install_nothing(
    tmp_path: Path, changes: dict[str, object], message: str
) -> None:
    levels = tmp_path / "levels"
    with pytest.raises(InstallError, match=re.escape(message)):
        install(export(tmp_path, **changes), levels)
    assert not levels.exists() or not any(levels.iterdir())


def test_jpeg_and_webp_pictures_install(tmp_path: Path) -> None:
    for name, data in (
        ("level-1.jpg", jpeg(WIDTH, HEIGHT)),
        ("level-1.jpeg", jpeg(WIDTH, HEIGHT)),
        ("level-1.webp", webp_lossless(WIDTH, HEIGHT)),
    ):
        target = install(export(tmp_path, **with_picture(data, name)), tmp_path / name)
        assert (target / name).read_bytes() == data


HOSTILE_TEXTS = {
    "deep.json": "[" * 5000 + "]" * 5000,
    "deep-pack.json": '{"format": "strike-a-pose/exported-pack", "version": 1, "pack": '
    + '{"a":' * 5000
    + "1"
    + "}" * 5000
    + ', "images": {}}',
    "huge-number.json": '{"format": "strike-a-pose/exported-pack", "version": ' + "9" * 5000 + "}",
    "huge-float.json": '{"format": "strike-a-pose/exported-pack", "version": 1e999}',
    "nan.json": '{"format": "strike-a-pose/exported-pack", "version": NaN}',
    "not-utf8.json": "\udcff",
}


@pytest.mark.parametrize("name", sorted(HOSTILE_TEXTS))
def test_hostile_json_gives_one_line_and_no_traceback(
    tmp_path: Path, name: str, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / name
    if name == "not-utf8.json":
        path.write_bytes(b'{"format": "\xff\xfe"}')
    else:
        path.write_text(HOSTILE_TEXTS[name])
    assert main([str(path), "--levels", str(tmp_path / "levels")]) == 1
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = captured.err.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith(f"install_pack: {path}: "), captured.err
    assert "Traceback" not in captured.err
    assert not (tmp_path / "levels").exists()


def test_every_bad_export_gives_one_line(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = export(tmp_path, **with_picture(png(4, 4), size=[8000, 8000]))
    data = json.loads(path.read_text())
    data["pack"]["levels"][0]["keypoints"] = data["pack"]["levels"][0]["keypoints"][:16]
    data["pack"]["levels"][0]["title"] = 7
    path.write_text(json.dumps(data))
    assert main([str(path), "--levels", str(tmp_path / "levels")]) == 1
    err = capsys.readouterr().err
    assert len(err.strip().splitlines()) == 1
    assert "the pack has 2 problem(s)" in err and "keypoints" in err


def test_the_core_loader_judges_the_pack(tmp_path: Path) -> None:
    path = export(tmp_path)
    data = json.loads(path.read_text())
    data["pack"]["levels"][0]["keypoints"] = data["pack"]["levels"][0]["keypoints"][:16]
    data["pack"]["levels"][0]["title"] = "<script>alert(1)</script>"
    with pytest.raises(InstallError, match='level 1: "keypoints" has 16 entries, expected 17'):
        read_export(json.dumps(data))


def test_bad_json_and_the_command_line(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(InstallError, match="not valid JSON"):
        read_export("{oops")
    bad = tmp_path / "bad.json"
    bad.write_text("{oops")
    assert main([str(bad), "--levels", str(tmp_path / "levels")]) == 1
    assert "not valid JSON" in capsys.readouterr().err
    good = export(tmp_path)
    assert main([str(good), "--levels", str(tmp_path / "levels")]) == 0
    assert "levels/our-museum/pack.json" in capsys.readouterr().out
