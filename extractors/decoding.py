"""Bytes in any charset to text, without mojibake: UTF-8 when the bytes are UTF-8, else the
declared charset (HTTP header, BOM, <meta>), else statistical detection."""

from __future__ import annotations

import codecs
import logging
from dataclasses import dataclass

import charset_normalizer
from w3lib.encoding import html_body_declared_encoding, html_to_unicode, resolve_encoding

logger = logging.getLogger(__name__)
# The usual mislabel: Western single-byte text behind a server default of "charset=utf-8".
MISLABEL_FALLBACK = "cp1252"


def _detect(data: bytes) -> str | None:
    # Only consulted when neither the header, a BOM nor a <meta> declares the charset.
    match = charset_normalizer.from_bytes(data[:200_000]).best()
    return match.encoding if match else None


@dataclass(frozen=True, slots=True)
class Decoded:
    """A page's text and the charset it was read as (recorded as `Article.encoding`)."""

    text: str
    encoding: str | None  # Python codec name: "utf-8", "cp1252"...; None for text given as str


def decode_html(data: bytes, content_type: str | None = None) -> str:
    """The page's text (see `decode_page`)."""
    return decode_page(data, content_type).text


def decode_page(data: bytes, content_type: str | None = None) -> Decoded:
    """Decode a page, never raising on bad bytes.

    Bytes that are valid UTF-8 are read as UTF-8 whatever the header or <meta> claims:
    single-byte text with accents is practically never valid UTF-8, while servers that
    announce latin-1 for UTF-8 pages are common (that is what turns "Perú" into "PerÃº").
    Other bytes follow w3lib's browser-like precedence: header, BOM, <meta>, detection.
    """
    try:
        return Decoded(data.decode("utf-8").removeprefix("\ufeff"), "utf-8")
    except UnicodeDecodeError:
        encoding, text = html_to_unicode(content_type, data, auto_detect_fun=_detect)
    if resolve_encoding(encoding) != "utf-8":
        return Decoded(text, _name(encoding))
    return _misdeclared_utf8(data)


def _name(encoding: str) -> str:
    try:
        return codecs.lookup(encoding).name
    except LookupError:
        return encoding


def _misdeclared_utf8(data: bytes) -> Decoded:
    """Bytes declared UTF-8 that are not: decoding them as UTF-8 would put U+FFFD where every
    accented letter was. Use the page's own <meta> charset if it names another one, else
    Windows-1252 when the bytes are valid in it (servers that default to "utf-8" in front of
    Latin-1 pages are the common case), else statistical detection."""
    declared = html_body_declared_encoding(data)
    candidates = [declared] if declared and resolve_encoding(declared) != "utf-8" else []
    candidates += [MISLABEL_FALLBACK, _detect(data) or MISLABEL_FALLBACK]
    for encoding in candidates:
        try:
            text = data.decode(encoding)
        except (UnicodeDecodeError, LookupError):
            continue
        logger.info("declared utf-8 but the bytes are not: read as %s", encoding)
        return Decoded(text, _name(encoding))
    return Decoded(data.decode("utf-8", errors="replace"), "utf-8")
