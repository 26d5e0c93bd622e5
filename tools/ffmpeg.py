"""How this project runs ffmpeg (the test videos, the tests' pictures, the
benchmarks' faster camera): quietly unless something fails, overwriting its
output, and failing with ffmpeg's own words."""

from __future__ import annotations

import subprocess
from collections.abc import Sequence


class FfmpegError(RuntimeError):
    """ffmpeg failed; the message ends with what it printed."""


def ffmpeg(arguments: Sequence[str]) -> None:
    """Run ``ffmpeg ARGUMENTS`` (inputs, filters, output); only errors are
    printed, and an existing output file is replaced.  Raises FfmpegError."""
    command = ["ffmpeg", "-loglevel", "error", "-y", *arguments]
    result = subprocess.run(command, capture_output=True, text=True)
    if result.returncode != 0:
        raise FfmpegError(f"ffmpeg {' '.join(arguments)} failed:\n{result.stderr[-2000:]}")
