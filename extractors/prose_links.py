"""Inline links of a paragraph in a short box unwrapped to plain text before trafilatura reads it.

trafilatura's precision mode drops a `<div>` under 200 characters that holds any link
(`delete_by_link_density` with backtracking), so a short paragraph set in a box of its own
("The tariff table is on <a>the authority's website</a>.") vanished with its words. Links
are not kept in our text anyway (`include_links` is off). In a `<div>` holding under 200
characters of text in all, links become their text first when they are prose:

- in a sentence-length paragraph whose links are at most half its text, or
- in any paragraph of a short box that is one of the body's own blocks: a box of two or more
  paragraphs, links at most a quarter of its text, whose class is that of a long block on the
  page (page builders set the article as a run of same-class text widgets; the short one
  holding "Earrings: <a>Stella Hoops</a>" was lost with its lines).

Link-only lines, link lists and other boxes are judged by trafilatura as before. (Unwrapping
the links of every prose paragraph, not only boxed short ones, cost AEB recall: it changes
which region trafilatura's comparison with readability picks. Without the same-class test,
short boxes of credits, teasers and donation appeals came back on 4 of 568 pages for the 1
body box it restored.)
"""

from __future__ import annotations

from collections.abc import Iterable

import lxml.html

from extractors.blocks import count_words

_MIN_WORDS = 8
_MAX_LINK_SHARE = 0.5
_SHORT_BOX_CHARS = 200  # trafilatura's precision-mode limit for a div with links
# A box that is one of the body's blocks: its class is a long block's, few of its words link.
_MIN_BOX_PARAGRAPHS = 2
_MAX_BOX_LINK_SHARE = 0.25
_LONG_BLOCK_CHARS = 400  # of paragraph text


def unwrap_prose_links(tree: lxml.html.HtmlElement) -> None:
    """Replace, in place, the links of prose paragraphs in a short `<div>` by their text."""
    short: dict[lxml.html.HtmlElement, bool] = {}  # per box: one text walk, however many links
    body_box: dict[lxml.html.HtmlElement, bool] = {}
    long_class: dict[str, bool] = {}  # per class: is there a long div of that class
    for paragraph in tree.iter("p"):
        links = list(paragraph.iter("a"))
        if not links or not _in_short_box(paragraph, short):
            continue
        box = paragraph.getparent()
        if box not in body_box:
            body_box[box] = _is_body_box(box, tree, long_class)
        text = paragraph.text_content().strip()
        if not body_box[box]:
            if count_words(text) < _MIN_WORDS:
                continue
            if _link_chars(links) > _MAX_LINK_SHARE * len(text):
                continue
        for link in links:
            link.drop_tag()  # its text and children stay in place


def _in_short_box(
    paragraph: lxml.html.HtmlElement, short: dict[lxml.html.HtmlElement, bool]
) -> bool:
    parent = paragraph.getparent()
    if parent is None or parent.tag != "div":
        return False
    if parent not in short:
        short[parent] = len(parent.text_content().strip()) < _SHORT_BOX_CHARS
    return short[parent]


def _is_body_box(
    box: lxml.html.HtmlElement, tree: lxml.html.HtmlElement, long_class: dict[str, bool]
) -> bool:
    """A short box set like the body's long blocks, mostly plain text in several paragraphs."""
    name = box.get("class")
    if not name:
        return False
    paragraphs = [p for p in box.iterchildren("p") if p.text_content().strip()]
    if len(paragraphs) < _MIN_BOX_PARAGRAPHS:
        return False
    if _link_chars(box.iter("a")) > _MAX_BOX_LINK_SHARE * len(box.text_content().strip()):
        return False
    if name not in long_class:
        long_class[name] = any(
            div.get("class") == name and _paragraph_chars(div) >= _LONG_BLOCK_CHARS
            for div in tree.iter("div")
        )
    return long_class[name]


def _link_chars(links: Iterable[lxml.html.HtmlElement]) -> int:
    return sum(len(link.text_content().strip()) for link in links)


def _paragraph_chars(div: lxml.html.HtmlElement) -> int:
    """Characters of text in the div's paragraphs: a script or blank markup makes no block long."""
    return sum(len(p.text_content().strip()) for p in div.iter("p"))
