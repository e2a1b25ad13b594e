"""The run recorder opens a `crawl_runs` row with the spider and closes it with Scrapy's
close reason and the outcome counts the pipelines left in the stats."""

from __future__ import annotations

from pathlib import Path

from scrapy.utils.test import get_crawler

from pipelines.outcomes import record
from pipelines.runs import CrawlRunRecorder
from spiders.registry import load_catalog
from spiders.source_spider import make_spider_class
from storage.database import make_engine, session_scope
from storage.runs import list_runs


def test_a_run_is_closed_with_its_reason_counts_and_failures(tmp_path: Path) -> None:
    url = f"sqlite:///{tmp_path / 'runs.db'}"
    crawler = get_crawler(
        make_spider_class(load_catalog().get("elcomercio")), {"SYNDICATE_DATABASE_URL": url}
    )
    crawler._apply_settings()  # creates the stats collector, as Crawler.crawl() would
    spider = crawler.spidercls.from_crawler(crawler)
    recorder = CrawlRunRecorder.from_crawler(crawler)
    recorder.spider_opened(spider)
    record(crawler.stats, "new")
    record(crawler.stats, "failed", "HTTP 500")
    record(crawler.stats, "dropped", "index page")
    recorder.spider_closed(spider, "shutdown")  # e.g. the operator pressed Ctrl-C
    engine = make_engine(url)
    with session_scope(engine) as session:
        (run,) = list_runs(session, "elcomercio", limit=5)
    engine.dispose()
    assert run.status == "shutdown"
    assert (run.counts["pages"], run.counts["new"], run.counts["failed"]) == (3, 1, 1)
    assert run.failures == {"HTTP 500": 1, "dropped: index page": 1}
