"""Crawls through a shared Redis: global politeness across processes, and Redis failures
(down at start, lost mid-crawl) ending in one documented line and exit code 1.

Only 127.0.0.1: the local site, the shared test Redis (its db from TEST_REDIS_URL) and
redis-servers the tests start themselves on free ports.
"""

from __future__ import annotations

import os
import socket
import subprocess
import sys
import time
import uuid
from pathlib import Path

import pytest
from sqlalchemy import select

from storage.database import make_engine, session_scope
from storage.models import ArticleRow, CrawlRun
from tests.support.site_pages import el_comercio_source
from tests.support.slow_site import SlowSite, slow_el_comercio

pytestmark = [pytest.mark.e2e, pytest.mark.redis]

SYNDICATE = str(Path(sys.executable).parent / "syndicate")
# Scrapy's own per-process politeness off: what is left to keep the site safe is the shared one.
# Extraction in the crawl process: no worker pool to start, the tests stay fast.
FAST = ["--set", "AUTOTHROTTLE_ENABLED=False", "--set", "DOWNLOAD_DELAY=0"]
FAST += ["--set", "SYNDICATE_EXTRACT_WORKERS=0"]
CONCURRENCY = 2  # the El Comercio source file's [crawl] concurrency


def unused_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return int(probe.getsockname()[1])


def write_source(folder: Path, base: str, key: str) -> None:
    folder.mkdir(exist_ok=True)
    (folder / f"{key}.toml").write_text(el_comercio_source(base, key), encoding="utf-8")


def start_crawl(
    key: str, db: str, sources: Path, redis_url: str, *extra: str
) -> subprocess.Popen[str]:
    env = {**os.environ, "SYNDICATE_SOURCES_DIR": str(sources), "SYNDICATE_REDIS_URL": redis_url}
    args = [SYNDICATE, "crawl", key, "--db", db, *FAST, *extra]
    return subprocess.Popen(
        args, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def runs(db: str) -> list[CrawlRun]:
    engine = make_engine(db)
    with session_scope(engine) as session:
        rows = list(session.execute(select(CrawlRun).order_by(CrawlRun.id)).scalars())
    engine.dispose()
    return rows


def stored_urls(db: str) -> set[str]:
    engine = make_engine(db)
    with session_scope(engine) as session:
        urls = set(session.execute(select(ArticleRow.url)).scalars())
    engine.dispose()
    return urls


def test_two_processes_together_stay_within_the_sources_concurrency(
    tmp_path: Path, redis_url: str
) -> None:
    site = slow_el_comercio(articles=8, latency=0.2)
    prefix = ["--set", f"SYNDICATE_POLITENESS_PREFIX=test:{uuid.uuid4().hex}:"]
    with site.serve():
        sources = tmp_path / "sources"
        for key in ("site-a", "site-b"):  # two sources of one publisher's host
            write_source(sources, site.base_url, key)
        dbs = {key: f"sqlite:///{tmp_path / key}.db" for key in ("site-a", "site-b")}
        crawls = [start_crawl(key, db, sources, redis_url, *prefix) for key, db in dbs.items()]
        results = [crawl.communicate(timeout=120) for crawl in crawls]
    for crawl, (_out, err) in zip(crawls, results, strict=True):
        assert crawl.returncode == 0, err[-3000:]
    # Each process alone may have 2 in flight; together they must still have at most 2.
    assert site.peak == CONCURRENCY
    for db in dbs.values():
        assert stored_urls(db) == {site.url(path) for path in site.pages}


def test_redis_down_at_start_gives_one_line_exit_1_and_records_no_run(tmp_path: Path) -> None:
    port = unused_port()
    sources = tmp_path / "sources"
    write_source(sources, "http://127.0.0.1:9", "nowhere")
    db = f"sqlite:///{tmp_path / 'down.db'}"
    crawl = start_crawl("nowhere", db, sources, f"redis://:hunter2@127.0.0.1:{port}/0")
    out, err = crawl.communicate(timeout=60)
    assert crawl.returncode == 1
    assert out == ""
    assert err.splitlines() == [
        f"syndicate crawl: cannot use Redis redis://:***@127.0.0.1:{port}/0: "
        f"Error 111 connecting to 127.0.0.1:{port}. Connection refused."
    ]
    assert runs(db) == []


def test_redis_lost_mid_crawl_fails_the_run_with_that_reason(
    tmp_path: Path, own_redis: tuple[str, subprocess.Popen[bytes]]
) -> None:
    url, redis_server = own_redis
    site: SlowSite = slow_el_comercio(articles=8, latency=0.5)
    with site.serve():
        sources = tmp_path / "sources"
        write_source(sources, site.base_url, "elcomercio-local")
        db = f"sqlite:///{tmp_path / 'lost.db'}"
        crawl = start_crawl("elcomercio-local", db, sources, url)
        deadline = time.monotonic() + 60
        while not any(path.endswith("-noticia/") for path, _ in site.requests()):
            assert time.monotonic() < deadline and crawl.poll() is None, "no article fetched"
            time.sleep(0.05)
        redis_server.kill()  # Redis dies with the queue still holding articles
        redis_server.wait(timeout=10)
        out, err = crawl.communicate(timeout=60)
        fetched = sum(path.endswith("-noticia/") for path, _ in site.requests())
    assert crawl.returncode == 1, err[-3000:]
    assert "Traceback" not in err
    (run,) = runs(db)
    assert (run.status, run.reason) == ("failed", "redis: connection lost")
    assert run.finished_at is not None
    assert f"elcomercio-local: run {run.id} failed (redis: connection lost)" in out
    assert fetched < len(site.pages)  # it stopped instead of crawling on without its queue


def test_a_crawl_killed_with_9_is_recovered_by_the_next_run(
    tmp_path: Path, own_redis: tuple[str, subprocess.Popen[bytes]]
) -> None:
    url, _server = own_redis
    site = slow_el_comercio(articles=6, latency=0.3)
    with site.serve():
        articles = {site.url(path) for path in site.pages}
        sources = tmp_path / "sources"
        write_source(sources, site.base_url, "elcomercio-local")
        db = f"sqlite:///{tmp_path / 'killed.db'}"
        first = start_crawl("elcomercio-local", db, sources, url)
        deadline = time.monotonic() + 60
        while sum(path.endswith("-noticia/") for path, _ in site.requests()) < 3:
            assert time.monotonic() < deadline and first.poll() is None, "no article fetched"
            time.sleep(0.05)
        first.kill()  # -9: its queue and seen-URLs filter stay behind in Redis
        first.communicate(timeout=30)
        while site.in_flight:  # the dead crawl's last requests are answered (and logged)
            assert time.monotonic() < deadline
            time.sleep(0.05)
        kept = stored_urls(db)
        before = {p for p, status in site.requests() if p.endswith("-noticia/") and status == 200}
        site.clear_log()
        second = start_crawl("elcomercio-local", db, sources, url)
        out, err = second.communicate(timeout=120)
        again = [p for p, status in site.requests() if p.endswith("-noticia/") and status == 200]
    assert second.returncode == 0, err[-3000:]
    assert stored_urls(db) == articles  # every article, once (URLs are unique in storage)
    assert len(again) == len(set(again))
    # Fetched twice: only pages the killed crawl had in flight, never one it had stored.
    assert {site.url(p) for p in before & set(again)} <= articles - kept
    killed, recovered = runs(db)
    assert (killed.status, recovered.status) == ("abandoned", "finished")
    assert f"run {recovered.id} finished" in out


def test_scrapy_crawl_with_redis_down_fails_its_run_without_a_traceback(tmp_path: Path) -> None:
    """`scrapy crawl` and scrapyd do not pass through `syndicate crawl`'s check first."""
    port = unused_port()
    sources = tmp_path / "sources"
    write_source(sources, "http://127.0.0.1:9", "nowhere")
    db = f"sqlite:///{tmp_path / 'scrapy.db'}"
    env = {
        **os.environ,
        "SYNDICATE_SOURCES_DIR": str(sources),
        "SYNDICATE_DATABASE_URL": db,
        "SYNDICATE_REDIS_URL": f"redis://:hunter2@127.0.0.1:{port}/0",
    }
    scrapy = str(Path(sys.executable).parent / "scrapy")
    done = subprocess.run(
        [scrapy, "crawl", "nowhere", "-s", "LOG_LEVEL=WARNING"],
        cwd=Path(__file__).parents[2],  # the repository root, where scrapy.cfg is
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert "Traceback" not in done.stderr, done.stderr[-3000:]
    assert "hunter2" not in done.stderr
    assert f"cannot use Redis: Error 111 connecting to 127.0.0.1:{port}." in done.stderr
    (run,) = runs(db)
    assert (run.status, run.reason) == ("failed", "redis: unreachable")
