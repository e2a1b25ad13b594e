"""Skip articles already stored, ask conditionally for those we refetch.

An article URL we have stored (or any URL whose page we kept: a variant whose canonical is
another article, a page refused or dropped) is not fetched again unless the crawl says
`--refresh` or a feed/sitemap dated it after we last saw it. When it is fetched again, the stored
page's ETag / Last-Modified make the request conditional, so an unchanged page costs a 304.
`SYNDICATE_LIMIT` caps the article pages fetched per source.

Two components share one record of what is stored (loaded once per crawl): a spider
middleware drops a stored, unchanged article's request as the listing yields it, so an
unchanged recrawl does not push every stored URL through the scheduler and the downloader
only to skip it there; the downloader middleware decides the rest (refresh, limit,
conditional headers) for the requests that get that far.
"""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterable
from datetime import datetime
from typing import Any
from weakref import WeakKeyDictionary

from scrapy import Request, signals
from scrapy.crawler import Crawler

from extractors.urls import InvalidURLError, canonical_url
from pipelines.database import configured_url
from pipelines.outcomes import skip
from spiders.failures import RequestSkipped
from spiders.source_spider import META_ARTICLE, META_MODIFIED, NOT_MODIFIED
from storage.database import make_engine, session_scope
from storage.pages import Validators, stored_validators
from storage.repository import known_article_urls

ALREADY_STORED = "already stored"


class SeenURLs:
    """The source's stored URLs (when each was last seen) and their validators, loaded once."""

    def __init__(self) -> None:
        self.known: dict[str, datetime] = {}
        self.validators: dict[str, Validators] = {}
        self.loaded = False

    def load(self, database_url: str, source: str) -> None:
        if self.loaded:
            return
        self.loaded = True
        engine = make_engine(database_url)
        try:
            with session_scope(engine) as session:
                self.known = known_article_urls(session, source)
                pages = stored_validators(session, source)
        finally:
            engine.dispose()
        for url, (final_url, validators, fetched_at) in pages.items():
            # A URL that redirected to a stored article counts as that article. One whose
            # page built no article of this source (a variant whose canonical is another
            # article, a page refused or dropped) counts as seen when it was fetched, so it
            # is not fetched again on every crawl, only when listed as changed or refreshed.
            last_seen = self.known.get(url) or self.known.get(final_url) or fetched_at
            self.known.setdefault(url, last_seen)
            self.validators[url] = validators

    def last_seen(self, url: str) -> datetime | None:
        """When we last saw this URL's article: as given, or as its canonical form
        (feeds add `?ref=…` trackers and AMP variants the stored URL does not have)."""
        if (seen := self.known.get(url)) is not None:
            return seen
        try:
            return self.known.get(canonical_url(url))
        except InvalidURLError:
            return None

    def stored_unchanged(self, request: Request, refresh: bool) -> bool:
        """Stored, and no feed or sitemap dated it since: not to be fetched."""
        last_seen = self.last_seen(request.url)
        return last_seen is not None and not refresh and not _changed(request, last_seen)


_SEEN: WeakKeyDictionary[Crawler, SeenURLs] = WeakKeyDictionary()


def seen_for(crawler: Crawler) -> SeenURLs:
    """The one record of a crawl, shared by its spider and downloader middlewares."""
    return _SEEN.setdefault(crawler, SeenURLs())


class IncrementalMiddleware:
    """Switched on by DOWNLOADER_MIDDLEWARES; reads SYNDICATE_REFRESH and SYNDICATE_LIMIT."""

    def __init__(self, crawler: Crawler, database_url: str) -> None:
        settings = crawler.settings
        self.database_url = database_url
        self.refresh = settings.getbool("SYNDICATE_REFRESH")
        self.limit = settings.getint("SYNDICATE_LIMIT")
        self.admitted = 0
        self.seen = seen_for(crawler)

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> IncrementalMiddleware:
        middleware = cls(crawler, configured_url(crawler))
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        return middleware

    @property
    def known(self) -> dict[str, datetime]:
        return self.seen.known

    @property
    def validators(self) -> dict[str, Validators]:
        return self.seen.validators

    def spider_opened(self, spider: Any) -> None:
        self.seen.load(self.database_url, spider.name)

    def process_request(self, request: Request) -> None:
        if not request.meta.get(META_ARTICLE) or request.meta.get("redirect_times"):
            return
        last_seen = self.seen.last_seen(request.url)
        # A skip is counted once, by the spider's errback, under the reason given here.
        if last_seen is not None and not self.refresh and not _changed(request, last_seen):
            raise RequestSkipped(ALREADY_STORED, request.url)
        if self.limit and self.admitted >= self.limit:
            raise RequestSkipped("over limit", request.url)
        self.admitted += 1
        if last_seen is not None:
            self._make_conditional(request)

    def _make_conditional(self, request: Request) -> None:
        validators = self.validators.get(request.url, {})
        if etag := validators.get("etag"):
            request.headers["If-None-Match"] = etag
        if modified := validators.get("last-modified"):
            request.headers["If-Modified-Since"] = modified
        if validators:
            request.meta["handle_httpstatus_list"] = [NOT_MODIFIED]


class StoredSkipMiddleware:
    """Switched on by SPIDER_MIDDLEWARES: a stored, unchanged article's request is counted as
    skipped (`already stored`) where the listing yields it, instead of in the downloader."""

    def __init__(self, crawler: Crawler, database_url: str) -> None:
        self.crawler = crawler
        self.database_url = database_url
        self.refresh = crawler.settings.getbool("SYNDICATE_REFRESH")
        self.seen = seen_for(crawler)
        self.skipped: set[str] = set()  # as the scheduler's seen-URLs filter would drop repeats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StoredSkipMiddleware:
        middleware = cls(crawler, configured_url(crawler))
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        return middleware

    def spider_opened(self, spider: Any) -> None:
        self.seen.load(self.database_url, spider.name)

    def process_spider_output(self, response: Any, result: Iterable[Any]) -> Iterable[Any]:
        for item in result:
            if not self._skipped(item):
                yield item

    async def process_spider_output_async(
        self, response: Any, result: AsyncIterator[Any]
    ) -> AsyncIterator[Any]:
        async for item in result:
            if not self._skipped(item):
                yield item

    def _skipped(self, item: Any) -> bool:
        if not isinstance(item, Request) or not item.meta.get(META_ARTICLE):
            return False
        if not self.seen.stored_unchanged(item, self.refresh):
            return False
        if item.url not in self.skipped:  # listed twice (feed and sitemap): one outcome
            self.skipped.add(item.url)
            skip(self.crawler.stats, ALREADY_STORED)
        return True


def _changed(request: Request, last_seen: datetime) -> bool:
    """Did a feed or sitemap date this article after we last saw it?"""
    stamp = request.meta.get(META_MODIFIED)
    return isinstance(stamp, str) and datetime.fromisoformat(stamp) > last_seen
