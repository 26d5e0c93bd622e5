"""Pictures for the tests, made byte by byte: real small PNGs, a real
decompression bomb, and hostile or damaged headers of every kind that
tools/pictures.py and web/js/curator/picture-check.js must refuse."""

from __future__ import annotations

import struct
import zlib


def png_chunk(kind: bytes, data: bytes) -> bytes:
    return struct.pack(">I", len(data)) + kind + data + struct.pack(">I", zlib.crc32(kind + data))


def png(width: int, height: int, depth: int = 8, colour: int = 0, shade: int = 0) -> bytes:
    """A real, decodable PNG (grey by default), its rows compressed as they come."""
    bits_per_pixel = depth * {0: 1, 2: 3, 4: 2, 6: 4}[colour]
    row = b"\0" + bytes([shade]) * ((width * bits_per_pixel + 7) // 8)  # filter 0, then pixels
    compressor = zlib.compressobj(9)
    parts = []
    left = height
    while left:
        rows = min(left, 256)
        parts.append(compressor.compress(row * rows))
        left -= rows
    parts.append(compressor.flush())
    header = struct.pack(">IIBBBBB", width, height, depth, colour, 0, 0, 0)
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", b"".join(parts))
        + png_chunk(b"IEND", b"")
    )


def png_claiming(width: int, height: int) -> bytes:
    """A well-formed PNG header claiming any size over one tiny data chunk."""
    header = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    idat = zlib.compress(b"\0\0")
    return (
        b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", header)
        + png_chunk(b"IDAT", idat)
        + png_chunk(b"IEND", b"")
    )


def decompression_bomb(side: int = 16384) -> bytes:
    """A real side x side one-bit PNG: a few kB that decode to side^2 pixels."""
    return png(side, side, depth=1)


def jpeg(width: int, height: int, frame_marker: int = 0xC0) -> bytes:
    """A JPEG's segments up to and past its frame header (the header is what is read)."""
    app0 = b"\xff\xe0" + struct.pack(">H", 16) + b"JFIF\0\x01\x01\0\0\x01\0\x01\0\0"
    sof = (
        bytes([0xFF, frame_marker])
        + struct.pack(">HBHHB", 11, 8, height, width, 1)
        + b"\x01\x11\x00"
    )
    sos = b"\xff\xda" + struct.pack(">H", 8) + b"\x01\x01\x00\x00\x3f\x00"
    return b"\xff\xd8" + app0 + sof + sos + b"\x00" * 16 + b"\xff\xd9"


def riff_webp(chunk: bytes, payload: bytes) -> bytes:
    body = b"WEBP" + chunk + struct.pack("<I", len(payload)) + payload
    if len(payload) % 2:
        body += b"\0"
    return b"RIFF" + struct.pack("<I", len(body)) + body


def webp_lossy(width: int, height: int) -> bytes:
    frame = b"\x10\x02\x00" + b"\x9d\x01\x2a" + struct.pack("<HH", width, height) + b"\0" * 10
    return riff_webp(b"VP8 ", frame)


def webp_lossless(width: int, height: int) -> bytes:
    bits = (width - 1) | ((height - 1) << 14)
    return riff_webp(b"VP8L", b"\x2f" + struct.pack("<I", bits) + b"\0" * 8)


def webp_extended(width: int, height: int) -> bytes:
    size = (width - 1).to_bytes(3, "little") + (height - 1).to_bytes(3, "little")
    return riff_webp(b"VP8X", b"\x10\0\0\0" + size + b"\0" * 4)


def with_bad_checksum(picture: bytes) -> bytes:
    damaged = bytearray(picture)
    damaged[29] ^= 0xFF  # inside IHDR's checksum
    return bytes(damaged)


HTML_BEHIND_PNG_MAGIC = b"\x89PNG\r\n\x1a\n<!doctype html><script>document.title='pwned'</script>"
SVG = b'<svg xmlns="http://www.w3.org/2000/svg"><script>alert(1)</script></svg>'


def corpus() -> dict[str, bytes]:
    """Named pictures, good and bad, for the agreement test (small ones only)."""
    good = png(40, 30)
    return {
        "png-good": good,
        "png-rgba": png(5, 7, colour=6),
        "png-one-bit": png(9, 3, depth=1),
        "png-claims-100000": png_claiming(100_000, 100_000),
        "png-claims-8193-wide": png_claiming(8193, 10),
        "png-too-many-pixels": png_claiming(8000, 8000),
        "png-zero-width": png_claiming(0, 10),
        "png-html": HTML_BEHIND_PNG_MAGIC,
        "png-bad-checksum": with_bad_checksum(good),
        "png-cut-short": good[:40],
        "png-trailing-data": good + b"<html>",
        "png-no-data": b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", good[16:29])
        + png_chunk(b"IEND", b""),
        "png-first-chunk-not-ihdr": b"\x89PNG\r\n\x1a\n" + png_chunk(b"tEXt", b"x") + good[8:],
        "png-bad-depth": b"\x89PNG\r\n\x1a\n"
        + png_chunk(b"IHDR", struct.pack(">IIBBBBB", 4, 4, 7, 2, 0, 0, 0))
        + good[33:],
        "jpeg-good": jpeg(640, 480),
        "jpeg-progressive": jpeg(300, 200, 0xC2),
        "jpeg-too-wide": jpeg(9000, 100),
        "jpeg-zero-height": jpeg(10, 0),
        "jpeg-no-frame": b"\xff\xd8\xff\xe0\x00\x04ab\xff\xda\x00\x02\xff\xd9",
        "jpeg-cut-short": jpeg(640, 480)[:22],
        "jpeg-segment-past-end": b"\xff\xd8\xff\xe0\xff\xff" + b"\0" * 10,
        "jpeg-html": b"\xff\xd8\xff<html><script>alert(1)</script>",
        "webp-lossy": webp_lossy(320, 240),
        "webp-lossless": webp_lossless(17, 9000),
        "webp-extended": webp_extended(8192, 4000),
        "webp-extended-too-big": webp_extended(16384, 16384),
        "webp-size-lies": webp_lossy(320, 240)[:-4],
        "webp-unknown-chunk": riff_webp(b"ALPH", b"\0" * 12),
        "webp-bad-vp8": riff_webp(b"VP8 ", b"\0" * 16),
        "svg": SVG,
        "gif": b"GIF89a\x01\x00\x01\x00\x00\x00\x00;",
        "empty": b"",
        "text": b"hello",
        "too-large": b"\x89PNG\r\n\x1a\n" + b"\0" * (8 * 1024 * 1024 + 1),
    }
