"""The network guard in a crawl: checked before a request is sent and where its host is resolved.

`NetworkGuardMiddleware` refuses other schemes and private address literals before
anything else sees the request (also robots.txt, redirects, meta refresh: each new
request passes the downloader middlewares again). `GuardedResolver` is the reactor's
resolver: a name is judged on the addresses it resolves to, and only those addresses are
connected to, so a name that resolves (or rebinds) to 127.0.0.1 gets nowhere. A refused
lookup reaches Twisted as "no address" (DNSLookupError, which Scrapy 2.19 hands on as
CannotResolveHostError); `ResolverGuardMiddleware` turns it back into `RequestRefused` with
the guard's reason, before RetryMiddleware retries it. Through a proxy, the proxy resolves
the request's host; the guard then judges only its scheme and literal (docs/security.md).
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any
from urllib.parse import urlsplit

from scrapy import Request
from scrapy.crawler import Crawler
from scrapy.exceptions import CannotResolveHostError
from scrapy.resolver import CachingThreadedResolver
from scrapy.utils.datatypes import LocalCache
from twisted.internet.error import DNSLookupError
from twisted.internet.interfaces import IAddress, IHostResolution

from pipelines.network_guard import AllowList, answer_refusal, origin_of, request_refusal
from spiders.failures import RequestRefused

SETTING = "SYNDICATE_ALLOWED_ORIGINS"
REFUSED_STAT = "network_guard/refused"
# One resolver serves every crawler of the process (Scrapy installs it on the reactor), so
# what it allows and why it refused a name are kept per process, like Scrapy's dnscache.
PROCESS_ALLOWED = AllowList()
REFUSED_LOOKUPS: LocalCache[str, str] = LocalCache(10_000)


def source_urls(spidercls: type[Any]) -> list[str]:
    """The URLs a source file names: its origins are the source's own, private or not."""
    config = getattr(spidercls, "config", None)
    if config is None:
        return []
    discovery = config.discovery
    return [config.homepage, *discovery.feeds, *discovery.sitemaps, *discovery.sections]


class NetworkGuardMiddleware:
    """First downloader middleware: schemes and address literals, before robots.txt."""

    ORDER = 60

    def __init__(self, allowed: AllowList, stats: Any) -> None:
        self.allowed = allowed
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> NetworkGuardMiddleware:
        allowed = AllowList.parse(crawler.settings.get(SETTING) or "")
        allowed.add(AllowList.of_urls(source_urls(crawler.spidercls)))
        PROCESS_ALLOWED.add(allowed)  # for the resolver, which has no crawler of its own
        return cls(allowed, crawler.stats)

    def process_request(self, request: Request) -> None:
        if (reason := request_refusal(request.url, self.allowed)) is not None:
            refuse(reason, self.stats)


class ResolverGuardMiddleware:
    """The resolver's side, after HttpProxyMiddleware (750) and before RetryMiddleware (550)
    sees exceptions: the crawl's own proxy may be private; a refused lookup is no DNS error."""

    ORDER = 760

    def __init__(self, stats: Any) -> None:
        self.stats = stats

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> ResolverGuardMiddleware:
        return cls(crawler.stats)

    def process_request(self, request: Request) -> None:
        """A proxy is the operator's (settings, environment), never a publisher's: allowed."""
        if (proxy := request.meta.get("proxy")) and (origin := origin_of(proxy)) is not None:
            PROCESS_ALLOWED.origins.add(origin)

    def process_exception(self, request: Request, exception: Exception) -> None:
        if not isinstance(exception, DNSLookupError | CannotResolveHostError):
            return
        proxy = request.meta.get("proxy")
        for url in (request.url, proxy) if proxy else (request.url,):
            host = (urlsplit(url).hostname or "").rstrip(".").lower()
            if (reason := REFUSED_LOOKUPS.get(host)) is not None:
                refuse(reason, self.stats)


def refuse(reason: str, stats: Any) -> None:
    """Raise the refusal the spider's errback records as a failed page, counted here too."""
    if stats is not None:
        stats.inc_value(REFUSED_STAT)
    raise RequestRefused(reason)


class GuardedResolver(CachingThreadedResolver):
    """Scrapy's default resolver (DNS cache, DNS_TIMEOUT) with the guard in front of it."""

    @classmethod
    def from_crawler(cls, crawler: Crawler, reactor: Any) -> GuardedResolver:
        PROCESS_ALLOWED.add(AllowList.parse(crawler.settings.get(SETTING) or ""))
        return super().from_crawler(crawler, reactor)

    def install_on_reactor(self) -> None:
        """Install as the simple resolver, then put the guard in front of every lookup."""
        reactor: Any = self.reactor
        reactor.installResolver(self)
        reactor.installNameResolver(GuardedNameResolver(reactor.nameResolver))


class GuardedNameResolver:
    """Passes on only the addresses the guard allows; a name left with none is refused.

    Twisted's IHostnameResolver, duck-typed: nothing checks the declaration, and declaring it
    would take zope.interface as a dependency of its own."""

    def __init__(self, inner: Any, allowed: AllowList = PROCESS_ALLOWED) -> None:
        self.inner = inner
        self.allowed = allowed

    def resolveHostName(  # noqa: N802  (Twisted's interface names these)
        self,
        resolutionReceiver: Any,  # noqa: N803
        hostName: str,  # noqa: N803
        portNumber: int = 0,  # noqa: N803
        addressTypes: Sequence[type[IAddress]] | None = None,  # noqa: N803
        transportSemantics: str = "TCP",  # noqa: N803
    ) -> IHostResolution:
        vetting = _Vetting(resolutionReceiver, hostName, portNumber, self.allowed)
        result: IHostResolution = self.inner.resolveHostName(
            vetting, hostName, portNumber, addressTypes, transportSemantics
        )
        return result


class _Vetting:
    """A resolution receiver (Twisted's IResolutionReceiver) that drops private answers and
    notes why."""

    def __init__(self, receiver: Any, host: str, port: int, allowed: AllowList) -> None:
        self.receiver = receiver
        self.host = host.rstrip(".").lower()
        self.port = port
        self.allowed = allowed
        self.passed = 0
        self.refusal: str | None = None

    def resolutionBegan(self, resolution: IHostResolution) -> None:  # noqa: N802
        self.receiver.resolutionBegan(resolution)

    def addressResolved(self, address: IAddress) -> None:  # noqa: N802
        host = getattr(address, "host", None)
        reason = (
            answer_refusal(self.host, self.port, host, self.allowed)
            if isinstance(host, str)
            else f"unknown address type {type(address).__name__} of {self.host}"
        )
        if reason is None:
            self.passed += 1
            self.receiver.addressResolved(address)
        else:
            self.refusal = reason

    def resolutionComplete(self) -> None:  # noqa: N802
        if self.passed == 0 and self.refusal is not None:
            REFUSED_LOOKUPS[self.host] = self.refusal
        else:  # resolved to allowed addresses, or a plain DNS failure: no refusal to report
            REFUSED_LOOKUPS.pop(self.host, None)
        self.receiver.resolutionComplete()
