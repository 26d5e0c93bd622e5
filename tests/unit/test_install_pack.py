"""Installing a curator's exported pack on a kiosk: checked like the game
checks it, written whole or not at all."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest

from strike_a_pose import parse_pack
from tools.install_pack import InstallError, install, main, read_export

ROOT = Path(__file__).resolve().parents[2]
PNG = b"\x89PNG\r\n\x1a\n" + b"\0" * 64
SVG = base64.b64encode(b"<svg><script/></svg>").decode()
FIGURE = json.loads((ROOT / "web" / "levels" / "default" / "pack.json").read_text())["levels"][0]


def export(tmp_path: Path, **changes: object) -> Path:
    level = {**FIGURE, "image": "level-1.png"}
    pack = {
        "format_version": 1,
        "id": "our-museum",
        "title": "Ours",
        "languages": ["en", "fr", "de", "es"],
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
    assert [p.name for p in levels.iterdir()] == ["our-museum"]  # no staging left


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
