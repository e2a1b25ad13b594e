"""Feeds and sitemaps for the local test site, written with feedgen and lxml (never by hand)."""

from __future__ import annotations

from collections.abc import Sequence
from datetime import datetime
from typing import Any

from feedgen.feed import FeedGenerator
from lxml import etree

SITEMAP_NS = "http://www.sitemaps.org/schemas/sitemap/0.9"
NEWS_NS = "http://www.google.com/schemas/sitemap-news/0.9"

Entry = tuple[str, datetime, str]  # url, last modified, title
# lxml takes None as the default namespace's prefix; its stubs say str.
_NSMAP: Any = {None: SITEMAP_NS}
_NEWS_NSMAP: Any = {None: SITEMAP_NS, "news": NEWS_NS}


def rss(base: str, entries: Sequence[Entry]) -> bytes:
    feed = FeedGenerator()
    feed.title("Local News")
    feed.link(href=base + "/")
    feed.description("Latest articles")
    for url, modified, title in reversed(entries):  # feedgen prepends: newest ends up first
        item = feed.add_entry()
        item.title(title or url)
        item.link(href=url)
        item.guid(url, permalink=True)
        item.pubDate(modified)
    result: bytes = feed.rss_str(pretty=False)
    return result


def sitemap(entries: Sequence[Entry]) -> bytes:
    root = etree.Element(f"{{{SITEMAP_NS}}}urlset", nsmap=_NSMAP)
    for url, modified, _ in entries:
        node = etree.SubElement(root, f"{{{SITEMAP_NS}}}url")
        etree.SubElement(node, f"{{{SITEMAP_NS}}}loc").text = url
        etree.SubElement(node, f"{{{SITEMAP_NS}}}lastmod").text = modified.isoformat()
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def sitemap_index(base: str, paths: Sequence[str]) -> bytes:
    root = etree.Element(f"{{{SITEMAP_NS}}}sitemapindex", nsmap=_NSMAP)
    for path in paths:
        node = etree.SubElement(root, f"{{{SITEMAP_NS}}}sitemap")
        etree.SubElement(node, f"{{{SITEMAP_NS}}}loc").text = base + path
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")


def news_sitemap(entries: Sequence[Entry], publication: str, language: str) -> bytes:
    """A Google News sitemap: publication dates live in <news:news>, not <lastmod>."""
    root = etree.Element(f"{{{SITEMAP_NS}}}urlset", nsmap=_NEWS_NSMAP)
    for url, modified, title in entries:
        node = etree.SubElement(root, f"{{{SITEMAP_NS}}}url")
        etree.SubElement(node, f"{{{SITEMAP_NS}}}loc").text = url
        news = etree.SubElement(node, f"{{{NEWS_NS}}}news")
        pub = etree.SubElement(news, f"{{{NEWS_NS}}}publication")
        etree.SubElement(pub, f"{{{NEWS_NS}}}name").text = publication
        etree.SubElement(pub, f"{{{NEWS_NS}}}language").text = language
        etree.SubElement(news, f"{{{NEWS_NS}}}publication_date").text = modified.isoformat()
        etree.SubElement(news, f"{{{NEWS_NS}}}title").text = title or url
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8")
