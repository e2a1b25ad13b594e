"""Extension: one crawl per source (a lease), and one honest `crawl_runs` row per crawl.

When the spider opens it takes the source's lease (a busy source closes the crawl at once
with reason "busy" and records no run), marks runs whose process died "abandoned", and
opens its run. A heartbeat renews the lease and adds the counts counted since the last
write; when the spider closes, the run gets its status (`run_status.run_ending`) and the
lease is given back. Works the same under `syndicate crawl`, `scrapy crawl` and scrapyd.

A spider given `join_run=ID` (`syndicate worker`, docs/distributed.md) is a worker of the
run another process owns: it takes no lease and starts no run, and only adds its own
counts to that run's row, so the one row counts every process's pages once.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Any

from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import CloseSpider
from scrapy.statscollectors import StatsCollector
from scrapy.utils.asyncio import create_looping_call
from scrapy.utils.defer import deferred_from_coro
from sqlalchemy import Engine
from sqlalchemy.exc import SQLAlchemyError

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
from storage.runs import abandon_dead_runs, add_to_run, end_run, run_status, start_run

logger = logging.getLogger(__name__)

RUN_ID_STAT = "syndicate/run_id"  # the run this crawl owns
JOINED_STAT = "syndicate/joined_run"  # the run this crawl works for as a worker
BUSY_STAT = "syndicate/busy"
UNRECORDED_STAT = "syndicate/run_unrecorded"  # the database was gone when the run ended
RUN_OVER = "run over"  # close reason of a worker whose run ended before it joined


@dataclass(frozen=True, slots=True)
class Share:
    """Counts one process adds to its run in one write."""

    counts: dict[str, int]
    failures: dict[str, int]
    discovered: int

    @property
    def empty(self) -> bool:
        return not any(self.counts.values()) and not self.failures and not self.discovered


class Unwritten:
    """What this process counted since it last added to its run: each write adds only the
    difference, so several processes can add to one row and a retried write adds nothing twice."""

    def __init__(self) -> None:
        self.counts: dict[str, int] = {}
        self.failures: dict[str, int] = {}
        self.discovered = 0

    def since_last(self, stats: StatsCollector) -> Share:
        """What was counted since the last `written`."""
        now_failures = failures(stats)
        return Share(
            counts={k: v - self.counts.get(k, 0) for k, v in counts(stats).items()},
            failures={
                k: v - self.failures.get(k, 0)
                for k, v in now_failures.items()
                if v != self.failures.get(k, 0)
            },
            discovered=_discovered(stats) - self.discovered,
        )

    def written(self, share: Share) -> None:
        """`share` is in the row: move the baseline by it."""
        for key, n in share.counts.items():
            self.counts[key] = self.counts.get(key, 0) + n
        for key, n in share.failures.items():
            self.failures[key] = self.failures.get(key, 0) + n
        self.discovered += share.discovered


class CrawlRunRecorder:
    """Switched on by EXTENSIONS; reads SYNDICATE_LEASE_SECONDS, SYNDICATE_HEARTBEAT_SECONDS."""

    def __init__(self, crawler: Crawler, database_url: str) -> None:
        self.crawler = crawler
        self.database_url = database_url
        self.engine: Engine | None = None
        self.run_id: int | None = None
        self.owner = True  # False for a worker that joined another process's run
        self.holder = this_holder()
        self.ttl = lease_ttl(crawler.settings.getfloat("SYNDICATE_LEASE_SECONDS"))
        # 0 switches the periodic heartbeat off (tests call beat() themselves).
        self.interval = crawler.settings.getfloat(
            "SYNDICATE_HEARTBEAT_SECONDS", DEFAULT_HEARTBEAT_SECONDS
        )
        self.source = ""
        self.clock: Callable[[], datetime] = lambda: datetime.now(UTC)
        self.task: Any = None
        self.unwritten = Unwritten()

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlRunRecorder:
        recorder = cls(crawler, configured_url(crawler))
        crawler.signals.connect(recorder.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(recorder.spider_closed, signal=signals.spider_closed)
        return recorder

    def spider_opened(self, spider: Any) -> None:
        self.engine = open_database(self.database_url, spider.config.rules())
        self.source = spider.name
        joined = getattr(spider, "join_run", None)
        if joined is not None:
            self._join(int(joined))
        else:
            self._start(spider.name)
        if self.interval > 0:
            self.task = create_looping_call(self.beat)
            self.task.start(self.interval, now=False)

    def _start(self, source: str) -> None:
        """Take the source's lease and open its run, or close the crawl (busy, no database)."""
        assert self.engine is not None
        now = self.clock()
        try:
            with session_scope(self.engine) as session:
                abandon_dead_runs(
                    session, now=now, stale_after=self.ttl, gone=process_gone, source_key=source
                )
                acquire_lease(
                    session, source, self.holder, now=now, ttl=self.ttl, gone=process_gone
                )
                self.run_id = start_run(
                    session, source, now, host=self.holder.host, pid=self.holder.pid
                )
                attach_run(session, source, self.holder.token, self.run_id)
        except SourceBusyError as busy:
            self._stats().set_value(BUSY_STAT, describe(busy.info))
            raise CloseSpider(BUSY) from None
        except Exception as exc:  # no lease, no run: the crawl must not go on without them
            logger.error("cannot take the lease of %s: %r", source, exc)
            self.run_id = None
            raise CloseSpider(LEASE_ERROR) from None
        self._stats().set_value(RUN_ID_STAT, self.run_id)

    def _join(self, run_id: int) -> None:
        """Work for a run another process owns: no lease, no run of our own."""
        assert self.engine is not None
        self.owner = False
        try:
            with session_scope(self.engine) as session:
                status = run_status(session, run_id)
        except Exception as exc:
            logger.error("cannot read run %s: %r", run_id, exc)
            raise CloseSpider(LEASE_ERROR) from None
        if status != "running":
            logger.info("run %s of %s is over (%s): not joining", run_id, self.source, status)
            raise CloseSpider(RUN_OVER)
        self.run_id = run_id
        self._stats().set_value(JOINED_STAT, run_id)

    def beat(self) -> None:
        """Renew the lease (the owner) and add the counts so far; a lost lease stops the crawl."""
        if self.engine is None or self.run_id is None:
            return
        try:
            with session_scope(self.engine) as session:
                ours = (
                    renew_lease(
                        session, self.source, self.holder.token, now=self.clock(), ttl=self.ttl
                    )
                    if self.owner
                    else True
                )
                share = self.unwritten.since_last(self._stats())
                self._add(session, share)
        except Exception as exc:  # a database hiccup: try again next beat, the lease has slack
            logger.warning("heartbeat of run %s failed: %r", self.run_id, exc)
            return
        self.unwritten.written(share)
        if not ours and self.crawler.engine is not None:
            logger.error("run %s lost the lease of %s", self.run_id, self.source)
            deferred_from_coro(self.crawler.engine.close_spider_async(reason=LEASE_LOST))

    def write_counts(self) -> bool:
        """Add the counts not yet written to the run now (a worker before it says it is idle);
        False if the database could not take them."""
        if self.engine is None or self.run_id is None:
            return True
        share = self.unwritten.since_last(self._stats())
        if share.empty:
            return True  # nothing new: no transaction
        try:
            with session_scope(self.engine) as session:
                self._add(session, share)
        except Exception as exc:
            logger.warning("could not add the counts of run %s: %r", self.run_id, exc)
            return False
        self.unwritten.written(share)
        return True

    def _add(self, session: Any, share: Share) -> int:
        """Add `share` to the run; the run's pages now, every process's together."""
        assert self.run_id is not None
        return add_to_run(
            session,
            self.run_id,
            now=self.clock(),
            counts=share.counts,
            failures=share.failures,
            discovered=share.discovered,
        )

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
        try:
            with session_scope(self.engine) as session:
                share = self.unwritten.since_last(stats)
                run_pages = self._add(session, share)
                own_pages = counts(stats)["pages"]
                # Workers may have fetched what this process did not: judge the whole run.
                status, why = run_ending(reason, stats.get_stats(), others=run_pages - own_pages)
                if self.owner:
                    end_run(
                        session, self.run_id, finished_at=self.clock(), status=status, reason=why
                    )
                    if reason != LEASE_LOST:
                        release_lease(session, source, self.holder.token)
        except SQLAlchemyError as exc:  # the database is gone: the next crawl abandons the run
            logger.error("could not record the end of run %s: %s", self.run_id, type(exc).__name__)
            stats.set_value(UNRECORDED_STAT, True)
            return
        self.unwritten.written(share)
        if self.owner:
            logger.info(
                "crawl run %s %s: %s %s", self.run_id, status, counts(stats), failures(stats)
            )


def _discovered(stats: StatsCollector) -> int:
    return int(stats.get_value(ARTICLE_LINKS, 0))
