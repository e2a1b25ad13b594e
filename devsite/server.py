"""A local news site for end-to-end crawls, the demo and the benchmark (127.0.0.1, no network).

It serves saved real pages under their own paths (their origin rewritten to the local
server), robots.txt, an RSS feed, sitemaps (an index, a plain one, a gzipped one, a news
sitemap) made from those pages, a section page, and the awkward cases a real crawl
meets: a 301 redirect, a 404, a 500, a slow page, a page with a wrong charset header.
Article pages answer conditional requests (ETag / Last-Modified), and every request is
logged so tests can check what a crawl fetched.

With a `public_origin` (the demo's http://demo.localhost) its URLs do not depend on the
port: the server is then an HTTP proxy for that one origin.
"""

from __future__ import annotations

import gzip
import hashlib
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any
from urllib.parse import urlsplit

from devsite.listings import Entry, news_sitemap, rss, sitemap, sitemap_index


@dataclass(slots=True)
class SitePage:
    """A page the site serves at `path`, last changed at `modified`."""

    path: str
    body: bytes
    modified: datetime
    title: str = ""
    content_type: str = "text/html; charset=utf-8"
    # (original origin, local path prefix): links to the page's real site point here instead.
    rewrites: tuple[tuple[bytes, str], ...] = ()

    @property
    def etag(self) -> str:
        return '"' + hashlib.sha1(self.body, usedforsecurity=False).hexdigest()[:16] + '"'


@dataclass(slots=True)
class Trouble:
    """Paths that misbehave; each is listed in the feed and sitemaps like an article."""

    redirects: dict[str, str] = field(default_factory=dict)  # old path -> article path (301)
    missing: list[str] = field(default_factory=list)  # 404
    broken: list[str] = field(default_factory=list)  # 500
    slow: dict[str, float] = field(default_factory=dict)  # article path -> seconds of delay
    wrong_charset: list[str] = field(default_factory=list)  # article paths served as latin-1

    def listed(self) -> list[str]:
        return [*self.redirects, *self.missing, *self.broken]


class NewsSite:
    """The site's content and access log; `serve()` runs it on an ephemeral port.

    `base_url` is the origin its links, feeds and sitemaps use: `public_origin` when given
    (reach it through `address` as an HTTP proxy), else `address`, the listening address.
    """

    def __init__(
        self,
        pages: list[SitePage],
        trouble: Trouble | None = None,
        listings: dict[str, str] | None = None,
        *,
        public_origin: str = "",
    ) -> None:
        self.pages = {page.path: page for page in pages}
        self.trouble = trouble or Trouble()
        self.listings = DEFAULT_LISTINGS if listings is None else listings
        self.public_origin = public_origin.rstrip("/")
        self.base_url = self.public_origin
        self.address = ""
        self._log: list[tuple[str, int]] = []
        self._lock = threading.Lock()

    # -- what tests look at -------------------------------------------------------------
    def url(self, path: str) -> str:
        return self.base_url + path

    def requests(self) -> list[tuple[str, int]]:
        """(path, status) of every request so far, in order."""
        with self._lock:
            return list(self._log)

    def clear_log(self) -> None:
        with self._lock:
            self._log.clear()

    def change(self, path: str, body: bytes, modified: datetime) -> None:
        """Replace a page's content (new ETag and Last-Modified), as a publisher's edit would."""
        self.pages[path].body = body
        self.pages[path].modified = modified

    # -- serving --------------------------------------------------------------------------
    @contextmanager
    def serve(self, host: str = "127.0.0.1") -> Iterator[NewsSite]:
        """Run the site in a background thread on `host` (any of 127/8 on Linux, so tests can
        have a second origin) for the duration of the block."""
        server = ThreadingHTTPServer((host, 0), _handler_for(self))
        server.daemon_threads = True
        self.address = f"http://{host}:{server.server_address[1]}"
        self.base_url = self.public_origin or self.address
        thread = threading.Thread(target=server.serve_forever, name="newssite", daemon=True)
        thread.start()
        try:
            yield self
        finally:
            server.shutdown()
            server.server_close()
            thread.join(timeout=5)

    def local_path(self, target: str) -> str | None:
        """The path (and query) a request target asks for; None for another origin's URL.

        Clients send a path to a server but the whole URL to a proxy; only this site's
        own URLs are answered, so the server is no open proxy.
        """
        if target.startswith("/"):
            return target
        parts = urlsplit(target)
        ours = {_origin(url) for url in (self.base_url, self.address) if url}
        if not parts.hostname or _origin(target) not in ours:
            return None
        return (parts.path or "/") + (f"?{parts.query}" if parts.query else "")

    def respond(self, path: str, headers: Any) -> tuple[int, dict[str, str], bytes]:
        """Status, headers and body for a GET of `path` (the whole site's routing)."""
        if path in self.trouble.redirects:
            return 301, {"Location": self.url(self.trouble.redirects[path])}, b""
        if path in self.trouble.broken:
            return 500, {"Content-Type": "text/plain"}, b"internal error"
        if (page := self.pages.get(path)) is not None:
            time.sleep(self.trouble.slow.get(path, 0.0))
            return self._page(page, headers)
        if (listing := self._listing(path)) is not None:
            return 200, {"Content-Type": listing[0]}, listing[1]
        return 404, {"Content-Type": "text/html"}, b"<html><body><h1>Not found</h1></body></html>"

    def _page(self, page: SitePage, headers: Any) -> tuple[int, dict[str, str], bytes]:
        validators = {"ETag": page.etag, "Last-Modified": format_datetime(page.modified, True)}
        if headers.get("If-None-Match") == page.etag or _not_modified_since(headers, page):
            return 304, validators, b""
        content_type = page.content_type
        if page.path in self.trouble.wrong_charset:
            content_type = "text/html; charset=iso-8859-1"
        body = page.body
        for origin, prefix in page.rewrites:
            body = body.replace(origin, (self.base_url + prefix).encode())
        return 200, {"Content-Type": content_type, **validators}, body

    def _listing(self, path: str) -> tuple[str, bytes] | None:
        kind = self.listings.get(path) or CHILDREN.get(path)
        if kind is None:
            prefixes = (k for k in self.listings if k.endswith("*") and path.startswith(k[:-1]))
            kind = next((self.listings[k] for k in prefixes), None)
        return _render(kind, self.base_url, self._entries()) if kind else None

    def _entries(self) -> list[Entry]:
        """Articles newest first, then the troublesome paths (listed like articles)."""
        articles = sorted(self.pages.values(), key=lambda p: p.modified, reverse=True)
        entries = [(self.base_url + p.path, p.modified, p.title) for p in articles]
        epoch = datetime(2020, 1, 1, tzinfo=UTC)
        return entries + [(self.base_url + p, epoch, "") for p in self.trouble.listed()]


def _render(kind: str, base: str, entries: list[Entry]) -> tuple[str, bytes]:
    xml = "application/xml"
    renderers: dict[str, Callable[[], tuple[str, bytes]]] = {
        "robots": lambda: ("text/plain", _robots(base)),
        # The feed: the newest articles and every troublesome path.
        "rss": lambda: (
            "application/rss+xml",
            rss(base, entries[:20] + entries[-TROUBLE_IN_FEED:]),
        ),
        "index": lambda: (xml, sitemap_index(base, list(CHILDREN))),
        "sitemap-odd": lambda: (xml, sitemap(entries[0::2])),
        "sitemap-even-gz": lambda: (
            "application/gzip",
            gzip.compress(sitemap(entries[1::2]), mtime=0),
        ),
        "news": lambda: (xml, news_sitemap(entries[:50], "Local News", "es")),
        "home": lambda: ("text/html; charset=utf-8", _homepage(entries[:30])),
    }
    return renderers[kind]()


# Listing path -> kind. A path ending in "*" matches every path it starts.
DEFAULT_LISTINGS = {
    "/robots.txt": "robots",
    "/rss.xml": "rss",
    "/sitemap_index.xml": "index",
    "/": "home",
}
# The sitemap index's children: a plain sitemap, a gzipped one and a news sitemap.
CHILDREN = {
    "/sitemap-1.xml": "sitemap-odd",
    "/sitemap-2.xml.gz": "sitemap-even-gz",
    "/news-sitemap.xml": "news",
}
TROUBLE_IN_FEED = 3
# The answer to a proxy request for a URL of another site.
OTHER_ORIGIN = (404, {"Content-Type": "text/plain"}, b"not served here: not this site's URL")


def _origin(url: str) -> tuple[str, str, int | None]:
    """Scheme, host and port (80 when implicit): equal for all spellings of one origin."""
    parts = urlsplit(url)
    try:
        port = parts.port or (80 if parts.scheme == "http" else None)
    except ValueError:  # a port that is not a number: matches no origin of ours
        return ("", "", None)
    return (parts.scheme.lower(), (parts.hostname or "").lower(), port)


def _not_modified_since(headers: Any, page: SitePage) -> bool:
    since = headers.get("If-Modified-Since")
    if not since:
        return False
    try:
        return page.modified.replace(microsecond=0) <= parsedate_to_datetime(since)
    except (TypeError, ValueError):
        return False


def _robots(base: str) -> bytes:
    lines = ["User-agent: *", "Disallow: /private/", f"Sitemap: {base}/sitemap_index.xml", ""]
    return "\n".join(lines).encode()


def _homepage(entries: list[tuple[str, datetime, str]]) -> bytes:
    links = "".join(f'<li><a href="{url}">{title or url}</a></li>' for url, _, title in entries)
    extra = '<a href="/autor/redaccion/">Redacción</a> <a href="/private/x-noticia/">private</a>'
    return f"<html><body><h1>Portada</h1><ul>{links}</ul>{extra}</body></html>".encode()


def _handler_for(site: NewsSite) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            path = site.local_path(self.path)
            status, headers, body = site.respond(path, self.headers) if path else OTHER_ORIGIN
            with site._lock:
                site._log.append((path or self.path, status))
            self.send_response(status)
            for name, value in headers.items():
                self.send_header(name, value)
            self.send_header("Content-Length", str(len(body)))
            self.end_headers()
            self.wfile.write(body)

        def log_message(self, format: str, *args: Any) -> None:  # stdlib's name
            """Quiet: the site keeps its own access log."""

    return Handler
