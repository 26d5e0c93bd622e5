"""Content negotiation for ``Accept-Encoding`` (RFC 9110, 12.5.3).

``choose_encoding(header, offered)`` picks the coding the client weights
highest among those the server can offer for a file; on a tie the server's
order wins (brotli before gzip: smaller).  ``q=0`` refuses a coding, ``*``
stands for every coding not named.  "identity" (the file as it is) is the
fall-back; it beats an accepted coding only when the client names it with a
higher q-value.  Refused even so, it is still sent (RFC 9110 allows that
rather than a 406 that no browser handles).
"""

from __future__ import annotations

from collections.abc import Sequence

IDENTITY = "identity"
# Names a client may use for the same coding.
ALIASES = {"x-gzip": "gzip"}


def parse_accept_encoding(header: str) -> dict[str, float]:
    """Coding name (lower case) -> q-value, from an Accept-Encoding header.

    A malformed q-value counts as 0 (refused): a client that cannot spell its
    preference gets the plain file rather than a coding it may not decode.
    """
    qualities: dict[str, float] = {}
    for item in header.split(","):
        coding, *params = (part.strip() for part in item.split(";"))
        if not coding:
            continue
        quality = 1.0
        for param in params:
            name, _, value = param.partition("=")
            if name.strip().lower() == "q":
                try:
                    quality = float(value.strip())
                except ValueError:
                    quality = 0.0
                if not 0.0 <= quality <= 1.0:  # also NaN
                    quality = 0.0
        name = coding.lower()
        qualities[ALIASES.get(name, name)] = quality
    return qualities


def choose_encoding(header: str | None, offered: Sequence[str]) -> str:
    """The best of ``offered`` (server's preference first) the client accepts, or identity.

    No header at all means the client did not ask for compression: identity.
    """
    if not header or not offered:
        return IDENTITY
    qualities = parse_accept_encoding(header)
    wildcard = qualities.get("*", 0.0)
    best, best_quality = IDENTITY, 0.0
    for coding in offered:
        quality = qualities.get(coding, wildcard)
        if quality > best_quality:
            best, best_quality = coding, quality
    if best == IDENTITY:
        return IDENTITY
    return IDENTITY if qualities.get(IDENTITY, 0.0) > best_quality else best
