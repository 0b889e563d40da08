"""Bytes → text. OWNER: cleaning-text helper."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Decoded:
    text: str
    encoding: str  # "utf-8", "utf-8-sig", "gb18030", "big5", "utf-16" …


def decode_bytes(raw: bytes) -> Decoded:
    """Decode a scraped page whatever the scraper saved it as.

    b"\\xef\\xbb\\xbf\\xe5\\x8e\\xa6" → Decoded("厦", "utf-8-sig")
    """
    try:
        return Decoded(raw.decode("utf-8-sig"), "utf-8")
    except UnicodeDecodeError:
        return Decoded(raw.decode("gb18030", errors="replace"), "gb18030")
