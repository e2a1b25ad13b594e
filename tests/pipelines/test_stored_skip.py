"""Stored, unchanged articles are skipped where the listing yields them (a spider middleware),
counted as `already stored`, so a recrawl does not push them through the scheduler; articles a
feed dated later, new ones, listings, and everything under --refresh go on."""

from __future__ import annotations

from datetime import UTC, datetime

from scrapy import Request
from scrapy.utils.test import get_crawler

from pipelines.incremental import IncrementalMiddleware, StoredSkipMiddleware, seen_for
from spiders.source_spider import META_ARTICLE, META_MODIFIED, SKIPPED

SEEN = datetime(2024, 5, 1, tzinfo=UTC)
STORED = "https://news.example/a-stored-story/"


def article(url: str, modified: datetime | None = None) -> Request:
    stamp = modified.isoformat() if modified else None
    return Request(url, meta={META_ARTICLE: True, META_MODIFIED: stamp})


def middleware(refresh: bool = False) -> StoredSkipMiddleware:
    crawler = get_crawler(settings_dict={"SYNDICATE_REFRESH": refresh})
    crawler._apply_settings()  # the stats collector, as Crawler.crawl() makes it
    seen = seen_for(crawler)
    seen.known = {STORED: SEEN}
    seen.loaded = True  # as if spider_opened had read the database
    return StoredSkipMiddleware(crawler, "sqlite://")


def test_stored_unchanged_articles_are_dropped_and_counted_the_rest_go_on() -> None:
    skipper = middleware()
    listing = Request("https://news.example/sitemap.xml")
    output = [
        article(STORED),
        article(STORED + "?ref=rss"),  # the stored URL behind a tracker
        article(STORED + "?ref=rss"),  # listed again (a feed and a sitemap): one outcome
        article(STORED, modified=datetime(2024, 6, 1, tzinfo=UTC)),  # dated after we saw it
        article("https://news.example/a-new-story/"),
        listing,
        {"an": "item"},
    ]
    kept = list(skipper.process_spider_output(None, output))
    assert [getattr(item, "url", item) for item in kept] == [
        STORED,
        "https://news.example/a-new-story/",
        "https://news.example/sitemap.xml",
        {"an": "item"},
    ]
    assert kept[0].meta[META_MODIFIED] is not None  # the changed one, not a stored copy
    assert skipper.crawler.stats.get_value(SKIPPED + "already stored") == 2


def test_refresh_fetches_stored_articles_again() -> None:
    skipper = middleware(refresh=True)
    assert len(list(skipper.process_spider_output(None, [article(STORED)]))) == 1
    assert skipper.crawler.stats.get_value(SKIPPED + "already stored") is None


def test_both_middlewares_of_a_crawl_share_one_record() -> None:
    skipper = middleware()
    downloader = IncrementalMiddleware(skipper.crawler, "sqlite://")
    assert downloader.known is skipper.seen.known
