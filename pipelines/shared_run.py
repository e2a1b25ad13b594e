"""One crawl process's part in a run that several processes share (docs/distributed.md).

The scheduler (`pipelines/redis_scheduler.py`) owns the queue; this decides, through the
run board (`pipelines/run_board.py`), when this process may take requests and when the run
is over for it:

- the owner publishes its run (and keeps it published), and ends only when it is idle
  (the queue is empty) and no live worker holds requests; a worker that died holding some
  makes the run `failed`;
- a worker enters the run's holders before it pops a request, and only while its run is the
  source's running run; it leaves when it is idle with its counts written, or when it closes
  with them written. A worker that cannot write its counts never leaves: its liveness key
  expires and the owner calls the run failed rather than finished without them.

The owner's run key and a holder's liveness key are refreshed from a thread of their own,
so a reactor busy for a while (a large source's stored URLs loading) is not taken for dead.
"""

from __future__ import annotations

import logging
import os
import socket
import threading
import uuid
from typing import Any

from scrapy.crawler import Crawler
from scrapy.exceptions import DontCloseSpider
from scrapy.utils.defer import deferred_from_coro

from pipelines.outcomes import WAITING_STAT
from pipelines.redis_health import CONNECTION_ERRORS
from pipelines.run_board import RunBoard
from pipelines.run_status import DATABASE_LOST, LOST_SERVICE, WORKERS_LOST_STAT
from pipelines.runs import JOINED_STAT, RUN_ID_STAT, CrawlRunRecorder

logger = logging.getLogger(__name__)

# Idle checks in a row whose counts could not be written before a worker gives up.
MAX_COUNT_FAILURES = 3


class SharedRun:
    """Created by the scheduler; `lost` is called (in the reactor) when Redis goes away."""

    def __init__(self, crawler: Crawler, board: RunBoard, lost: Any) -> None:
        self.crawler = crawler
        self.board = board
        self.lost = lost
        self.token = uuid.uuid4().hex
        self.who = f"{socket.gethostname()} {os.getpid()}"
        self.holding = False  # a worker in its run's holders
        self.run_over = False  # a worker whose run is no longer the source's running run
        self.count_failures = 0
        self.source = ""
        self._stop = threading.Event()
        self._thread: threading.Thread | None = None

    # -- life cycle -------------------------------------------------------------------

    def start(self, source: str) -> None:
        """The refresher thread (the owner's run key, a holding worker's liveness)."""
        self.source = source
        self._thread = threading.Thread(
            target=self._refresh_loop, name=f"syndicate-run-{source}", daemon=True
        )
        self._thread.start()

    def stop(self) -> None:
        self._stop.set()

    def publish(self) -> None:
        """The owner's run starts: workers may find it (unless its options keep it solo)."""
        run = self.owned_run()
        assert run is not None
        self.board.publish(self.source, run)
        if why := self._solo_reason():
            self.board.keep_solo(self.source, run, why)

    def _refresh_loop(self) -> None:
        while not self._stop.wait(self.board.ttl_ms / 3000):
            try:
                if (run := self.owned_run()) is not None:
                    self.board.publish(self.source, run)
                    if why := self._solo_reason():
                        self.board.keep_solo(self.source, run, why)
                elif self.holding and (run := self.joined_run()) is not None:
                    self.board.still_alive(self.source, run, self.token)
            except CONNECTION_ERRORS as error:
                self._in_reactor(self.lost, error)
                return
            except Exception as error:  # never let the refresher die silently
                logger.warning("refreshing run keys of %s failed: %r", self.source, error)

    # -- a worker taking requests ----------------------------------------------------

    def may_pop(self) -> bool:
        """A worker enters the holders (or checks its run still runs) before each pop."""
        run = self.joined_run()
        if run is None:
            return True  # the owner, or a crawl without a shared run
        if self.run_over:
            return False
        if not self.holding:
            self.holding = self.board.hold(self.source, run, self.token, self.who)
            self.run_over = not self.holding
        elif self.board.current(self.source) != run:
            self.run_over = True  # the queue may hold the next run's requests now
        return not self.run_over

    # -- idle and close --------------------------------------------------------------

    def on_idle(self) -> None:
        """The owner waits for live holders; a worker writes its counts, leaves, and stays
        as long as its run lives. Raises DontCloseSpider to keep the crawl open."""
        if (run := self.owned_run()) is not None:
            self._owner_idle(run)
        elif (run := self.joined_run()) is not None:
            self._worker_idle(run)

    def _owner_idle(self, run: int) -> None:
        holders = self.board.holders(self.source, run)
        if holders.dead:
            logger.error("worker %s died holding requests of run %s", holders.dead, run)
            stats = self._stats()
            lost = [*stats.get_value(WORKERS_LOST_STAT, []), *holders.dead]
            stats.set_value(WORKERS_LOST_STAT, lost)
        if holders.alive:
            raise DontCloseSpider

    def _worker_idle(self, run: int) -> None:
        if self._stats().get_value(WAITING_STAT, 0) > 0:
            raise DontCloseSpider  # pages still being stored: not idle yet
        if not self._recorder().write_counts():
            self.count_failures += 1
            if self.count_failures >= MAX_COUNT_FAILURES:
                self._close(DATABASE_LOST)  # still holding: the owner will not say finished
            raise DontCloseSpider
        self.count_failures = 0
        if self.holding:
            self.board.release(self.source, run, self.token)
            self.holding = False
        if not self.run_over and self.board.current(self.source) == run:
            raise DontCloseSpider  # the run goes on: wait for more requests

    def on_close(self, reason: str) -> None:
        """Give the run back: the owner withdraws it; a worker leaves the holders only with
        its counts written (else the owner must not call the run finished)."""
        self.stop()
        run = self.joined_run()
        lost = reason.startswith(LOST_SERVICE)
        if run is not None and self.holding and not lost and self._recorder().write_counts():
            self.board.release(self.source, run, self.token)
            self.holding = False
        if (run := self.owned_run()) is not None:
            self.board.withdraw(self.source, run)

    # -- helpers ---------------------------------------------------------------------

    def owned_run(self) -> int | None:
        value = self._stats().get_value(RUN_ID_STAT)
        return int(value) if value is not None else None

    def joined_run(self) -> int | None:
        value = self._stats().get_value(JOINED_STAT)
        return int(value) if value is not None else None

    def _solo_reason(self) -> str | None:
        """Options only the owner applies: workers must not join such a run."""
        settings = self.crawler.settings
        if settings.getint("SYNDICATE_LIMIT"):
            return "--limit"
        if settings.getbool("SYNDICATE_REFRESH"):
            return "--refresh"
        return None

    def _stats(self) -> Any:
        assert self.crawler.stats is not None
        return self.crawler.stats

    def _recorder(self) -> CrawlRunRecorder:
        assert self.crawler.extensions is not None
        for extension in self.crawler.extensions.middlewares:
            if isinstance(extension, CrawlRunRecorder):
                return extension
        raise RuntimeError("a worker needs the run recorder (EXTENSIONS)")

    def _close(self, reason: str) -> None:
        if self.crawler.engine is not None:
            logger.error("%s: stopping the crawl", reason)
            deferred_from_coro(self.crawler.engine.close_spider_async(reason=reason))

    @staticmethod
    def _in_reactor(function: Any, *args: Any) -> None:
        from twisted.internet import reactor

        reactor.callFromThread(function, *args)
