"""Bytes in any charset to text: HTTP header, BOM, <meta charset>, then statistical detection."""

from __future__ import annotations

import charset_normalizer
from w3lib.encoding import html_to_unicode


def _detect(data: bytes) -> str | None:
    # Only consulted when neither the header, a BOM nor a <meta> declares the charset.
    match = charset_normalizer.from_bytes(data[:200_000]).best()
    return match.encoding if match else None


def decode_html(data: bytes, content_type: str | None = None) -> str:
    """Decode a page the way browsers do (w3lib's precedence), never raising on bad bytes.

    A declared charset that cannot decode the bytes (a server claiming latin-1 for
    UTF-8 pages is common) loses to UTF-8 when the bytes are valid UTF-8: that is
    what turns "Perú" into "PerÃº" otherwise.
    """
    _, text = html_to_unicode(content_type, data, auto_detect_fun=_detect)
    if _looks_mis_decoded(text):
        try:
            return data.decode("utf-8")
        except UnicodeDecodeError:
            return text
    return text


def _looks_mis_decoded(text: str) -> bool:
    # UTF-8 multi-byte sequences read as a single-byte charset leave these pairs behind.
    sample = text[:100_000]
    return sum(sample.count(marker) for marker in ("Ã", "Â", "â€")) >= 3
