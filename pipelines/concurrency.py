"""How much work a crawl or backfill does at once: extraction workers and storage batches.

Kept apart from the pool and the writer (which import the extractor and SQLAlchemy) so the
Scrapy settings module can name the defaults without loading either.
"""

from __future__ import annotations

import os
from dataclasses import dataclass


def default_workers() -> int:
    """One extraction worker per core this process may run on."""
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # not on Linux
        return os.cpu_count() or 1


@dataclass(frozen=True, slots=True)
class BatchLimits:
    """A batch is written when it has `pages` pages or its first page waited `seconds`.

    Twenty pages save most of the per-transaction cost, and keep the write lock (SQLite's
    is the whole database) short enough for the crawl's heartbeat to get it in time.
    """

    pages: int = 20
    seconds: float = 0.5


DEFAULT_LIMITS = BatchLimits()
