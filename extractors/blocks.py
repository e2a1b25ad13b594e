"""The article body as a flat list of blocks (paragraphs, headings, list items, quotes, rows).

trafilatura hands back its own XML (p, head, list/item, quote, table/row/cell, lb); cleaning
works on blocks so each rule sees one paragraph, and the text and HTML outputs are both
rendered from what survives.
"""

from __future__ import annotations

import html
import itertools
import re
from collections.abc import Iterator
from dataclasses import dataclass, field

from lxml import etree

_SPACES = re.compile(r"[ \t\r\f\v\u00a0\u200b]+")
_BLANK_LINES = re.compile(r"\s*\n\s*")
# Scripts written without spaces count one word per character (Han, kana, Hangul, Thai).
_NO_SPACE_SCRIPTS = "\u0e00-\u0e7f\u3040-\u30ff\u3400-\u4dbf\u4e00-\u9fff\uac00-\ud7af"
_WORDS = re.compile(rf"[{_NO_SPACE_SCRIPTS}]|[^\s{_NO_SPACE_SCRIPTS}]*\w[^\s{_NO_SPACE_SCRIPTS}]*")
# Elements that hold blocks of their own: a wrapper around them is descended into.
_BLOCK_TAGS = frozenset({"p", "head", "list", "quote", "table", "code", "div"})
# Loose text shorter than this is a layout leftover (an icon's label), not a paragraph.
_LOOSE_MIN_WORDS = 4
_SENTENCE_END = tuple('.!?…:;"”’»)。！？')
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
    if not text:
        return ""  # most tails between blocks: no regex calls
    lines = [_SPACES.sub(" ", line).strip() for line in _BLANK_LINES.split(text)]
    return "\n".join(line for line in lines if line)


def _block(kind: str, element: etree._Element, *, level: int = 0, group: int = 0) -> Block | None:
    text = clean_text(_inline_text(element))
    return Block(kind, text, level, group) if text else None


def blocks_from_tree(body: etree._Element) -> list[Block]:
    """Flatten trafilatura's body XML into blocks, in document order.

    No text is dropped for its markup: bare text between blocks becomes a paragraph, and a
    wrapper holding paragraphs (a div, a layout cell, an element we do not know) is
    descended into rather than skipped or run together into one block.
    """
    return _collect(body, itertools.count(1))


def _collect(parent: etree._Element, groups: Iterator[int]) -> list[Block]:
    blocks = _loose(parent.text)
    joining = False  # the last paragraph stopped mid-sentence and took the text after it
    for child in parent:
        found = _child_blocks(child, groups)
        if joining and child.tag == "p" and found and _continues(found[0].text):
            blocks[-1] = _joined(blocks[-1], found.pop(0).text)
        blocks += found
        tail = clean_text(child.tail or "")
        joining = bool(tail) and child.tag == "p" and _mid_sentence(blocks)
        if joining:
            blocks[-1] = _joined(blocks[-1], tail)  # a link's text trafilatura set outside
        else:
            blocks += _loose(tail)
    return blocks


def _mid_sentence(blocks: list[Block]) -> bool:
    return bool(blocks) and blocks[-1].kind == "p" and not blocks[-1].text.endswith(_SENTENCE_END)


def _continues(text: str) -> bool:
    """A paragraph that goes on with the sentence before it (lower case or punctuation)."""
    return text[:1].islower() or text[:1] in ",;:)"


def _joined(block: Block, text: str) -> Block:
    return Block(block.kind, f"{block.text} {text}", block.level, block.group)


def _child_blocks(child: etree._Element, groups: Iterator[int]) -> list[Block]:
    tag, group = child.tag, next(groups)
    if tag == "head":
        return _some(_block("h", child, level=HEADING_LEVELS.get(child.get("rend", "h2"), 2)))
    if tag in {"list", "table"}:
        make, inner = (_item_block, "item") if tag == "list" else (_row_block, "row")
        return [b for element in child.iter(inner) if (b := make(element, group))]
    if tag == "quote":
        targets = [c for c in child if c.tag == "p"] or [child]
        return [b for t in targets if (b := _block("quote", t, group=group))]
    if tag in {"p", "code"}:
        return _some(_block("pre" if tag == "code" else "p", child))
    if any(c.tag in _BLOCK_TAGS for c in child):
        return _collect(child, groups)  # a wrapper of blocks: its blocks, in order
    # a div of text is a paragraph; an element we do not know is read as loose text
    return _some(_block("p", child)) if tag == "div" else _loose(_inline_text(child))


def _loose(text: str | None) -> list[Block]:
    """Text standing between blocks (after a heading, outside any <p>) is a paragraph;
    a word or two there is a leftover icon label or button ("Flecha"), not article text."""
    block = Block("p", clean_text(text)) if text else None
    return [block] if block and block.words >= _LOOSE_MIN_WORDS else []


def _some(block: Block | None) -> list[Block]:
    return [block] if block else []


def _item_block(item: etree._Element, group: int) -> Block | None:
    # Nested lists are flattened: an item's own text excludes its sub-list's items (read in
    # place, as `_inline_text` reads an item holding only its other children, tails included).
    parts = [item.text] if item.text else []
    for child in item:
        if child.tag != "list":
            _walk(child, parts)
            if child.tail:
                parts.append(child.tail)
    text = clean_text("".join(parts))
    return Block("li", text, group=group) if text else None


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
