"""Item pipeline: every raw page through the one extract -> validate -> store path; count outcomes.

Pages are extracted by worker processes (`extraction_pool`, SYNDICATE_EXTRACT_WORKERS, 0 = in
the reactor) while Scrapy keeps fetching, then queued for one writer thread that stores them
in batches (`batch_store`, SYNDICATE_STORE_BATCH_PAGES / _SECONDS); a page is counted when
its batch commits. Memory stays bounded: a response stays in Scrapy's scraper slot until
its page is extracted (Scrapy fetches no more beyond SCRAPER_SLOT_MAX_ACTIVE_SIZE bytes of
them), and the writer's queue holds two batches at most. It is the same path `syndicate
ingest` uses, so a crawled page and an ingested file give the same article. One page's
error never stops the crawl.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from functools import partial
from typing import Any

from scrapy.crawler import Crawler
from scrapy.utils.defer import deferred_from_coro
from sqlalchemy import Engine
from sqlalchemy.orm import Session

from extractors.source_rules import PublisherRegistry, SourceRules
from pipelines.batch_store import BatchWriter
from pipelines.concurrency import DEFAULT_LIMITS, BatchLimits, default_workers
from pipelines.database import configured_url, open_database
from pipelines.extraction_pool import ExtractionPool, acquire_shared, release_shared
from pipelines.outcomes import WAITING_STAT, add_time, record
from pipelines.processing import PageOutcome, store_step
from pipelines.run_status import DATABASE_LOST
from spiders.items import NotModified, PageFailure, RawPage
from spiders.registry import load_catalog
from storage.records import FetchedPage
from storage.repository import mark_not_modified

logger = logging.getLogger(__name__)

WORKERS = "SYNDICATE_EXTRACT_WORKERS"
BATCH_PAGES = "SYNDICATE_STORE_BATCH_PAGES"
BATCH_SECONDS = "SYNDICATE_STORE_BATCH_SECONDS"


class StorePipeline:
    """Switched on by ITEM_PIPELINES; needs SYNDICATE_DATABASE_URL."""

    def __init__(self, crawler: Crawler, database_url: str) -> None:
        settings = crawler.settings
        self.crawler = crawler
        self.database_url = database_url
        self.workers = settings.getint(WORKERS, default_workers())
        self.limits = BatchLimits(
            max(settings.getint(BATCH_PAGES, DEFAULT_LIMITS.pages), 1),
            settings.getfloat(BATCH_SECONDS, DEFAULT_LIMITS.seconds),
        )
        self.engine: Engine | None = None
        self.rules: SourceRules | None = None
        self.registry: PublisherRegistry | None = None
        self.pool: ExtractionPool | None = None
        self.writer: BatchWriter | None = None
        self.stopping = False  # the database was lost: the crawl is closing
        self.clock: Callable[[], datetime] = lambda: datetime.now(UTC)  # tests pin it

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> StorePipeline:
        return cls(crawler, configured_url(crawler))

    def open_spider(self) -> None:
        spider: Any = self.crawler.spider
        self.rules = spider.config.rules()
        self.registry = load_catalog(strict=False).publishers()  # the loadable sources
        self.engine = open_database(self.database_url, self.rules)
        self.pool = acquire_shared(self.workers)
        # Room for one batch being written and the next one filling.
        self.writer = BatchWriter(self.engine, self.limits, queued=2 * self.limits.pages)

    async def close_spider(self) -> None:
        """Write the pages still waiting, then let go of the workers and connections."""
        if self.writer is not None:
            await self.writer.close()
        if self.pool is not None:
            release_shared(self.pool)
        if self.engine is not None:
            self.engine.dispose()

    async def process_item(self, item: Any) -> Any:
        """Extract the page, queue it for storage; it is counted once its batch commits."""
        assert self.pool and self.writer and self.rules  # set in open_spider
        if isinstance(item, RawPage):
            page = FetchedPage.of(item)
            extracted = await self.pool.extract((page, self.rules, self.registry))
            work = partial(store_step, source_key=self.rules.key, page=page, extracted=extracted)
            self._waiting(1)
            await self.writer.put(work, partial(self._stored, page.url))
        elif isinstance(item, NotModified):
            self._waiting(1)
            await self.writer.put(partial(_not_modified, item.url, self.clock()), self._written)
        elif isinstance(item, PageFailure):
            reason = f"listing: {item.reason}" if item.listing else item.reason
            self._counted(PageOutcome("failed", reason, None))
        return item

    def _waiting(self, change: int) -> None:
        """Pages handed to the writer and not yet counted: a worker is not idle before 0."""
        self.crawler.stats.inc_value(WAITING_STAT, change)

    def _written(self, result: PageOutcome) -> None:
        self._waiting(-1)
        self._counted(result)

    def _stored(self, url: str, result: PageOutcome) -> None:
        self._waiting(-1)
        add_time(self.crawler.stats, "extract", result.extract_seconds)
        add_time(self.crawler.stats, "store", result.store_seconds)
        if result.outcome in ("dropped", "failed"):
            logger.info("%s %s: %s", result.outcome, url, result.reason)
        self._counted(result)

    def _counted(self, result: PageOutcome) -> None:
        record(self.crawler.stats, result.outcome, result.reason)
        if result.reason == DATABASE_LOST and not self.stopping:
            self.stopping = True  # pages still in flight fail the same way, counted
            logger.error("%s: stopping the crawl", DATABASE_LOST)
            if self.crawler.engine is not None:
                deferred_from_coro(self.crawler.engine.close_spider_async(reason=DATABASE_LOST))


def _not_modified(url: str, seen_at: datetime, session: Session) -> PageOutcome:
    """A 304: the stored page and article were seen now, so feeds dating them earlier no
    longer look like changes."""
    mark_not_modified(session, url, seen_at)
    return PageOutcome("unchanged", None, None)
