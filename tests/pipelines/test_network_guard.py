"""The network guard: the address classifier and allow-list, and its Scrapy parts on a
throwaway crawler. Pure unit tests: nothing here opens a connection or asks real DNS."""

from __future__ import annotations

import ipaddress
from collections.abc import Iterator
from typing import Any

import pytest
from scrapy import Request
from scrapy.exceptions import CannotResolveHostError, IgnoreRequest
from scrapy.resolver import dnscache
from scrapy.utils.test import get_crawler
from twisted.internet.base import PluggableResolverMixin
from twisted.internet.error import DNSLookupError
from twisted.python.failure import Failure

from pipelines import request_guard
from pipelines.network_guard import (
    AllowList,
    address_kind,
    answer_refusal,
    literal_address,
    request_refusal,
)
from pipelines.request_guard import (
    REFUSED_STAT,
    GuardedNameResolver,
    GuardedResolver,
    NetworkGuardMiddleware,
    ResolverGuardMiddleware,
)
from spiders.config import SourceConfig
from spiders.failures import RequestRefused, describe_failure, is_skip
from spiders.source_spider import make_spider_class

NOTHING = AllowList()


@pytest.mark.parametrize(
    ("address", "kind"),
    [
        ("127.0.0.1", "loopback"),
        ("127.0.0.2", "loopback"),
        ("::1", "loopback"),
        ("10.0.0.5", "private"),
        ("172.16.3.4", "private"),
        ("192.168.1.1", "private"),
        ("fd00::1", "private"),
        ("169.254.169.254", "link-local"),  # cloud metadata services
        ("fe80::1", "link-local"),
        ("100.64.0.1", "CGNAT"),
        ("100.127.255.254", "CGNAT"),
        ("224.0.0.1", "multicast"),
        ("ff02::1", "multicast"),
        ("240.0.0.1", "reserved"),
        ("0.0.0.0", "unspecified"),
        ("::", "unspecified"),
        ("::ffff:127.0.0.1", "loopback"),  # IPv4-mapped IPv6
        ("::ffff:10.0.0.5", "private"),
        ("::ffff:169.254.169.254", "link-local"),
        ("::ffff:100.64.0.1", "CGNAT"),
        ("64:ff9b::a00:5", "private"),  # NAT64 of 10.0.0.5
        ("2002:7f00:1::", "loopback"),  # 6to4 of 127.0.0.1
        ("192.0.2.1", "private"),  # documentation range: never a real server
    ],
)
def test_addresses_that_are_not_public_are_named(address: str, kind: str) -> None:
    assert address_kind(ipaddress.ip_address(address)) == kind


@pytest.mark.parametrize(
    "address", ["93.184.216.34", "8.8.8.8", "2606:4700:4700::1111", "::ffff:8.8.8.8"]
)
def test_public_addresses_pass(address: str) -> None:
    assert address_kind(ipaddress.ip_address(address)) is None


@pytest.mark.parametrize(
    ("host", "address"),
    [("127.1", "127.0.0.1"), ("2130706433", "127.0.0.1"), ("0x7f.0.0.1", "127.0.0.1")],
)
def test_legacy_ipv4_spellings_are_read_as_the_address_they_reach(host: str, address: str) -> None:
    assert literal_address(host) == ipaddress.ip_address(address)
    assert literal_address("example.com") is None
    assert literal_address("cafe.example") is None


@pytest.mark.parametrize(
    ("url", "reason"),
    [
        ("file:///etc/passwd", "scheme file"),
        ("ftp://example.com/x", "scheme ftp"),
        ("data:text/html,<p>x</p>", "scheme data"),
        ("s3://bucket/key", "scheme s3"),
        ("gopher://example.com/", "scheme gopher"),
        ("http://10.0.0.5/admin", "private address 10.0.0.5 (private)"),
        ("http://127.0.0.2:8080/", "private address 127.0.0.2 (loopback)"),
        ("http://[::1]:8080/", "private address ::1 (loopback)"),
        ("http://[::ffff:a00:5]/", "private address ::ffff:a00:5 (private)"),
        ("https://169.254.169.254/latest/", "private address 169.254.169.254 (link-local)"),
        ("http://100.64.1.1/", "private address 100.64.1.1 (CGNAT)"),
        ("http://2130706433/", "private address 127.0.0.1 (loopback)"),
        ("http://localhost:6379/", "private address localhost (loopback name)"),
        ("http://demo.localhost/", "private address demo.localhost (loopback name)"),
    ],
)
def test_requests_are_refused_before_any_lookup(url: str, reason: str) -> None:
    assert request_refusal(url, NOTHING) == reason


@pytest.mark.parametrize(
    "url", ["https://example.com/news/1", "http://93.184.216.34/x", "http://[2606:4700::1]/"]
)
def test_public_requests_and_names_pass_to_the_resolver(url: str) -> None:
    assert request_refusal(url, NOTHING) is None


def test_origins_a_source_names_are_allowed_exactly() -> None:
    allowed = AllowList.of_urls(["http://127.0.0.1:8000/rss.xml", "http://demo.localhost/"])
    assert request_refusal("http://127.0.0.1:8000/news/a", allowed) is None
    assert request_refusal("http://demo.localhost:80/news/a", allowed) is None
    assert request_refusal("http://127.0.0.1:8001/", allowed) == (
        "private address 127.0.0.1 (loopback)"
    )
    assert request_refusal("https://127.0.0.1:8000/", allowed) is not None  # another scheme
    assert request_refusal("file://127.0.0.1:8000/x", allowed) == "scheme file"


def test_operator_allow_list_takes_origins_and_networks() -> None:
    allowed = AllowList.parse("http://intranet.local:8080, 10.20.0.0/16  https://[fd00::1]")
    assert allowed.origins == {("http", "intranet.local", 8080), ("https", "fd00::1", 443)}
    assert request_refusal("http://10.20.3.4/feed", allowed) is None
    assert request_refusal("https://[fd00::1]/feed", allowed) is None
    assert request_refusal("http://10.21.0.1/", allowed) == "private address 10.21.0.1 (private)"
    assert answer_refusal("intranet.local", 8080, "192.168.1.9", allowed) is None
    assert answer_refusal("intranet.local", 0, "192.168.1.9", allowed) is None  # no port known
    assert answer_refusal("intranet.local", 9090, "192.168.1.9", allowed) == (
        "private address 192.168.1.9 (private) of intranet.local"
    )
    assert answer_refusal("anything.local", 80, "10.20.9.9", allowed) is None
    with pytest.raises(ValueError, match=r"'intranet\.local:8080' is neither an origin"):
        AllowList.parse("intranet.local:8080")


def test_resolved_answers_are_judged_by_address() -> None:
    assert answer_refusal("rebind.example", 443, "127.0.0.1", NOTHING) == (
        "private address 127.0.0.1 (loopback) of rebind.example"
    )
    assert answer_refusal("v6.example", 80, "fe80::1%eth0", NOTHING) == (
        "private address fe80::1 (link-local) of v6.example"
    )
    assert answer_refusal("10.0.0.5", 80, "10.0.0.5", NOTHING) == (
        "private address 10.0.0.5 (private)"
    )
    assert answer_refusal("example.com", 443, "93.184.216.34", NOTHING) is None


# -- the Scrapy parts --------------------------------------------------------------------


@pytest.fixture(autouse=True)
def clean_process_state() -> Iterator[None]:
    """The resolver's allow-list and refusals are per process: each test starts empty."""
    request_guard.PROCESS_ALLOWED.origins.clear()
    request_guard.PROCESS_ALLOWED.networks.clear()
    request_guard.REFUSED_LOOKUPS.clear()
    yield
    request_guard.PROCESS_ALLOWED.origins.clear()
    request_guard.PROCESS_ALLOWED.networks.clear()
    request_guard.REFUSED_LOOKUPS.clear()
    for name in ("rebind.test", "public.test", "intranet.test", "mixed.test"):
        dnscache.pop(name, None)


SOURCE = SourceConfig.model_validate(
    {
        "key": "guarded",
        "name": "Guarded",
        "homepage": "http://127.0.0.1:8000/",
        "language": "es",
        "timezone": "UTC",
        "discovery": {
            "feeds": ["http://127.0.0.1:8000/rss.xml"],
            "sitemaps": ["http://intranet.test:8081/sitemap.xml"],
            "article_urls": ["^http://127"],
        },
    }
)
SPIDER = make_spider_class(SOURCE)


def middleware(allowed: str = "") -> NetworkGuardMiddleware:
    crawler = get_crawler(SPIDER, {"SYNDICATE_ALLOWED_ORIGINS": allowed})
    return NetworkGuardMiddleware.from_crawler(crawler)


def test_middleware_refuses_with_a_reason_the_errback_records() -> None:
    guard = middleware()
    with pytest.raises(RequestRefused) as refused:
        guard.process_request(Request("http://127.0.0.2:8000/news/x"))
    assert isinstance(refused.value, IgnoreRequest)
    failure = Failure(refused.value)  # type: ignore[no-untyped-call]
    assert not is_skip(failure)  # a failure, not a deliberate skip
    assert describe_failure(failure) == "refused: private address 127.0.0.2 (loopback)"
    with pytest.raises(RequestRefused, match=r"^scheme file$"):
        guard.process_request(Request("file:///etc/hostname"))
    assert guard.stats.get_value(REFUSED_STAT) == 2
    skip = Failure(IgnoreRequest("robots.txt"))  # type: ignore[no-untyped-call]
    assert is_skip(skip)  # other skips stay skips


def test_middleware_allows_the_sources_own_origins_and_the_settings_list() -> None:
    guard = middleware("http://10.9.9.9:8080")
    guard.process_request(Request("http://127.0.0.1:8000/news/x"))  # passes: no exception
    guard.process_request(Request("http://10.9.9.9:8080/x"))
    guard.process_request(Request("https://example.com/x"))
    with pytest.raises(RequestRefused):
        guard.process_request(Request("http://10.9.9.9:8081/x"))
    # and tells the process's resolver which names it may resolve to private addresses
    assert request_guard.PROCESS_ALLOWED.allows_host("intranet.test", 8081)
    assert not request_guard.PROCESS_ALLOWED.allows_host("intranet.test", 8082)


def test_a_refused_lookup_is_reported_as_refused_not_retried_as_a_dns_error() -> None:
    crawler = get_crawler(SPIDER)
    lookups = ResolverGuardMiddleware.from_crawler(crawler)
    request_guard.REFUSED_LOOKUPS["rebind.test"] = "private address 127.0.0.1 (loopback) of x"
    with pytest.raises(RequestRefused, match=r"of x$"):
        lookups.process_exception(Request("http://rebind.test/a"), DNSLookupError("no results"))
    proxied = Request("http://site.example/a", meta={"proxy": "http://rebind.test:3128"})
    with pytest.raises(RequestRefused):
        lookups.process_exception(proxied, CannotResolveHostError("no results"))  # Scrapy 2.19
    lookups.process_exception(Request("http://other.test/"), DNSLookupError())  # left alone
    lookups.process_exception(Request("http://rebind.test/"), ValueError("not DNS"))


def test_the_crawls_own_proxy_may_be_private() -> None:
    lookups = ResolverGuardMiddleware.from_crawler(get_crawler(SPIDER))
    lookups.process_request(
        Request("http://demo.localhost/", meta={"proxy": "http://127.0.0.1:8999"})
    )
    assert request_guard.PROCESS_ALLOWED.allows_host("127.0.0.1", 8999)
    assert not request_guard.PROCESS_ALLOWED.allows_host("127.0.0.1", 9000)


class Reactor(PluggableResolverMixin):
    """Twisted's own resolver plumbing, without a running reactor."""


class Receiver:
    def __init__(self) -> None:
        self.addresses: list[str] = []
        self.complete = False

    def resolutionBegan(self, resolution: Any) -> None:  # noqa: N802
        pass

    def addressResolved(self, address: Any) -> None:  # noqa: N802
        self.addresses.append(address.host)

    def resolutionComplete(self) -> None:  # noqa: N802
        self.complete = True


def resolve(reactor: Any, name: str, port: int) -> list[str]:
    receiver = Receiver()
    reactor.nameResolver.resolveHostName(receiver, name, port)
    assert receiver.complete
    return receiver.addresses


def test_resolver_installed_from_settings_drops_private_answers_even_from_the_dns_cache() -> None:
    crawler = get_crawler(SPIDER, {"SYNDICATE_ALLOWED_ORIGINS": "http://intranet.test:8080"})
    reactor: Any = Reactor()
    resolver = GuardedResolver.from_crawler(crawler, reactor)
    resolver.install_on_reactor()
    assert isinstance(reactor.nameResolver, GuardedNameResolver)
    # Scrapy's cache answers without a lookup: what a rebinding name said a moment ago.
    dnscache["rebind.test"] = "127.0.0.1"
    dnscache["public.test"] = "93.184.216.34"
    dnscache["intranet.test"] = "10.1.2.3"
    assert resolve(reactor, "rebind.test", 443) == []
    assert request_guard.REFUSED_LOOKUPS["rebind.test"] == (
        "private address 127.0.0.1 (loopback) of rebind.test"
    )
    assert resolve(reactor, "public.test", 443) == ["93.184.216.34"]
    assert resolve(reactor, "intranet.test", 8080) == ["10.1.2.3"]  # the operator allowed it
    assert resolve(reactor, "intranet.test", 8443) == []
    # connectTCP (a proxy named by host) resolves through reactor.resolver: guarded too
    failed: list[Failure] = []
    reactor.resolver.getHostByName("rebind.test").addErrback(failed.append)
    assert failed and isinstance(failed[0].value, DNSLookupError)


def test_names_with_some_private_answers_connect_only_to_the_public_ones() -> None:
    class Inner:
        def resolveHostName(self, receiver: Any, name: str, port: int, *rest: Any) -> None:  # noqa: N802
            from twisted.internet.address import IPv4Address, IPv6Address

            receiver.resolutionBegan(None)
            receiver.addressResolved(IPv4Address("TCP", "10.0.0.5", port))
            receiver.addressResolved(IPv6Address("TCP", "::ffff:7f00:1", port))
            receiver.addressResolved(IPv4Address("TCP", "93.184.216.34", port))
            receiver.resolutionComplete()

    reactor: Any = Reactor()
    reactor.installNameResolver(GuardedNameResolver(Inner(), AllowList()))
    assert resolve(reactor, "mixed.test", 80) == ["93.184.216.34"]
    assert "mixed.test" not in request_guard.REFUSED_LOOKUPS


def test_project_settings_switch_the_guard_on_and_other_schemes_off() -> None:
    from syndicate import scrapy_settings as settings

    assert settings.TWISTED_DNS_RESOLVER == "pipelines.request_guard.GuardedResolver"
    assert settings.DOWNLOAD_HANDLERS == {"file": None, "ftp": None, "data": None, "s3": None}
    middlewares = settings.DOWNLOADER_MIDDLEWARES
    assert middlewares["pipelines.request_guard.NetworkGuardMiddleware"] < 100  # robots.txt
    assert middlewares["pipelines.request_guard.ResolverGuardMiddleware"] > 750  # proxies
