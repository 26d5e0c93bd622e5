"""Picture checks: tools/pictures.py (the kiosk's installer) and
web/js/curator/picture-check.js (the curator page) read the same headers,
give the same verdicts and messages on the same good and hostile files, and
keep the game loader's limits (one definition: levelpack.py, checked here)."""

from __future__ import annotations

import json
import re
import shutil
import subprocess
from pathlib import Path

import pytest

from strike_a_pose import levelpack
from tests.unit.pack_factory import pack_data
from tests.unit.picture_factory import corpus, decompression_bomb, png
from tools.pictures import PictureError, check_picture, name_fits_type, read_picture_header

REPO = Path(__file__).resolve().parents[2]
PICTURE_CHECK_JS = REPO / "web" / "js" / "curator" / "picture-check.js"
NODE = shutil.which("node")

NODE_SCRIPT = """
import { readFileSync, readdirSync } from "node:fs";
import * as check from %s;
const folder = process.argv[1];
const verdicts = {};
for (const name of readdirSync(folder)) {
  try {
    const info = check.checkPicture(new Uint8Array(readFileSync(`${folder}/${name}`)));
    verdicts[name] = { type: info.type, ext: info.ext, width: info.width, height: info.height };
  } catch (error) {
    verdicts[name] = { error: error.message, kind: error.constructor.name };
  }
}
const limits = {
  bytes: check.MAX_IMAGE_BYTES, side: check.MAX_IMAGE_SIDE, pixels: check.MAX_IMAGE_PIXELS,
};
console.log(JSON.stringify({ verdicts, limits }));
"""


def python_verdict(data: bytes) -> dict[str, object]:
    try:
        info = check_picture(data)
    except PictureError as error:
        return {"error": str(error), "kind": "PictureError"}
    return {"type": info.type, "ext": info.ext, "width": info.width, "height": info.height}


def run_javascript(folder: Path) -> dict[str, dict[str, object]]:
    assert NODE, "node is missing (scripts/test.sh needs Node.js for the assets anyway)"
    script = NODE_SCRIPT % json.dumps(PICTURE_CHECK_JS.as_uri())
    done = subprocess.run(
        [NODE, "--input-type=module", "-e", script, str(folder)],
        capture_output=True,
        text=True,
        timeout=60,
        check=True,
    )
    result: dict[str, dict[str, object]] = json.loads(done.stdout)
    return result


def test_python_and_javascript_agree_on_every_picture(tmp_path: Path) -> None:
    pictures = corpus()
    pictures["bomb-16384"] = decompression_bomb()
    for name, data in pictures.items():
        (tmp_path / name).write_bytes(data)
    result = run_javascript(tmp_path)
    for name, data in pictures.items():
        assert result["verdicts"][name] == python_verdict(data), name
    # And the verdicts are the intended ones.
    assert python_verdict(pictures["png-good"])["width"] == 40
    assert python_verdict(pictures["webp-extended"])["height"] == 4000
    refused = {name for name, data in pictures.items() if "error" in python_verdict(data)}
    good = {"png-good", "png-rgba", "png-one-bit", "jpeg-good", "jpeg-progressive"}
    assert set(pictures) - refused == good | {"webp-lossy", "webp-extended"}


def test_the_limits_are_the_game_loaders(tmp_path: Path) -> None:
    limits = run_javascript(tmp_path)["limits"]
    assert limits == {
        "bytes": levelpack.MAX_IMAGE_BYTES,
        "side": levelpack.MAX_IMAGE_SIDE,
        "pixels": levelpack.MAX_IMAGE_PIXELS,
    }
    assert levelpack.MAX_IMAGE_SIDE == 8192 and levelpack.MAX_IMAGE_BYTES == 8 * 1024 * 1024
    # No other copy of the numbers in the curator's scripts.
    for script in PICTURE_CHECK_JS.parent.glob("*.js"):
        if script != PICTURE_CHECK_JS:
            text = script.read_text(encoding="utf-8")
            assert not re.search(r"\b(8192|16384|40_000_000)\b", text), script.name
            assert not re.search(r"MAX_IMAGE_\w+\s*=", text), script.name


@pytest.mark.parametrize(
    ("name", "message"),
    [
        ("png-claims-100000", "is 100000x100000 pixels; at most 8192 pixels a side"),
        ("png-html", "is a damaged PNG (a chunk runs past the end)"),
        ("png-bad-checksum", "the checksum of its IHDR chunk is wrong"),
        ("png-too-many-pixels", "at most 40 million pixels in all"),
        ("jpeg-too-wide", "is 9000x100 pixels"),
        ("webp-size-lies", "its size field does not match the file"),
        ("svg", "is not a PNG, JPEG or WebP picture"),
        ("too-large", "is larger than 8 MB"),
    ],
)
def test_hostile_pictures_are_refused_with_a_reason(name: str, message: str) -> None:
    with pytest.raises(PictureError, match=re.escape(message)):
        check_picture(corpus()[name])


def test_a_real_decompression_bomb_is_refused_by_its_header() -> None:
    bomb = decompression_bomb()
    assert len(bomb) < 100_000  # a few kB on the wire, 268 million pixels decoded
    assert read_picture_header(bomb).width == 16384
    with pytest.raises(PictureError, match="16384x16384 pixels; at most 8192 pixels a side"):
        check_picture(bomb)


def test_names_must_fit_the_type() -> None:
    info = read_picture_header(png(2, 2))
    assert name_fits_type("a.png", info) and name_fits_type("A.PNG", info)
    assert not name_fits_type("a.jpg", info) and not name_fits_type("__proto__", info)
    jpeg_info = check_picture(corpus()["jpeg-good"])
    assert name_fits_type("x.jpeg", jpeg_info) and name_fits_type("x.jpg", jpeg_info)


def test_the_game_loader_refuses_image_size_above_8192() -> None:
    data = pack_data()
    data["levels"][0]["image_size"] = [8193, 8192]
    result = levelpack.parse_pack(json.dumps(data))
    assert not result.ok
    assert any('"image_size" width' in message for message in result.messages())
    data["levels"][0]["image_size"] = [8192, 8192]
    assert levelpack.parse_pack(json.dumps(data)).ok
