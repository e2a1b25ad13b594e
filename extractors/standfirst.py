"""The visible standfirst (lead, dek, subtitle) that the page itself marks as the article's lead.

trafilatura in precision mode often drops it (a lone short paragraph, or one with a summary
class). It is taken back only when the page says it is the lead: a lead class or itemprop on
an element just after the headline, or one of the first few texts after the headline equal to
the page's description (a visible headline or a dateline may come between them when the <h1>
is the breadcrumb's last item). Not taken: a dek inside the headline's own header block (page
furniture: the AEB gold leaves it out on WSJ, Vox, Wired, NYT, ZDNet, Slate... and taking it
cost 0.3 points of AEB precision), and a description that is not shown on the page (readers
never saw it).
"""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterator

import lxml.html

from extractors.blocks import Block, clean_text, count_words

# Class tokens editors' templates use for the lead, in English and Spanish newsrooms.
_LEAD_TOKENS = frozenset(
    {
        "standfirst", "lead", "lede", "dek", "deck", "subtitle", "subtitulo", "subheadline",
        "subhead", "summary", "preface", "excerpt", "intro", "sapo", "bajada", "entradilla",
        "sumario", "abstract",
    }
)  # fmt: skip
_SUBTOKEN = re.compile(r"[^a-z]+")
_CAMEL = re.compile(r"(?<=[a-z])(?=[A-Z])")
_LEAD_ITEMPROPS = frozenset({"description", "alternativeheadline", "abstract"})
# The lead is among the first few text elements after the headline, never further down.
_MAX_ELEMENTS_AFTER_HEADLINE = 4
_MIN_WORDS, _MAX_WORDS = 6, 90
# Walked lazily in Python: the XPath `following::` axis would visit the whole rest of the page
# though the lead is settled within the first few of these.
_FOLLOWING_TAGS = frozenset({"p", "h2", "h3", "div", "span"})
_MAX_FOLLOWING = 60
# Chrome a lead is never inside, and the header block the headline sits in.
_NOT_INSIDE = frozenset(
    {"a", "nav", "aside", "footer", "figure", "figcaption", "li", "form", "button", "header"}
)
# Class words of header blocks, and of teaser boxes that reuse a summary class.
_HEADER_TOKENS = frozenset(
    {"header", "hero", "head", "headline", "hed", "heading", "masthead", "info", "meta"}
    | {"related", "promo", "teaser", "card", "sidebar", "widget", "recommended"}
)
# A lead mostly present in the body already (share of its word 4-grams) is not added again.
_ALREADY_IN_BODY = 0.5
# In order of preference; one walk of the page collects the <meta> of all three.
_DESCRIPTION_KEYS = (
    ("property", "og:description"),
    ("name", "description"),
    ("name", "twitter:description"),
)
# The headline's words are (nearly) all in <title>, which adds the site's name.
_TITLE_SHARE = 0.8
_WORD = re.compile(r"\w+")


def find_standfirst(tree: lxml.html.HtmlElement, description: str | None) -> str | None:
    """The lead's text if the page marks one just after its headline (read before
    trafilatura edits the tree)."""
    headline = _headline(tree)
    if headline is None:
        return None
    position = 0
    for element in _text_elements_after(headline):
        text = clean_text(element.text_content())
        words = count_words(text)
        if words < _MIN_WORDS:
            continue  # a byline, a date, a section label
        if words <= _MAX_WORDS and (_marked_as_lead(element) or _same_text(text, description)):
            return text
        position += 1
        if position >= _MAX_ELEMENTS_AFTER_HEADLINE:
            return None
    return None


def page_description(tree: lxml.html.HtmlElement) -> str | None:
    """The description the page declares (og:, plain or twitter:), for comparison only."""
    # Every <meta> of the document with a content, as `//meta/@content` finds them.
    metas = [m for m in tree.getroottree().iter("meta") if m.get("content") is not None]
    for attribute, value in _DESCRIPTION_KEYS:
        # The first such <meta> only: a blank one is not passed over for a later one.
        content = next((str(m.get("content")) for m in metas if m.get(attribute) == value), None)
        if content is not None and content.strip():
            return content
    return None


def with_standfirst(blocks: list[Block], standfirst: str | None) -> list[Block]:
    """The body with the lead first, unless the body already holds it."""
    if not standfirst or _share_in(standfirst, blocks) >= _ALREADY_IN_BODY:
        return blocks
    return [Block("p", standfirst), *blocks]


def _headline(tree: lxml.html.HtmlElement) -> lxml.html.HtmlElement | None:
    """The article's h1: the one whose words are in the page title, else the first with text."""
    title_words = set(_words(tree.findtext(".//title") or ""))
    candidates = [h for h in tree.iter("h1") if _words(h.text_content())]
    for h1 in candidates:
        words = _words(h1.text_content())
        if title_words and sum(w in title_words for w in words) >= _TITLE_SHARE * len(words):
            return h1
    return candidates[0] if candidates else None


def _text_elements_after(headline: lxml.html.HtmlElement) -> Iterator[lxml.html.HtmlElement]:
    """Elements after the headline in document order that hold visible text of their own."""
    chrome: dict[lxml.html.HtmlElement, bool] = {}  # neighbours share ancestors: judge each once
    for element in itertools.islice(_following(headline), _MAX_FOLLOWING):
        if element.tag in {"div", "span"} and not (element.text or "").strip():
            continue  # a wrapper; its children come next
        if _hidden(element) or any(_judged(a, chrome) for a in element.iterancestors()):
            continue
        yield element


def _judged(ancestor: lxml.html.HtmlElement, chrome: dict[lxml.html.HtmlElement, bool]) -> bool:
    if (known := chrome.get(ancestor)) is None:
        known = chrome[ancestor] = _chrome(ancestor)
    return known


def _following(node: lxml.html.HtmlElement) -> Iterator[lxml.html.HtmlElement]:
    """The XPath `following::*` elements of `_FOLLOWING_TAGS` (after `node` in document order,
    its own descendants excluded), generated lazily."""
    while node is not None:
        for sibling in node.itersiblings():
            yield from sibling.iter(*_FOLLOWING_TAGS)
        node = node.getparent()


def _chrome(ancestor: lxml.html.HtmlElement) -> bool:
    """Chrome or the headline's own header block: a dek set there apart from the text is
    the page's furniture (the AEB gold leaves it out); one inside the body container is text."""
    if ancestor.tag in _NOT_INSIDE:
        return True
    return bool(_class_words(ancestor) & _HEADER_TOKENS)


def _marked_as_lead(element: lxml.html.HtmlElement) -> bool:
    if (element.get("itemprop") or "").casefold() in _LEAD_ITEMPROPS:
        return True
    return bool(_class_words(element) & _LEAD_TOKENS)


def _class_words(element: lxml.html.HtmlElement) -> set[str]:
    """'article__lead c-entry-summary relatedContent' -> {article, lead, c, entry, summary,
    related, content}: templates join words with dashes, underscores or capitals."""
    spaced = _CAMEL.sub(" ", element.get("class") or "").casefold()
    return {word for word in _SUBTOKEN.split(spaced) if word}


def _hidden(element: lxml.html.HtmlElement) -> bool:
    style = (element.get("style") or "").replace(" ", "").casefold()
    return element.get("hidden") is not None or "display:none" in style


def _same_text(text: str, description: str | None) -> bool:
    """Equal words, allowing a description cut short with an ellipsis."""
    if not description:
        return False
    shown, declared = _words(text), _words(description.rstrip(" .…"))
    if len(declared) < _MIN_WORDS:
        return False
    return shown == declared or shown[: len(declared) - 1] == declared[:-1]


def _share_in(text: str, blocks: list[Block]) -> float:
    lead = _shingles(_words(text))
    if not lead:
        return 1.0
    body: set[tuple[str, ...]] = set()
    for block in blocks:
        body |= _shingles(_words(block.text))
    return len(lead & body) / len(lead)


def _words(text: str) -> list[str]:
    return _WORD.findall(text.casefold())


def _shingles(words: list[str]) -> set[tuple[str, ...]]:
    if len(words) < 4:
        return {tuple(words)} if words else set()
    return {tuple(words[i : i + 4]) for i in range(len(words) - 3)}
