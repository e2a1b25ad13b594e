"""Crawls (Scrapy stats) and ingests (`Report`) count pages by the one rule in
`storage.runs.outcome_keys`, so `crawl_runs` rows mean the same whichever wrote them."""

from __future__ import annotations

from scrapy.statscollectors import MemoryStatsCollector
from scrapy.utils.test import get_crawler

from pipelines.backfill import Report
from pipelines.outcomes import counts, failures, record
from pipelines.processing import PageOutcome
from storage.records import Outcome
from storage.runs import COUNT_KEYS

PAGES: list[tuple[Outcome, str | None]] = [
    ("new", None),
    ("unchanged", None),
    ("dropped", "too short: 12 words"),
    ("dropped", "too short: 12 words"),
    ("failed", "HTTP 404"),
    ("failed", None),
]


def test_crawl_stats_and_ingest_report_count_alike() -> None:
    stats = MemoryStatsCollector(get_crawler())
    report = Report()
    for outcome, reason in PAGES:
        record(stats, outcome, reason)
        report.add(PageOutcome(outcome, reason, None))
    assert counts(stats) == {key: report.counts[key] for key in COUNT_KEYS}
    assert counts(stats) == {
        "pages": 6,
        "new": 1,
        "updated": 0,
        "unchanged": 1,
        "dropped": 2,
        "failed": 2,
    }
    assert (
        failures(stats)
        == dict(report.failures)
        == {
            "dropped: too short: 12 words": 2,
            "HTTP 404": 1,
            "no reason given": 1,
        }
    )
