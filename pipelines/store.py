"""Item pipeline: every raw page through the one extract → validate → store path; count outcomes.

`pipelines.processing.process_page` is the same path `syndicate ingest` uses, so a crawled
page and an ingested file give the same article. One page's error never stops the crawl.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from scrapy.crawler import Crawler
from sqlalchemy import Engine

from extractors.source_rules import PublisherRegistry, SourceRules
from pipelines.database import configured_url, open_database
from pipelines.outcomes import add_time, record
from pipelines.processing import process_page
from spiders.items import NotModified, PageFailure, RawPage
from spiders.registry import load_catalog
from storage.database import session_scope
from storage.records import FetchedPage, Outcome
from storage.repository import mark_not_modified

logger = logging.getLogger(__name__)


class StorePipeline:
    """Switched on by ITEM_PIPELINES; needs SYNDICATE_DATABASE_URL."""

    def __init__(self, crawler: Crawler, database_url: str) -> None:
        self.crawler = crawler
        self.database_url = database_url
        self.engine: Engine | None = None
        self.rules: SourceRules | None = None
        self.registry: PublisherRegistry | None = None
        self.clock: Callable[[], datetime] = lambda: datetime.now(UTC)  # tests pin it

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawler, configured_url(crawler))

    def open_spider(self) -> None:
        spider: Any = self.crawler.spider
        self.rules = spider.config.rules()
        self.registry = load_catalog(strict=False).publishers()  # the loadable sources
        self.engine = open_database(self.database_url, self.rules)

    def close_spider(self) -> None:
        if self.engine is not None:
            self.engine.dispose()

    def process_item(self, item: Any) -> Any:
        stats = self.crawler.stats
        if isinstance(item, RawPage):
            outcome, reason = self._store(item)
            record(stats, outcome, reason)
        elif isinstance(item, NotModified):
            record(stats, *self._not_modified(item))
        elif isinstance(item, PageFailure):
            record(stats, "failed", f"listing: {item.reason}" if item.listing else item.reason)
        return item

    def _not_modified(self, item: NotModified) -> tuple[Outcome, str | None]:
        """A 304: the stored page and article were seen now, so feeds dating them earlier
        no longer look like changes."""
        assert self.engine is not None  # set in open_spider
        try:
            with session_scope(self.engine) as session:
                mark_not_modified(session, item.url, self.clock())
        except Exception as exc:  # a database error on one page must not end the crawl
            logger.error("marking %s seen failed: %r", item.url, exc)
            return "failed", f"store error: {type(exc).__name__}"
        return "unchanged", None

    def _store(self, item: RawPage) -> tuple[Outcome, str | None]:
        assert self.engine is not None and self.rules is not None  # set in open_spider
        page = FetchedPage.of(item)
        try:
            with session_scope(self.engine) as session:
                result = process_page(session, page, self.rules, self.registry)
        except Exception as exc:  # a database error on one page must not end the crawl
            logger.error("storing %s failed: %r", item.url, exc)
            return "failed", f"store error: {type(exc).__name__}"
        add_time(self.crawler.stats, "extract", result.extract_seconds)
        add_time(self.crawler.stats, "store", result.store_seconds)
        if result.outcome in ("dropped", "failed"):
            logger.info("%s %s: %s", result.outcome, item.url, result.reason)
        return result.outcome, result.reason
