"""The source spider turns responses into raw pages without losing any to odd bytes."""

from __future__ import annotations

from scrapy import Request
from scrapy.http import HtmlResponse
from scrapy.utils.test import get_crawler

from spiders.items import RawPage
from spiders.registry import load_catalog
from spiders.source_spider import SourceSpider, make_spider_class

URL = "https://elcomercio.pe/lima/una-noticia/"


def spider() -> SourceSpider:
    crawler = get_crawler(make_spider_class(load_catalog().get("elcomercio")))
    made = crawler.spidercls.from_crawler(crawler)
    assert isinstance(made, SourceSpider)
    return made


def test_header_bytes_that_are_not_utf8_are_read_as_latin1() -> None:
    headers = {
        "Content-Disposition": b'inline; filename="caf\xe9.html"',  # a Latin-1 server
        "Set-Cookie": [b"a=1", b"b=2"],
        "ETag": b'"v1"',
    }
    response = HtmlResponse(URL, body=b"<html></html>", headers=headers, request=Request(URL))
    (page,) = list(spider().parse_article(response))
    assert isinstance(page, RawPage)
    assert page.headers["Content-Disposition"] == 'inline; filename="café.html"'
    assert page.headers["Set-Cookie"] == "a=1,b=2"
    assert page.headers["Etag"] == '"v1"'
