"""Extension: one `crawl_runs` row per crawl, opened with the spider, closed with its counts."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from sqlalchemy import Engine

from pipelines.database import configured_url, open_database
from pipelines.outcomes import counts, failures
from storage.database import session_scope
from storage.runs import finish_run, start_run


class CrawlRunRecorder:
    """Switched on by EXTENSIONS; reads the outcome counts the pipelines left in the stats."""

    def __init__(self, crawler: Crawler, database_url: str) -> None:
        self.crawler = crawler
        self.database_url = database_url
        self.engine: Engine | None = None
        self.run_id: int | None = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlRunRecorder:
        recorder = cls(crawler, configured_url(crawler))
        crawler.signals.connect(recorder.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(recorder.spider_closed, signal=signals.spider_closed)
        return recorder

    def spider_opened(self, spider: Any) -> None:
        self.engine = open_database(self.database_url, spider.config.rules())
        with session_scope(self.engine) as session:
            self.run_id = start_run(session, spider.name, datetime.now(UTC))

    def spider_closed(self, spider: Any, reason: str) -> None:
        if self.engine is None or self.run_id is None:
            return
        totals, reasons = counts(self.crawler.stats), failures(self.crawler.stats)
        with session_scope(self.engine) as session:
            finish_run(
                session,
                self.run_id,
                finished_at=datetime.now(UTC),
                status=reason,  # Scrapy's close reason: "finished", "shutdown", …
                counts=totals,
                failures=reasons,
            )
        spider.logger.info("crawl run %s: %s %s", self.run_id, totals, reasons)
        self.engine.dispose()
