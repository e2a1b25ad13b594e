"""One Scrapy spider per source file: discovery from feeds, sitemaps and sections, raw pages out.

The spider knows nothing of storage: whether a URL is already stored, and what a page
becomes, is decided by the downloader middleware and pipelines in `pipelines/`.
"""

from __future__ import annotations

import re
from collections.abc import AsyncIterator, Iterator
from datetime import UTC, date, datetime
from typing import Any, ClassVar
from urllib.parse import urlsplit

import scrapy
from scrapy.http import Response, TextResponse
from scrapy.linkextractors import LinkExtractor
from twisted.python.failure import Failure

from spiders import dated
from spiders.config import SourceConfig
from spiders.discovery import Link, UnreadableListingError, parse_listing, robots_sitemaps
from spiders.failures import describe_failure, describe_skip, is_skip
from spiders.items import NotModified, PageFailure, RawPage

# Request.meta keys the incremental middleware reads.
META_ARTICLE = "syndicate_article"
META_MODIFIED = "syndicate_modified"
NOT_MODIFIED = 304
# Stats the run recorder reads to tell a finished crawl from one that could discover nothing.
LISTINGS_FETCHED = "syndicate/listings/fetched"
LISTINGS_FAILED = "syndicate/listings/failed"
ARTICLE_LINKS = "syndicate/links/articles"  # article links listings named, known ones included
# + a skip reason: requests not made on purpose (robots.txt, already stored…), counted per reason.
SKIPPED = "syndicate/skipped/"


class SourceSpider(scrapy.Spider):
    """Base class; `make_spider_class` sets `name` and `config` for each source."""

    config: ClassVar[SourceConfig]

    def __init__(self, *args: Any, since: str | None = None, until: str | None = None, **kw: Any):
        super().__init__(*args, **kw)
        self._since = since
        self._until = until
        self._articles = [re.compile(p) for p in self.config.discovery.article_urls]
        self._skips = [re.compile(p) for p in self.config.discovery.skip_urls]
        self._links = LinkExtractor()

    def date_range(self) -> tuple[date | None, date]:
        """The crawl's range for dated sitemaps: spider args, else settings, else today only."""
        since = self._since or self.settings.get("SYNDICATE_SINCE")
        until = self._until or self.settings.get("SYNDICATE_UNTIL")
        end = date.fromisoformat(until) if until else datetime.now(UTC).date()
        return (date.fromisoformat(since) if since else None), end

    async def start(self) -> AsyncIterator[scrapy.Request]:
        if getattr(self, "join_run", None) is not None:
            return  # a worker (`syndicate worker`): the run's owner discovers, into the queue
        discovery = self.config.discovery
        since, until = self.date_range()
        for url in discovery.feeds:
            yield self._listing(url)
        for pattern in discovery.sitemaps:
            for url in dated.expand(pattern, since=since, until=until):
                yield self._listing(url)
        for url in discovery.sections:
            yield scrapy.Request(url, callback=self.parse_section, errback=self.on_listing_error)

    def is_article(self, url: str) -> bool:
        return any(p.match(url) for p in self._articles) and not self._skipped(url)

    def _skipped(self, url: str) -> bool:
        return any(p.search(url) for p in self._skips)

    def _listing(self, url: str) -> scrapy.Request:
        return scrapy.Request(url, callback=self.parse_listing, errback=self.on_listing_error)

    def _article(self, link: Link) -> scrapy.Request:
        self._count(ARTICLE_LINKS)
        modified = link.modified.isoformat() if link.modified else None
        return scrapy.Request(
            link.url,
            callback=self.parse_article,
            errback=self.on_article_error,
            priority=1,  # fetch articles before further listings: fresh pages arrive early
            meta={META_ARTICLE: True, META_MODIFIED: modified},
        )

    def _count(self, key: str) -> None:
        if self.crawler.stats is not None:
            self.crawler.stats.inc_value(key)

    def parse_listing(self, response: Response) -> Iterator[scrapy.Request | PageFailure]:
        if urlsplit(response.url).path == "/robots.txt":
            self._count(LISTINGS_FETCHED)
            urls = robots_sitemaps(response.body, response.url)
            yield from (self._listing(url) for url in urls if not self._skipped(url))
            return
        try:
            listing = parse_listing(response.body)
        except Exception as exc:  # e.g. a gzip bomb, broken gzip, random bytes: record it, crawl on
            reason = f"unreadable listing: {_unreadable(exc)}"
            self._count(LISTINGS_FAILED)
            yield PageFailure(self.name, response.url, reason, listing=True)
            return
        self._count(LISTINGS_FETCHED)
        for link in listing.listings:
            if not self._skipped(link.url):
                yield self._listing(link.url)
        for link in listing.pages:
            if self.is_article(link.url):
                yield self._article(link)

    def parse_section(self, response: Response) -> Iterator[scrapy.Request]:
        self._count(LISTINGS_FETCHED)
        if not isinstance(response, TextResponse):
            return
        for link in self._links.extract_links(response):
            if self.is_article(link.url):
                yield self._article(Link(link.url))

    def parse_article(self, response: Response) -> Iterator[RawPage | NotModified]:
        request_url = (response.meta.get("redirect_urls") or [response.url])[0]
        if response.status == NOT_MODIFIED:
            yield NotModified(source=self.name, url=request_url)
            return
        yield RawPage(
            source=self.name,
            url=request_url,
            final_url=response.url,
            status=response.status,
            headers=_headers(response),
            body=response.body,
            fetched_at=datetime.now(UTC),
        )

    def on_article_error(self, failure: Failure) -> Iterator[PageFailure]:
        yield from self._failure(failure, listing=False)

    def on_listing_error(self, failure: Failure) -> Iterator[PageFailure]:
        yield from self._failure(failure, listing=True)

    def _failure(self, failure: Failure, *, listing: bool) -> Iterator[PageFailure]:
        request = failure.request  # type: ignore[attr-defined]  # Scrapy sets it on errbacks
        url = (request.meta.get("redirect_urls") or [request.url])[0]  # the URL listed
        if is_skip(failure):  # counted, not failed: every listed URL ends in one outcome
            reason = describe_skip(failure)
            self.logger.debug("skipped %s: %s", url, reason)
            self._count(SKIPPED + ("listing: " if listing else "") + reason)
            return
        self.logger.warning("failed %s: %s", url, describe_failure(failure))
        if listing:
            self._count(LISTINGS_FAILED)
        yield PageFailure(self.name, url, describe_failure(failure), listing=listing)


def _unreadable(error: Exception) -> str:
    """Why a listing could not be read: discovery's own words, else the error's type."""
    return str(error) if isinstance(error, UnreadableListingError) else type(error).__name__


def _headers(response: Response) -> dict[str, str]:
    """Header names and values as text; bytes are read as Latin-1, HTTP's own charset,
    so a server's odd byte never costs the page (UTF-8 would raise on it)."""
    return {
        name.decode("latin-1"): b",".join(values).decode("latin-1")
        for name, values in response.headers.items()
    }


def make_spider_class(config: SourceConfig) -> type[SourceSpider]:
    """A spider class named after the source, with the source's politeness settings."""
    settings = {
        "DOWNLOAD_DELAY": config.crawl.delay,
        "CONCURRENT_REQUESTS_PER_DOMAIN": config.crawl.concurrency,
        # No more requests handed to the downloader than the source may have in flight: a
        # stopped crawl (SIGTERM, time limit) then waits only for those, not for a queue.
        "CONCURRENT_REQUESTS": config.crawl.concurrency,
        "AUTOTHROTTLE_START_DELAY": max(config.crawl.delay, 1.0),
        "AUTOTHROTTLE_TARGET_CONCURRENCY": float(config.crawl.concurrency),
    }
    if (limit := config.crawl.time_limit_seconds()) is not None:
        settings["CLOSESPIDER_TIMEOUT"] = limit  # else the project's SYNDICATE_TIME_LIMIT
    attrs = {"name": config.key, "config": config, "custom_settings": settings}
    return type(f"{config.key.title().replace('-', '_')}Spider", (SourceSpider,), attrs)
