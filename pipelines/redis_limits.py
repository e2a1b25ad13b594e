"""Global politeness: a host's concurrency and delay hold across every crawl process together.

Scrapy's CONCURRENT_REQUESTS_PER_DOMAIN and DOWNLOAD_DELAY are per process, so N workers
would hit a publisher N times as hard. With SYNDICATE_REDIS_URL set, every request also
needs a slot of its host in Redis before it is sent:

- `{prefix}{host}:leases`, a sorted set of lease tokens scored by their expiry: a request
  holds one while it downloads, and at most `concurrency` unexpired tokens exist;
- `{prefix}{host}:next`, the earliest time (ms) the next request may start: each granted
  slot pushes it `delay` ahead.

One Lua script checks and takes both atomically, on Redis's own clock (workers' clocks may
differ). A lease outlives the download timeout, so a live request never loses its slot,
and the slots of a worker killed with -9 come back when its leases expire. No package
fits: pyrate-limiter's Redis bucket limits a rate, not requests in flight, and redis-py's
Lock is a mutex, not a counting semaphore.
"""

from __future__ import annotations

import asyncio
import logging
import uuid
from typing import Any
from urllib.parse import urlsplit

import redis.asyncio
from scrapy import Request, signals
from scrapy.crawler import Crawler
from scrapy.exceptions import IgnoreRequest, NotConfigured
from scrapy.http import Response

from pipelines.redis_health import CONNECTION_ERRORS
from pipelines.redis_stop import stop_for_redis
from pipelines.run_status import REDIS_LOST

logger = logging.getLogger(__name__)

URL_SETTING = "SYNDICATE_REDIS_URL"
PREFIX_SETTING = "SYNDICATE_POLITENESS_PREFIX"
DEFAULT_PREFIX = "syndicate:politeness:"
META_LEASE = "syndicate_politeness_lease"
WAITED_STAT = "syndicate/politeness/waited_ms"  # summed over the crawl's requests
# A lease outlives the download's own timeout by this much (and by the download timeout).
LEASE_MARGIN_SECONDS = 30.0
POLL_SECONDS = 0.02  # how often a request waiting for a full host's free slot asks again

# KEYS: the host's leases, its next allowed start. ARGV: token, concurrency, delay ms,
# lease ms. Returns 0 (slot taken), ms to wait for the delay, or -1 (every slot is taken).
ACQUIRE = """
local clock = redis.call('TIME')
local now = tonumber(clock[1]) * 1000 + math.floor(tonumber(clock[2]) / 1000)
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now)
local next_at = tonumber(redis.call('GET', KEYS[2]) or '0')
if next_at > now then return next_at - now end
if redis.call('ZCARD', KEYS[1]) >= tonumber(ARGV[2]) then return -1 end
local lease = tonumber(ARGV[4])
redis.call('ZADD', KEYS[1], now + lease, ARGV[1])
redis.call('PEXPIRE', KEYS[1], lease)
local delay = tonumber(ARGV[3])
if delay > 0 then redis.call('SET', KEYS[2], now + delay, 'PX', delay) end
return 0
"""


class HostLimiter:
    """Slots of hosts shared by every process using the same Redis and key prefix."""

    def __init__(
        self, client: redis.asyncio.Redis, *, lease_seconds: float, prefix: str = DEFAULT_PREFIX
    ) -> None:
        self.client = client
        self.lease_ms = int(lease_seconds * 1000)
        self.prefix = prefix
        self._acquire = client.register_script(ACQUIRE)

    def keys(self, host: str) -> list[str]:
        return [f"{self.prefix}{host}:leases", f"{self.prefix}{host}:next"]

    async def try_acquire(self, host: str, token: str, concurrency: int, delay: float) -> int:
        """0 when `token` now holds a slot of `host`; else ms to wait (-1: no slot is free)."""
        args: list[str | int] = [token, concurrency, int(delay * 1000), self.lease_ms]
        return int(await self._acquire(keys=self.keys(host), args=args))

    async def acquire(self, host: str, concurrency: int, delay: float) -> str:
        """Wait until a slot of `host` is free and the delay since the last start has passed;
        the lease token to give back with `release`."""
        token = uuid.uuid4().hex
        while (wait_ms := await self.try_acquire(host, token, concurrency, delay)) != 0:
            await asyncio.sleep(wait_ms / 1000 if wait_ms > 0 else POLL_SECONDS)
        return token

    async def release(self, host: str, token: str) -> None:
        await self.client.zrem(self.keys(host)[0], token)

    async def holders(self, host: str) -> int:
        """How many leases of `host` exist now (expired ones included until the next acquire)."""
        return int(await self.client.zcard(self.keys(host)[0]))


class GlobalPolitenessMiddleware:
    """Last downloader middleware: a request takes its host's slot just before it is sent and
    gives it back when its response or error arrives. Active only with SYNDICATE_REDIS_URL."""

    ORDER = 950  # after every built-in middleware, so only requests really sent take a slot

    def __init__(
        self, crawler: Crawler, limiter: HostLimiter, *, concurrency: int, delay: float
    ) -> None:
        self.crawler = crawler
        self.limiter = limiter
        self.concurrency = concurrency
        self.delay = delay
        self.held: dict[str, str] = {}  # token -> host, given back should the crawl close

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> GlobalPolitenessMiddleware:
        settings = crawler.settings
        url = settings.get(URL_SETTING)
        if not url:
            raise NotConfigured("global politeness needs SYNDICATE_REDIS_URL")
        lease = settings.getfloat("DOWNLOAD_TIMEOUT") + LEASE_MARGIN_SECONDS
        client = redis.asyncio.Redis.from_url(url)
        prefix = settings.get(PREFIX_SETTING) or DEFAULT_PREFIX
        middleware = cls(
            crawler,
            HostLimiter(client, lease_seconds=lease, prefix=prefix),
            concurrency=settings.getint("CONCURRENT_REQUESTS_PER_DOMAIN"),
            delay=settings.getfloat("DOWNLOAD_DELAY"),
        )
        crawler.signals.connect(middleware.spider_closed, signal=signals.spider_closed)
        return middleware

    async def process_request(self, request: Request) -> None:
        host = urlsplit(request.url).hostname or ""
        started = asyncio.get_running_loop().time()
        try:
            token = await self.limiter.acquire(host, self.concurrency, self.delay)
        except CONNECTION_ERRORS as error:
            stop_for_redis(self.crawler, error)
            raise IgnoreRequest(REDIS_LOST) from None
        self.held[token] = host
        request.meta[META_LEASE] = token
        if self.crawler.stats is not None:
            waited = asyncio.get_running_loop().time() - started
            self.crawler.stats.inc_value(WAITED_STAT, round(waited * 1000))

    async def process_response(self, request: Request, response: Response) -> Response:
        await self._release(request)
        return response

    async def process_exception(self, request: Request, exception: Exception) -> None:
        await self._release(request)

    async def _release(self, request: Request) -> None:
        # Popped, so a redirect or retry made from this request carries no stale token.
        token = request.meta.pop(META_LEASE, None)
        host = self.held.pop(token, None) if token is not None else None
        if token is None or host is None:
            return
        try:
            await self.limiter.release(host, token)
        except CONNECTION_ERRORS as error:  # the page is kept; the crawl stops
            stop_for_redis(self.crawler, error)

    async def spider_closed(self, spider: Any) -> None:
        held, self.held = self.held, {}
        try:
            for token, host in held.items():
                await self.limiter.release(host, token)
        except CONNECTION_ERRORS:
            logger.info("Redis is gone; %d leases will expire by themselves", len(held))
        finally:
            await self.limiter.client.aclose()
