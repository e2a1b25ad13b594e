"""Article text written straight into a container, outside any paragraph, put into one.

Some templates write the body (or its first paragraph) as bare text beside block elements:
`<div>First paragraph… <p>Second…</p></div>`, or after a floated picture box
`<div><div><img></div>First paragraph…<br><br>Second…</div>`. trafilatura's precision mode
loses that text: it drops a container's own text and the tail of an element it prunes. Put
into a `<p>` of its own before trafilatura reads the tree, it is a paragraph like the others
and is judged like them.
"""

from __future__ import annotations

import lxml.html

from extractors.blocks import count_words

# Containers whose own text can be body text.
_CONTAINERS = ("div", "article", "section", "main", "td")
# Elements that continue a run of text; anything else ends it. Pictures end it too: text after
# a floated image (`<img align="left">Es war gesagt, …`) is where a paragraph starts.
_INLINE = frozenset(
    {
        "a", "abbr", "acronym", "b", "bdi", "bdo", "big", "br", "button", "cite", "code",
        "data", "del", "dfn", "em", "font", "i", "input", "ins", "kbd", "label", "mark", "nobr",
        "q", "s", "samp", "small", "span", "strike", "strong", "sub", "sup", "time", "tt", "u",
        "var", "wbr",
    }
)  # fmt: skip
# An inline element holding one of these (a card link around a <div>) is a block.
_BLOCK_INSIDE = ("div", "p", "ul", "ol", "table", "section", "article", "h1", "h2", "h3", "h4")
# Less than a sentence is a label, a separator or a byline, not a paragraph.
_MIN_WORDS = 12


def wrap_loose_text(tree: lxml.html.HtmlElement) -> None:
    """Put each sentence-length run of bare text (with its inline markup) into a `<p>`."""
    for container in list(tree.iter(*_CONTAINERS)):
        _wrap_runs(container)


def _is_block(element: lxml.html.HtmlElement) -> bool:
    if not isinstance(element.tag, str):
        return False  # comments and processing instructions
    if element.tag not in _INLINE:
        return True
    return len(element) > 0 and next(element.iter(*_BLOCK_INSIDE), None) is not None


def _wrap_runs(container: lxml.html.HtmlElement) -> None:
    """Each run starts at the container's text or a block child's tail and takes the inline
    elements after it, up to the next block child. A container without block children is a
    paragraph already (text and inline markup only) and stays as it is."""
    runs: list[tuple[lxml.html.HtmlElement | None, list[lxml.html.HtmlElement]]] = []
    opener: lxml.html.HtmlElement | None = None  # None: the run starts at container.text
    members: list[lxml.html.HtmlElement] = []
    for child in container:
        if _is_block(child):
            runs.append((opener, members))
            opener, members = child, []
        else:
            members.append(child)  # inline elements, comments and processing instructions
    if not runs:
        return
    runs.append((opener, members))
    for opener, members in runs:
        _wrap(container, opener, members)


def _wrap(
    container: lxml.html.HtmlElement,
    opener: lxml.html.HtmlElement | None,
    members: list[lxml.html.HtmlElement],
) -> None:
    lead = (container.text if opener is None else opener.tail) or ""
    if count_words(lead) == 0:
        return  # only runs that start with bare text: a lone link or bold line stays as it is
    if count_words(lead + " " + "".join(_text_with_tail(m) for m in members)) < _MIN_WORDS:
        return
    paragraph = lxml.html.Element("p")
    paragraph.text = lead
    if opener is None:
        container.text = None
        container.insert(0, paragraph)
    else:
        opener.tail = None
        opener.addnext(paragraph)
    for member in members:
        paragraph.append(member)  # moves the element with its tail


def _text_with_tail(element: lxml.html.HtmlElement) -> str:
    own = element.text_content() if isinstance(element.tag, str) else ""
    return f"{own} {element.tail or ''}"
