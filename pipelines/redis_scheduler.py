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

Several processes work on one run (`syndicate worker`, docs/distributed.md): the owner
publishes its run on the run board (`pipelines/run_board.py`); a worker enters the board's
holders before it pops a request and leaves when it is idle with its counts written. The
owner's crawl ends only when it is idle itself (so the queue is empty) and no live worker
holds requests; a worker that died holding some makes the run `failed`, and the next run's
discovery finds what it held. A worker stays while its run lives and leaves when it ends.
"""

from __future__ import annotations

import logging
import os
import socket
import uuid
from typing import Any

from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider
from scrapy.utils.asyncio import create_looping_call
from scrapy_redis import connection
from scrapy_redis.scheduler import Scheduler

from pipelines.outcomes import WAITING_STAT
from pipelines.redis_health import CONNECTION_ERRORS, reason_of
from pipelines.redis_stop import stop_for_redis
from pipelines.run_board import (
    DEFAULT_PREFIX,
    DEFAULT_TTL_SECONDS,
    PREFIX_SETTING,
    TTL_SETTING,
    RunBoard,
)
from pipelines.run_status import REDIS_UNREACHABLE, WORKERS_LOST_STAT
from pipelines.runs import JOINED_STAT, RUN_ID_STAT, CrawlRunRecorder

logger = logging.getLogger(__name__)


class RedisScheduler(Scheduler):  # type: ignore[misc]  # scrapy-redis ships no type hints
    """The shared queue and seen-URLs filter; a lost Redis stops the crawl as failed."""

    crawler: Crawler | None = None
    started = False
    board: RunBoard | None = None
    holding = False  # a worker that entered the run's holders and has not left
    refresher: Any = None

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
        scheduler.board = RunBoard(scheduler.server, prefix, ttl)
        scheduler.token = uuid.uuid4().hex
        scheduler.who = f"{socket.gethostname()} {os.getpid()}"
        crawler.signals.connect(scheduler.spider_idle, signal=signals.spider_idle)
        return scheduler

    def open(self, spider: Any) -> Any:
        if self.unreachable is not None:
            self.spider = spider
            return None
        opened = super().open(spider)
        assert self.board is not None
        self.refresher = create_looping_call(self._refresh)
        self.refresher.start(self.board.ttl_ms / 3000, now=False)
        return opened

    def _refresh(self) -> None:
        """Keep the owner's run published and a holding worker's liveness current."""
        try:
            if (run := self._owned_run()) is not None:
                self._board().publish(self.spider.name, run)
            elif self.holding and (run := self._joined_run()) is not None:
                self._board().still_alive(self.spider.name, run, self.token)
        except CONNECTION_ERRORS as error:
            self._lost(error)

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
        run = self._owned_run()
        assert run is not None
        self._board().publish(self.spider.name, run)

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
            self._hold()
            request: Request | None = super().next_request()
        except CONNECTION_ERRORS as error:
            self._lost(error)
            return None
        return request

    def has_pending_requests(self) -> bool:
        if self.unreachable is not None:
            return False
        try:
            return bool(super().has_pending_requests())
        except CONNECTION_ERRORS as error:
            self._lost(error)
            return False

    def _hold(self) -> None:
        """A worker enters the run's holders before it pops: see the module's docstring."""
        if self.holding or (run := self._joined_run()) is None:
            return
        self._board().hold(self.spider.name, run, self.token, self.who)
        self.holding = True

    def spider_idle(self, spider: Any) -> None:
        """The owner waits for live holders; a worker writes its counts, leaves the holders,
        and stays as long as its run lives."""
        if self.unreachable is not None:
            return
        try:
            if (run := self._owned_run()) is not None:
                self._owner_idle(run)
            elif (run := self._joined_run()) is not None:
                self._worker_idle(run)
        except CONNECTION_ERRORS as error:
            self._lost(error)

    def _owner_idle(self, run: int) -> None:
        holders = self._board().holders(self.spider.name, run)
        if holders.dead:
            logger.error("worker %s died holding requests of run %s", holders.dead, run)
            stats = self._stats()
            stats.set_value(
                WORKERS_LOST_STAT, [*stats.get_value(WORKERS_LOST_STAT, []), *holders.dead]
            )
        if holders.alive:
            raise DontCloseSpider

    def _worker_idle(self, run: int) -> None:
        stats = self._stats()
        if stats.get_value(WAITING_STAT, 0) > 0 or not self._recorder().write_counts():
            raise DontCloseSpider  # pages still being stored: not idle yet
        if self.holding:
            self._board().release(self.spider.name, run, self.token)
            self.holding = False
        if self._board().current(self.spider.name) == run:
            raise DontCloseSpider  # the run goes on: wait for more requests

    def close(self, reason: str) -> Any:
        if self.refresher is not None and self.refresher.running:
            self.refresher.stop()
        if self.unreachable is not None:
            return None
        try:
            if (run := self._joined_run()) is not None and self.holding:
                self._board().release(self.spider.name, run, self.token)
            if (run := self._owned_run()) is None:
                return None
            self._board().withdraw(self.spider.name, run)
            return super().close(reason)
        except CONNECTION_ERRORS as error:  # the queue could not be emptied: Redis is gone
            logger.warning("could not clear the Redis queue: %s", reason_of(error))
            return None

    def _owns_run(self) -> bool:
        return self._owned_run() is not None

    def _owned_run(self) -> int | None:
        value = self._stats().get_value(RUN_ID_STAT)
        return int(value) if value is not None else None

    def _joined_run(self) -> int | None:
        value = self._stats().get_value(JOINED_STAT)
        return int(value) if value is not None else None

    def _stats(self) -> Any:
        assert self.crawler is not None and self.crawler.stats is not None
        return self.crawler.stats

    def _board(self) -> RunBoard:
        assert self.board is not None
        return self.board

    def _recorder(self) -> CrawlRunRecorder:
        assert self.crawler is not None and self.crawler.extensions is not None
        for extension in self.crawler.extensions.middlewares:
            if isinstance(extension, CrawlRunRecorder):
                return extension
        raise RuntimeError("a worker needs the run recorder (EXTENSIONS)")

    def _lost(self, error: BaseException) -> None:
        if self.crawler is not None:
            stop_for_redis(self.crawler, error)
