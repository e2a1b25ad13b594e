"""Outcome counting through Scrapy's stats: pipelines write, the run recorder reads.

Components never call each other; the stats collector is their shared ledger. Every article
link a listing names ends in one counted outcome: a page outcome (`record`) or a skip (a
request not made on purpose, counted per reason under `spiders.source_spider.SKIPPED`).
"""

from __future__ import annotations

from typing import Any

from spiders.source_spider import SKIPPED
from storage.records import Outcome
from storage.runs import COUNT_KEYS, outcome_keys

PREFIX = "syndicate/"
FAILURE_PREFIX = "syndicate/failures/"
SKIP_KEY = "skipped: "  # how skips appear among a run's failures by reason
WAITING_STAT = "syndicate/store/waiting"  # pages handed to the storage writer, not yet counted


def record(stats: Any, outcome: Outcome, reason: str | None = None) -> None:
    """Count one page's outcome; dropped and failed pages also count under their reason."""
    keys, failure = outcome_keys(outcome, reason)
    for key in keys:
        stats.inc_value(f"{PREFIX}{key}")
    if failure is not None:
        stats.inc_value(f"{FAILURE_PREFIX}{failure}")


def skip(stats: Any, reason: str) -> None:
    """Count one request not made on purpose (`duplicate`, `robots.txt`…)."""
    stats.inc_value(f"{SKIPPED}{reason}")


def add_time(stats: Any, stage: str, seconds: float) -> None:
    """Seconds spent in one stage (extract, store), summed over the crawl: where time goes."""
    stats.inc_value(f"{PREFIX}seconds/{stage}", seconds)


def counts(stats: Any) -> dict[str, int]:
    """`pages` and each outcome, as `storage.runs.finish_run` takes them."""
    return {key: int(stats.get_value(f"{PREFIX}{key}", 0)) for key in COUNT_KEYS}


def failures(stats: Any) -> dict[str, int]:
    """Reason -> count of failed and dropped pages, and of skips as `skipped: <reason>`:
    `crawl_runs` has no skipped column, so this is where skips are seen."""
    all_stats: dict[str, Any] = stats.get_stats()
    reasons = {
        key.removeprefix(FAILURE_PREFIX): int(value)
        for key, value in all_stats.items()
        if key.startswith(FAILURE_PREFIX)
    }
    reasons |= {
        SKIP_KEY + key.removeprefix(SKIPPED): int(value)
        for key, value in all_stats.items()
        if key.startswith(SKIPPED)
    }
    return reasons
