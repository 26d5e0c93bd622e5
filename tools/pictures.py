"""What a level picture really is, read from its bytes (PNG, JPEG or WebP).

The kiosk's installer (tools/install_pack.py) reads each picture's header
before anything decodes it: its type, its real width and height, and the
limits of the game's loader (web/py/strike_a_pose/levelpack.py).  The curator
page does the same in web/js/curator/picture-check.js, with the same messages;
tests/unit/test_pictures.py checks that both agree on the same hostile files.

Messages complete "picture NAME ...", e.g. "is not a PNG, JPEG or WebP picture".
"""

from __future__ import annotations

import struct
import sys
import zlib
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent / "web" / "py"))
from strike_a_pose.levelpack import (
    MAX_IMAGE_BYTES,
    MAX_IMAGE_PIXELS,
    MAX_IMAGE_SIDE,
)

MB = 1024 * 1024
PNG_SIGNATURE = b"\x89PNG\r\n\x1a\n"
# Bit depths allowed for each PNG colour type.
PNG_DEPTHS = {0: (1, 2, 4, 8, 16), 2: (8, 16), 3: (1, 2, 4, 8), 4: (8, 16), 6: (8, 16)}
# JPEG start-of-frame markers (not DHT C4, JPG C8, DAC CC).
JPEG_FRAMES = frozenset({*range(0xC0, 0xC4), 0xC5, 0xC6, 0xC7, 0xC9, 0xCA, 0xCB, 0xCD, 0xCE, 0xCF})


class PictureError(ValueError):
    """Not an acceptable level picture; the message completes "picture NAME ..."."""


@dataclass(frozen=True)
class PictureInfo:
    type: str  # "image/png"
    ext: str  # "png"
    width: int
    height: int


def _damaged(kind: str, why: str) -> PictureError:
    return PictureError(f"is a damaged {kind} ({why})")


def _png_size(data: bytes) -> tuple[int, int]:
    pos, size, saw_data = 8, None, False
    while pos + 12 <= len(data):
        length = int.from_bytes(data[pos : pos + 4], "big")
        kind = data[pos + 4 : pos + 8].decode("latin-1")
        if length > 0x7FFFFFFF or pos + 12 + length > len(data):
            raise _damaged("PNG", "a chunk runs past the end")
        stored = int.from_bytes(data[pos + 8 + length : pos + 12 + length], "big")
        if zlib.crc32(data[pos + 4 : pos + 8 + length]) != stored:
            raise _damaged("PNG", f"the checksum of its {kind} chunk is wrong")
        if size is None:
            if kind != "IHDR" or length != 13:
                raise _damaged("PNG", "its first chunk is not IHDR")
            width, height, depth, colour, compression, filter_, interlace = struct.unpack(
                ">IIBBBBB", data[pos + 8 : pos + 21]
            )
            if not width or not height or width > 0x7FFFFFFF or height > 0x7FFFFFFF:
                raise _damaged("PNG", "it gives no size")
            if depth not in PNG_DEPTHS.get(colour, ()) or compression or filter_ or interlace > 1:
                raise _damaged("PNG", "its header is not valid")
            size = (width, height)
        elif kind == "IDAT":
            saw_data = True
        elif kind == "IEND":
            if not saw_data:
                raise _damaged("PNG", "it holds no image data")
            if pos + 12 + length != len(data):
                raise _damaged("PNG", "there is data after its end")
            return size
        pos += 12 + length
    raise _damaged("PNG", "it is cut short" if size else "the header is cut short")


def _jpeg_size(data: bytes) -> tuple[int, int]:
    pos = 2
    while pos < len(data):
        if data[pos] != 0xFF:
            raise _damaged("JPEG", "a segment marker is missing")
        while pos < len(data) and data[pos] == 0xFF:  # fill bytes
            pos += 1
        if pos >= len(data):
            break
        marker = data[pos]
        pos += 1
        if marker == 0x01 or 0xD0 <= marker <= 0xD8:  # no length
            continue
        if marker in (0xD9, 0xDA):
            raise _damaged("JPEG", "no frame header before its image data")
        if pos + 2 > len(data):
            break
        length = int.from_bytes(data[pos : pos + 2], "big")
        if length < 2 or pos + length > len(data):
            raise _damaged("JPEG", "a segment runs past the end")
        if marker in JPEG_FRAMES:
            if length < 8:
                raise _damaged("JPEG", "its frame header is too short")
            height, width = struct.unpack(">HH", data[pos + 3 : pos + 7])
            if not width or not height:
                raise _damaged("JPEG", "it gives no size")
            return width, height
        pos += length
    raise _damaged("JPEG", "it is cut short")


def _webp_size(data: bytes) -> tuple[int, int]:
    if int.from_bytes(data[4:8], "little") + 8 != len(data):
        raise _damaged("WebP", "its size field does not match the file")
    if len(data) < 30:
        raise _damaged("WebP", "it is cut short")
    chunk = data[12:16].decode("latin-1")
    length = int.from_bytes(data[16:20], "little")
    if 20 + length > len(data):
        raise _damaged("WebP", "a chunk runs past the end")
    d = 20
    if chunk == "VP8 ":
        if data[d + 3 : d + 6] != b"\x9d\x01\x2a":
            raise _damaged("WebP", "its VP8 header is not valid")
        width = int.from_bytes(data[d + 6 : d + 8], "little") & 0x3FFF
        height = int.from_bytes(data[d + 8 : d + 10], "little") & 0x3FFF
    elif chunk == "VP8L":
        if data[d] != 0x2F:
            raise _damaged("WebP", "its VP8L header is not valid")
        bits = int.from_bytes(data[d + 1 : d + 5], "little")
        width, height = (bits & 0x3FFF) + 1, ((bits >> 14) & 0x3FFF) + 1
    elif chunk == "VP8X":
        width = int.from_bytes(data[d + 4 : d + 7], "little") + 1
        height = int.from_bytes(data[d + 7 : d + 10], "little") + 1
    else:
        raise _damaged("WebP", "its first chunk is not VP8, VP8L or VP8X")
    if not width or not height:
        raise _damaged("WebP", "it gives no size")
    return width, height


def read_picture_header(data: bytes) -> PictureInfo:
    """The type and real size of a picture, from its bytes; raises PictureError."""
    if data.startswith(PNG_SIGNATURE):
        return PictureInfo("image/png", "png", *_png_size(data))
    if data.startswith(b"\xff\xd8\xff"):
        return PictureInfo("image/jpeg", "jpg", *_jpeg_size(data))
    if len(data) >= 12 and data[:4] == b"RIFF" and data[8:12] == b"WEBP":
        return PictureInfo("image/webp", "webp", *_webp_size(data))
    raise PictureError("is not a PNG, JPEG or WebP picture")


def check_picture(data: bytes) -> PictureInfo:
    """Type, header, bytes, sides and pixels of a level picture; raises PictureError."""
    if len(data) > MAX_IMAGE_BYTES:
        raise PictureError(f"is larger than {MAX_IMAGE_BYTES // MB} MB ({len(data)} bytes)")
    info = read_picture_header(data)
    shown = f"{info.width}x{info.height} pixels"
    if info.width > MAX_IMAGE_SIDE or info.height > MAX_IMAGE_SIDE:
        raise PictureError(f"is {shown}; at most {MAX_IMAGE_SIDE} pixels a side")
    if info.width * info.height > MAX_IMAGE_PIXELS:
        raise PictureError(
            f"is {shown}; at most {MAX_IMAGE_PIXELS // 1_000_000} million pixels in all"
        )
    return info


def name_fits_type(name: str, info: PictureInfo) -> bool:
    """Whether a picture's name ends as its type does (a file is served by its name)."""
    ext = name.rpartition(".")[2].lower()
    return ext == info.ext or (info.ext == "jpg" and ext == "jpeg")
