"""Page furniture removed from the tree before trafilatura reads it: photo captions and
headed boxes of links ("NOTAS RELACIONADAS" over a list of headlines).

Both are recognised by structure, in any language. trafilatura drops a link list but keeps
the capitals label over it, and keeps caption text on some templates; once the paragraphs
are flattened into blocks the structure that gives them away is gone, so this runs first.
"""

from __future__ import annotations

import lxml.html

from extractors.blocks import clean_text, count_words

# A figure with media and at most this much text is a picture and its caption; longer
# figures are content set in a figure element (a pull quote, an embedded post).
_MAX_FIGURE_WORDS = 60
_MEDIA = "self::img or self::picture or self::video or self::iframe or self::svg or self::amp-img"
# A box label is a few words in capitals.
_MAX_LABEL_WORDS = 6
_MAX_LABEL_CHARS = 120  # with the spaces and indentation of the markup around the words
_LABEL_TAGS = frozenset({"h2", "h3", "h4", "h5", "h6", "p", "div", "span", "strong", "b"})
# A list is a box of links when link text is nearly all of each item's text.
_LINK_SHARE = 0.8
_MIN_LINKS = 2


def drop_furniture(tree: lxml.html.HtmlElement) -> None:
    """Remove captions and capitals-labelled link boxes in place."""
    for caption in tree.xpath(f"//figcaption | //figure[.//*[{_MEDIA}]]"):
        if caption.getparent() is None:
            continue  # inside a figure already removed
        if caption.tag == "figcaption" or count_words(caption.text_content()) <= _MAX_FIGURE_WORDS:
            _drop(caption)
    for label in [e for e in tree.iter(*_LABEL_TAGS) if _is_capitals_label(e)]:
        links = _following_links(label)
        if links:
            for element in (label, *links):
                _drop(element)


def _drop(element: lxml.html.HtmlElement) -> None:
    if element.getparent() is not None:
        element.drop_tree()  # keeps the tail: text after the element is not the element's


def _is_capitals_label(element: lxml.html.HtmlElement) -> bool:
    if element.getparent() is None or len(element) > 1:
        return False
    # Without children the text is the element's own: no XPath string() call (most elements).
    raw = element.text_content() if len(element) else element.text or ""
    if len(raw) > _MAX_LABEL_CHARS or raw.upper() != raw or not raw.strip():
        return False  # most elements: settled without looking at each letter
    text = clean_text(raw)
    letters = "".join(c for c in text if c.isalpha())
    return (
        0 < count_words(text) <= _MAX_LABEL_WORDS
        and len(letters) >= 4
        and all(c.isupper() for c in letters)  # scripts without capitals never match
    )


def _following_links(label: lxml.html.HtmlElement) -> list[lxml.html.HtmlElement]:
    """The link-only siblings right after the label (or after its wrapper, for a bold label
    inside a paragraph), when there are at least two links."""
    anchor = label
    parent = label.getparent()
    if label.tag in {"strong", "b", "span"} and parent is not None:
        if clean_text(parent.text_content()) != clean_text(label.text_content()):
            return []
        anchor = parent
    found: list[lxml.html.HtmlElement] = []
    links = 0
    for sibling in anchor.itersiblings():
        if not isinstance(sibling.tag, str):
            continue
        count = _link_count(sibling)
        if not count:
            break
        found.append(sibling)
        links += count
    return found if links >= _MIN_LINKS else []


def _link_count(element: lxml.html.HtmlElement) -> int:
    """Links in an element that is nothing but links (a list of headlines, a linked line)."""
    if element.tag in {"ul", "ol"}:
        items = element.findall("li")
        ok = items and all(_link_count(item) for item in items)
        return len(items) if ok else 0
    text = count_words(element.text_content())
    anchors = element.xpath(".//a[@href]")
    linked = sum(count_words(a.text_content()) for a in anchors)
    return len(anchors) if text and linked >= _LINK_SHARE * text else 0
