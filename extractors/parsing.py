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
_NON_TEXT_BYTES = bytes(b for b in range(0x20) if b not in _TEXT_CONTROLS)
_MAX_CONTROL_SHARE = 0.05
_CONTROL_CHARS = re.compile(r"[\x00-\x08\x0b\x0c\x0e-\x1f\x7f\ufffe\uffff\ud800-\udfff]")
_CONTROL_BYTES = bytes([*range(0x00, 0x09), 0x0B, 0x0C, *range(0x0E, 0x20), 0x7F])  # its ASCII part
# Every element an HtmlElement, chosen in C: lxml.html's own lookup calls into Python for
# each element touched (hundreds of thousands a page in trafilatura's walks) only to give
# <form>, <input>, <select>, <textarea> and <label> their form helpers, which nothing here uses.
_LOOKUP = etree.ElementDefaultClassLookup(
    element=lxml.html.HtmlElement,
    comment=lxml.html.HtmlComment,
    pi=lxml.html.HtmlProcessingInstruction,
    entity=lxml.html.HtmlEntity,
)


def _control_share(head: bytes) -> float:
    """Share of bytes that never occur in text (NUL and other C0 controls)."""
    controls = len(head) - len(head.translate(None, _NON_TEXT_BYTES))  # C speed, no byte loop
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
    if not _TAG.search(text, 0, 65536):  # as if cut there, without copying the slice
        raise ExtractionError("no HTML markup found: not an HTML page")
    return _without_controls(text)


def _without_controls(text: str) -> str:
    """`_CONTROL_CHARS` removed, done on UTF-8 bytes (several times faster than the regex on
    whole pages): in UTF-8 a byte below 0x80 is always that ASCII character, and EF BF BE /
    EF BF BF are always U+FFFE / U+FFFF. Text with lone surrogates does not encode: regex."""
    try:
        data = text.encode("utf-8")
    except UnicodeEncodeError:
        return _CONTROL_CHARS.sub("", text)
    kept = data.translate(None, _CONTROL_BYTES)
    if "\ufffe" in text or "\uffff" in text:  # a character search is far cheaper than bytes'
        kept = kept.replace(b"\xef\xbf\xbe", b"").replace(b"\xef\xbf\xbf", b"")
    return text if len(kept) == len(data) else kept.decode("utf-8")


def parse_html(text: str) -> lxml.html.HtmlElement:
    """Parse, recovering from broken markup.

    libxml2 (without `huge_tree`) stops nesting at depth 256, so hostile, deeply nested
    input cannot drive the recursive walks in the extraction libraries too deep.
    """
    try:
        parser = lxml.html.HTMLParser(
            encoding="utf-8", remove_comments=True, remove_pis=True, collect_ids=False
        )
        parser.set_element_class_lookup(_LOOKUP)
        tree = lxml.html.document_fromstring(text.encode("utf-8", "replace"), parser=parser)
    except (etree.ParserError, ValueError) as exc:
        raise ExtractionError(f"unparseable HTML: {exc}") from exc
    if tree is None or len(tree) == 0:
        raise ExtractionError("unparseable HTML: empty document")
    return tree
