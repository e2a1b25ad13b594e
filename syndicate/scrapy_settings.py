"""Scrapy settings for every syndicate crawl (`scrapy.cfg` points here; `syndicate crawl` loads it).

Each component below is switched on by one line; each reads its own settings in
`from_crawler`. Override any of them with `syndicate crawl --set NAME=VALUE` or
`scrapy crawl KEY -s NAME=VALUE`.
"""

from __future__ import annotations

import os
from importlib.metadata import PackageNotFoundError, version

from pipelines.concurrency import DEFAULT_LIMITS, default_workers
from pipelines.lease import DEFAULT_HEARTBEAT_SECONDS, DEFAULT_LEASE_SECONDS
from spiders.schedules import default_time_limit
from storage.database import database_url

BOT_NAME = "syndicate"
SPIDER_LOADER_CLASS = "spiders.loader.SourceSpiderLoader"

# Who we are and how to reach the operator: publishers must be able to ask us to stop.
SYNDICATE_CONTACT_URL = os.environ.get(
    "SYNDICATE_CONTACT_URL", "https://github.com/syndicate-news/syndicate"
)
try:
    _VERSION = version("syndicate")
except PackageNotFoundError:  # a scrapyd egg carries the code but not the dist metadata
    _VERSION = "0"
USER_AGENT = f"syndicate/{_VERSION} (+{SYNDICATE_CONTACT_URL})"

# Politeness: robots.txt, AutoThrottle; per-source DOWNLOAD_DELAY and concurrency come from
# the source file's [crawl] table (spider custom_settings).
ROBOTSTXT_OBEY = True
AUTOTHROTTLE_ENABLED = True
AUTOTHROTTLE_MAX_DELAY = 30.0
DOWNLOAD_DELAY = 1.0
CONCURRENT_REQUESTS = 16
CONCURRENT_REQUESTS_PER_DOMAIN = 2
DOWNLOAD_TIMEOUT = 30
DOWNLOAD_MAXSIZE = 32 * 1024 * 1024
# An article is a redirect or two away from its listed URL (http → https, old slug → new);
# a longer chain is a trap or a broken site, counted as failed "too many redirects".
REDIRECT_MAX_TIMES = 10
RETRY_TIMES = 2
COOKIES_ENABLED = False
TELNETCONSOLE_ENABLED = False
LOG_LEVEL = "INFO"

# Where articles go (SQLAlchemy URL): `--db`, else $SYNDICATE_DATABASE_URL, else the default
# file, decided in one place for `syndicate` and `scrapy crawl` alike.
SYNDICATE_DATABASE_URL = database_url()
# Incremental crawling: refetch stored articles? At most how many article pages per source?
SYNDICATE_REFRESH = False
SYNDICATE_LIMIT = 0
# Dated sitemaps are expanded from SYNDICATE_SINCE (YYYY-MM-DD) to SYNDICATE_UNTIL (default today).
SYNDICATE_SINCE = None
SYNDICATE_UNTIL = None
# One crawl per source: a lease in the database, renewed by a heartbeat that also writes the
# run's counts so far. A lease whose holder stops renewing is taken over after this long.
SYNDICATE_LEASE_SECONDS = DEFAULT_LEASE_SECONDS
SYNDICATE_HEARTBEAT_SECONDS = DEFAULT_HEARTBEAT_SECONDS
# Extraction runs in this many worker processes while Scrapy keeps fetching (one per core;
# 0 = in the crawl process). Storage writes a batch per this many pages or seconds, whichever
# comes first; a page is counted once its batch is committed (docs/operations.md).
SYNDICATE_EXTRACT_WORKERS = default_workers()
SYNDICATE_STORE_BATCH_PAGES = DEFAULT_LIMITS.pages
SYNDICATE_STORE_BATCH_SECONDS = DEFAULT_LIMITS.seconds
# How long one crawl may run before it is stopped and recorded as "stopped" (a source's
# [crawl] time_limit overrides it): $SYNDICATE_TIME_LIMIT, like "45m" or "2h".
CLOSESPIDER_TIMEOUT = default_time_limit()
# Distributed crawling through Redis (scrapy-redis) when set, e.g. redis://127.0.0.1:6379/0.
SYNDICATE_REDIS_URL = os.environ.get("SYNDICATE_REDIS_URL", "")

# The network guard (docs/security.md): no request into private networks (loopback, private,
# link-local, CGNAT…) and no scheme but http(s), checked before a request is sent and again on
# the addresses its host resolves to. Allowed anyway: the origins a source file names, and
# these (comma- or space-separated origins like http://intranet.local:8080, or networks
# like 10.20.0.0/16): $SYNDICATE_ALLOWED_ORIGINS.
SYNDICATE_ALLOWED_ORIGINS = os.environ.get("SYNDICATE_ALLOWED_ORIGINS", "")
TWISTED_DNS_RESOLVER = "pipelines.request_guard.GuardedResolver"
DOWNLOAD_HANDLERS = {"file": None, "ftp": None, "data": None, "s3": None}

DOWNLOADER_MIDDLEWARES = {
    "pipelines.request_guard.NetworkGuardMiddleware": 60,  # before robots.txt (100)
    "pipelines.incremental.IncrementalMiddleware": 540,
    "pipelines.request_guard.ResolverGuardMiddleware": 760,  # after proxies, before retries
}
# Stored, unchanged articles are skipped as listings yield them (pipelines/incremental.py).
SPIDER_MIDDLEWARES = {"pipelines.incremental.StoredSkipMiddleware": 950}
ITEM_PIPELINES = {
    "pipelines.store.StorePipeline": 300,
}
EXTENSIONS = {
    "pipelines.runs.CrawlRunRecorder": 500,
    "pipelines.dropped.DroppedRequests": 510,  # requests the scheduler drops still get an outcome
    "scrapy.extensions.remote_control.RemoteControl": None,  # no listening port on crawl hosts
}

TWISTED_REACTOR = "twisted.internet.asyncioreactor.AsyncioSelectorReactor"
FEED_EXPORT_ENCODING = "utf-8"

if SYNDICATE_REDIS_URL:  # share the request queue and seen-URLs filter between crawl processes
    SCHEDULER = "pipelines.redis_scheduler.RedisScheduler"  # a lost Redis fails the run
    DUPEFILTER_CLASS = "scrapy_redis.dupefilter.RFPDupeFilter"
    SCHEDULER_PERSIST = False
    REDIS_URL = SYNDICATE_REDIS_URL
    # A source's delay and concurrency hold across every process together (docs/distributed.md).
    DOWNLOADER_MIDDLEWARES = {
        **DOWNLOADER_MIDDLEWARES,
        "pipelines.redis_limits.GlobalPolitenessMiddleware": 950,
    }
