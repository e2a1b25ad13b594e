"""Bytes in any charset to text, without mojibake: UTF-8 when the bytes are UTF-8, else the
declared charset (HTTP header, BOM, <meta>), else statistical detection."""

from __future__ import annotations

import charset_normalizer
from w3lib.encoding import html_to_unicode


def _detect(data: bytes) -> str | None:
    # Only consulted when neither the header, a BOM nor a <meta> declares the charset.
    match = charset_normalizer.from_bytes(data[:200_000]).best()
    return match.encoding if match else None


def decode_html(data: bytes, content_type: str | None = None) -> str:
    """Decode a page, never raising on bad bytes.

    Bytes that are valid UTF-8 are read as UTF-8 whatever the header or <meta> claims:
    single-byte text with accents is practically never valid UTF-8, while servers that
    announce latin-1 for UTF-8 pages are common (that is what turns "Perú" into "PerÃº").
    Other bytes follow w3lib's browser-like precedence: header, BOM, <meta>, detection.
    """
    try:
        return data.decode("utf-8").removeprefix("\ufeff")
    except UnicodeDecodeError:
        _, text = html_to_unicode(content_type, data, auto_detect_fun=_detect)
        return text
