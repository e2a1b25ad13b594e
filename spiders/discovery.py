"""Reading listings: RSS/Atom feeds, sitemaps (indexes, gzipped, news) and robots.txt.

Pure functions over bytes, so they are tested without Scrapy. A listing yields links
with the date the listing says the page last changed (feed `updated`/`published`,
sitemap `lastmod`, news sitemap `publication_date`); incremental crawls compare it
with when we last saw the article.
"""

from __future__ import annotations

import calendar
from dataclasses import dataclass, field
from datetime import UTC, datetime
from typing import Any

import feedparser
from lxml import etree
from scrapy.utils.gz import gunzip
from scrapy.utils.sitemap import sitemap_urls_from_robots

# A listing larger than this, once decompressed, is refused (sitemaps cap at 50 MB).
MAX_LISTING_BYTES = 64 * 1024 * 1024
_XML_PARSER = etree.XMLParser(
    recover=True, remove_comments=True, resolve_entities=False, no_network=True
)
_SITEMAP_ROOTS = frozenset({"urlset", "sitemapindex"})


class UnreadableListingError(ValueError):
    """A listing that cannot be read, and why in a few stable words (`syndicate runs` counts it)."""


@dataclass(frozen=True, slots=True)
class Link:
    """A URL a listing names, and when the listing says it last changed (if it says)."""

    url: str
    modified: datetime | None = None


@dataclass(slots=True)
class Listing:
    """What one feed or sitemap names: pages, and further listings (sitemap index children)."""

    pages: list[Link] = field(default_factory=list)
    listings: list[Link] = field(default_factory=list)


def parse_listing(body: bytes) -> Listing:
    """A feed or sitemap, whichever the body is (sniffed, not trusted from the URL)."""
    if body[:2] == b"\x1f\x8b":
        try:
            body = gunzip(body, max_size=MAX_LISTING_BYTES)
        except ValueError as exc:  # Scrapy's size-limit error; broken gzip raises OSError/EOFError
            raise UnreadableListingError("too large") from exc
    root = _xml_root(body)
    if root is not None and _local(root.tag) in _SITEMAP_ROOTS:
        return _sitemap(root)
    return _feed(body)


def robots_sitemaps(body: bytes, base_url: str) -> list[str]:
    """The `Sitemap:` lines of a robots.txt."""
    return list(sitemap_urls_from_robots(body, base_url=base_url))


def _xml_root(body: bytes) -> Any:
    try:
        return etree.fromstring(body.lstrip(), _XML_PARSER)
    except etree.XMLSyntaxError:
        return None


def _local(tag: object) -> str:
    return tag.rpartition("}")[2] if isinstance(tag, str) else ""


def _sitemap(root: Any) -> Listing:
    listing = Listing()
    target = listing.listings if _local(root.tag) == "sitemapindex" else listing.pages
    for entry in root:
        if _local(entry.tag) not in ("url", "sitemap"):
            continue
        values = {_local(el.tag): (el.text or "").strip() for el in entry.iter()}
        if loc := values.get("loc"):
            modified = values.get("lastmod") or values.get("publication_date")
            target.append(Link(loc, parse_w3c_date(modified)))
    return listing


def _feed(body: bytes) -> Listing:
    parsed = feedparser.parse(body)
    if parsed.get("bozo") and not parsed.get("version") and not parsed.entries:
        # Malformed and no feed at all: random bytes, or a real HTML page where a feed should be.
        # (A well-formed document without entries, an empty feed, is an empty listing.)
        raise UnreadableListingError("not a feed or sitemap")
    pages = []
    for entry in parsed.entries:
        link = entry.get("link")
        if not link:
            continue
        # Plain dict access: feedparser's own .get maps updated->published with a warning.
        stamp = dict.get(entry, "updated_parsed") or dict.get(entry, "published_parsed")
        when = datetime.fromtimestamp(calendar.timegm(stamp), UTC) if stamp else None
        pages.append(Link(link, when))
    return Listing(pages=pages)


def parse_w3c_date(value: str | None) -> datetime | None:
    """A sitemap date (W3C Datetime: a date or a timestamp); no offset means UTC."""
    if not value:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        return None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)
