"""Downloader middleware of `syndicate demo` only: every request goes to the local demo server.

The demo site is published as http://demo.localhost so that stored URLs do not change with
the server's random port; the server on 127.0.0.1 answers for that origin as an HTTP proxy.
Setting `request.meta["proxy"]` (which Scrapy's HttpProxyMiddleware honours over any
`http_proxy` variable) keeps the host out of DNS and leaves other crawls untouched.
"""

from __future__ import annotations

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured

SETTING = "SYNDICATE_DEMO_PROXY"
# Before HttpProxyMiddleware (750), which then keeps the proxy set here.
ORDER = 740


class DemoProxyMiddleware:
    """Sends every request of the crawl through the proxy named by SYNDICATE_DEMO_PROXY."""

    def __init__(self, proxy: str) -> None:
        self.proxy = proxy

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> DemoProxyMiddleware:
        proxy = crawler.settings.get(SETTING)
        if not proxy:
            raise NotConfigured(f"{SETTING} is not set")
        return cls(str(proxy))

    def process_request(self, request: Request) -> None:
        """Also robots.txt, feeds, sitemaps and redirects: the demo talks to nothing else."""
        request.meta["proxy"] = self.proxy


def demo_proxy_settings(proxy: str, middlewares: dict[str, int]) -> dict[str, object]:
    """Settings that switch the middleware on for one crawl, on top of `middlewares`."""
    path = f"{__name__}.{DemoProxyMiddleware.__name__}"
    return {SETTING: proxy, "DOWNLOADER_MIDDLEWARES": {**middlewares, path: ORDER}}
