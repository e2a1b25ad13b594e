"""Structured signals a page declares about itself: JSON-LD, OpenGraph and <meta> tags (via extruct)."""

from __future__ import annotations

import html
import json
from collections.abc import Iterator
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import urljoin

import lxml.html
from extruct.jsonld import JsonLdExtractor

from extractors.source_rules import name_key

_JSONLD = JsonLdExtractor()
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
        content = (node.get("content") or "").strip()
        if key and content:
            key = key.lower()
            signals.meta.setdefault(key, content)
            signals.meta_all.setdefault(key, []).append(content)
    signals.canonical = _first_attr(tree, './/link[@rel="canonical"]', "href")
    signals.html_lang = tree.get("lang") or tree.get("xml:lang")
    signals.jsonld_nodes = list(_jsonld_nodes(tree, url))
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
        if text and len(text) <= _SHORT_LINK_CHARS:
            links.setdefault(name_key(text), urljoin(url, anchor.get("href", "")))
    return links


def _first_attr(tree: lxml.html.HtmlElement, path: str, attr: str) -> str | None:
    for node in tree.iterfind(path):
        value = (node.get(attr) or "").strip()
        if value:
            return value
    return None


def _jsonld_nodes(tree: lxml.html.HtmlElement, url: str) -> Iterator[dict[str, Any]]:
    try:
        items = _JSONLD.extract_items(tree, base_url=url)
    except (ValueError, TypeError, json.JSONDecodeError):
        return  # one broken script must not cost us the page
    stack: list[Any] = list(items)
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
