"""Spider, pipeline and middleware, each built against a throwaway crawler (no network)."""

from __future__ import annotations

import asyncio
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from scrapy import Request
from scrapy.exceptions import IgnoreRequest
from scrapy.http import HtmlResponse, Response, XmlResponse
from scrapy.settings import Settings
from scrapy.spidermiddlewares.httperror import HttpError
from scrapy.utils.test import get_crawler
from twisted.internet.error import ConnectionRefusedError
from twisted.python.failure import Failure

from devsite.listings import sitemap
from extractors.page_files import read_page_file
from pipelines.incremental import IncrementalMiddleware
from pipelines.store import StorePipeline
from spiders.items import NotModified, PageFailure, RawPage
from spiders.loader import SourceSpiderLoader
from spiders.registry import load_catalog
from spiders.source_spider import META_ARTICLE, META_MODIFIED, SourceSpider, make_spider_class
from tests.support.paths import EL_COMERCIO_PAGE, FIXTURES

CATALOG = load_catalog()
ARTICLE = (
    "https://elcomercio.pe/politica/justicia/kenji-fujimori-juicio-contra-excongresista-por-"
    "presunta-compra-de-votos-continuara-el-18-de-mayo-pedro-pablo-kuczynski-ppk-fiscalia-"
    "rmmn-noticia/"
)
FETCHED = datetime(2024, 3, 1, 12, 0, tzinfo=UTC)


def make_spider(key: str, **settings: Any) -> SourceSpider:
    crawler = get_crawler(make_spider_class(CATALOG.get(key)), settings)
    crawler._apply_settings()  # creates the stats collector, as Crawler.crawl() would
    spider = crawler.spidercls.from_crawler(crawler)
    crawler.spider = spider
    assert isinstance(spider, SourceSpider)
    return spider


def start_urls(spider: SourceSpider) -> list[str]:
    async def collect() -> list[str]:
        return [request.url async for request in spider.start()]

    return asyncio.run(collect())


def test_each_source_becomes_a_spider_with_its_politeness_settings() -> None:
    spider_class = make_spider_class(CATALOG.get("elcomercio"))
    assert spider_class.name == "elcomercio"
    assert spider_class.custom_settings is not None
    assert spider_class.custom_settings["DOWNLOAD_DELAY"] == 1.0
    assert spider_class.custom_settings["CONCURRENT_REQUESTS_PER_DOMAIN"] == 2


def test_start_expands_dated_sitemaps_over_the_requested_range() -> None:
    spider = make_spider("lavanguardia", SYNDICATE_SINCE="2025-11-15", SYNDICATE_UNTIL="2026-01-10")
    urls = start_urls(spider)
    assert "https://www.lavanguardia.com/rss/home.xml" in urls
    dated = [u for u in urls if "sitemap-noticias-" in u]
    assert dated == [
        "https://www.lavanguardia.com/sitemap-noticias-202601.xml.gz",
        "https://www.lavanguardia.com/sitemap-noticias-202512.xml.gz",
        "https://www.lavanguardia.com/sitemap-noticias-202511.xml.gz",
    ]


def test_only_article_urls_become_article_requests_and_skips_are_not_followed() -> None:
    spider = make_spider("elcomercio")
    when = datetime(2022, 5, 8, tzinfo=UTC)
    body = sitemap(
        [
            (ARTICLE, when, ""),
            ("https://elcomercio.pe/noticias/kenji-fujimori/", when, ""),  # a tag page
            ("https://elcomercio.pe/buscar/x-noticia/", when, ""),  # skip_urls
        ]
    )
    url = "https://elcomercio.pe/sitemap/politica/?outputType=xml"
    out = list(spider.parse_listing(XmlResponse(url, body=body, request=Request(url))))
    assert [r.url for r in out] == [ARTICLE]
    assert isinstance(out[0], Request)
    assert out[0].meta[META_ARTICLE] is True
    assert out[0].meta[META_MODIFIED] == when.isoformat()


def test_robots_txt_sitemaps_are_followed() -> None:
    spider = make_spider("elcomercio")
    url = "https://elcomercio.pe/robots.txt"
    robots = (FIXTURES / "elcomercio" / "robots-2021.txt").read_bytes()
    out = list(spider.parse_listing(Response(url, body=robots, request=Request(url))))
    assert "https://elcomercio.pe/sitemap/?outputType=xml" in [r.url for r in out]


def test_an_article_response_becomes_a_raw_page_keeping_the_requested_url() -> None:
    spider = make_spider("elcomercio")
    request = Request(ARTICLE, meta={"redirect_urls": ["https://elcomercio.pe/old-noticia/"]})
    response = HtmlResponse(ARTICLE, body=b"<html></html>", request=request, headers={"ETag": "x"})
    (page,) = list(spider.parse_article(response))
    assert isinstance(page, RawPage)
    assert (page.url, page.final_url, page.status) == (
        "https://elcomercio.pe/old-noticia/",
        ARTICLE,
        200,
    )
    assert page.headers["Etag"] == "x"
    not_modified = HtmlResponse(ARTICLE, status=304, body=b"", request=Request(ARTICLE))
    assert list(spider.parse_article(not_modified)) == [NotModified("elcomercio", ARTICLE)]


def failure(error: BaseException, request: Request) -> Failure:
    """A Failure as Scrapy hands it to an errback (with the request attached)."""
    result = Failure(error)  # type: ignore[no-untyped-call]  # twisted's constructor is untyped
    result.request = request  # type: ignore[attr-defined]  # Scrapy adds it at runtime
    return result


def test_errors_become_failures_with_a_reason_but_skips_do_not() -> None:
    spider = make_spider("elcomercio")
    request = Request(ARTICLE)
    http = failure(HttpError(HtmlResponse(ARTICLE, status=404, request=request)), request)
    refused = failure(ConnectionRefusedError(), request)  # type: ignore[no-untyped-call]  # twisted
    skipped = failure(IgnoreRequest("already stored"), request)
    assert list(spider.on_article_error(http)) == [PageFailure("elcomercio", ARTICLE, "HTTP 404")]
    assert list(spider.on_listing_error(refused)) == [
        PageFailure("elcomercio", ARTICLE, "connection refused", listing=True)
    ]
    assert list(spider.on_article_error(skipped)) == []


@pytest.fixture
def crawl_db(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'components.db'}"


def stored_once(spider: SourceSpider, db: str) -> StorePipeline:
    """Run the real page and a non-article through the store pipeline."""
    pipeline = StorePipeline.from_crawler(spider.crawler)
    pipeline.open_spider()
    body = read_page_file(EL_COMERCIO_PAGE)
    headers = {"Content-Type": "text/html; charset=utf-8", "ETag": '"v1"'}
    page = RawPage("elcomercio", ARTICLE, ARTICLE, 200, headers, body, FETCHED)
    index = b"<html><head><title>Portada</title></head><body><p>Hola.</p></body></html>"
    home = "https://elcomercio.pe/otra-noticia/"
    broken = PageFailure("elcomercio", "https://elcomercio.pe/x-noticia/", "HTTP 500")
    items = [page, page, RawPage("elcomercio", home, home, 200, headers, index, FETCHED), broken]

    async def crawl() -> None:  # one item after the other, as Scrapy awaits process_item
        for item in items:
            await pipeline.process_item(item)
        await pipeline.close_spider()

    asyncio.run(crawl())
    return pipeline


def test_store_pipeline_counts_every_outcome(crawl_db: str) -> None:
    spider = make_spider("elcomercio", SYNDICATE_DATABASE_URL=crawl_db)
    stored_once(spider, crawl_db)
    stats = spider.crawler.stats.get_stats()
    assert stats["syndicate/pages"] == 4
    assert (stats["syndicate/new"], stats["syndicate/unchanged"]) == (1, 1)
    assert stats["syndicate/failed"] == 1
    assert stats["syndicate/failures/HTTP 500"] == 1
    assert stats["syndicate/dropped"] == 1  # the index page is not an article
    assert [k for k in stats if k.startswith("syndicate/failures/dropped: ")] != []


def test_incremental_middleware_skips_stored_articles_unless_changed_or_refreshed(
    crawl_db: str,
) -> None:
    spider = make_spider("elcomercio", SYNDICATE_DATABASE_URL=crawl_db)
    stored_once(spider, crawl_db)

    def request(url: str, modified: datetime | None = None) -> Request:
        stamp = modified.isoformat() if modified else None
        return Request(url, meta={META_ARTICLE: True, META_MODIFIED: stamp})

    plain = IncrementalMiddleware.from_crawler(spider.crawler)
    plain.spider_opened(spider)
    with pytest.raises(IgnoreRequest, match="already stored"):
        plain.process_request(request(ARTICLE))
    with pytest.raises(IgnoreRequest):
        plain.process_request(request(ARTICLE, datetime(2020, 1, 1, tzinfo=UTC)))
    with pytest.raises(IgnoreRequest):  # the same article behind a feed's tracking parameter
        plain.process_request(request(ARTICLE + "?ref=ecr"))
    changed = request(ARTICLE, datetime(2099, 1, 1, tzinfo=UTC))
    plain.process_request(changed)  # let through: a sitemap dated it after we saw it
    assert changed.headers.get("If-None-Match") == b'"v1"'
    assert changed.meta["handle_httpstatus_list"] == [304]
    with pytest.raises(IgnoreRequest, match="already stored"):  # dropped, but its page is kept
        plain.process_request(request("https://elcomercio.pe/otra-noticia/"))
    fresh = request("https://elcomercio.pe/nueva-noticia/")
    plain.process_request(fresh)
    assert "If-None-Match" not in fresh.headers

    refreshing = make_spider(
        "elcomercio", SYNDICATE_DATABASE_URL=crawl_db, SYNDICATE_REFRESH=True, SYNDICATE_LIMIT=1
    )
    middleware = IncrementalMiddleware.from_crawler(refreshing.crawler)
    middleware.spider_opened(refreshing)
    middleware.process_request(request(ARTICLE))  # refreshing: a stored article is fetched
    with pytest.raises(IgnoreRequest, match="limit"):
        middleware.process_request(request("https://elcomercio.pe/nueva-noticia/"))


def test_an_unreadable_listing_is_recorded_not_fatal() -> None:
    spider = make_spider("elcomercio")
    url = "https://elcomercio.pe/sitemap/archivo/2024-01-01-web/?outputType=xml"
    broken_gzip = b"\x1f\x8b\x08\x00garbage"
    out = list(spider.parse_listing(Response(url, body=broken_gzip, request=Request(url))))
    assert out == [PageFailure("elcomercio", url, "unreadable listing: EOFError", listing=True)]


def test_the_spider_loader_lists_sources_and_finds_them_by_url() -> None:
    loader = SourceSpiderLoader.from_settings(Settings())
    assert {"elcomercio", "elpais", "lavanguardia"} <= set(loader.list())
    assert loader.load("elcomercio").config.key == "elcomercio"
    assert loader.find_by_request(Request(ARTICLE)) == ["elcomercio"]
    assert loader.find_by_request(Request("https://www.elcomercio.pe/x/")) == ["elcomercio"]
    assert loader.find_by_request(Request("https://example.org/x/")) == []
    assert loader.find_by_request(Request("https://www.lavanguardia.com/x.html")) == [
        "lavanguardia"
    ]
    with pytest.raises(KeyError, match="Spider not found: nope"):
        loader.load("nope")
