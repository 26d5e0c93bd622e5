"""The visitor's reward in a real browser: the story after each match, the
results gallery, and the souvenir made on the device, with and without photos.

The art pack has the video pack's targets on test-pattern pictures, so the
souvenir's artworks and the visitor's photos can be told apart by pixels:
the photos look like the camera (the video pack's frames, mirrored as the
visitor sees them) and like no artwork.
"""

from __future__ import annotations

import json
import subprocess
from pathlib import Path
from typing import Any

from PIL import Image
from playwright.sync_api import Download, Page, expect

from shell.souvenir_layout import PANEL, VISITOR_COLOUR, ClearedLevel, picture_spec
from tests.e2e.helpers import GAME_TIMEOUT_MS, hook, start_game, view, wait_for_state, wait_for_view
from tests.e2e.packs import about_text
from tests.e2e.pictures import load, resemblance, share_of_colour
from tests.e2e.watch import WATCH_SCRIPT
from tools.fetch_test_media import CAMERA_SIZE, POSE_SEGMENTS

ART_PACK = "levels/test-art/pack.json"
PHONE = {
    "viewport": {"width": 390, "height": 844},
    "device_scale_factor": 2,
    "is_mobile": True,
    "has_touch": True,
}
TABLET = {"viewport": {"width": 1180, "height": 820}}
KIOSK = {"viewport": {"width": 1920, "height": 1080}}
SOUVENIR_TIMEOUT_MS = 60_000  # the clip records in real time: up to 10 s, plus a busy machine


def art_pack(web_root: Path) -> dict[str, Any]:
    pack: dict[str, Any] = json.loads((web_root / ART_PACK).read_text(encoding="utf-8"))
    return pack


def expected_picture(web_root: Path, result: dict[str, Any], photos: bool) -> dict[str, Any]:
    """The souvenir layout for this game's cleared levels, computed here."""
    levels = [
        ClearedLevel(
            slot=slot,
            url=level["image"],
            image_size=tuple(level["image_size"]),  # type: ignore[arg-type]
            keypoints=tuple(tuple(point) for point in level["keypoints"]),  # type: ignore[misc]
            title=level["title"],
            artist=level["artist"],
            date=level["date"],
        )
        for slot, level in enumerate(art_pack(web_root)["levels"])
        if result["level_results"][slot] == "cleared"
    ]
    score = f"Score: {result['score']}"
    return picture_spec(levels, CAMERA_SIZE, photos=photos, score_line=score)


def ops(spec: dict[str, Any], kind: str) -> list[dict[str, Any]]:
    return [op for op in spec["ops"] if op["op"] == kind]


def save_souvenir(page: Page, folder: Path, files: int) -> list[Path]:
    """Press Save and keep the ``files`` downloads it makes."""
    downloads: list[Download] = []
    page.on("download", lambda download: downloads.append(download))
    page.locator("#souvenir-save").click()
    for _ in range(100):  # the download events arrive one by one
        if len(downloads) >= files:
            break
        page.wait_for_timeout(100)
    assert len(downloads) == files, [d.suggested_filename for d in downloads]
    saved = []
    for download in downloads:
        path = folder / download.suggested_filename
        download.save_as(path)
        saved.append(path)
    return saved


def camera_frame(web_root: Path, slot: int) -> Any:
    """The camera frame the visitor holds for level ``slot``, as the visitor saw it."""
    name, _ = POSE_SEGMENTS[slot]
    return load(web_root / "levels" / "test-video" / f"{name}.png", mirror=True)


def clip_seconds(path: Path) -> float:
    """The clip's length by its last packet (a recorded WebM has no duration field)."""
    out = subprocess.run(
        [
            "ffprobe",
            "-v",
            "error",
            "-select_streams",
            "v:0",
            "-show_entries",
            "packet=pts_time",
            "-of",
            "csv=p=0",
            str(path),
        ],
        capture_output=True,
        text=True,
        check=True,
    ).stdout
    times = [float(line.strip(",")) for line in out.split() if line.strip(",")]
    assert times, f"ffprobe found no video in {path}"
    return max(times)


def play_to_the_souvenir(page: Page, *, photos: bool) -> dict[str, Any]:
    wait_for_state(page, "start")
    toggle = page.locator("#photos-toggle")
    expect(toggle).not_to_be_checked()  # off unless the visitor asks
    if photos:
        toggle.check()
    start_game(page)
    wait_for_state(page, "results", timeout=GAME_TIMEOUT_MS)
    result = view(page)
    assert result["outcome"] == "won", result["level_results"]
    page.wait_for_selector('#souvenir[data-status="ready"]', timeout=SOUVENIR_TIMEOUT_MS)
    return result


def test_the_video_wins_with_photos_on_and_the_souvenir_shows_it(
    server, web_root, open_page, artifacts, tmp_path
) -> None:
    page = open_page(f"{server.url}/index.html?pack={ART_PACK}", init_script=WATCH_SCRIPT, **PHONE)
    result = play_to_the_souvenir(page, photos=True)
    expect(page.locator("#souvenir-clip")).to_be_visible()
    expect(page.locator("#souvenir-share")).to_be_visible()  # the watcher says files can be shared

    # The results gallery on a phone: five artworks, outcomes, stories behind a tap.
    cards = page.locator("#results-gallery li.card")
    expect(cards).to_have_count(5)
    pack = art_pack(web_root)
    for n, level in enumerate(pack["levels"]):
        card = cards.nth(n)
        expect(card.locator(".card-title")).to_have_text(level["title"])
        expect(card.locator(".card-outcome")).to_have_text(
            f"Matched in {result['level_times_ms'][n] / 1000:.1f} s"
        )
        expect(card.locator(".card-image")).to_have_attribute("alt", f"{level['title']} by ffmpeg")
        about = card.locator(".card-about p")
        expect(about).to_be_hidden()
        card.locator(".card-about summary").click()
        expect(about).to_have_text(about_text("en", level["title"]))
    loaded = page.evaluate(
        "() => [...document.querySelectorAll('#results-gallery img')]"
        ".every((img) => img.complete && img.naturalWidth > 0)"
    )
    assert loaded, "every artwork of the gallery shows"
    page.screenshot(path=str(artifacts / "results-gallery-phone.png"))

    picture_file, clip_file = sorted(
        save_souvenir(page, tmp_path, files=2), key=lambda p: p.suffix != ".jpg"
    )
    assert picture_file.name == "strike-a-pose-souvenir.jpg"
    assert clip_file.suffix in (".webm", ".mp4")
    picture = load(picture_file)
    spec = expected_picture(web_root, result, photos=True)
    assert picture.size == (spec["width"], spec["height"])

    arts = ops(spec, "art")
    photos = ops(spec, "photo")
    assert len(arts) == len(photos) == 5
    for slot, (art, photo) in enumerate(zip(arts, photos, strict=True)):
        artwork = load(web_root / "levels" / "test-art" / art["url"])
        other = load(web_root / "levels" / "test-art" / arts[(slot + 1) % 5]["url"])
        shown = resemblance(picture, art["rect"], artwork)
        assert shown > 0.7, f"artwork {slot}: {shown:.2f}"
        assert shown > resemblance(picture, art["rect"], other) + 0.2, f"artwork {slot} is itself"
        # The visitor's photo: not the plain panel; the camera's picture, not the artwork.
        assert share_of_colour(picture, photo["rect"], PANEL) < 0.2, f"photo {slot}"
        camera = resemblance(picture, photo["rect"], camera_frame(web_root, slot))
        assert camera > 0.5, f"photo {slot}: {camera:.2f}"
        assert camera > resemblance(picture, photo["rect"], artwork) + 0.2, f"photo {slot}"
    assert clip_seconds(clip_file) >= 1.0
    assert page.errors == []


def test_without_photos_the_souvenir_shows_skeletons_and_no_camera_pixel(
    server, web_root, open_page, artifacts, tmp_path
) -> None:
    page = open_page(f"{server.url}/index.html?pack={ART_PACK}", **TABLET)
    result = play_to_the_souvenir(page, photos=False)
    held = hook(page, "souvenir")
    assert held["photos"] is False and held["pictures"] == 0, held  # no camera pixel is copied
    assert held["moments"] == 5
    page.screenshot(path=str(artifacts / "results-souvenir-no-photos.png"))
    (picture_file,) = [p for p in save_souvenir(page, tmp_path, files=2) if p.suffix == ".jpg"]
    picture = load(picture_file)
    spec = expected_picture(web_root, result, photos=False)
    assert picture.size == (spec["width"], spec["height"])
    assert ops(spec, "photo") == []
    for slot, visitor in enumerate(ops(spec, "visitor")):
        rect = visitor["rect"]
        # A plain panel with a green skeleton on it...
        assert share_of_colour(picture, rect, PANEL) > 0.75, f"visitor {slot}"
        assert share_of_colour(picture, rect, VISITOR_COLOUR) > 0.005, f"skeleton {slot}"
        # ...and nothing of the camera's picture: it looks no more like the
        # camera frame than the plain panel alone does (dark clothes match it a bit).
        camera = camera_frame(web_root, slot)
        plain = Image.new("RGB", (rect[2], rect[3]), PANEL)
        baseline = resemblance(plain, [0, 0, rect[2], rect[3]], camera)
        assert resemblance(picture, rect, camera) < baseline + 0.05, f"visitor {slot}"
    assert page.errors == []


def test_the_story_shows_after_a_match_in_the_visitors_language_while_the_clock_waits(
    server, open_page
) -> None:
    # A long story, so that the test can look at it for a while.
    page = open_page(f"{server.url}/index.html?pack={ART_PACK}&lang=fr&reading_min=8&reading_max=8")
    start_game(page)
    wait_for_state(page, "cleared", timeout=60_000)
    cleared = view(page)
    title = cleared["level"]["title"]
    expect(page.locator("#story-about")).to_have_text(about_text("fr", title))
    expect(page.locator("#story-about")).to_be_visible()
    expect(page.locator("#story-title")).to_have_text(title)
    expect(page.locator("#story-meta")).to_have_text("ffmpeg, 2023")
    expect(page.locator("#next-button")).to_have_text("Suivant \u203a")
    assert cleared["story_ms"] == 8_000
    # Reading does not cost playing time: the clock stands still while the
    # reading bar fills.
    later = wait_for_view(page, "view.story_progress > 0.3", timeout=30_000)
    assert later["phase"] == "level_cleared"
    assert later["time_left_ms"] == cleared["time_left_ms"]
    # Next goes on at once, long before the story's time is up.
    page.locator("#next-button").click()
    wait_for_state(page, "playing", timeout=5_000)
    playing = view(page)
    assert playing["level_number"] == 2
    assert cleared["time_left_ms"] - 2_000 < playing["time_left_ms"] <= cleared["time_left_ms"]
    assert page.errors == []


def test_a_tap_anywhere_on_a_phone_goes_on_from_the_story(server, open_page) -> None:
    page = open_page(f"{server.url}/index.html?pack={ART_PACK}&reading_min=30", **PHONE)
    start_game(page, tap=True)
    wait_for_state(page, "cleared", timeout=60_000)
    page.locator(".artwork").tap()  # not the Next button: anywhere
    wait_for_state(page, "playing", timeout=5_000)
    assert view(page)["level_number"] == 2
