"""The curator page: a picture becomes a level, checked by the game's own
loader, exported, imported again and played with the camera."""

from __future__ import annotations

import base64
import json
from pathlib import Path

from playwright.sync_api import Page, expect

from tests.e2e.conftest import with_camera
from tests.e2e.helpers import GAME_TIMEOUT_MS, start_game, view, wait_for_state
from tests.e2e.packs import extract_frame
from tests.unit.picture_factory import (
    HTML_BEHIND_PNG_MAGIC,
    decompression_bomb,
    jpeg,
    png,
    png_claiming,
)

T_POSE_FRAME = 16  # the frame that tpose.y4m shows
BOOT_MS = 90_000

# The T-pose video: MoveNet finds the man in a frame of it, and he wins his own pose.
pytestmark = with_camera("tpose")


def open_curator(open_page, server) -> Page:
    page = open_page(f"{server.url}/curator.html", accept_downloads=True)
    expect(page.locator("body")).to_have_attribute("data-ready", "true", timeout=BOOT_MS)
    return page


def add_picture(page: Page, path: Path) -> None:
    page.locator("#add-images").set_input_files(str(path))
    expect(page.locator("#level-list > li")).to_have_count(1, timeout=30_000)


def saved_pack(page: Page) -> dict:
    """The pack as saved in IndexedDB, once pending edits are written."""
    return json.loads(
        page.evaluate(
            """async () => {
                await globalThis.testHooks.curatorFlush();
                const { loadPack } = await import('./js/local-packs.js');
                return JSON.stringify((await loadPack('curator-draft')).pack);
            }"""
        )
    )


def test_picture_to_level_export_import_and_play(server, open_page, tmp_path: Path) -> None:
    picture = tmp_path / "t-pose.png"
    extract_frame(T_POSE_FRAME, picture)
    page = open_curator(open_page, server)
    add_picture(page, picture)

    # MoveNet found the man: his wrists counted and far apart.
    expect(page.locator("body")).to_have_attribute("data-valid", "true", timeout=30_000)
    pack = saved_pack(page)
    keypoints = pack["levels"][0]["keypoints"]
    assert keypoints[9][2] == 1 and keypoints[10][2] == 1
    assert keypoints[9][0] - keypoints[10][0] > 150

    # Drag his left wrist 20 picture pixels down, on the canvas.
    canvas = page.locator("#pose-canvas")
    box = canvas.bounding_box()
    assert box
    width = pack["levels"][0]["image_size"][0]
    scale = box["width"] / width
    wx, wy = keypoints[9][0], keypoints[9][1]
    page.mouse.move(box["x"] + wx * scale, box["y"] + wy * scale)
    page.mouse.down()
    page.mouse.move(box["x"] + wx * scale, box["y"] + (wy + 20) * scale, steps=5)
    page.mouse.up()
    # The hand gesture matters: weight the right forearm.
    page.locator('[data-weight="right_forearm"]').fill("2")
    page.locator('[data-weight="right_forearm"]').dispatch_event("change")
    page.locator("#level-title").fill("<b>T</b>-pose & co")
    page.locator("#level-title").dispatch_event("change")
    moved = saved_pack(page)["levels"][0]
    assert abs(moved["keypoints"][9][1] - (wy + 20)) < 2
    assert moved["weights"] == {"right_forearm": 2}
    expect(page.locator("#level-list > li").first).to_contain_text("<b>T</b>-pose & co")
    assert page.locator("#level-list li b").count() == 0  # shown as text

    # A reload loses nothing.
    page.reload()
    expect(page.locator("body")).to_have_attribute("data-ready", "true", timeout=BOOT_MS)
    assert saved_pack(page)["levels"][0]["weights"] == {"right_forearm": 2}

    # Export, then import into a fresh browser context (another device).
    with page.expect_download() as download_info:
        page.locator("#export-button").click()
    exported = tmp_path / "pack.strikeapose.json"
    download_info.value.save_as(exported)
    data = json.loads(exported.read_text())
    assert data["format"] == "strike-a-pose/exported-pack"
    assert len(data["images"]) == 1

    other = open_curator(open_page, server)
    other.locator("#import-file").set_input_files(str(exported))
    other.wait_for_function("() => document.body.dataset.imported !== undefined", timeout=30_000)
    assert saved_pack(other)["levels"][0]["weights"] == {"right_forearm": 2}

    # Try it: the game plays the local pack; the T-pose camera wins it.
    other.locator("#try-button").click()
    start_game(other)
    wait_for_state(other, "results", timeout=GAME_TIMEOUT_MS)
    result = view(other)
    assert result["level_count"] == 1
    assert result["outcome"] == "won"
    assert other.locator("#artwork-image").get_attribute("src").startswith("data:image/png")


def test_hostile_and_broken_imports_are_rejected(server, open_page, tmp_path: Path) -> None:
    page = open_curator(open_page, server)
    title_before = page.title()

    def rejected(name: str, text: str | bytes, expected: str) -> None:
        path = tmp_path / name
        path.write_bytes(text if isinstance(text, bytes) else text.encode())
        page.locator("#import-file").set_input_files(str(path))
        expect(page.locator("#status")).to_contain_text("Not imported", timeout=20_000)
        expect(page.locator("#status")).to_contain_text(expected)
        page.evaluate("() => { document.getElementById('status').textContent = ''; }")

    rejected("bad.json", "{not json", "not valid JSON")
    rejected("other.json", json.dumps({"format": "zip"}), "not a Strike a Pose pack export")
    frame = tmp_path / "f.png"
    extract_frame(T_POSE_FRAME, frame)
    good_image = base64.b64encode(frame.read_bytes()).decode()
    level = {
        "image": "a.png",
        "image_size": [320, 334],
        "title": "x",
        "artist": "y",
        "date": "z",
        "credit": "c",
        "keypoints": [[10, 10, 1]] * 16,
        "texts": {"en": {"hint": "h", "about": ""}},
    }
    pack = {
        "format_version": 1,
        "id": "bad",
        "title": "t",
        "languages": ["en"],
        "default_language": "en",
        "levels": [level],
    }
    export = {
        "format": "strike-a-pose/exported-pack",
        "version": 1,
        "pack": pack,
        "images": {"a.png": {"type": "image/png", "data": good_image}},
    }
    rejected("short.json", json.dumps(export), '"keypoints" has 16 entries, expected 17')
    good_keypoints = [[100 + 5 * k, 40 + 15 * k, 1] for k in range(17)]

    svg = b'<svg xmlns="http://www.w3.org/2000/svg"><script>document.title="pwned"</script></svg>'
    export["images"] = {"a.png": {"type": "image/png", "data": base64.b64encode(svg).decode()}}
    rejected("svg.json", json.dumps(export), "not a PNG, JPEG or WebP")

    huge = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\0" * (9 * 1024 * 1024)).decode()
    export["images"] = {"a.png": {"type": "image/png", "data": huge}}
    rejected("huge.json", json.dumps(export), "larger than")

    big_file = tmp_path / "big.png"
    big_file.write_bytes(b"\x89PNG\r\n\x1a\n" + b"\0" * (9 * 1024 * 1024))
    page.locator("#add-images").set_input_files(str(big_file))
    expect(page.locator("#status")).to_contain_text("at most 8 MB")

    # The hostile pictures the installer refuses (tests/unit/test_install_pack.py),
    # refused here too by their headers, before the browser decodes anything.
    level["keypoints"] = good_keypoints

    def with_picture(data: bytes, size: list[int], name: str = "a.png") -> str:
        export["pack"]["levels"][0] = {**level, "image": name, "image_size": size}
        export["images"] = {name: {"type": "image/png", "data": base64.b64encode(data).decode()}}
        return json.dumps(export)

    clean = with_picture(png(320, 334), [320, 334])  # a good export, to spoil below
    for name, text, expected in [
        (
            "claims.json",
            with_picture(png_claiming(100_000, 100_000), [320, 334]),
            "picture a.png is 100000x100000 pixels; at most 8192 pixels a side",
        ),
        (
            "bomb.json",
            with_picture(decompression_bomb(), [320, 334]),
            "picture a.png is 16384x16384 pixels; at most 8192 pixels a side",
        ),
        (
            "lying-size.json",
            with_picture(png(4, 4), [16384, 16384]),
            '"image_size" is [16384,16384] but picture a.png is 4x4 pixels',
        ),
        (
            "lying-size-small.json",
            with_picture(png(4, 4), [320, 334]),
            '"image_size" is [320,334] but picture a.png is 4x4 pixels',
        ),
        (
            "html.json",
            with_picture(HTML_BEHIND_PNG_MAGIC, [320, 334]),
            "picture a.png is a damaged PNG (a chunk runs past the end)",
        ),
        (
            "jpeg-named-png.json",
            with_picture(jpeg(320, 334), [320, 334]),
            "picture a.png is a JPG picture",
        ),
        (
            "proto.json",
            with_picture(png(320, 334), [320, 334], "__proto__"),
            "picture __proto__ is a PNG picture",
        ),
        ("deep.json", "[" * 5000 + "]" * 5000, "not a Strike a Pose pack export"),
        (
            "deep-pack.json",
            clean.replace('"title": "t"', '"title": ' + "[" * 5000 + "]" * 5000),
            # Checked by the game's own loader (in Pyodide, whose stack takes it).
            'pack: "title" must be a string, got array',
        ),
        (
            "huge-number.json",
            clean.replace('"version": 1', '"version": ' + "9" * 5000),
            "the export is version null",
        ),
    ]:
        rejected(name, text, expected)
    assert page.evaluate("() => Object.prototype.data === undefined && ({}).type === undefined")

    bomb_file = tmp_path / "bomb.png"
    bomb_file.write_bytes(decompression_bomb())
    page.locator("#add-images").set_input_files(str(bomb_file))
    expect(page.locator("#status")).to_contain_text(
        "bomb.png is 16384x16384 pixels; at most 8192 pixels a side"
    )
    assert page.title() == title_before
    assert page.locator("#level-list > li").count() == 0
    assert page.errors == []


def test_a_picture_dropped_on_the_page_becomes_a_level(server, open_page, tmp_path: Path) -> None:
    """Drag-and-drop from the desktop: the same path as the file picker."""
    picture = tmp_path / "dropped.png"
    extract_frame(T_POSE_FRAME, picture)
    page = open_curator(open_page, server)
    data = base64.b64encode(picture.read_bytes()).decode()
    transfer = page.evaluate_handle(
        """(data) => {
            const bytes = Uint8Array.from(atob(data), (c) => c.charCodeAt(0));
            const transfer = new DataTransfer();
            transfer.items.add(new File([bytes], 'dropped.png', { type: 'image/png' }));
            return transfer;
        }""",
        data,
    )
    zone = page.locator("#drop-zone")
    zone.dispatch_event("dragover", {"dataTransfer": transfer})
    expect(zone).to_have_attribute("data-over", "true")
    zone.dispatch_event("drop", {"dataTransfer": transfer})
    expect(zone).to_have_attribute("data-over", "false")
    expect(page.locator("#level-list > li")).to_have_count(1, timeout=30_000)
    expect(page.locator("body")).to_have_attribute("data-valid", "true", timeout=30_000)
    level = saved_pack(page)["levels"][0]
    assert level["image"].endswith(".png")
    assert level["keypoints"][9][2] == 1 and level["keypoints"][10][2] == 1
    assert page.errors == []
