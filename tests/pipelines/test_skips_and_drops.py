"""Skips and requests the scheduler drops still end in one counted outcome: a redirect loop
fails, a redirect onto a page already fetched is a skipped duplicate, the same link listed
twice counts once, a robots.txt refusal is a skip; skips show among a run's reasons as
`skipped: <reason>`."""

from __future__ import annotations

from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.test import get_crawler
from twisted.python.failure import Failure

from pipelines.dropped import DroppedRequests
from pipelines.outcomes import counts, failures, record
from spiders.items import PageFailure
from spiders.registry import load_catalog
from spiders.source_spider import META_ARTICLE, SourceSpider, make_spider_class

A, B, C = (f"https://news.example/{name}-noticia/" for name in "abc")


def spider() -> SourceSpider:
    crawler = get_crawler(make_spider_class(load_catalog().get("elcomercio")))
    crawler._apply_settings()  # creates the stats collector, as Crawler.crawl() would
    made = crawler.spidercls.from_crawler(crawler)
    crawler.spider = made
    assert isinstance(made, SourceSpider)
    return made


def failed(error: Exception, request: Request) -> Failure:
    result = Failure(error)  # type: ignore[no-untyped-call]  # twisted's constructor is untyped
    result.request = request  # type: ignore[attr-defined]  # Scrapy adds it at runtime
    return result


def article(url: str, *chain: str) -> Request:
    meta = {META_ARTICLE: True} | ({"redirect_urls": list(chain)} if chain else {})
    return Request(url, meta=meta)


def scheduled_then_dropped(extension: DroppedRequests, request: Request) -> None:
    """What Scrapy's engine sends for a request the dupefilter refuses."""
    extension.request_scheduled(request)
    extension.request_dropped(request)


def test_dropped_article_requests_are_loops_duplicates_or_nothing_new() -> None:
    stats = MemoryStatsCollector(get_crawler())
    dropped = DroppedRequests(stats)
    for url in (A, B):  # listed and fetched
        dropped.request_scheduled(article(url))
    scheduled_then_dropped(dropped, article(A, A))  # a → a
    scheduled_then_dropped(dropped, article(A, A, C))  # a → c → a (meta refresh or 301)
    scheduled_then_dropped(dropped, article(B, C))  # c → b, b already fetched
    scheduled_then_dropped(dropped, article(B))  # b listed a second time: already counted
    scheduled_then_dropped(dropped, article(C))  # c listed, but a redirect fetched it already
    scheduled_then_dropped(dropped, Request(A + "feed.xml"))  # a listing: not a page
    assert counts(stats)["failed"] == counts(stats)["pages"] == 2
    assert failures(stats) == {"redirect loop": 2, "skipped: duplicate": 2}


def test_the_errback_counts_skips_and_names_a_failed_chain_by_its_listed_url() -> None:
    source = spider()
    robots = IgnoreRequest("Forbidden by robots.txt")
    assert list(source.on_article_error(failed(robots, article(A)))) == []
    assert list(source.on_listing_error(failed(robots, Request(A + "feed.xml")))) == []
    too_long = failed(IgnoreRequest("max redirections reached"), article(C, A, B))
    assert list(source.on_article_error(too_long)) == [
        PageFailure("elcomercio", A, "too many redirects")  # A was listed; C is the last hop
    ]
    stats = source.crawler.stats
    record(stats, "failed", "too many redirects")  # what the store pipeline does with it
    assert failures(stats) == {
        "too many redirects": 1,
        "skipped: robots.txt": 1,
        "skipped: listing: robots.txt": 1,
    }
    assert counts(stats)["pages"] == 1  # a skip is no page
