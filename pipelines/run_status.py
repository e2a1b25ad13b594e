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
REDIS_UNREACHABLE = REDIS_PREFIX + "unreachable"  # at the start of `scrapy crawl` or scrapyd
# The database stopped answering mid-crawl (pipelines/batch_store.py): the crawl stops, as
# for Redis; its run can be marked failed only if the database is back by the crawl's end.
DATABASE_PREFIX = "database: "
DATABASE_LOST = DATABASE_PREFIX + "connection lost"
LOST_SERVICE = (REDIS_PREFIX, DATABASE_PREFIX)
# Workers (docs/distributed.md) that died holding requests of the run, as "host pid" each:
# what they held is not fetched by this run, so it cannot be called finished.
WORKERS_LOST_STAT = "syndicate/workers_lost"

_STOPPED = {
    "shutdown": "stopped by a signal (SIGTERM or SIGINT)",
    "closespider_timeout": "stopped at the crawl's time limit",
}


def run_ending(
    close_reason: str, stats: dict[str, Any], *, others: int = 0
) -> tuple[str, str | None]:
    """(status, reason): `finished` only when the crawl ran to its end and fetched something.
    `others` is the pages other processes of the run counted (workers, docs/distributed.md)."""
    if close_reason in _STOPPED:
        return "stopped", _STOPPED[close_reason]
    if close_reason == LEASE_LOST:
        return "failed", "another crawl took over the source's lease (heartbeats failed)"
    if close_reason != "finished":
        lost = close_reason.startswith(LOST_SERVICE)  # its own words say it all
        return "failed", close_reason if lost else f"the crawl closed early: {close_reason}"
    return _ran_to_its_end(stats, others)


def _ran_to_its_end(stats: dict[str, Any], others: int) -> tuple[str, str | None]:
    """A crawl that closed as "finished": did it fetch anything, and did every worker finish?"""
    fetched = int(stats.get(LISTINGS_FETCHED, 0))
    failed = int(stats.get(LISTINGS_FAILED, 0))
    if fetched == 0 and failed and not others:
        return "failed", f"every listing failed ({failed}): nothing could be discovered"
    if fetched == 0 and not stats.get("downloader/response_count") and not others:
        return "failed", "nothing could be fetched"
    if lost := stats.get(WORKERS_LOST_STAT):
        return "failed", (
            f"worker {', '.join(lost)} died holding requests: the next run fetches what it held"
        )
    return "finished", None
