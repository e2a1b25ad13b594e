"""Downloader middleware: skip articles already stored, ask conditionally for those we refetch.

An article URL we have stored (or any URL whose page we kept: a variant whose canonical is
another article, a page refused or dropped) is not fetched again unless the crawl says
`--refresh` or a feed/sitemap dated it after we last saw it. When it is fetched again, the stored
page's ETag / Last-Modified make the request conditional, so an unchanged page costs a 304.
`SYNDICATE_LIMIT` caps the article pages fetched per source.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from scrapy import Request, signals
from scrapy.crawler import Crawler

from extractors.urls import InvalidURLError, canonical_url
from pipelines.database import configured_url
from spiders.failures import RequestSkipped
from spiders.source_spider import META_ARTICLE, META_MODIFIED, NOT_MODIFIED
from storage.database import make_engine, session_scope
from storage.pages import Validators, stored_validators
from storage.repository import known_article_urls


class IncrementalMiddleware:
    """Switched on by DOWNLOADER_MIDDLEWARES; reads SYNDICATE_REFRESH and SYNDICATE_LIMIT."""

    def __init__(self, crawler: Crawler, database_url: str) -> None:
        settings = crawler.settings
        self.database_url = database_url
        self.refresh = settings.getbool("SYNDICATE_REFRESH")
        self.limit = settings.getint("SYNDICATE_LIMIT")
        self.admitted = 0
        self.known: dict[str, datetime] = {}
        self.validators: dict[str, Validators] = {}

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> IncrementalMiddleware:
        middleware = cls(crawler, configured_url(crawler))
        crawler.signals.connect(middleware.spider_opened, signal=signals.spider_opened)
        return middleware

    def spider_opened(self, spider: Any) -> None:
        engine = make_engine(self.database_url)
        try:
            with session_scope(engine) as session:
                self.known = known_article_urls(session, spider.name)
                pages = stored_validators(session, spider.name)
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

    def process_request(self, request: Request) -> None:
        if not request.meta.get(META_ARTICLE) or request.meta.get("redirect_times"):
            return
        last_seen = self._last_seen(request.url)
        # A skip is counted once, by the spider's errback, under the reason given here.
        if last_seen is not None and not self.refresh and not _changed(request, last_seen):
            raise RequestSkipped("already stored", request.url)
        if self.limit and self.admitted >= self.limit:
            raise RequestSkipped("over limit", request.url)
        self.admitted += 1
        if last_seen is not None:
            self._make_conditional(request)

    def _last_seen(self, url: str) -> datetime | None:
        """When we last saw this URL's article: as given, or as its canonical form
        (feeds add `?ref=…` trackers and AMP variants the stored URL does not have)."""
        if (seen := self.known.get(url)) is not None:
            return seen
        try:
            return self.known.get(canonical_url(url))
        except InvalidURLError:
            return None

    def _make_conditional(self, request: Request) -> None:
        validators = self.validators.get(request.url, {})
        if etag := validators.get("etag"):
            request.headers["If-None-Match"] = etag
        if modified := validators.get("last-modified"):
            request.headers["If-Modified-Since"] = modified
        if validators:
            request.meta["handle_httpstatus_list"] = [NOT_MODIFIED]


def _changed(request: Request, last_seen: datetime) -> bool:
    """Did a feed or sitemap date this article after we last saw it?"""
    stamp = request.meta.get(META_MODIFIED)
    return isinstance(stamp, str) and datetime.fromisoformat(stamp) > last_seen
