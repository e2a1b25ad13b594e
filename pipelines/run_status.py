"""How a crawl ended, in the `crawl_runs.status` vocabulary, from Scrapy's close reason and
the crawl's stats: the one place that decides whether a run finished, failed or stopped."""

from __future__ import annotations

from typing import Any

from spiders.source_spider import LISTINGS_FAILED, LISTINGS_FETCHED

LEASE_LOST = "lease lost"
LEASE_ERROR = "lease error"  # the lease (and so the run) could not be taken: nothing crawled
BUSY = "busy"
# Close reasons "redis: …" (pipelines/redis_scheduler.py, redis_limits.py): the shared Redis
# went away mid-crawl; the run failed, and the reason says so as it is.
REDIS_PREFIX = "redis: "
REDIS_LOST = REDIS_PREFIX + "connection lost"

_STOPPED = {
    "shutdown": "stopped by a signal (SIGTERM or SIGINT)",
    "closespider_timeout": "stopped at the crawl's time limit",
}


def run_ending(close_reason: str, stats: dict[str, Any]) -> tuple[str, str | None]:
    """(status, reason): `finished` only when the crawl ran to its end and fetched something."""
    if close_reason in _STOPPED:
        return "stopped", _STOPPED[close_reason]
    if close_reason == LEASE_LOST:
        return "failed", "another crawl took over the source's lease (heartbeats failed)"
    if close_reason != "finished":
        redis_lost = close_reason.startswith(REDIS_PREFIX)  # its own words say it all
        return "failed", close_reason if redis_lost else f"the crawl closed early: {close_reason}"
    fetched = int(stats.get(LISTINGS_FETCHED, 0))
    failed = int(stats.get(LISTINGS_FAILED, 0))
    if fetched == 0 and failed:
        return "failed", f"every listing failed ({failed}): nothing could be discovered"
    if fetched == 0 and not stats.get("downloader/response_count"):
        return "failed", "nothing could be fetched"
    return "finished", None
