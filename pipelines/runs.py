"""Extension: one crawl per source (a lease), and one honest `crawl_runs` row per crawl.

When the spider opens it takes the source's lease (a busy source closes the crawl at once
with reason "busy" and records no run), marks runs whose process died "abandoned", and
opens its run. A heartbeat renews the lease and writes the counts so far; when the spider
closes, the run gets its status (`run_status.run_ending`) and the lease is given back.
Works the same under `syndicate crawl`, `scrapy crawl` and scrapyd.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider
from scrapy.statscollectors import StatsCollector
from scrapy.utils.asyncio import create_looping_call
from scrapy.utils.defer import deferred_from_coro
from sqlalchemy import Engine

from pipelines.database import configured_url, open_database
from pipelines.lease import DEFAULT_HEARTBEAT_SECONDS, lease_ttl, process_gone, this_holder
from pipelines.outcomes import counts, failures
from pipelines.run_status import BUSY, LEASE_ERROR, LEASE_LOST, run_ending
from spiders.source_spider import ARTICLE_LINKS
from storage.database import session_scope
from storage.leases import (
    SourceBusyError,
    acquire_lease,
    attach_run,
    describe,
    release_lease,
    renew_lease,
)
from storage.runs import abandon_dead_runs, finish_run, heartbeat_run, start_run

logger = logging.getLogger(__name__)

RUN_ID_STAT = "syndicate/run_id"
BUSY_STAT = "syndicate/busy"


class CrawlRunRecorder:
    """Switched on by EXTENSIONS; reads SYNDICATE_LEASE_SECONDS, SYNDICATE_HEARTBEAT_SECONDS."""

    def __init__(self, crawler: Crawler, database_url: str) -> None:
        self.crawler = crawler
        self.database_url = database_url
        self.engine: Engine | None = None
        self.run_id: int | None = None
        self.holder = this_holder()
        self.ttl = lease_ttl(crawler.settings.getfloat("SYNDICATE_LEASE_SECONDS"))
        # 0 switches the periodic heartbeat off (tests call beat() themselves).
        self.interval = crawler.settings.getfloat(
            "SYNDICATE_HEARTBEAT_SECONDS", DEFAULT_HEARTBEAT_SECONDS
        )
        self.source = ""
        self.clock: Callable[[], datetime] = lambda: datetime.now(UTC)
        self.task: Any = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlRunRecorder:
        recorder = cls(crawler, configured_url(crawler))
        crawler.signals.connect(recorder.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(recorder.spider_closed, signal=signals.spider_closed)
        return recorder

    def spider_opened(self, spider: Any) -> None:
        self.engine = open_database(self.database_url, spider.config.rules())
        self.source, now = spider.name, self.clock()
        try:
            with session_scope(self.engine) as session:
                abandon_dead_runs(
                    session,
                    now=now,
                    stale_after=self.ttl,
                    gone=process_gone,
                    source_key=spider.name,
                )
                acquire_lease(
                    session, spider.name, self.holder, now=now, ttl=self.ttl, gone=process_gone
                )
                self.run_id = start_run(
                    session, spider.name, now, host=self.holder.host, pid=self.holder.pid
                )
                attach_run(session, spider.name, self.holder.token, self.run_id)
        except SourceBusyError as busy:
            self._stats().set_value(BUSY_STAT, describe(busy.info))
            raise CloseSpider(BUSY) from None
        except Exception as exc:  # no lease, no run: the crawl must not go on without them
            logger.error("cannot take the lease of %s: %r", spider.name, exc)
            self.run_id = None
            raise CloseSpider(LEASE_ERROR) from None
        self._stats().set_value(RUN_ID_STAT, self.run_id)
        if self.interval > 0:
            self.task = create_looping_call(self.beat)
            self.task.start(self.interval, now=False)

    def beat(self) -> None:
        """Renew the lease and write the counts so far; a lost lease stops the crawl."""
        if self.engine is None or self.run_id is None:
            return
        stats, now = self._stats(), self.clock()
        try:
            with session_scope(self.engine) as session:
                ours = renew_lease(session, self.source, self.holder.token, now=now, ttl=self.ttl)
                heartbeat_run(
                    session,
                    self.run_id,
                    now=now,
                    counts=counts(stats),
                    failures=failures(stats),
                    discovered=_discovered(stats),
                )
        except Exception as exc:  # a database hiccup: try again next beat, the lease has slack
            logger.warning("heartbeat of run %s failed: %r", self.run_id, exc)
            return
        if not ours and self.crawler.engine is not None:
            logger.error("run %s lost the lease of %s", self.run_id, self.source)
            deferred_from_coro(self.crawler.engine.close_spider_async(reason=LEASE_LOST))

    def _stats(self) -> StatsCollector:
        assert self.crawler.stats is not None  # the crawler made it before any signal
        return self.crawler.stats

    def spider_closed(self, spider: Any, reason: str) -> None:
        if self.task is not None and self.task.running:
            self.task.stop()
        if self.engine is None:
            return
        if self.run_id is not None:
            self._finish(spider.name, reason)
        self.engine.dispose()

    def _finish(self, source: str, reason: str) -> None:
        assert self.engine is not None and self.run_id is not None
        stats = self._stats()
        status, why = run_ending(reason, stats.get_stats())
        totals, reasons = counts(stats), failures(stats)
        with session_scope(self.engine) as session:
            finish_run(
                session,
                self.run_id,
                finished_at=self.clock(),
                status=status,
                counts=totals,
                failures=reasons,
                reason=why,
                discovered=_discovered(stats),
            )
            if reason != LEASE_LOST:
                release_lease(session, source, self.holder.token)
        logger.info("crawl run %s %s: %s %s", self.run_id, status, totals, reasons)


def _discovered(stats: StatsCollector) -> int:
    return int(stats.get_value(ARTICLE_LINKS, 0))
