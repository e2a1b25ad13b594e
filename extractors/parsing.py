"""Guards and parsing: refuse input that is not an HTML page before any costly work."""

from __future__ import annotations

import re

import lxml.html
from lxml import etree

from extractors.errors import ExtractionError

DEFAULT_MAX_BYTES = 10 * 1024 * 1024
_TAG = re.compile(rb"<\s*[a-zA-Z!/?]")


def check_bytes(data: bytes, max_bytes: int) -> None:
    """Refuse empty, oversized, binary or tag-less input with a reason a person can act on."""
    if not data.strip():
        raise ExtractionError("empty input")
    if len(data) > max_bytes:
        raise ExtractionError(f"input is {len(data)} bytes, over the {max_bytes}-byte limit")
    head = data[:4096]
    if head.count(b"\x00") > len(head) // 100 and not head.startswith((b"\xff\xfe", b"\xfe\xff")):
        raise ExtractionError("binary input (NUL bytes): not an HTML page")
    if not _TAG.search(data[:65536]):
        raise ExtractionError("no HTML markup found: not an HTML page")


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
