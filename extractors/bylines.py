"""The visible byline: elements a page marks as its author (rel=author, itemprop, byline classes).

Only texts are collected here; `extractors.authors` turns them into names. Comment threads,
figures and related-story lists are skipped: their authors are not the article's.
"""

from __future__ import annotations

import re
from collections.abc import Iterator

import lxml.html

# Most specific first: a page's rel/itemprop markup beats a class that merely mentions "author".
_BYLINE_CLASS = re.compile(
    r"(^|[\s_-])(byline|author-?name|authorname|article-author|post-author|entry-author|writer|"
    r"journalist)([\s_-]|$)",
    re.IGNORECASE,
)
# A link to the author's page: /author/jane-doe, /profile/jane-doe, /staff/jane-doe.
_AUTHOR_HREF = re.compile(
    r"/(author|authors|autor|autoren|auteur|profile|staff|writers?|journalists?|contributors?|"
    r"reporters?)/[^/?#]+/?$",
    re.IGNORECASE,
)
_AUTHOR_CLASS = re.compile(r"(^|[\s_-])(author|autor|auteur|by)([\s_-]|$)", re.IGNORECASE)
# Words one of which every class and href above contains: an ASCII value holding none of them
# in its lowered text (nearly every element) is settled by this plain search, without the
# slower case-insensitive ones. Other values go to those, which know non-ASCII case pairs.
_CLASS_HINTS = re.compile(r"by|aut|writer|journalist")
_HREF_HINTS = re.compile(r"aut|profile|staff|writer|journalist|contributor|reporter")
_LEVELS = 4
_SKIP_ANCESTORS = re.compile(r"comment|related|recommend|more-from|most-popular|trending", re.I)
_SKIP_TAGS = {"figure", "figcaption", "nav", "blockquote"}
_PAGE_TAGS = {"body", "html"}
_HIDDEN_TAGS = {"time", "script", "style", "noscript", "svg", "button"}
_MAX_CHARS = 120
_MAX_PER_LEVEL = 6
_CONTAINER_LEVELS = 2
_NEAR_HEADLINE = 40  # elements after the <h1> where a bare "By …" line may stand
_BY_LABEL = re.compile(r"^(?:by|von|por|par|door|di|av|af)\s+\S", re.IGNORECASE)
_JOINERS = {"and", "und", "y", "e", "et", "en", "og", "och", "i", "de", "del", "van", "von", "da"}


def visible_bylines(tree: lxml.html.HtmlElement) -> Iterator[list[str]]:
    """Texts of byline markup, most specific kind first (at most a few of each kind)."""
    levels: list[list[lxml.html.HtmlElement]] = [[] for _ in range(_LEVELS)]
    for node in tree.iter():  # one walk, plain Python checks: XPath regex calls back per node
        if isinstance(node.tag, str) and node.attrib and (level := _level(node)) is not None:
            levels[level].append(node)
    for nodes in levels:
        if texts := _texts(nodes):
            yield texts


def _level(node: lxml.html.HtmlElement) -> int | None:
    """How specific the node's byline markup is (0 most), or None when it has none."""
    if node.tag in {"meta", "link", "script", "style"}:
        return None
    itemprop = (node.get("itemprop") or "").split()
    if node.get("rel") == "author" or "author" in itemprop or "creator" in itemprop:
        return 0
    marks = node.get("class") or ""
    hinted = _may_match(marks, _CLASS_HINTS)
    if (hinted and _BYLINE_CLASS.search(marks)) or "byline" in (node.get("id") or "").lower():
        return 1
    href = (node.get("href") or "") if node.tag == "a" else ""
    if _may_match(href, _HREF_HINTS) and _AUTHOR_HREF.search(href):
        return 2
    return 3 if hinted and _AUTHOR_CLASS.search(marks) else None


def _may_match(value: str, hints: re.Pattern[str]) -> bool:
    """False only when `value` is ASCII and holds none of `hints` in any letter case."""
    if not value:
        return False
    return not value.isascii() or hints.search(value.lower()) is not None


def _texts(nodes: list[lxml.html.HtmlElement]) -> list[str]:
    texts: list[str] = []
    taken: list[lxml.html.HtmlElement] = []
    for node in nodes:
        if _in_skipped_part(node) or any(_is_below(node, t) for t in taken):
            continue
        # Bylines of one article sit together; a later one elsewhere is another story's.
        if taken and not _is_below(node, _container(taken[0])):
            continue
        text = _text(node)
        if not text:
            continue  # an avatar's link: the name stands beside it, not below it
        taken.append(node)
        if len(text) <= _MAX_CHARS and text not in texts:
            texts.append(text)
        if len(texts) >= _MAX_PER_LEVEL:
            break
    return texts


def _container(node: lxml.html.HtmlElement) -> lxml.html.HtmlElement:
    """The byline's block: a few levels up, where co-authors' bylines are found."""
    for _ in range(_CONTAINER_LEVELS):
        parent = node.getparent()
        if parent is None:
            break
        node = parent
    return node


def _is_below(node: lxml.html.HtmlElement, ancestor: lxml.html.HtmlElement) -> bool:
    return any(parent is ancestor for parent in node.iterancestors())


def _in_skipped_part(node: lxml.html.HtmlElement) -> bool:
    for parent in node.iterancestors():
        if parent.tag in _PAGE_TAGS:
            break  # the page's own classes are feature flags ("f_comment_nofollow_on")
        if parent.tag in _SKIP_TAGS:
            return True
        marks = f"{parent.get('class', '')} {parent.get('id', '')}"
        if _SKIP_ANCESTORS.search(marks):
            return True
    return False


def _text(node: lxml.html.HtmlElement) -> str:
    """Visible words, without dates (<time>), scripts and pictures' text."""
    parts: list[str] = []
    for sub in node.iter():
        # Each author link (or itemprop="name") is one name, even with nothing between them.
        link = sub is not node and (sub.tag == "a" or sub.get("itemprop") == "name")
        if isinstance(sub.tag, str) and sub.text and not _inside(sub, node):
            parts.append(f" , {sub.text}" if link else sub.text)
        if sub is not node and sub.tail and not _inside(sub.getparent(), node):
            parts.append(f" , {sub.tail}" if link else sub.tail)
    return " ".join(" ".join(parts).split())


def _inside(node: lxml.html.HtmlElement | None, root: lxml.html.HtmlElement) -> bool:
    """Whether `node` sits in a skipped element (a <time>, a script) below `root`."""
    while node is not None and node is not root:
        if node.tag in _HIDDEN_TAGS:
            return True
        node = node.getparent()
    return False


def headline_bylines(tree: lxml.html.HtmlElement) -> list[str]:
    """Lines like "By Yomi Kazeem" just after the first <h1>, in markup no byline class
    names (hashed classes): the innermost element whose whole text starts with the label."""
    body = tree.find("body")
    start = body.find(".//h1") if body is not None else None
    if start is None:
        return []
    found: list[str] = []
    for index, node in enumerate(_after(start)):
        if index >= _NEAR_HEADLINE or len(found) >= _MAX_PER_LEVEL:
            break
        if node.tag in _HIDDEN_TAGS or node.tag in _SKIP_TAGS:
            continue
        text = " ".join(node.text_content().split())
        # The children are read last, only for a candidate line (a few per page at most).
        if (
            len(text) <= _MAX_CHARS
            and _names_line(text)
            and text not in found
            and not any(_names_line(" ".join(c.text_content().split())) for c in node)
        ):
            found.append(text)
    return found


def _names_line(text: str) -> bool:
    """A label, then capitalised names only ("By JOSH HASKELL, DAVID CAPLAN and PATRICK
    REEVELL"): "Por su parte, …" is a sentence."""
    if not _BY_LABEL.match(text):
        return False
    words = [w.strip(",&;") for w in text.split()[1:]]
    return all(not w or w[0].isupper() or w in _JOINERS for w in words)


def _after(node: lxml.html.HtmlElement) -> Iterator[lxml.html.HtmlElement]:
    """Elements after `node` in document order (its own descendants excluded)."""
    for following in node.itersiblings():
        if isinstance(following.tag, str):
            yield from (n for n in following.iter() if isinstance(n.tag, str))
    parent = node.getparent()
    if parent is not None:
        yield from _after(parent)
