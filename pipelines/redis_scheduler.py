"""scrapy-redis's scheduler, made to fail cleanly when the shared Redis goes away mid-crawl.

Plain scrapy-redis lets a lost connection escape from the engine's loop as tracebacks, and
the crawl may then close as "finished" with a queue it never saw. Here the first Redis
error closes the spider with the reason `redis: connection lost`, which the run recorder
stores as a failed run (`pipelines.run_status`); the requests still queued are found again
by the next run's discovery (docs/distributed.md). Switched on by `SCHEDULER` when
SYNDICATE_REDIS_URL is set.

Only the crawl that owns the source's run (it took the lease) touches the source's queue
and seen-URLs filter as a whole: it empties them when its run starts, so what a crawl killed
with -9 left in Redis cannot make this run skip its listings as already seen, and when it
ends. A crawl turned away as busy leaves the running crawl's queue alone.

Several processes work on one run (`syndicate worker`, docs/distributed.md): when to take
requests and when the run is over for this process is `pipelines/shared_run.py`'s part.
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy_redis import connection
from scrapy_redis.scheduler import Scheduler

from pipelines.redis_health import CONNECTION_ERRORS, reason_of
from pipelines.redis_stop import stop_for_redis
from pipelines.run_board import (
    DEFAULT_PREFIX,
    DEFAULT_TTL_SECONDS,
    PREFIX_SETTING,
    TTL_SETTING,
    RunBoard,
)
from pipelines.run_status import REDIS_UNREACHABLE
from pipelines.shared_run import SharedRun

logger = logging.getLogger(__name__)


class RedisScheduler(Scheduler):  # type: ignore[misc]  # scrapy-redis ships no type hints
    """The shared queue and seen-URLs filter; a lost Redis stops the crawl as failed."""

    crawler: Crawler | None = None
    started = False
    shared: SharedRun | None = None

    unreachable: str | None = None  # why Redis could not be used when the crawl started

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedisScheduler:
        try:
            scheduler: RedisScheduler = super().from_crawler(crawler)
        except CONNECTION_ERRORS as error:
            # `scrapy crawl` and scrapyd get here without `syndicate crawl`'s check first:
            # one line and a failed run instead of Scrapy's tracebacks.
            logger.error("cannot use Redis: %s", reason_of(error))
            scheduler = cls(server=connection.from_settings(crawler.settings))
            scheduler.stats = crawler.stats
            scheduler.unreachable = reason_of(error)
        scheduler.crawler = crawler
        settings = crawler.settings
        ttl = settings.getfloat(TTL_SETTING, DEFAULT_TTL_SECONDS) or DEFAULT_TTL_SECONDS
        prefix = settings.get(PREFIX_SETTING) or DEFAULT_PREFIX
        board = RunBoard(scheduler.server, prefix, ttl)
        scheduler.shared = SharedRun(crawler, board, scheduler._lost)
        crawler.signals.connect(scheduler.spider_idle, signal=signals.spider_idle)
        return scheduler

    def open(self, spider: Any) -> Any:
        if self.unreachable is not None:
            self.spider = spider
            return None
        opened = super().open(spider)
        self._shared().start(spider.name)
        return opened

    def _start_run(self) -> None:
        """Once, at the first request in or out (the lease is decided by then): the run's
        owner starts from an empty queue and filter."""
        if self.started:
            return
        self.started = True
        if not self._owns_run():
            return
        if left := len(self.queue):
            logger.info("dropped %d requests an earlier crawl left in Redis", left)
        self.flush()
        self._shared().publish()

    def enqueue_request(self, request: Request) -> bool:
        if self.unreachable is not None:
            return True  # the crawl is stopping (next_request)
        try:
            self._start_run()
            return bool(super().enqueue_request(request))
        except CONNECTION_ERRORS as error:
            self._lost(error)
            # Not "dropped" (that would count it a duplicate): the crawl is stopping and the
            # next run's discovery lists the URL again.
            return True

    def next_request(self) -> Request | None:
        if self.unreachable is not None:
            assert self.crawler is not None
            stop_for_redis(self.crawler, self.unreachable, REDIS_UNREACHABLE)
            return None
        try:
            self._start_run()
            if not self._shared().may_pop():
                return None  # a worker whose run is over: the next run's requests are not its
            request: Request | None = super().next_request()
        except CONNECTION_ERRORS as error:
            self._lost(error)
            return None
        return request

    def has_pending_requests(self) -> bool:
        if self.unreachable is not None or self._shared().run_over:
            return False  # what is queued now is not this crawl's to take
        try:
            return bool(super().has_pending_requests())
        except CONNECTION_ERRORS as error:
            self._lost(error)
            return False

    def spider_idle(self, spider: Any) -> None:
        """The run's end is decided by the shared run (DontCloseSpider keeps the crawl open)."""
        if self.unreachable is not None:
            return
        try:
            self._shared().on_idle()
        except CONNECTION_ERRORS as error:
            self._lost(error)

    def close(self, reason: str) -> Any:
        if self.unreachable is not None:
            return None
        try:
            self._shared().on_close(reason)
            if not self._owns_run():
                return None
            return super().close(reason)
        except CONNECTION_ERRORS as error:  # the queue could not be emptied: Redis is gone
            logger.warning("could not clear the Redis queue: %s", reason_of(error))
            return None

    def _owns_run(self) -> bool:
        return self._shared().owned_run() is not None

    def _shared(self) -> SharedRun:
        assert self.shared is not None
        return self.shared

    def _lost(self, error: BaseException) -> None:
        if self.crawler is not None:
            stop_for_redis(self.crawler, error)
