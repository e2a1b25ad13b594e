"""Extension: an article URL whose request the scheduler drops still ends in one counted outcome.

Scrapy's scheduler drops a request for a URL this crawl has already requested, and no errback
hears of it. For an article request that is one of three things:

- the same link listed again: its URL has (or will have) its outcome, nothing more is counted;
- a redirect (HTTP or meta refresh) back to a URL of its own chain, `a → b → a` or `a → a`:
  failed `redirect loop`;
- a redirect onto a page this crawl already fetched, or a listed URL that a redirect from
  another listed URL already reached: skipped `duplicate` (the page is counted once).
"""

from __future__ import annotations

import logging
from collections import Counter
from typing import Any

from scrapy import Request, signals
from scrapy.crawler import Crawler
from w3lib.url import canonicalize_url

from pipelines.outcomes import record, skip
from spiders.source_spider import META_ARTICLE

logger = logging.getLogger(__name__)


class DroppedRequests:
    """Switched on by EXTENSIONS; listens to `request_scheduled` and `request_dropped`."""

    def __init__(self, stats: Any) -> None:
        self.stats = stats
        self.listed: Counter[str] = Counter()  # URL -> requests for it straight from a listing

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DroppedRequests:
        extension = cls(crawler.stats)
        crawler.signals.connect(extension.request_scheduled, signal=signals.request_scheduled)
        crawler.signals.connect(extension.request_dropped, signal=signals.request_dropped)
        return extension

    def request_scheduled(self, request: Request) -> None:
        """Sent before the scheduler decides, so also for the request it then drops."""
        if request.meta.get(META_ARTICLE) and not request.meta.get("redirect_urls"):
            self.listed[canonicalize_url(request.url)] += 1

    def request_dropped(self, request: Request) -> None:
        if not request.meta.get(META_ARTICLE):
            return  # listings are not counted as pages
        url = canonicalize_url(request.url)
        chain: list[str] = request.meta.get("redirect_urls", [])
        if not chain and self.listed[url] > 1:
            return  # listed before: that request counts for the URL
        if url in {canonicalize_url(link) for link in chain}:
            logger.warning("failed %s: redirect loop", chain[0])
            record(self.stats, "failed", "redirect loop")
        else:
            logger.info("skipped %s: duplicate", (chain or [request.url])[0])
            skip(self.stats, "duplicate")
