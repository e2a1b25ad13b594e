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
"""

from __future__ import annotations

import logging
from typing import Any

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy_redis.scheduler import Scheduler

from pipelines.redis_health import CONNECTION_ERRORS, reason_of
from pipelines.redis_stop import stop_for_redis
from pipelines.runs import RUN_ID_STAT

logger = logging.getLogger(__name__)


class RedisScheduler(Scheduler):  # type: ignore[misc]  # scrapy-redis ships no type hints
    """The shared queue and seen-URLs filter; a lost Redis stops the crawl as failed."""

    crawler: Crawler | None = None
    started = False

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> RedisScheduler:
        scheduler: RedisScheduler = super().from_crawler(crawler)
        scheduler.crawler = crawler
        return scheduler

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

    def enqueue_request(self, request: Request) -> bool:
        try:
            self._start_run()
            return bool(super().enqueue_request(request))
        except CONNECTION_ERRORS as error:
            self._lost(error)
            # Not "dropped" (that would count it a duplicate): the crawl is stopping and the
            # next run's discovery lists the URL again.
            return True

    def next_request(self) -> Request | None:
        try:
            self._start_run()
            request: Request | None = super().next_request()
        except CONNECTION_ERRORS as error:
            self._lost(error)
            return None
        return request

    def has_pending_requests(self) -> bool:
        try:
            return bool(super().has_pending_requests())
        except CONNECTION_ERRORS as error:
            self._lost(error)
            return False

    def close(self, reason: str) -> Any:
        if not self._owns_run():
            return None
        try:
            return super().close(reason)
        except CONNECTION_ERRORS as error:  # the queue could not be emptied: Redis is gone
            logger.warning("could not clear the Redis queue: %s", reason_of(error))
            return None

    def _owns_run(self) -> bool:
        stats = self.crawler.stats if self.crawler is not None else None
        return stats is not None and stats.get_value(RUN_ID_STAT) is not None

    def _lost(self, error: BaseException) -> None:
        if self.crawler is not None:
            stop_for_redis(self.crawler, error)
