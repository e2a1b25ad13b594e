"""Listings: RSS/Atom feeds, sitemaps (plain, gzipped, index, news) and robots.txt lines."""

from __future__ import annotations

import gzip
from datetime import UTC, datetime

import pytest
from feedgen.feed import FeedGenerator

from devsite.listings import news_sitemap, rss, sitemap, sitemap_index
from spiders.discovery import (
    Link,
    UnreadableListingError,
    parse_listing,
    parse_w3c_date,
    robots_sitemaps,
)

WHEN = datetime(2024, 10, 15, 6, 22, 57, tzinfo=UTC)
ENTRIES = [
    ("https://elpais.com/internacional/2024-10-15/bruselas.html", WHEN, "Bruselas"),
    ("https://elpais.com/espana/2024-10-14/otra.html", datetime(2024, 10, 14, tzinfo=UTC), ""),
]
EXPECTED = [Link(url, when) for url, when, _ in ENTRIES]


def test_rss_feed_gives_links_with_their_dates() -> None:
    listing = parse_listing(rss("https://elpais.com", ENTRIES))
    assert listing.pages == EXPECTED
    assert listing.listings == []


def test_atom_feed_uses_updated() -> None:
    feed = FeedGenerator()
    feed.id("urn:feed")
    feed.title("Atom")
    feed.link(href="https://elpais.com/")
    entry = feed.add_entry()
    entry.id("urn:1")
    entry.title("Bruselas")
    entry.link(href=ENTRIES[0][0])
    entry.updated(WHEN)
    assert parse_listing(feed.atom_str()).pages == [EXPECTED[0]]


def test_plain_and_gzipped_sitemaps_give_the_same_links() -> None:
    body = sitemap(ENTRIES)
    assert parse_listing(body).pages == EXPECTED
    assert parse_listing(gzip.compress(body)).pages == EXPECTED


def test_news_sitemap_dates_come_from_publication_date() -> None:
    listing = parse_listing(news_sitemap(ENTRIES, "El País", "es"))
    assert listing.pages == EXPECTED


def test_sitemap_index_lists_child_sitemaps_not_pages() -> None:
    listing = parse_listing(sitemap_index("https://x.org", ["/a.xml", "/b.xml.gz"]))
    assert listing.pages == []
    assert [link.url for link in listing.listings] == [
        "https://x.org/a.xml",
        "https://x.org/b.xml.gz",
    ]


def test_a_well_formed_page_without_entries_is_empty_but_garbage_is_unreadable() -> None:
    assert parse_listing(b"<html><body>Not a feed</body></html>").pages == []
    with pytest.raises(UnreadableListingError):
        parse_listing(b"\x00\x01 binary")


def test_robots_txt_sitemap_lines_resolve_against_the_site() -> None:
    robots = b"User-agent: *\nDisallow: /buscar/\nSitemap: /sitemap/?outputType=xml\n"
    robots += b"sitemap: https://elcomercio.pe/arcio/google-news-feed/\n"
    assert robots_sitemaps(robots, "https://elcomercio.pe/robots.txt") == [
        "https://elcomercio.pe/sitemap/?outputType=xml",
        "https://elcomercio.pe/arcio/google-news-feed/",
    ]


def test_w3c_dates() -> None:
    assert parse_w3c_date("2024-10-15") == datetime(2024, 10, 15, tzinfo=UTC)
    assert parse_w3c_date("2024-10-15T08:22:57+02:00") == WHEN
    assert parse_w3c_date("2024-10-15T06:22:57Z") == WHEN
    assert parse_w3c_date("last tuesday") is None
    assert parse_w3c_date("") is None
