"""The run recorder: one crawl per source (a lease), and a run row that tells the truth.

Each test builds the extension against a throwaway crawler (no reactor, no network), on
SQLite and on PostgreSQL, and drives its signals by hand.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
from datetime import timedelta
from typing import Any

import pytest
from scrapy.exceptions import CloseSpider
from scrapy.utils.test import get_crawler
from sqlalchemy import Engine

from pipelines.outcomes import record
from pipelines.runs import BUSY_STAT, RUN_ID_STAT, CrawlRunRecorder
from spiders.registry import load_catalog
from spiders.source_spider import LISTINGS_FAILED, LISTINGS_FETCHED, make_spider_class
from storage.database import make_engine, session_scope
from storage.leases import Holder, acquire_lease
from storage.records import RunSummary
from storage.runs import get_run, list_runs, start_run
from tests.support.sources import T0

SOURCE = "elcomercio"


def recorder_for(db_url: str, **settings: Any) -> tuple[CrawlRunRecorder, Any]:
    """A recorder and its spider, with the heartbeat driven by the test (interval 0)."""
    values = {"SYNDICATE_DATABASE_URL": db_url, "SYNDICATE_HEARTBEAT_SECONDS": 0, **settings}
    crawler = get_crawler(make_spider_class(load_catalog().get(SOURCE)), values)
    crawler._apply_settings()  # creates the stats collector, as Crawler.crawl() would
    return CrawlRunRecorder.from_crawler(crawler), crawler.spidercls.from_crawler(crawler)


def runs(db_url: str) -> list[RunSummary]:
    engine = make_engine(db_url)
    with session_scope(engine) as session:
        found = list_runs(session, SOURCE, limit=10)
    engine.dispose()
    return sorted(found, key=lambda run: run.id)


def dead_pid() -> int:
    """The pid of a process that has exited (on this host)."""
    child = subprocess.Popen([sys.executable, "-c", "pass"])
    child.wait()
    return child.pid


def test_sigterm_gives_stopped_with_its_reason_counts_and_failures(db_url: str) -> None:
    recorder, spider = recorder_for(db_url)
    recorder.spider_opened(spider)
    stats = recorder.crawler.stats
    stats.inc_value(LISTINGS_FETCHED)
    record(stats, "new")
    record(stats, "failed", "HTTP 500")
    record(stats, "dropped", "index page")
    recorder.spider_closed(spider, "shutdown")  # Scrapy's reason after SIGTERM or Ctrl-C
    (run,) = runs(db_url)
    assert (run.status, run.reason) == ("stopped", "stopped by a signal (SIGTERM or SIGINT)")
    assert (run.counts["pages"], run.counts["new"], run.counts["failed"]) == (3, 1, 1)
    assert run.failures == {"HTTP 500": 1, "dropped: index page": 1}
    assert (run.host, run.pid) == (socket.gethostname(), os.getpid())


@pytest.mark.parametrize(
    ("reason", "listings", "status"),
    [
        ("finished", {LISTINGS_FETCHED: 2}, "finished"),
        ("finished", {LISTINGS_FAILED: 3}, "failed"),  # the site is down
        ("finished", {}, "failed"),  # nothing was fetched at all
        ("closespider_timeout", {LISTINGS_FETCHED: 1}, "stopped"),
    ],
)
def test_how_a_crawl_ended_becomes_the_run_status(
    db_url: str, reason: str, listings: dict[str, int], status: str
) -> None:
    recorder, spider = recorder_for(db_url)
    recorder.spider_opened(spider)
    for key, value in listings.items():
        recorder.crawler.stats.set_value(key, value)
    recorder.spider_closed(spider, reason)
    (run,) = runs(db_url)
    assert run.status == status
    assert (run.reason is None) == (status == "finished")


def test_heartbeat_writes_the_counts_so_far(db_url: str) -> None:
    recorder, spider = recorder_for(db_url)
    recorder.clock = lambda: T0
    recorder.spider_opened(spider)
    record(recorder.crawler.stats, "new")
    record(recorder.crawler.stats, "unchanged")
    recorder.clock = lambda: T0 + timedelta(seconds=10)
    recorder.beat()
    (run,) = runs(db_url)
    assert run.status == "running"
    assert (run.counts["pages"], run.counts["new"], run.counts["unchanged"]) == (2, 1, 1)
    assert run.heartbeat_at == T0 + timedelta(seconds=10)
    recorder.spider_closed(spider, "finished")


def test_a_second_crawl_of_a_busy_source_closes_at_once_without_a_run(db_url: str) -> None:
    first, first_spider = recorder_for(db_url)
    first.spider_opened(first_spider)
    second, second_spider = recorder_for(db_url)
    with pytest.raises(CloseSpider) as closed:
        second.spider_opened(second_spider)
    assert closed.value.reason == "busy"
    busy = second.crawler.stats.get_value(BUSY_STAT)
    assert busy.startswith(f"{SOURCE} is being crawled by run {first.run_id} on ")
    assert f"(pid {os.getpid()})" in busy
    second.spider_closed(second_spider, "busy")
    assert [run.id for run in runs(db_url)] == [first.run_id]
    first.spider_closed(first_spider, "finished")
    third, third_spider = recorder_for(db_url)
    third.spider_opened(third_spider)  # the lease was given back
    assert third.crawler.stats.get_value(RUN_ID_STAT) == third.run_id
    third.spider_closed(third_spider, "finished")


def test_a_lease_whose_process_is_gone_is_taken_over_at_once(db_url: str, engine: Engine) -> None:
    """kill -9 of a crawl: its run is found abandoned, with the counts it had written."""
    with session_scope(engine) as session:
        holder = Holder(socket.gethostname(), dead_pid(), "dead-token")
        acquire_lease(
            session, SOURCE, holder, now=T0, ttl=timedelta(hours=1), gone=lambda h, p: False
        )
        killed = start_run(session, SOURCE, T0, host=holder.host, pid=holder.pid)
    recorder, spider = recorder_for(db_url)
    recorder.spider_opened(spider)
    recorder.spider_closed(spider, "finished")
    old, new = runs(db_url)
    assert old.id == killed
    assert (old.status, new.status) == ("abandoned", "failed")  # nothing fetched in this test


def test_an_expired_lease_of_another_host_is_taken_over(db_url: str, engine: Engine) -> None:
    with session_scope(engine) as session:
        holder = Holder("another-host", 4242, "their-token")
        acquire_lease(
            session, SOURCE, holder, now=T0, ttl=timedelta(seconds=60), gone=lambda h, p: False
        )
        theirs = start_run(session, SOURCE, T0, host="another-host", pid=4242)
    recorder, spider = recorder_for(db_url)  # the clock is now: long after T0 + 60 s
    recorder.spider_opened(spider)
    with session_scope(engine) as session:
        abandoned = get_run(session, theirs)
    assert abandoned is not None and abandoned.status == "abandoned"
    assert recorder.run_id is not None and recorder.run_id != theirs
    recorder.spider_closed(spider, "finished")


def test_a_lease_that_cannot_be_taken_stops_the_crawl_without_a_run(
    db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A database error while taking the lease must not let the crawl run unguarded."""

    def broken(*args: Any, **kwargs: Any) -> None:
        raise RuntimeError("database is locked")

    monkeypatch.setattr("pipelines.runs.acquire_lease", broken)
    recorder, spider = recorder_for(db_url)
    with pytest.raises(CloseSpider) as closed:
        recorder.spider_opened(spider)
    assert closed.value.reason == "lease error"
    recorder.spider_closed(spider, "lease error")
    assert runs(db_url) == []


def test_a_worker_adds_its_share_to_the_owners_run_and_leaves_its_ending_to_the_owner(
    db_url: str,
) -> None:
    owner, owner_spider = recorder_for(db_url)
    owner.spider_opened(owner_spider)
    worker, _ = recorder_for(db_url)
    worker_spider = worker.crawler.spidercls.from_crawler(worker.crawler, join_run=owner.run_id)
    worker.spider_opened(worker_spider)  # no lease taken: the owner holds it
    assert worker.run_id == owner.run_id and not worker.owner
    for stats in (owner.crawler.stats, worker.crawler.stats):
        stats.inc_value(LISTINGS_FETCHED)
        record(stats, "new")
    record(worker.crawler.stats, "failed", "HTTP 500")
    worker.beat()
    worker.beat()  # a second beat adds nothing more
    record(worker.crawler.stats, "new")
    assert worker.write_counts()
    worker.spider_closed(worker_spider, "finished")
    assert runs(db_url)[0].status == "running"  # a worker leaving does not end the run
    owner.spider_closed(owner_spider, "finished")
    (run,) = runs(db_url)
    assert (run.status, run.counts["pages"], run.counts["new"]) == ("finished", 4, 3)
    assert run.failures == {"HTTP 500": 1}


def test_a_worker_does_not_join_a_run_that_is_over(db_url: str) -> None:
    owner, owner_spider = recorder_for(db_url)
    owner.spider_opened(owner_spider)
    owner.crawler.stats.inc_value(LISTINGS_FETCHED)
    owner.spider_closed(owner_spider, "finished")
    worker, _ = recorder_for(db_url)
    late = worker.crawler.spidercls.from_crawler(worker.crawler, join_run=owner.run_id)
    with pytest.raises(CloseSpider):
        worker.spider_opened(late)
    worker.spider_closed(late, "run over")  # as Scrapy closes it
    assert worker.run_id is None
    assert [run.status for run in runs(db_url)] == ["finished"]
