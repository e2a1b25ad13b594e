"""Structured signals a page declares about itself: JSON-LD, OpenGraph and <meta> tags.

JSON-LD is read straight from the parsed tree (`json`, with `jstyleson` for scripts with
comments or trailing commas, as extruct's JSON-LD reader does) instead of through extruct,
whose import alone loads RDFa, microformat and HTML5 parsers this never uses.
"""

from __future__ import annotations

import html
import json
import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any

import jstyleson
import lxml.html

from extractors.source_rules import name_key
from extractors.urls import absolute

_LEADING_COMMENT = re.compile(r"^\s*(//.*|<!--.*-->)")  # `<!--` or `//` before the JSON
_SHORT_LINK_CHARS = 60
ARTICLE_TYPES = {
    "article", "newsarticle", "reportagenewsarticle", "analysisnewsarticle", "opinionnewsarticle",
    "backgroundnewsarticle", "reviewnewsarticle", "blogposting", "posting", "report",
    "scholarlyarticle", "techarticle", "liveblogposting", "advertisercontentarticle",
    "satiricalarticle", "webpage", "medicalwebpage",
}  # fmt: skip


@dataclass(slots=True)
class PageSignals:
    """What the page says about itself, before any guessing."""

    meta: dict[str, str] = field(default_factory=dict)  # lower-cased name/property -> content
    meta_all: dict[str, list[str]] = field(default_factory=dict)  # repeated tags (article:tag)
    article: dict[str, Any] = field(default_factory=dict)  # the JSON-LD article node, if any
    jsonld_nodes: list[dict[str, Any]] = field(default_factory=list)
    canonical: str | None = None
    html_lang: str | None = None


def read_signals(tree: lxml.html.HtmlElement, url: str) -> PageSignals:
    """Collect JSON-LD, OpenGraph/meta tags, rel=canonical and <html lang> from a parsed page."""
    signals = PageSignals()
    for node in tree.iterfind(".//meta"):
        key = (node.get("property") or node.get("name") or node.get("itemprop") or "").strip()
        # Some renderers (Mercury/cheerio snapshots) write the value as `value`, not `content`.
        content = (node.get("content") or node.get("value") or "").strip()
        if key and content:
            key = key.lower()
            signals.meta.setdefault(key, content)
            signals.meta_all.setdefault(key, []).append(content)
    signals.canonical = _first_attr(tree, './/link[@rel="canonical"]', "href")
    signals.html_lang = tree.get("lang") or tree.get("xml:lang")
    signals.jsonld_nodes = list(_jsonld_nodes(tree))
    signals.article = _pick_article(signals.jsonld_nodes)
    return signals


def short_links(tree: lxml.html.HtmlElement, url: str) -> dict[str, str]:
    """Short link texts (folded) -> absolute href.

    The body extractor drops links, yet a credit line's link ("Fuente: <a href=…>El
    Comercio</a>") is where the original story is; only needed when a page has a credit.
    """
    links: dict[str, str] = {}
    for anchor in tree.iterfind(".//a[@href]"):
        text = " ".join(anchor.text_content().split())
        target = absolute(anchor.get("href"), url)  # http(s) only: never javascript:
        if text and target and len(text) <= _SHORT_LINK_CHARS:
            links.setdefault(name_key(text), target)
    return links


def _first_attr(tree: lxml.html.HtmlElement, path: str, attr: str) -> str | None:
    for node in tree.iterfind(path):
        value = (node.get(attr) or "").strip()
        if value:
            return value
    return None


def _jsonld_items(tree: lxml.html.HtmlElement) -> Iterator[Any]:
    """The top-level items of every JSON-LD script; a script that is not JSON is skipped."""
    for script in tree.iterfind('.//script[@type="application/ld+json"]'):
        source = script.text_content()
        try:
            data = json.loads(source, strict=False)
        except ValueError:
            try:
                data = jstyleson.loads(_LEADING_COMMENT.sub("", source), strict=False)
            except (ValueError, TypeError, IndexError):
                continue  # one broken script must not cost us the others
        yield from (data if isinstance(data, list) else [data])


def _jsonld_nodes(tree: lxml.html.HtmlElement) -> Iterator[dict[str, Any]]:
    stack: list[Any] = [item for item in _jsonld_items(tree) if item]
    while stack:
        item = stack.pop(0)
        if isinstance(item, list):
            stack.extend(item)
        elif isinstance(item, dict):
            yield item
            graph = item.get("@graph")
            if isinstance(graph, list):
                stack.extend(graph)


def node_types(node: dict[str, Any]) -> set[str]:
    kind = node.get("@type")
    kinds = kind if isinstance(kind, list) else [kind]
    return {str(k).lower() for k in kinds if k}


def _pick_article(nodes: list[dict[str, Any]]) -> dict[str, Any]:
    """The node describing this article: a NewsArticle-like type, preferring one with a body."""
    candidates = [n for n in nodes if node_types(n) & ARTICLE_TYPES]
    if not candidates:
        return {}
    news = [n for n in candidates if node_types(n) - {"webpage", "medicalwebpage"}]
    pool = news or candidates
    return max(pool, key=lambda n: (bool(n.get("headline")), len(str(n.get("articleBody", "")))))


def as_text(value: Any) -> str | None:
    """A JSON-LD value as one string: names of objects, first of lists."""
    if isinstance(value, str):
        # JSON-LD strings are often written HTML-escaped ("&quot;"): unescape like an attribute.
        return html.unescape(value).strip() or None
    if isinstance(value, dict):
        return as_text(value.get("name") or value.get("@id") or value.get("url"))
    if isinstance(value, list):
        for item in value:
            if text := as_text(item):
                return text
    return None


def as_texts(value: Any) -> list[str]:
    """A JSON-LD value as a list of strings (names of objects, comma lists split by caller)."""
    if isinstance(value, list):
        return [t for item in value for t in as_texts(item)]
    text = as_text(value)
    return [text] if text else []
