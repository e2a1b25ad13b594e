"""Stop a crawl whose shared Redis went away: once, with the reason its run records.

The scheduler and the politeness limiter both talk to Redis; whichever meets the lost
connection first closes the spider with `redis: connection lost`, and the run recorder
turns that close reason into a failed run (`pipelines.run_status`).
"""

from __future__ import annotations

import logging

from scrapy.crawler import Crawler
from scrapy.utils.defer import deferred_from_coro

from pipelines.redis_health import reason_of
from pipelines.run_status import REDIS_LOST

logger = logging.getLogger(__name__)

STOPPED_STAT = "syndicate/redis/lost"


def stop_for_redis(
    crawler: Crawler, error: BaseException | str, close_reason: str = REDIS_LOST
) -> None:
    """Close the crawler's spider with `close_reason` (the first call only; later ones are
    no-ops)."""
    stats = crawler.stats
    if stats is None or stats.get_value(STOPPED_STAT):
        return
    why = error if isinstance(error, str) else reason_of(error)
    stats.set_value(STOPPED_STAT, why)
    logger.error("%s (%s): stopping the crawl", close_reason, why)
    if crawler.engine is not None:
        deferred_from_coro(crawler.engine.close_spider_async(reason=close_reason))
