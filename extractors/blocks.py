"""The article body as a flat list of blocks (paragraphs, headings, list items, quotes, rows).

trafilatura hands back its own XML (p, head, list/item, quote, table/row/cell, lb); cleaning
works on blocks so each rule sees one paragraph, and the text and HTML outputs are both
rendered from what survives.
"""

from __future__ import annotations

import copy
import html
import re
from dataclasses import dataclass, field

from lxml import etree

_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u200b]+")
_BLANK_LINES = re.compile(r"\s*\n\s*")
# Scripts written without spaces count one word per character (Han, kana, Hangul, Thai).
_NO_SPACE_SCRIPTS = "\u0e00-\u0e7f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af"
_WORDS = re.compile(rf"[{_NO_SPACE_SCRIPTS}]|[^\s{_NO_SPACE_SCRIPTS}]*\w[^\s{_NO_SPACE_SCRIPTS}]*")
HEADING_LEVELS = {"h1": 2, "h2": 2, "h3": 3, "h4": 4, "h5": 5, "h6": 6}


@dataclass(slots=True)
class Block:
    """One paragraph-level unit of the body."""

    kind: str  # "p", "h", "li", "quote", "row", "pre"
    text: str
    level: int = 0  # heading level; list nesting group for "li"
    group: int = 0  # consecutive items of one list / cells of one table share a group
    words: int = field(init=False)  # every rule asks; count once

    def __post_init__(self) -> None:
        self.words = count_words(self.text)


def _inline_text(element: etree._Element) -> str:
    """Text of an element in document order, <lb/> as a newline."""
    parts: list[str] = []
    _walk(element, parts)
    return "".join(parts)


def _walk(element: etree._Element, parts: list[str]) -> None:
    if element.tag == "lb":
        parts.append("\n")
    elif element.text:
        parts.append(element.text)
    for child in element:
        _walk(child, parts)
        if child.tail:
            parts.append(child.tail)


def count_words(text: str) -> int:
    """Words as readers count them, also in languages written without spaces."""
    return len(_WORDS.findall(text))


def clean_text(text: str) -> str:
    """Collapse runs of spaces; keep single newlines from <br>."""
    lines = [_SPACES.sub(" ", line).strip() for line in _BLANK_LINES.split(text)]
    return "\n".join(line for line in lines if line)


def _block(kind: str, element: etree._Element, *, level: int = 0, group: int = 0) -> Block | None:
    text = clean_text(_inline_text(element))
    return Block(kind, text, level, group) if text else None


def blocks_from_tree(body: etree._Element) -> list[Block]:
    """Flatten trafilatura's body XML into blocks, in document order."""
    blocks: list[Block] = []
    for group, child in enumerate(body, start=1):
        tag = child.tag
        if tag == "head":
            level = HEADING_LEVELS.get(child.get("rend", "h2"), 2)
            blocks += _some(_block("h", child, level=level))
        elif tag == "list":
            blocks += [b for item in child.iter("item") if (b := _item_block(item, group))]
        elif tag == "quote":
            inner = [c for c in child if c.tag == "p"]
            targets = inner or [child]
            blocks += [b for t in targets if (b := _block("quote", t, group=group))]
        elif tag == "table":
            blocks += [b for row in child.iter("row") if (b := _row_block(row, group))]
        elif tag == "code":
            blocks += _some(_block("pre", child))
        elif tag in {"p", "div"}:
            blocks += _some(_block("p", child))
    return blocks


def _some(block: Block | None) -> list[Block]:
    return [block] if block else []


def _item_block(item: etree._Element, group: int) -> Block | None:
    # Nested lists are flattened: an item's own text excludes its sub-list's items.
    shallow = etree.Element("item")
    shallow.text = item.text
    for child in item:
        if child.tag != "list":
            shallow.append(_copy(child))
    return _block("li", shallow, group=group)


def _copy(element: etree._Element) -> etree._Element:
    return copy.deepcopy(element)  # keeps the tail: the text after an inline element


def _row_block(row: etree._Element, group: int) -> Block | None:
    cells = [clean_text(_inline_text(cell)) for cell in row.iterfind("cell")]
    text = " | ".join(cell for cell in cells if cell)
    return Block("row", text, group=group) if text else None


def render_text(blocks: list[Block]) -> str:
    """Paragraphs separated by one blank line (contract: headings and list items are paragraphs)."""
    return "\n\n".join(block.text for block in blocks)


def render_html(blocks: list[Block]) -> str:
    """Structural HTML (p, h2-h6, ul/li, blockquote, table, pre); sanitised afterwards."""
    out: list[str] = []
    open_group: tuple[str, int] | None = None
    for block in blocks:
        wrapper = {"li": "ul", "row": "table", "quote": "blockquote"}.get(block.kind)
        key = (wrapper, block.group) if wrapper else None
        if open_group and open_group != key:
            out.append(f"</{open_group[0]}>")
            open_group = None
        if key and open_group is None:
            out.append(f"<{wrapper}>")
            open_group = key
        out.append(_render_block(block))
    if open_group:
        out.append(f"</{open_group[0]}>")
    return "".join(out)


def _render_block(block: Block) -> str:
    body = html.escape(block.text).replace("\n", "<br>")
    if block.kind == "h":
        return f"<h{block.level}>{body}</h{block.level}>"
    if block.kind == "li":
        return f"<li>{body}</li>"
    if block.kind == "row":
        cells = "".join(f"<td>{html.escape(c)}</td>" for c in block.text.split(" | "))
        return f"<tr>{cells}</tr>"
    if block.kind == "pre":
        return f"<pre>{body}</pre>"
    return f"<p>{body}</p>"
