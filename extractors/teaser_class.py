"""An article body whose template calls it a teaser keeps its text.

trafilatura (precision and default modes) deletes the containers whose class or id contains
"teaser" or "Teaser" before it looks for the body. Some templates reuse their teaser class
for the article itself (`<div id="blog_detail" class="blog_teaser_text">`): the body then
vanished, and precision mode's last resort (jusText over the whole page) returned every
teaser on the page instead.
An element so named that holds most of the page's paragraph text is the article, not a
teaser: the word is taken out of its class and id before trafilatura reads the tree. Real
teasers (a headline and an excerpt each) never hold half of an article page's paragraphs.
"""

from __future__ import annotations

import re
from typing import cast

import lxml.html
from lxml import etree

from extractors.blocks import count_words

# The elements trafilatura's teaser rule removes, under their HTML names (it renames lists,
# items, definition lists and <details> first). The attributes are searched, not the
# elements: a third of the time of testing every element.
_TEASER_TAGS = frozenset(
    {"div", "section", "span", "p", "ul", "ol", "li", "dl", "dt", "dd", "details"}
)
_TEASER_ATTRIBUTES = etree.XPath("//@class[contains(., 'easer')] | //@id[contains(., 'easer')]")
_TEASER_WORD = re.compile("teaser", re.IGNORECASE)
_MIN_WORDS = 100  # an article's worth of paragraphs, not a long excerpt
_MIN_SHARE = 0.5  # of all the words in the page's <p> elements


def may_name_teasers(page_text: str) -> bool:
    """False when no class or id of the page can say "teaser" (nine pages in ten): a substring
    test on the page's text, far cheaper than searching the tree's attributes."""
    return "easer" in page_text


def keep_article_named_teaser(tree: lxml.html.HtmlElement) -> None:
    """Take "teaser" out of the class and id of an element holding most of the page's
    paragraph text, in place."""
    named = _named_teaser(tree)
    if not named:
        return  # most pages: one XPath, nothing else
    page_words: int | None = None
    for element in named:
        words = _paragraph_words(element)
        if words < _MIN_WORDS:
            continue
        if page_words is None:
            page_words = _paragraph_words(tree)
        if words >= _MIN_SHARE * page_words:
            for attribute in ("class", "id"):
                value = element.get(attribute)
                if value is not None:
                    element.set(attribute, _TEASER_WORD.sub("", value))


def _named_teaser(tree: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """Elements of the teaser rule's tags whose class or id holds "teaser" or "Teaser", as
    trafilatura's own test reads them (only "T" is lowered)."""
    found: dict[lxml.html.HtmlElement, None] = {}  # an element named twice, once
    attributes = cast("list[etree._ElementUnicodeResult]", _TEASER_ATTRIBUTES(tree))
    for attribute in attributes:
        element = attribute.getparent()
        if element is None or element.tag not in _TEASER_TAGS:
            continue
        if "teaser" in str(attribute).replace("T", "t"):
            found[element] = None
    return list(found)


def _paragraph_words(element: lxml.html.HtmlElement) -> int:
    return sum(count_words(p.text_content()) for p in element.iter("p"))
