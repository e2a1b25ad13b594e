"""Main content: trafilatura over the parsed page, or a source's own body selector when it has one."""

from __future__ import annotations

import copy
from collections.abc import Callable

import lxml.html
from lxml import etree
from trafilatura import bare_extraction

from extractors.blocks import Block, blocks_from_tree
from extractors.furniture import drop_furniture
from extractors.heading_links import drop_textless_heading_links
from extractors.loose_text import wrap_loose_text
from extractors.prose_links import unwrap_prose_links
from extractors.source_rules import SourceRules
from extractors.standfirst import find_standfirst, page_description, with_standfirst
from extractors.teaser_class import keep_article_named_teaser

# Elements that trafilatura and its readability fallback both discard unread. Removed before
# trafilatura runs, each of its XPath passes walks a smaller tree: 8-10% less CPU per page,
# the same text and HTML on all 568 AEB, development and held-out pages. (<noscript>, <svg>,
# <iframe> and <head> do change a few pages' output, so they stay for trafilatura to judge.)
_INERT = ("script", "style", "link", "meta")
# Precision mode, then recall mode when precision keeps too little: precision wins on
# the benchmark pages but occasionally drops a whole body (measured in benchmarks/).
_MIN_WORDS_PRECISION = 60


def main_blocks(
    tree: lxml.html.HtmlElement,
    url: str,
    rules: SourceRules | None,
    reparse: Callable[[], lxml.html.HtmlElement],
    *,
    names_teasers: bool = True,
) -> list[Block]:
    """The body's blocks. trafilatura edits the tree it is given, so `tree` is used up;
    `reparse` gives a fresh copy for the (rare) recall fallback. `names_teasers` is False
    when the page's markup never says "teaser" (most pages): then no element is searched."""
    if rules and (rules.body_selector or rules.strip_selectors):
        selected = _apply_selectors(tree, rules)
        if selected is not None:
            return _run(selected, url, names_teasers, favor_recall=True)
    lead = find_standfirst(tree, page_description(tree))  # before trafilatura edits the tree
    return with_standfirst(_generic_blocks(tree, url, reparse, names_teasers), lead)


def _generic_blocks(
    tree: lxml.html.HtmlElement,
    url: str,
    reparse: Callable[[], lxml.html.HtmlElement],
    names_teasers: bool,
) -> list[Block]:
    blocks = _run(tree, url, names_teasers, favor_precision=True)
    if sum(b.words for b in blocks) < _MIN_WORDS_PRECISION:
        fallback = _run(reparse(), url, names_teasers)
        if sum(b.words for b in fallback) > sum(b.words for b in blocks):
            return fallback
    return blocks


def _run(
    tree: lxml.html.HtmlElement,
    url: str,
    names_teasers: bool,
    *,
    favor_precision: bool = False,
    favor_recall: bool = False,
) -> list[Block]:
    drop_furniture(tree)
    wrap_loose_text(tree)  # before the strip below: a script between two texts parts them
    if names_teasers:
        keep_article_named_teaser(tree)  # after: bare text now counts as paragraphs
    drop_textless_heading_links(tree)
    unwrap_prose_links(tree)
    etree.strip_elements(tree, *_INERT, with_tail=False)
    document = bare_extraction(
        tree,
        url=url,
        include_comments=False,
        include_tables=True,
        include_links=False,
        include_formatting=False,
        favor_precision=favor_precision,
        favor_recall=favor_recall,
        with_metadata=False,
    )
    body = getattr(document, "body", None)
    return blocks_from_tree(body) if body is not None else []


def _apply_selectors(
    tree: lxml.html.HtmlElement, rules: SourceRules
) -> lxml.html.HtmlElement | None:
    """A copy of the page reduced to the source's body selector, minus its strip selectors."""
    page = copy.deepcopy(tree)
    for selector in rules.strip_selectors:
        for element in page.cssselect(selector):
            element.drop_tree()
    if not rules.body_selector:
        return page
    bodies = page.cssselect(rules.body_selector)
    if not bodies:
        return None  # the site changed its markup: fall back to the generic path
    reduced = lxml.html.document_fromstring("<html><body></body></html>")
    body = reduced.find("body")
    assert body is not None  # document_fromstring always builds <body>
    for element in bodies:
        body.append(element)
    return reduced


def selector_text(tree: lxml.html.HtmlElement, selector: str | None) -> str | None:
    """Text of the first element a source selector picks (title/date/author overrides)."""
    if not selector:
        return None
    try:
        found = tree.cssselect(selector)
    except (etree.XPathError, SyntaxError, ValueError):
        return None
    for element in found:
        text = " ".join("".join(element.itertext()).split())
        value = element.get("datetime") or element.get("content") or text
        if value:
            return value
    return None
