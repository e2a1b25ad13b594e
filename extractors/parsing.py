"""Guards and parsing: refuse input that is not an HTML page before any costly work."""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from extractors.errors import ExtractionError

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
_TAG = re.compile(r"<\s*[a-zA-Z!/?]")
# gzip, zip, PNG, JPEG, GIF, PDF, WebP/RIFF: common non-pages that reach a crawler.
_MAGIC = (b"\x1f\x8b", b"PK\x03\x04", b"\x89PNG", b"\xff\xd8\xff", b"GIF8", b"%PDF", b"RIFF")
_UTF16_BOMS = (b"\xff\xfe", b"\xfe\xff")
_TEXT_CONTROLS = frozenset(b"\t\n\r\f\x1b")
_MAX_CONTROL_SHARE = 0.05
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")


def _control_share(head: bytes) -> float:
    """Share of bytes that never occur in text (NUL and other C0 controls)."""
    controls = sum(1 for byte in head if byte < 0x20 and byte not in _TEXT_CONTROLS)
    return controls / len(head)


def check_bytes(data: bytes, max_bytes: int) -> None:
    """Refuse empty, oversized or binary input with a reason a person can act on."""
    if not data.strip():
        raise ExtractionError("empty input")
    if len(data) > max_bytes:
        raise ExtractionError(f"input is {len(data)} bytes, over the {max_bytes}-byte limit")
    if data.startswith(_MAGIC):
        raise ExtractionError("binary input (a compressed or media file): not an HTML page")
    head = data[:4096]
    if not head.startswith(_UTF16_BOMS) and _control_share(head) > _MAX_CONTROL_SHARE:
        raise ExtractionError("binary input (control bytes): not an HTML page")


def prepare_text(text: str) -> str:
    """Decoded text ready to parse: no control characters (they break lxml's XML trees in
    trafilatura); refused when it has no tag at all (checked after decoding, so UTF-16 passes)."""
    if not _TAG.search(text[:65536]):
        raise ExtractionError("no HTML markup found: not an HTML page")
    return _CONTROL_CHARS.sub("", text)


def parse_html(text: str) -> lxml.html.HtmlElement:
    """Parse, recovering from broken markup.

    libxml2 (without `huge_tree`) stops nesting at depth 256, so hostile, deeply nested
    input cannot drive the recursive walks in the extraction libraries too deep.
    """
    try:
        parser = lxml.html.HTMLParser(
            encoding="utf-8", remove_comments=True, remove_pis=True, collect_ids=False
        )
        tree = lxml.html.document_fromstring(text.encode("utf-8", "replace"), parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise ExtractionError(f"unparseable HTML: {exc}") from exc
    if tree is None or len(tree) == 0:
        raise ExtractionError("unparseable HTML: empty document")
    return tree
