"""Inline links of a paragraph in a short box unwrapped to plain text before trafilatura reads it.

trafilatura's precision mode drops a `<div>` under 200 characters that holds any link
(`delete_by_link_density` with backtracking), so a short paragraph set in a box of its own
("The tariff table is on <a>the authority's website</a>.") vanished with its words. Links
are not kept in our text anyway (`include_links` is off). A sentence-length paragraph whose
links are at most half its text is prose: when its parent `<div>` holds under 200 characters
of text in all, its links become their text first. Link-only lines, link lists and longer
boxes are judged by trafilatura as before. (Unwrapping the links
of every prose paragraph, not only boxed short ones, cost AEB recall: it changes which region
trafilatura's comparison with readability picks.)
"""

from __future__ import annotations

import lxml.html

from extractors.blocks import count_words

_MIN_WORDS = 8
_MAX_LINK_SHARE = 0.5
_SHORT_BOX_CHARS = 200  # trafilatura's precision-mode limit for a div with links


def unwrap_prose_links(tree: lxml.html.HtmlElement) -> None:
    """Replace, in place, the links of prose paragraphs in a short `<div>` by their text."""
    short: dict[lxml.html.HtmlElement, bool] = {}  # per box: one text walk, however many links
    for paragraph in tree.iter("p"):
        links = list(paragraph.iter("a"))
        if not links or not _in_short_box(paragraph, short):
            continue
        text = paragraph.text_content().strip()
        if count_words(text) < _MIN_WORDS:
            continue
        linked = sum(len(link.text_content().strip()) for link in links)
        if linked <= _MAX_LINK_SHARE * len(text):
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
