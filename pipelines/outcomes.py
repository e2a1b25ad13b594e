"""Outcome counting through Scrapy's stats: pipelines write, the run recorder reads.

Components never call each other; the stats collector is their shared ledger.
"""

from __future__ import annotations

from typing import Any

PREFIX = "syndicate/"
FAILURE_PREFIX = "syndicate/failures/"
OUTCOMES = ("new", "updated", "unchanged", "dropped", "failed")


def record(stats: Any, outcome: str, reason: str | None = None) -> None:
    """Count one page's outcome; dropped and failed pages also count under their reason."""
    stats.inc_value(f"{PREFIX}pages")
    stats.inc_value(f"{PREFIX}{outcome}")
    if outcome == "dropped":
        stats.inc_value(f"{FAILURE_PREFIX}dropped: {reason or 'no reason given'}")
    elif outcome == "failed":
        stats.inc_value(f"{FAILURE_PREFIX}{reason or 'no reason given'}")


def add_time(stats: Any, stage: str, seconds: float) -> None:
    """Seconds spent in one stage (extract, store), summed over the crawl: where time goes."""
    stats.inc_value(f"{PREFIX}seconds/{stage}", seconds)


def counts(stats: Any) -> dict[str, int]:
    """`pages` and each outcome, as `storage.runs.finish_run` takes them."""
    return {key: int(stats.get_value(f"{PREFIX}{key}", 0)) for key in ("pages", *OUTCOMES)}


def failures(stats: Any) -> dict[str, int]:
    """Reason -> count of failed and dropped pages."""
    all_stats: dict[str, Any] = stats.get_stats()
    return {
        key.removeprefix(FAILURE_PREFIX): int(value)
        for key, value in all_stats.items()
        if key.startswith(FAILURE_PREFIX)
    }
