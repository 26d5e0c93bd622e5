"""Level packs for the browser tests, built from the real test video.

The video pack's five targets are MoveNet keypoints recorded from the very
frames that ``poses.y4m`` (the fake camera) holds in turn, in the same order
(tools/fetch_test_media.py, POSE_SEGMENTS), so a visitor who is that video
can win.  The art pack has the same targets, but its pictures are test
patterns that look nothing like the camera (the souvenir tests tell the
artworks and the visitor's photos apart by their pixels).  The impossible
pack asks for poses the man never makes.

Each pose of ``poses.y4m`` lasts 2.5 s and the game pauses on a match for
the artwork's story: the packs keep that story to 1 s (``reading_seconds``),
so that the next pose is still on screen when the next level starts.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from tools.fetch_test_media import CAMERA_SIZE, POSE_SEGMENTS
from tools.ffmpeg import ffmpeg

ROOT = Path(__file__).resolve().parents[2]
FIXTURE = ROOT / "tests" / "fixtures" / "keypoints" / "sports2d_demo.json"
VISITOR_VIDEO = ROOT / ".cache" / "media" / "visitor.y4m"


def _level(title: str, image: str, keypoints: list[list[float]], **extra: Any) -> dict[str, Any]:
    return {
        "image": image,
        "image_size": list(CAMERA_SIZE),
        "title": title,
        "artist": "Sports2D demo video",
        "date": "2023",
        "credit": "Frame of Sports2D/Demo/demo.mp4, BSD-3-Clause",
        "keypoints": keypoints,
        "texts": {"en": {"hint": f"Copy the pose: {title}", "about": "A test level."}},
        **extra,
    }


def _pack(
    pack_id: str, title: str, levels: list[dict[str, Any]], languages: tuple[str, ...] = ("en",)
) -> dict[str, Any]:
    return {
        "format_version": 1,
        "id": pack_id,
        "title": title,
        "languages": list(languages),
        "default_language": "en",
        "levels": levels,
        "reading_seconds": [1, 1],  # see the module docstring
    }


# ffmpeg's test sources, one per level of the art pack: bold, varied, and
# nothing like a camera picture of a man on a box.
ART_PATTERNS = ("testsrc2", "smptehdbars", "rgbtestsrc", "mandelbrot", "yuvtestsrc")


def about_text(language: str, title: str) -> str:
    """The art pack's "about" text of a level, in English or French."""
    if language == "fr":
        return f"Une mire de test pour la pose « {title} ». Elle ne ressemble à aucune caméra."
    return f"A test pattern for the pose '{title}'. It looks like no camera at all."


def write_art_pack(folder: Path) -> dict[str, Any]:
    """The video pack's targets on test-pattern pictures, with texts in en and fr."""
    folder.mkdir(parents=True, exist_ok=True)
    frames = json.loads(FIXTURE.read_text(encoding="utf-8"))["frames"]
    width, height = CAMERA_SIZE
    levels = []
    for (name, index), pattern in zip(POSE_SEGMENTS, ART_PATTERNS, strict=True):
        image = f"{name}.png"
        ffmpeg(
            [
                "-f",
                "lavfi",
                "-i",
                f"{pattern}=size={width}x{height}",
                "-frames:v",
                "1",
                str(folder / image),
            ]
        )
        title = name.replace("_", " ")
        level = _level(title, image, frames[index]["keypoints"])
        level["artist"] = "ffmpeg"
        level["credit"] = f"ffmpeg test source {pattern}"
        level["texts"] = {
            lang: {"hint": f"Copy the pose: {title}", "about": about_text(lang, title)}
            for lang in ("en", "fr")
        }
        levels.append(level)
    pack = _pack("art", "Test patterns", levels, languages=("en", "fr"))
    (folder / "pack.json").write_text(json.dumps(pack, indent=1), encoding="utf-8")
    return pack


def extract_frame(index: int, out: Path) -> None:
    """Save frame ``index`` of the fake camera video as a PNG."""
    ffmpeg(
        [
            "-i",
            str(VISITOR_VIDEO),
            "-vf",
            f"select=eq(n\\,{index})",
            "-frames:v",
            "1",
            str(out),
        ]
    )


def write_video_pack(folder: Path) -> dict[str, Any]:
    """The pack the video wins: one level per pose of poses.y4m, in its order."""
    folder.mkdir(parents=True, exist_ok=True)
    frames = json.loads(FIXTURE.read_text(encoding="utf-8"))["frames"]
    levels = []
    for name, index in POSE_SEGMENTS:
        image = f"{name}.png"
        extract_frame(index, folder / image)
        levels.append(_level(name.replace("_", " "), image, frames[index]["keypoints"]))
    pack = _pack("video", "The man on the box", levels)
    (folder / "pack.json").write_text(json.dumps(pack, indent=1), encoding="utf-8")
    return pack


def write_impossible_pack(folder: Path) -> dict[str, Any]:
    """A pack nobody in the test video can match: the right arm up, the left down,
    the right knee raised to the hip, the left leg straight."""
    folder.mkdir(parents=True, exist_ok=True)
    frames = json.loads(FIXTURE.read_text(encoding="utf-8"))["frames"]
    base = [list(k) for k in frames[40]["keypoints"]]  # arms down, standing
    pose = [list(k) for k in base]
    shoulder, hip = pose[6], pose[12]
    arm = 60.0
    pose[8] = [shoulder[0], shoulder[1] - arm, 0.9]  # right elbow above the shoulder
    pose[10] = [shoulder[0], shoulder[1] - 2 * arm, 0.9]  # right wrist above it
    pose[14] = [hip[0] - arm, hip[1], 0.9]  # right knee out sideways at hip height
    pose[16] = [hip[0] - arm, hip[1] + arm, 0.9]  # right shin hanging from it
    extract_frame(40, folder / "standing.png")
    levels = [_level(f"impossible {n}", "standing.png", pose, mirror_ok=False) for n in range(1, 6)]
    pack = _pack("impossible", "Poses nobody makes here", levels)
    (folder / "pack.json").write_text(json.dumps(pack, indent=1), encoding="utf-8")
    return pack
