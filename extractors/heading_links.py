"""Textless links inside headings removed before trafilatura reads the tree.

Permalink anchors (`<h2>Question? <a href="#question" class="heading-link"></a></h2>`, an icon
or an image in a link) carry no words. trafilatura's precision mode takes a short heading
whose every link is textless for a link box and drops the whole heading with its words, so
section headings and interview questions vanished from blog and documentation pages.
Removed first, the anchor cannot cost the heading its text (the anchor's tail is kept).
"""

from __future__ import annotations

import lxml.html

_HEADINGS = ("h1", "h2", "h3", "h4", "h5", "h6")


def drop_textless_heading_links(tree: lxml.html.HtmlElement) -> None:
    """Remove, in place, every link without text inside a heading."""
    for heading in tree.iter(*_HEADINGS):
        for link in list(heading.iter("a")):
            if not link.text_content().strip():
                link.drop_tree()  # keeps the tail: the words after the anchor stay
