"""What a browser could execute in a piece of served HTML, found by parsing it with html5lib
exactly as a browser parses it (so mis-nested, entity-encoded and foreign-content tricks
count as the browser would see them, not as a regular expression would)."""

from __future__ import annotations

import html
import re
from collections.abc import Callable, Iterator
from typing import Any

import html5lib

Element = Any  # an xml.etree element built by html5lib (its tags may be namespaced)
Allowed = Callable[[Element, Element | None], bool]

# Elements that run code, load documents or styles, submit, or change how URLs resolve.
BANNED_ELEMENTS = frozenset({
    "script", "style", "iframe", "object", "embed", "applet", "form", "frame", "frameset",
    "base", "link", "svg", "math",
})  # fmt: skip
# Attributes a browser follows as a URL (SVG's xlink:href parses to `href`).
URL_ATTRIBUTES = frozenset({
    "href", "src", "action", "formaction", "data", "background", "poster", "lowsrc",
    "dynsrc", "codebase", "cite", "srcset", "values", "to", "from", "by", "ping",
})  # fmt: skip
# data: is refused too: the sanitiser never lets it through, so any data: URL is a leak.
BAD_SCHEMES = ("javascript:", "vbscript:", "livescript:", "data:")
# Browsers drop tab, CR and LF anywhere in a URL and C0 controls and spaces around it.
_IGNORED_IN_URL = re.compile(r"[\x00-\x20\x7f]+")


def nothing_allowed(_element: Element, _parent: Element | None) -> bool:
    return False


def parse_fragment(markup: str) -> Element:
    """A fragment as a browser parses it inside a <div> (the API's `html`, feed content),
    with scripting on, as in the browsers that would run an injected script."""
    return html5lib.parseFragment(
        markup, treebuilder="etree", namespaceHTMLElements=False, scripting=True
    )


def parse_document(markup: str) -> Element:
    return html5lib.parse(markup, treebuilder="etree", namespaceHTMLElements=False, scripting=True)


def local_name(name: object) -> str:
    """A tag or attribute name without namespace or prefix, lower-cased ("" for comments)."""
    if not isinstance(name, str):
        return ""
    return name.rsplit("}", 1)[-1].rsplit(":", 1)[-1].lower()


def executable_url(value: str) -> bool:
    """Would a browser run this URL (or load it as a document of the attacker's making)?"""
    plain = _IGNORED_IN_URL.sub("", html.unescape(value)).lower()
    return plain.startswith(BAD_SCHEMES)


def findings(root: Element, allowed: Allowed = nothing_allowed) -> list[str]:
    """Every executable thing under `root`, one line each; `allowed(element, parent)` exempts
    known elements (a page template's own stylesheet, say) from the element check."""
    found: list[str] = []
    for element, parent in _walk(root, None):
        tag = local_name(element.tag)
        if not tag:
            continue
        if tag in BANNED_ELEMENTS and not allowed(element, parent):
            found.append(f"<{tag}> element")
        if tag == "meta" and any(local_name(k) == "http-equiv" for k in element.attrib):
            found.append("<meta http-equiv> (refresh)")
        for key, value in element.attrib.items():
            found.extend(_attribute_findings(tag, local_name(key), str(value)))
    return found


def _attribute_findings(tag: str, name: str, value: str) -> Iterator[str]:
    if name.startswith("on"):
        yield f"{name} handler on <{tag}>"
    if name in {"style", "srcdoc"}:
        yield f"{name} attribute on <{tag}>"
    if name in URL_ATTRIBUTES and executable_url(value):
        yield f"{name}={value!r} on <{tag}>"


def _walk(element: Element, parent: Element | None) -> Iterator[tuple[Element, Element | None]]:
    yield element, parent
    for child in element:
        yield from _walk(child, element)


def fragment_findings(markup: str) -> list[str]:
    return findings(parse_fragment(markup))


def document_findings(markup: str, allowed: Allowed = nothing_allowed) -> list[str]:
    return findings(parse_document(markup), allowed)
