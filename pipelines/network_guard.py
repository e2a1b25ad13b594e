"""The network guard's rules, without Scrapy: which addresses, schemes and origins a crawl may reach.

Feeds, sitemaps, redirects and links are written by publishers (or by whoever controls
their DNS), so a crawl must not be steerable into the crawler's own networks: loopback,
private, link-local, CGNAT, multicast, reserved. Origins the source file names and the
operator's `SYNDICATE_ALLOWED_ORIGINS` are allowed anyway (docs/security.md).
"""

from __future__ import annotations

import ipaddress
import re
import socket
from collections.abc import Iterable
from dataclasses import dataclass, field
from urllib.parse import urlsplit

IPAddress = ipaddress.IPv4Address | ipaddress.IPv6Address
IPNetwork = ipaddress.IPv4Network | ipaddress.IPv6Network
Origin = tuple[str, str, int]  # scheme, host (lower case), port (default filled in)

SCHEMES = frozenset({"http", "https"})
DEFAULT_PORTS = {"http": 80, "https": 443}
CGNAT = ipaddress.IPv4Network("100.64.0.0/10")  # not `is_private` in Python, still not public
NAT64 = ipaddress.IPv6Network("64:ff9b::/96")  # IPv6 addresses that carry an IPv4 one
_LEGACY_IPV4 = re.compile(r"[0-9a-fx.]+")  # 127.1, 0x7f.0.0.1, 2130706433: inet_aton reads them


def address_kind(ip: IPAddress) -> str | None:
    """Why `ip` is no public address ("loopback", "private", "CGNAT"…); None when it is one.

    IPv6 addresses that embed an IPv4 one (mapped ::ffff:a.b.c.d, NAT64, 6to4) are judged
    by that IPv4 address, as that is where a connection to them ends up.
    """
    if isinstance(ip, ipaddress.IPv6Address):
        embedded = ip.ipv4_mapped or ip.sixtofour
        if embedded is None and ip in NAT64:
            embedded = ipaddress.IPv4Address(int(ip) & 0xFFFFFFFF)
        if embedded is not None:
            return address_kind(embedded)
    checks = (
        ("unspecified", ip.is_unspecified),
        ("loopback", ip.is_loopback),
        ("link-local", ip.is_link_local),
        ("multicast", ip.is_multicast),
        ("CGNAT", ip in CGNAT),
        ("reserved", ip.is_reserved),
        ("private", ip.is_private),
        ("not global", not ip.is_global),
    )
    return next((kind for kind, hit in checks if hit), None)


def literal_address(host: str) -> IPAddress | None:
    """The address a URL's host names literally (also legacy IPv4 forms); None for a name."""
    try:
        return ipaddress.ip_address(host)
    except ValueError:
        pass
    if _LEGACY_IPV4.fullmatch(host):
        try:
            return ipaddress.IPv4Address(socket.inet_aton(host))
        except OSError:
            return None
    return None


def origin_of(url: str) -> Origin | None:
    """(scheme, host, port) of an http(s) URL, the port filled in; None for anything else."""
    parts = urlsplit(url.strip())
    scheme = parts.scheme.lower()
    try:
        port = parts.port
    except ValueError:  # a port that is not a number
        return None
    if scheme not in SCHEMES or not parts.hostname:
        return None
    return scheme, parts.hostname.rstrip(".").lower(), port or DEFAULT_PORTS[scheme]


@dataclass(slots=True)
class AllowList:
    """Origins and networks a crawl may reach even when they are private."""

    origins: set[Origin] = field(default_factory=set)
    networks: list[IPNetwork] = field(default_factory=list)

    @classmethod
    def parse(cls, text: str) -> AllowList:
        """`http://intranet.local:8080, 10.20.0.0/16`: origins and networks, comma or space separated."""
        allowed = cls()
        for entry in text.replace(",", " ").split():
            if (origin := origin_of(entry)) is not None:
                allowed.origins.add(origin)
                continue
            try:
                allowed.networks.append(ipaddress.ip_network(entry, strict=False))
            except ValueError:
                raise ValueError(
                    f"SYNDICATE_ALLOWED_ORIGINS: {entry!r} is neither an origin "
                    "(http://host:port) nor a network (10.20.0.0/16)"
                ) from None
        return allowed

    @classmethod
    def of_urls(cls, urls: Iterable[str]) -> AllowList:
        """The origins of `urls` (a source file's homepage, feeds, sitemaps and sections)."""
        return cls({origin for url in urls if (origin := origin_of(url)) is not None})

    def add(self, other: AllowList) -> None:
        self.origins |= other.origins
        self.networks += [net for net in other.networks if net not in self.networks]

    def allows_origin(self, origin: Origin) -> bool:
        return origin in self.origins

    def allows_host(self, host: str, port: int) -> bool:
        """A resolver knows host and port, not the scheme; port 0 is a lookup without one."""
        host = host.rstrip(".").lower()
        return any(h == host and port in (0, p) for _, h, p in self.origins)

    def allows_address(self, ip: IPAddress) -> bool:
        return any(ip in network for network in self.networks)


def request_refusal(url: str, allowed: AllowList) -> str | None:
    """Why a request for `url` must not be made, judged before any DNS; None to let it go.

    Schemes other than http(s), private address literals and localhost names are refused
    here; names are judged again on their resolved addresses (`answer_refusal`).
    """
    scheme = urlsplit(url).scheme.lower()
    if scheme not in SCHEMES:
        return f"scheme {scheme or '(none)'}"
    origin = origin_of(url)
    if origin is None:
        return "not an http(s) URL"
    if allowed.allows_origin(origin):
        return None
    host = origin[1]
    if (ip := literal_address(host)) is not None:
        kind = None if allowed.allows_address(ip) else address_kind(ip)
        return f"private address {ip} ({kind})" if kind else None
    if host == "localhost" or host.endswith(".localhost"):
        return f"private address {host} (loopback name)"
    return None


def answer_refusal(host: str, port: int, address: str, allowed: AllowList) -> str | None:
    """Why a connection to `address`, which `host` resolved to, must not be made; None if fine."""
    try:
        ip = ipaddress.ip_address(address.split("%", maxsplit=1)[0])
    except ValueError:
        return f"unreadable address {address!r} of {host}"
    if allowed.allows_host(host, port) or allowed.allows_address(ip):
        return None
    if (kind := address_kind(ip)) is None:
        return None
    named = "" if literal_address(host) == ip else f" of {host.rstrip('.').lower()}"
    return f"private address {ip} ({kind}){named}"
