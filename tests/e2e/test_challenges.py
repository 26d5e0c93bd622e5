"""A choice of challenges: with two packs installed (the second by the
installer, which lists it in levels/index.json), the start screen offers
both, the default one ticked, and picking the other plays it."""

from __future__ import annotations

import base64
import json
from pathlib import Path

import pytest
from playwright.sync_api import expect

from tests.e2e.conftest import copy_web_root
from tests.e2e.helpers import start_game, view, wait_for_state
from tests.e2e.packs import write_art_pack
from tools.install_pack import install


def export_file(pack_dir: Path, out: Path) -> Path:
    """The curator's export format for a pack folder (pack.json + PNGs)."""
    pack = json.loads((pack_dir / "pack.json").read_text(encoding="utf-8"))
    pack["id"] = "patterns"
    images = {
        level["image"]: {
            "type": "image/png",
            "data": base64.b64encode((pack_dir / level["image"]).read_bytes()).decode(),
        }
        for level in pack["levels"]
    }
    data = {"format": "strike-a-pose/exported-pack", "version": 1, "pack": pack, "images": images}
    out.write_text(json.dumps(data), encoding="utf-8")
    return out


@pytest.fixture(scope="module")
def two_packs(tmp_path_factory: pytest.TempPathFactory) -> Path:
    work = tmp_path_factory.mktemp("two-packs")
    root = copy_web_root(work / "web")
    write_art_pack(work / "art")
    install(export_file(work / "art", work / "patterns.strikeapose.json"), root / "levels")
    return root


def test_the_installer_lists_the_new_pack_after_the_default(two_packs: Path) -> None:
    index = json.loads((two_packs / "levels" / "index.json").read_text(encoding="utf-8"))
    assert [pack["id"] for pack in index["packs"]] == ["default", "patterns"]
    patterns = index["packs"][1]
    assert patterns["url"] == "levels/patterns/pack.json"
    assert patterns["cover"] == "levels/patterns/t_pose.png"
    assert patterns["languages"] == ["en", "fr"] and patterns["seated"] is True


def test_the_chooser_shows_both_and_picking_one_plays_it(
    two_packs: Path, start_server, open_page, artifacts
) -> None:
    server = start_server(two_packs)
    page = open_page(f"{server.url}/index.html?nosw=1", viewport={"width": 390, "height": 844})
    wait_for_state(page, "start")
    options = page.locator("#challenge-list input[name=challenge]")
    expect(page.locator("#challenges")).to_be_visible()
    expect(options).to_have_count(2)
    expect(page.locator("#challenge-list .challenge-title")).to_have_text(
        ["Famous poses", "Test patterns"]
    )
    expect(options.nth(0)).to_be_checked()  # the default stays one tap to play
    expect(page.locator("#start-lead")).to_contain_text("5 artworks")
    page.screenshot(path=str(artifacts / "challenges-phone.png"))

    page.locator("#challenge-list label.challenge").nth(1).click()
    expect(options.nth(1)).to_be_checked()
    start_game(page)
    wait_for_state(page, "countdown", timeout=60_000)
    shown = view(page)["level"]
    assert shown["title"] == "t pose"
    expect(page.locator("#artwork-image")).to_have_attribute("src", "levels/patterns/t_pose.png")
    assert page.errors == []
