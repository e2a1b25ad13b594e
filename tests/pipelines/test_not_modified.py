"""A 304 answer moves the stored page's `fetched_at` and the article's `last_seen_at`, so the
next crawl does not refetch an article a feed dated between the two fetches."""

from __future__ import annotations

import asyncio
from datetime import timedelta

import pytest
from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.utils.test import get_crawler
from sqlalchemy import Engine, select

from pipelines.incremental import IncrementalMiddleware
from pipelines.processing import process_page
from pipelines.store import StorePipeline
from spiders.items import NotModified
from spiders.registry import load_catalog
from spiders.source_spider import META_ARTICLE, META_MODIFIED, SourceSpider, make_spider_class
from storage.database import session_scope
from storage.models import ArticleRow, Page
from storage.records import FetchedPage
from storage.repository import mark_not_modified
from tests.support.pagegen import numbered_page
from tests.support.sources import ELCOMERCIO, T0


def stored(engine: Engine) -> str:
    url, body = numbered_page(3)
    page = FetchedPage(url, url, 200, {"ETag": '"v1"'}, body, T0)
    with session_scope(engine) as session:
        assert process_page(session, page, ELCOMERCIO, None).outcome == "new"
    return url


def seen(engine: Engine) -> tuple[object, object]:
    with session_scope(engine) as session:
        last_seen = session.execute(select(ArticleRow.last_seen_at)).scalar_one()
        fetched_at = session.execute(select(Page.fetched_at)).scalar_one()
    return last_seen, fetched_at


def test_not_modified_moves_seen_times_forward_only(engine: Engine) -> None:
    url = stored(engine)
    later, earlier = T0 + timedelta(days=2), T0 + timedelta(days=1)
    with session_scope(engine) as session:
        assert mark_not_modified(session, url, later)
        assert mark_not_modified(session, url, earlier)  # an out-of-order 304 never goes back
        assert not mark_not_modified(session, "https://elcomercio.pe/nunca-vista/", later)
    assert seen(engine) == (later, later)


def spider_for(db_url: str) -> SourceSpider:
    cls = make_spider_class(load_catalog().get("elcomercio"))
    crawler = get_crawler(cls, {"SYNDICATE_DATABASE_URL": db_url})
    crawler._apply_settings()  # creates the stats collector, as Crawler.crawl() would
    spider = cls.from_crawler(crawler)
    crawler.spider = spider
    assert isinstance(spider, SourceSpider)
    return spider


def test_a_304_in_a_crawl_stops_the_next_crawl_refetching(engine: Engine, db_url: str) -> None:
    url = stored(engine)
    spider = spider_for(db_url)
    pipeline = StorePipeline.from_crawler(spider.crawler)
    pipeline.clock = lambda: T0 + timedelta(days=2)
    pipeline.open_spider()

    async def crawl() -> None:
        await pipeline.process_item(NotModified("elcomercio", url))
        await pipeline.close_spider()

    asyncio.run(crawl())
    assert spider.crawler.stats.get_value("syndicate/unchanged") == 1
    assert seen(engine) == (T0 + timedelta(days=2), T0 + timedelta(days=2))
    # The feed dated the article after the first fetch but before the 304: nothing new.
    middleware = IncrementalMiddleware.from_crawler(spider.crawler)
    middleware.spider_opened(spider)
    stamp = (T0 + timedelta(days=1)).isoformat()
    with pytest.raises(IgnoreRequest, match="already stored"):
        middleware.process_request(Request(url, meta={META_ARTICLE: True, META_MODIFIED: stamp}))
