"""`syndicate schedule`: APScheduler starts each due source's crawl in its own process.

Each crawl is `syndicate crawl KEY --db URL` in a child process, so a crash or a leak in one
crawl never takes the scheduler down, and the crawl takes the same per-source lease as a
crawl started by hand (a source never overlaps itself, across machines too). Stopping
(SIGTERM, SIGINT, `--stop-after`) sends SIGTERM to the running crawls, which record their
runs as `stopped`, and waits for them.
"""

from __future__ import annotations

import logging
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from typing import Any

from apscheduler.executors.pool import ThreadPoolExecutor
from apscheduler.schedulers.background import BackgroundScheduler

from pipelines.lease import DEFAULT_LEASE_SECONDS, process_gone
from spiders.config import SourceConfig
from spiders.schedules import describe_schedule, next_run, trigger_for
from storage.database import make_engine, session_scope
from storage.runs import abandon_dead_runs, list_runs

logger = logging.getLogger("syndicate.schedule")

STOP_GRACE_SECONDS = 60  # a stopped crawl's time to record its run before it is killed
OVERRUN_GRACE_SECONDS = 120  # past its time limit, a crawl that did not stop gets SIGTERM
SWEEP_SECONDS = DEFAULT_LEASE_SECONDS  # how often runs of dead processes are marked abandoned


@dataclass
class Crawls:
    """The crawl processes running now, by source."""

    children: dict[str, subprocess.Popen[str]] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)

    def add(self, key: str, child: subprocess.Popen[str]) -> None:
        with self.lock:
            self.children[key] = child

    def remove(self, key: str) -> None:
        with self.lock:
            self.children.pop(key, None)

    def running(self) -> list[tuple[str, subprocess.Popen[str]]]:
        with self.lock:
            return list(self.children.items())


class CrawlScheduler:
    """One job per source; each run of a job is one crawl process."""

    def __init__(
        self,
        configs: list[SourceConfig],
        *,
        database: str,
        default_time_limit: int,
        max_crawls: int,
        clock: Callable[[], datetime] = lambda: datetime.now(UTC),
    ) -> None:
        self.configs = {config.key: config for config in configs}
        self.database = database
        self.default_time_limit = default_time_limit
        self.clock = clock
        self.crawls = Crawls()
        self.stopping = threading.Event()
        executors = {
            "default": ThreadPoolExecutor(max_workers=max_crawls),
            "sweep": ThreadPoolExecutor(max_workers=1),  # never starved by running crawls
        }
        self.scheduler = BackgroundScheduler(timezone=UTC, executors=executors)

    def start(self) -> None:
        last = self._last_starts()
        now = self.clock()
        for key, config in self.configs.items():
            first = next_run(config, last_start=last.get(key), now=now)
            trigger = trigger_for(config, first=first)
            self.scheduler.add_job(
                self.crawl, trigger, args=[key], id=key, next_run_time=first,
                max_instances=1, coalesce=True, misfire_grace_time=None,
            )  # fmt: skip
            logger.info(
                "scheduled %s: %s, first run %s", key, describe_schedule(config), _hm(first)
            )
        self.scheduler.add_job(
            self.sweep, "interval", seconds=SWEEP_SECONDS, id="sweep", executor="sweep"
        )
        self.scheduler.start()

    def crawl(self, key: str) -> None:
        """One scheduled crawl: start it, log why, wait for it, log how it ended."""
        if self.stopping.is_set():
            return
        config = self.configs[key]
        logger.info("starting crawl of %s (due: %s)", key, describe_schedule(config))
        child = subprocess.Popen(  # our own command, no shell
            [sys.executable, "-m", "syndicate", "crawl", key, "--db", self.database],
            stdout=subprocess.PIPE,
            text=True,
        )
        self.crawls.add(key, child)
        try:
            output = self._wait(key, child, config)
        finally:
            self.crawls.remove(key)
        summary = " | ".join(line for line in output.splitlines() if line.strip()) or "no report"
        logger.info("crawl of %s ended with exit %s: %s", key, child.returncode, summary)

    def _wait(self, key: str, child: subprocess.Popen[str], config: SourceConfig) -> str:
        limit = config.crawl.time_limit_seconds() or self.default_time_limit
        try:
            output, _ = child.communicate(timeout=limit + OVERRUN_GRACE_SECONDS)
        except subprocess.TimeoutExpired:
            logger.warning("%s overran its time limit of %s s: stopping it", key, limit)
            output = _stop(child)
        return output or ""

    def sweep(self) -> None:
        """Runs whose process died without saying so become `abandoned` (counts kept)."""
        engine = make_engine(self.database)
        try:
            with session_scope(engine) as session:
                stale = timedelta(seconds=DEFAULT_LEASE_SECONDS)
                dead = abandon_dead_runs(
                    session, now=self.clock(), stale_after=stale, gone=process_gone
                )
            if dead:
                logger.warning("marked runs %s abandoned: their processes are gone", dead)
        except Exception as exc:  # the database may be briefly away: try at the next sweep
            logger.warning("abandoned-run sweep failed: %s", exc)
        finally:
            engine.dispose()

    def stop(self) -> None:
        """No new crawls; running ones are sent SIGTERM and given time to record their runs."""
        self.stopping.set()
        self.scheduler.shutdown(wait=False)
        for key, child in self.crawls.running():
            logger.info("stopping crawl of %s (pid %s)", key, child.pid)
            child.send_signal(signal.SIGTERM)
        deadline = time.monotonic() + STOP_GRACE_SECONDS  # one grace period for all of them
        for key, child in self.crawls.running():
            try:
                child.wait(timeout=max(0.0, deadline - time.monotonic()))
            except subprocess.TimeoutExpired:
                logger.error("crawl of %s did not stop in %s s: killed", key, STOP_GRACE_SECONDS)
                child.kill()

    def _last_starts(self) -> dict[str, datetime]:
        engine = make_engine(self.database)
        try:
            with session_scope(engine) as session:
                return {
                    key: run.started_at
                    for key in self.configs
                    for run in list_runs(session, key, limit=1)
                }
        finally:
            engine.dispose()


def _stop(child: subprocess.Popen[str]) -> str:
    child.send_signal(signal.SIGTERM)
    try:
        output, _ = child.communicate(timeout=STOP_GRACE_SECONDS)
    except subprocess.TimeoutExpired:
        child.kill()
        output, _ = child.communicate()
    return output or ""


def _hm(when: Any) -> str:
    return when.strftime("%Y-%m-%d %H:%M:%S UTC") if isinstance(when, datetime) else "?"
