"""`syndicate worker`'s loop: join the running runs of the chosen sources, in one Scrapy process.

Every few seconds the supervisor reads the run board (`pipelines/run_board.py`) and starts
one crawler per running run it has not joined yet, with `join_run=ID`: that crawler takes
no lease, discovers nothing, and works on the run's shared queue until the run ends
(`pipelines/redis_scheduler.py`). With `exit_when_idle`, the process ends once it has had
no run to work on for that many seconds; without it, it runs until SIGTERM or Ctrl-C.
A lost Redis or database stops every crawler and the process (`lost` names it).
"""

from __future__ import annotations

import logging
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from typing import Any

from scrapy.crawler import Crawler, CrawlerProcess
from scrapy.utils.asyncio import create_looping_call
from scrapy.utils.ossignal import install_shutdown_handlers

from pipelines.redis_health import CONNECTION_ERRORS, reason_of
from pipelines.redis_stop import STOPPED_STAT
from pipelines.run_board import RunBoard
from pipelines.run_status import DATABASE_PREFIX, LEASE_ERROR
from pipelines.runs import JOINED_STAT, UNRECORDED_STAT

logger = logging.getLogger(__name__)

POLL_SECONDS = 2.0


@dataclass(frozen=True, slots=True)
class LeftRun:
    """One run this worker worked on, once it left it: its source, id and crawler (stats)."""

    source: str
    run_id: int
    crawler: Crawler


class WorkerSupervisor:
    """Joins runs as they appear, tells `on_left` of each run it leaves; `lost` names a lost
    service."""

    def __init__(
        self,
        process: CrawlerProcess,
        board: RunBoard,
        *,
        sources: Iterable[str] | None,
        known: set[str],
        exit_when_idle: float | None,
        on_left: Callable[[LeftRun], None],
        poll_seconds: float = POLL_SECONDS,
    ) -> None:
        self.process = process
        self.board = board
        self.sources = list(sources) if sources is not None else None
        self.known = known
        self.exit_when_idle = exit_when_idle
        self.on_left = on_left
        self.poll_seconds = poll_seconds
        self.joined: dict[str, int] = {}
        self.done: set[tuple[str, int]] = set()
        self.unknown_told: set[str] = set()
        self.idle_since = time.monotonic()
        self.lost: str | None = None
        self.stopping = False
        self.task: Any = None

    def run(self) -> None:
        """Block until the worker is done (idle long enough, a signal, or Redis lost)."""
        from scrapy.utils.reactor import install_reactor

        settings = self.process.settings
        # No crawler exists yet to install the configured reactor: do it as Scrapy would.
        install_reactor(settings["TWISTED_REACTOR"], settings["ASYNCIO_EVENT_LOOP"])
        from twisted.internet import reactor

        reactor.callWhenRunning(self._begin)
        # Our own SIGTERM/SIGINT handler: stop joining runs first, then Scrapy's graceful stop.
        self.process.start(stop_after_crawl=False, install_signal_handlers=False)

    def _begin(self) -> None:
        install_shutdown_handlers(self._on_signal)
        self.idle_since = time.monotonic()  # idle is counted from the first look for runs
        self.task = create_looping_call(self.poll)
        self.task.start(self.poll_seconds, now=True)

    def poll(self) -> None:
        """Join every running run not joined yet; stop when idle for `exit_when_idle`."""
        if self.stopping:
            return
        try:
            self._join_new_runs()
        except CONNECTION_ERRORS as error:
            self._service_lost(f"Redis ({reason_of(error)})")
            return
        except Exception as error:  # keep polling: one odd key must not end the worker
            logger.error("reading the run board failed: %r", error)
        if self.joined:
            self.idle_since = time.monotonic()
        elif (
            self.exit_when_idle is not None
            and time.monotonic() - self.idle_since >= self.exit_when_idle
        ):
            self._stop()

    def _join_new_runs(self) -> None:
        for source, run_id in sorted(self.board.active(self.sources).items()):
            if source in self.joined or (source, run_id) in self.done:
                continue
            if source not in self.known:
                if source not in self.unknown_told:
                    logger.warning(
                        "run %s of %s: no such source file here, not joining", run_id, source
                    )
                    self.unknown_told.add(source)
                continue
            if why := self.board.solo(source, run_id):
                logger.warning(
                    "run %s of %s was started with %s: its owner works alone", run_id, source, why
                )
                self.done.add((source, run_id))
                continue
            self._join(source, run_id)

    def _join(self, source: str, run_id: int) -> None:
        logger.info("joining run %s of %s", run_id, source)
        crawler = self.process.create_crawler(source)
        self.joined[source] = run_id
        finished = self.process.crawl(crawler, join_run=run_id)
        finished.addBoth(self._left, source, run_id, crawler)

    def _left(self, result: Any, source: str, run_id: int, crawler: Crawler) -> Any:
        self.joined.pop(source, None)
        self.done.add((source, run_id))
        self.idle_since = time.monotonic()
        stats = crawler.stats.get_stats() if crawler.stats is not None else {}
        if stats.get(JOINED_STAT) is not None:
            self.on_left(LeftRun(source, run_id, crawler))
        ending = str(stats.get("finish_reason", ""))
        if (why := stats.get(STOPPED_STAT)) is not None:
            self._service_lost(f"Redis ({why})")
        elif ending.startswith(DATABASE_PREFIX) or ending == LEASE_ERROR:
            self._service_lost("the database")  # LEASE_ERROR: the run could not be read
        elif stats.get(UNRECORDED_STAT):
            self._service_lost("the database")
        return result

    def _on_signal(self, signum: int, frame: Any) -> None:
        """SIGTERM or Ctrl-C: join nothing more, let the crawlers finish what they hold; a
        second signal stops at once (Scrapy's own handlers)."""
        from twisted.internet import reactor

        self.stopping = True
        self.process._signal_shutdown(signum, frame)
        reactor.callFromThread(self._stop_polling)

    def _stop_polling(self) -> None:
        if self.task is not None and self.task.running:
            self.task.stop()

    def _service_lost(self, why: str) -> None:
        if self.lost is None:
            self.lost = why
        self._stop()

    def _stop(self) -> None:
        """Stop the crawlers gracefully, then the reactor."""
        if self.stopping:
            return
        self.stopping = True
        if self.task is not None and self.task.running:
            self.task.stop()
        stopped = self.process.stop()
        stopped.addBoth(self.process._stop_reactor)  # Scrapy's own way out
