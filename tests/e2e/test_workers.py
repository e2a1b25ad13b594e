"""`syndicate crawl KEY` plus `syndicate worker` processes on one run, through Redis and
PostgreSQL (docs/distributed.md): one politeness budget, every article stored once, one run
row counting every page once, and a worker killed with -9 recovered by the next crawl.

Only 127.0.0.1: the local slow site, a redis-server of the test's own, the test PostgreSQL.
"""

from __future__ import annotations

import math
import os
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import pytest
import redis
from sqlalchemy import func, select

from pipelines.concurrency import DEFAULT_LIMITS
from pipelines.run_board import DEFAULT_PREFIX
from storage.database import make_engine, session_scope
from storage.models import ArticleRow
from tests.e2e.test_distributed import FAST, SYNDICATE, runs, stored_urls, write_source
from tests.support.databases import postgres_schema
from tests.support.slow_site import SlowSite, slow_el_comercio

pytestmark = [pytest.mark.e2e, pytest.mark.redis, pytest.mark.postgres]

KEY = "elcomercio-local"
CONCURRENCY = 2  # the El Comercio source file's [crawl] concurrency
ARTICLES = 200
# Short liveness so a worker killed with -9 is noticed within seconds, not a minute.
QUICK = ["--set", "SYNDICATE_RUN_TTL_SECONDS=4", "--set", "SYNDICATE_HEARTBEAT_SECONDS=2"]


@pytest.fixture
def pg_db(postgres_url: str) -> Iterator[str]:
    with postgres_schema(postgres_url) as url:
        yield url


def start(args: list[str], sources: Path, redis_url: str) -> subprocess.Popen[str]:
    env = {**os.environ, "SYNDICATE_SOURCES_DIR": str(sources), "SYNDICATE_REDIS_URL": redis_url}
    return subprocess.Popen(
        [SYNDICATE, *args, *FAST, *QUICK],
        env=env,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )


def workers(n: int, db: str, sources: Path, redis_url: str) -> list[subprocess.Popen[str]]:
    args = ["worker", KEY, "--db", db, "--exit-when-idle", "6"]
    return [start(args, sources, redis_url) for _ in range(n)]


def article_fetches(site: SlowSite) -> list[str]:
    return [
        path for path, status in site.requests() if path.endswith("-noticia/") and status == 200
    ]


def holds_requests(redis_url: str, pid: int) -> bool:
    """Whether the worker with `pid` is among the holders of the source's running run."""
    server = redis.Redis.from_url(redis_url)
    try:
        run = server.get(f"{DEFAULT_PREFIX}{KEY}")
        held = server.hvals(f"{DEFAULT_PREFIX}{KEY}:{int(run)}:holding") if run else []
    finally:
        server.close()
    names = [who.decode() if isinstance(who, bytes) else who for who in held]
    return any(name.endswith(f" {pid}") for name in names)


def copies_per_url(db: str) -> int:
    engine = make_engine(db)
    with session_scope(engine) as session:
        most = session.execute(
            select(func.count())
            .select_from(ArticleRow)
            .group_by(ArticleRow.url)
            .order_by(func.count().desc())
            .limit(1)
        ).scalar()
    engine.dispose()
    return int(most or 0)


def test_a_crawl_and_two_workers_share_one_run_and_one_politeness_budget(
    tmp_path: Path, own_redis: tuple[str, subprocess.Popen[bytes]], pg_db: str
) -> None:
    redis_url, _server = own_redis
    site = slow_el_comercio(articles=ARTICLES, latency=0.2)
    with site.serve():
        sources = tmp_path / "sources"
        write_source(sources, site.base_url, KEY)
        helpers = workers(2, pg_db, sources, redis_url)
        time.sleep(1.5)  # the workers are up and polling before the run starts
        owner = start(["crawl", KEY, "--db", pg_db], sources, redis_url)
        out, err = owner.communicate(timeout=600)
        assert owner.returncode == 0, err[-3000:]
        helper_out = [helper.communicate(timeout=120) for helper in helpers]
        fetched = article_fetches(site)
    for helper, (_out, h_err) in zip(helpers, helper_out, strict=True):
        assert helper.returncode == 0, h_err[-3000:]
        assert "Traceback" not in h_err, h_err[-5000:]
    (run,) = runs(pg_db)
    shares = [line for h_out, _ in helper_out for line in h_out.splitlines()]
    assert all(line.startswith(f"{KEY}: left run {run.id}: pages=") for line in shares), shares
    assert len(shares) == 2
    worker_pages = [int(line.split("pages=")[1].split()[0]) for line in shares]
    assert all(n > 0 for n in worker_pages), shares  # both workers did part of the run
    articles = {site.url(path) for path in site.pages}
    assert site.peak <= CONCURRENCY  # three processes, one budget
    assert stored_urls(pg_db) == articles
    assert copies_per_url(pg_db) == 1
    assert len(fetched) == len(set(fetched)) == len(articles)  # none fetched twice
    assert (run.status, run.pages, run.new) == ("finished", len(articles), len(articles))
    assert f"{KEY}: run {run.id} finished" in out


KILL_LATENCY = 0.3  # seconds the slow site takes per page in the kill test
# A worker killed with -9 loses its pages in flight: the downloads under way (at most the
# shared politeness budget) and the pages it fetched whose storage batch it had not written
# yet; a batch waits at most SYNDICATE_STORE_BATCH_SECONDS, in which the budget fetches at
# most CONCURRENCY pages per KILL_LATENCY.
IN_FLIGHT_AT_MOST = CONCURRENCY * (1 + math.ceil(DEFAULT_LIMITS.seconds / KILL_LATENCY))


def test_a_worker_killed_with_9_costs_at_most_its_in_flight_pages(
    tmp_path: Path, own_redis: tuple[str, subprocess.Popen[bytes]], pg_db: str
) -> None:
    redis_url, _server = own_redis
    site = slow_el_comercio(articles=60, latency=KILL_LATENCY)
    with site.serve():
        articles = {site.url(path) for path in site.pages}
        sources = tmp_path / "sources"
        write_source(sources, site.base_url, KEY)
        doomed, survivor = workers(2, pg_db, sources, redis_url)
        time.sleep(1.5)
        owner = start(["crawl", KEY, "--db", pg_db], sources, redis_url)
        deadline = time.monotonic() + 120
        while len(article_fetches(site)) < 15 or not holds_requests(redis_url, doomed.pid):
            assert time.monotonic() < deadline and owner.poll() is None, "too few fetched"
            time.sleep(0.05)
        doomed.kill()  # -9: the requests it popped are gone with it
        doomed.communicate(timeout=30)
        out, _err = owner.communicate(timeout=300)
        survivor.communicate(timeout=120)
        first = article_fetches(site)
        stored_by_first = stored_urls(pg_db)
        site.clear_log()
        again = start(["crawl", KEY, "--db", pg_db], sources, redis_url)
        _out2, err2 = again.communicate(timeout=300)
        second = article_fetches(site)
    assert again.returncode == 0, err2[-3000:]
    assert stored_urls(pg_db) == articles  # the same articles as one process would store
    assert copies_per_url(pg_db) == 1
    killed_run, next_run = runs(pg_db)
    # The owner could not call its run finished: a worker died holding requests.
    assert killed_run.status == "failed", (killed_run.status, killed_run.reason)
    assert "died holding requests" in (killed_run.reason or "")
    assert owner.returncode == 1 and "died holding requests" in out
    assert next_run.status == "finished"
    # The second crawl fetches exactly what the first did not store; nothing is fetched
    # twice beyond the killed worker's pages in flight.
    assert {site.url(path) for path in second} == articles - stored_by_first
    assert len(set(first) & set(second)) <= IN_FLIGHT_AT_MOST
    assert len(second) == len(set(second)) and len(set(first)) == len(first)


def test_redis_lost_mid_run_stops_the_worker_with_one_line_and_exit_1(
    tmp_path: Path, own_redis: tuple[str, subprocess.Popen[bytes]], pg_db: str
) -> None:
    redis_url, redis_server = own_redis
    site = slow_el_comercio(articles=40, latency=0.4)
    with site.serve():
        sources = tmp_path / "sources"
        write_source(sources, site.base_url, KEY)
        (helper,) = workers(1, pg_db, sources, redis_url)
        time.sleep(1.5)
        owner = start(["crawl", KEY, "--db", pg_db], sources, redis_url)
        deadline = time.monotonic() + 120
        while not holds_requests(redis_url, helper.pid):
            assert time.monotonic() < deadline and owner.poll() is None, "the worker never joined"
            time.sleep(0.05)
        redis_server.kill()  # the queue, the run board and the politeness slots are gone
        redis_server.wait(timeout=10)
        _out, err = helper.communicate(timeout=120)
        owner_out, _owner_err = owner.communicate(timeout=120)
    assert helper.returncode == 1
    assert "Traceback" not in err
    assert err.splitlines()[-1].startswith("syndicate worker: lost Redis (")
    (run,) = runs(pg_db)
    assert (run.status, run.reason) == ("failed", "redis: connection lost")
    assert owner.returncode == 1 and "failed (redis: connection lost)" in owner_out
