"""Opening the crawl's database: one engine per component, schema migrated, source row present."""

from __future__ import annotations

from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from sqlalchemy import Engine

from extractors.source_rules import SourceRules
from storage.database import make_engine, session_scope, upgrade
from storage.repository import ensure_source


def configured_url(crawler: Crawler) -> str:
    """The crawl's SYNDICATE_DATABASE_URL; when it is blank, NotConfigured makes Scrapy run
    without the component (as `scrapy list` or a fetch-only crawl may want)."""
    url = crawler.settings.get("SYNDICATE_DATABASE_URL")
    if not url:
        raise NotConfigured("SYNDICATE_DATABASE_URL is not set")
    return str(url)


# URLs whose schema this process has brought to head (see migrate_once).
_MIGRATED: set[str] = set()


def migrate_once(url: str) -> None:
    """Bring `url`'s schema to head once per process. `syndicate crawl` calls it before the
    crawl starts; the store pipeline and run recorder of every spider then find it done, and
    a plain `scrapy crawl` is migrated by whichever component opens first."""
    if url not in _MIGRATED:
        upgrade(url)
        _MIGRATED.add(url)


def open_database(url: str, rules: SourceRules) -> Engine:
    """Engine for `url` with the schema at head and the source's row upserted (both idempotent)."""
    migrate_once(url)
    engine = make_engine(url)
    with session_scope(engine) as session:
        ensure_source(session, rules)
    return engine
