"""Extraction in worker processes gives what extraction in-process gives, and a page that
raises (or kills its worker) fails alone: crawls (StorePipeline) and `syndicate ingest`."""

from __future__ import annotations

import asyncio
import os
import subprocess
import sys
import time
from dataclasses import replace
from datetime import timedelta
from pathlib import Path
from typing import Any

from scrapy.utils.test import get_crawler
from sqlalchemy import Engine

from extractors.article import Article
from extractors.page_files import read_page_file
from extractors.source_rules import PublisherRegistry, SourceRules
from pipelines.backfill import Report, ingest_pages
from pipelines.extraction_pool import ExtractionPool, acquire_shared, release_shared
from pipelines.processing import Extracted, extract_step
from pipelines.saved_pages import InputError
from pipelines.store import StorePipeline
from spiders.items import RawPage
from spiders.registry import load_catalog
from spiders.source_spider import SourceSpider, make_spider_class
from storage.database import make_engine, session_scope, upgrade
from storage.records import FetchedPage
from storage.repository import articles_of_source, ensure_source
from tests.support.pagegen import numbered_page
from tests.support.paths import EL_COMERCIO_PAGE
from tests.support.site_pages import EL_COMERCIO_URL
from tests.support.sources import ELCOMERCIO, T0

HTML = {"Content-Type": "text/html; charset=utf-8"}
CRASHING = "https://elcomercio.pe/politica/justicia/pagina-que-rompe-rmmn-noticia/"


def real_pages() -> list[FetchedPage]:
    """The saved El Comercio page, pages made from its markup, and a page that is no article."""
    pages = [
        FetchedPage(
            EL_COMERCIO_URL, EL_COMERCIO_URL, 200, HTML, read_page_file(EL_COMERCIO_PAGE), T0
        )
    ]
    for number in range(4):
        url, body = numbered_page(number)
        pages.append(FetchedPage(url, url, 200, HTML, body, T0 + timedelta(minutes=number)))
    home = "https://elcomercio.pe/portada-noticia/"
    index = b"<html><head><title>Portada</title></head><body><p>Hola.</p></body></html>"
    pages.append(FetchedPage(home, home, 200, HTML, index, T0))
    return pages


def raising_task(
    page: FetchedPage, rules: SourceRules, registry: PublisherRegistry | None
) -> Extracted:
    """The real extract step, except that one page raises inside the worker."""
    if page.url == CRASHING:
        raise RuntimeError("extractor bug on this page")
    return extract_step(page, rules, registry)


def dying_task(
    page: FetchedPage, rules: SourceRules, registry: PublisherRegistry | None
) -> Extracted:
    """The real extract step, except that one page kills its worker (as a crash in C would)."""
    if page.url == CRASHING:
        os._exit(1)
    return extract_step(page, rules, registry)


def crashing_page() -> FetchedPage:
    return FetchedPage(CRASHING, CRASHING, 200, HTML, numbered_page(9)[1], T0)


def stored(engine: Engine) -> list[Article]:
    with session_scope(engine) as session:
        return sorted(articles_of_source(session, "elcomercio"), key=lambda a: a.canonical_url)


def ingest(engine: Engine, pages: list[FetchedPage | InputError], pool: ExtractionPool) -> Report:
    labelled = [(page.url if isinstance(page, FetchedPage) else page.label, page) for page in pages]
    try:
        return ingest_pages(
            engine, labelled, ELCOMERCIO, None, started_at=T0, clock=lambda: T0, pool=pool
        )
    finally:
        pool.close()


def test_ingest_with_two_workers_stores_what_in_process_extraction_stores(
    engine: Engine, tmp_path: Path
) -> None:
    in_process = make_engine(f"sqlite:///{tmp_path / 'in-process.db'}")
    upgrade(in_process)
    with session_scope(in_process) as session:
        ensure_source(session, ELCOMERCIO)
    pages: list[FetchedPage | InputError] = [
        *real_pages(),
        InputError("gone.html", "cannot read file"),
    ]
    alone = ingest(in_process, pages, ExtractionPool(0))
    pooled = ingest(engine, pages, ExtractionPool(2))
    assert dict(pooled.counts) == dict(alone.counts)
    assert (pooled.counts["new"], pooled.counts["dropped"], pooled.counts["failed"]) == (5, 1, 1)
    assert pooled.failures == alone.failures
    assert stored(engine) == stored(in_process) != []
    in_process.dispose()


def test_a_page_raising_in_a_worker_fails_alone_and_the_batch_is_stored(engine: Engine) -> None:
    pages: list[FetchedPage | InputError] = [*real_pages()[:3], crashing_page(), *real_pages()[3:5]]
    report = ingest(engine, pages, ExtractionPool(2, task=raising_task))
    assert (report.counts["new"], report.counts["failed"]) == (5, 1)
    assert dict(report.failures) == {
        "extraction error: RuntimeError: extractor bug on this page": 1
    }
    assert CRASHING not in {article.canonical_url for article in stored(engine)}


def test_a_worker_that_dies_fails_its_page_and_the_pool_starts_afresh() -> None:
    pool = ExtractionPool(1, task=dying_task)
    good = real_pages()[1]
    try:
        died = pool.result(pool.submit((crashing_page(), ELCOMERCIO, None)))
        after = pool.result(pool.submit((good, ELCOMERCIO, None)))
    finally:
        pool.close()
    assert (died.kind, died.reason) == ("failed", "extraction worker died")
    assert after.kind == "article"
    assert after == replace(extract_step(good, ELCOMERCIO, None), seconds=after.seconds)


def spider_for(db_url: str, **settings: Any) -> SourceSpider:
    cls = make_spider_class(load_catalog().get("elcomercio"))
    crawler = get_crawler(cls, {"SYNDICATE_DATABASE_URL": db_url, **settings})
    crawler._apply_settings()  # creates the stats collector, as Crawler.crawl() would
    spider = cls.from_crawler(crawler)
    crawler.spider = spider
    assert isinstance(spider, SourceSpider)
    return spider


def crawl_items(spider: SourceSpider, pages: list[FetchedPage]) -> dict[str, Any]:
    """Every page through the store pipeline at once, as Scrapy hands them over; the stats."""
    pipeline = StorePipeline.from_crawler(spider.crawler)
    pipeline.open_spider()
    items = [
        RawPage("elcomercio", p.url, p.final_url, p.status, p.headers, p.body, p.fetched_at)
        for p in pages
    ]

    async def crawl() -> None:
        await asyncio.gather(*(pipeline.process_item(item) for item in items))
        await pipeline.close_spider()

    asyncio.run(crawl())
    return dict(spider.crawler.stats.get_stats())


def test_a_crawl_extracting_in_workers_stores_what_in_process_extraction_stores(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    pages = real_pages()
    in_process_url = f"sqlite:///{tmp_path / 'in-process.db'}"
    alone = crawl_items(spider_for(in_process_url, SYNDICATE_EXTRACT_WORKERS=0), pages)
    pooled = crawl_items(
        spider_for(db_url, SYNDICATE_EXTRACT_WORKERS=2, SYNDICATE_STORE_BATCH_PAGES=4), pages
    )
    counts = {
        key: value
        for key, value in pooled.items()
        if key.startswith("syndicate/") and "seconds" not in key
    }
    assert counts == {key: alone[key] for key in counts}
    assert (pooled["syndicate/pages"], pooled["syndicate/new"], pooled["syndicate/dropped"]) == (
        6,
        5,
        1,
    )
    in_process = make_engine(in_process_url)
    assert stored(engine) == stored(in_process) != []
    in_process.dispose()


def test_close_spider_writes_the_pages_still_waiting_for_their_batch(
    engine: Engine, db_url: str
) -> None:
    spider = spider_for(
        db_url,
        SYNDICATE_EXTRACT_WORKERS=0,
        SYNDICATE_STORE_BATCH_PAGES=100,
        SYNDICATE_STORE_BATCH_SECONDS=3600,
    )
    pipeline = StorePipeline.from_crawler(spider.crawler)
    pipeline.open_spider()
    pages = real_pages()[:3]
    items = [
        RawPage("elcomercio", p.url, p.final_url, p.status, p.headers, p.body, p.fetched_at)
        for p in pages
    ]
    before: list[int] = []

    async def crawl() -> list[Any]:
        done = [await pipeline.process_item(item) for item in items]  # extracted and queued
        await asyncio.sleep(0.2)
        before.append(int(spider.crawler.stats.get_value("syndicate/pages", 0)))
        before.append(len(stored(engine)))
        await pipeline.close_spider()
        return done

    assert asyncio.run(crawl()) == items
    assert before == [0, 0]  # nothing counted or written: the batch was neither full nor due
    assert spider.crawler.stats.get_value("syndicate/new") == 3
    assert len(stored(engine)) == 3


def test_the_crawls_of_one_process_share_a_pool_until_the_last_one_closes() -> None:
    first, second = acquire_shared(3), acquire_shared(3)
    assert first is second
    other = acquire_shared(1)
    assert other is not first  # another size is another pool
    release_shared(other)
    release_shared(first)
    assert acquire_shared(3) is first  # the other crawls still use it
    release_shared(first)
    release_shared(first)
    fresh = acquire_shared(3)
    assert fresh is not first  # the last crawl gave it back
    release_shared(fresh)


def pid_task(
    page: FetchedPage, rules: SourceRules, registry: PublisherRegistry | None
) -> Extracted:
    """Which process extracted the page."""
    return Extracted(None, "failed", str(os.getpid()))


CRAWL_PROCESS = f"""
import sys, time
sys.path.insert(0, {str(Path(__file__).parents[2])!r})
from pipelines.extraction_pool import ExtractionPool
from tests.pipelines.test_extraction_pool import pid_task, real_pages
from tests.support.sources import ELCOMERCIO
pool = ExtractionPool(1, task=pid_task)
print(pool.result(pool.submit((real_pages()[0], ELCOMERCIO, None))).reason, flush=True)
time.sleep(60)
"""


def gone(pid: int) -> bool:
    try:
        os.kill(pid, 0)
    except ProcessLookupError:
        return True
    return False


def test_workers_end_with_their_crawl_even_when_it_is_killed() -> None:
    """kill -9 of a crawl must not leave its workers waiting for work forever."""
    command = [sys.executable, "-c", CRAWL_PROCESS]
    with subprocess.Popen(command, stdout=subprocess.PIPE, text=True) as crawl:
        assert crawl.stdout is not None
        worker = int(crawl.stdout.readline())
        assert worker != crawl.pid and not gone(worker)
        crawl.kill()
    deadline = time.monotonic() + 10
    while not gone(worker) and time.monotonic() < deadline:
        time.sleep(0.1)
    assert gone(worker)
