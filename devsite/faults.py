"""A local site where every listed article URL meets one fault a real crawl meets, and the
listings themselves are broken too: for the fault-site test (127.0.0.1 only, no network).

The articles are listed once each, half in an RSS feed and half in a sitemap: good pages, a
redirect chain that ends well, a gzip bomb, 50 MB pages, redirect loops (301 and meta
refresh), a chain longer than the crawl follows, a body cut short, a page that never
answers, Latin-1 bytes labelled UTF-8, a broken og:image, 404, 500, binary bytes and a page
robots.txt forbids. Beside the good listings stand a feed and a sitemap of random bytes and
a gzip-bombed sitemap. Big answers are streamed from small blocks, never held in memory.
"""

from __future__ import annotations

import functools
import itertools
import random
import re
import struct
import threading
import zlib
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from typing import Any

from devsite.listings import rss, sitemap, sitemap_index

MIB = 1024 * 1024
BOMB_BYTES = 1024 * MIB  # what the gzip bomb inflates to; ~1 MB is sent
BIG_BYTES = 50 * MIB  # the "50 MB page"
LONG_CHAIN = 20  # redirects in the over-long chain
SHORT_CHAIN = 3  # redirects in the chain that ends on a good article
WHEN = datetime(2024, 1, 1, tzinfo=UTC)
BROKEN_IMAGE = "http://[::1/x.jpg"  # an unclosed IPv6 bracket: urljoin raises on it
HTML = "text/html; charset=utf-8"

# Listed article path -> the fault it meets. Paths match `^…/(noticias|privado)/.*-noticia/$`.
LISTED: dict[str, str] = {
    "/noticias/primera-noticia/": "good",
    "/noticias/segunda-noticia/": "good",
    "/noticias/mudada-noticia/": "short chain",
    "/noticias/latin1-noticia/": "latin-1 labelled utf-8",
    "/noticias/imagen-rota-noticia/": "broken og:image",
    "/noticias/bomba-noticia/": "gzip bomb",
    "/noticias/enorme-noticia/": "50 MB streamed",
    "/noticias/enorme-declarada-noticia/": "50 MB declared",
    "/noticias/bucle-a-noticia/": "redirect loop",
    "/noticias/auto-noticia/": "self redirect",
    "/noticias/cadena-noticia/": "long chain",
    "/noticias/refresco-noticia/": "meta refresh loop",
    "/noticias/cortada-noticia/": "truncated body",
    "/noticias/lenta-noticia/": "timeout",
    "/noticias/borrada-noticia/": "404",
    "/noticias/error-noticia/": "500",
    "/noticias/binario-noticia/": "binary",
    "/privado/secreta-noticia/": "robots.txt",
}
CHAIN_END = "/noticias/destino-noticia/"  # where the short chain lands (not listed)
LONG_CHAIN_END = "/noticias/fin-de-cadena-noticia/"  # where the long one would (never reached)
LOOP_B = "/noticias/bucle-b-noticia/"
REFRESH_B = "/noticias/refresco-b-noticia/"
RANDOM_FEED = "/feed-aleatorio.xml"
RANDOM_SITEMAP = "/sitemap-aleatorio.xml"
BOMB_SITEMAP = "/sitemap-bomba.xml"
SITEMAP_CHILDREN = ("/sitemap-noticias.xml", RANDOM_SITEMAP, BOMB_SITEMAP)

Send = Callable[[BaseHTTPRequestHandler], None]


@dataclass(frozen=True, slots=True)
class Pages:
    """The real-looking article pages (UTF-8 HTML) the good paths serve."""

    first: bytes
    second: bytes
    chain_end: bytes
    latin1: bytes  # served re-encoded as Latin-1 behind "charset=utf-8"
    broken_image: bytes  # served with every og:image replaced by BROKEN_IMAGE


class FaultSite:
    """The site and its access log; `serve()` runs it on an ephemeral port of 127.0.0.1.

    `hang_seconds` is how long the page that never answers keeps the client waiting (longer
    than the crawl's DOWNLOAD_TIMEOUT); it stops waiting when the site shuts down.
    """

    def __init__(self, pages: Pages, *, hang_seconds: float = 30.0) -> None:
        self.pages = pages
        self.hang_seconds = hang_seconds
        self.base_url = ""
        self._log: list[str] = []
        self._lock = threading.Lock()
        self._closing = threading.Event()
        self._routes: dict[str, Send] = {}

    def url(self, path: str) -> str:
        return self.base_url + path

    def requests(self) -> list[str]:
        """The path of every request so far, in order."""
        with self._lock:
            return list(self._log)

    @contextmanager
    def serve(self) -> Iterator[FaultSite]:
        server = ThreadingHTTPServer(("127.0.0.1", 0), _handler_for(self))
        server.daemon_threads = True
        self.base_url = f"http://127.0.0.1:{server.server_address[1]}"
        self._routes = self._all_routes()
        _bomb_parts()  # built before the first request, so no client waits for it
        thread = threading.Thread(target=server.serve_forever, name="faultsite", daemon=True)
        thread.start()
        try:
            yield self
        finally:
            self._closing.set()
            server.shutdown()
            server.server_close()
            thread.join(timeout=5)

    def route(self, path: str) -> Send:
        """What the server does for a GET of `path`."""
        return self._routes.get(path) or _status(404)

    def _all_routes(self) -> dict[str, Send]:
        return {
            "/robots.txt": _body("text/plain", b"User-agent: *\nDisallow: /privado/\n"),
            "/rss.xml": _body("application/rss+xml", self._rss()),
            "/sitemap_index.xml": _body("application/xml", self._index()),
            "/sitemap-noticias.xml": _body("application/xml", self._sitemap()),
            RANDOM_FEED: _body("application/rss+xml", _random_bytes(1, 4096)),
            RANDOM_SITEMAP: _body("application/xml", _random_bytes(2, 4096)),
            BOMB_SITEMAP: _gzip_bomb("application/xml"),
            **self._article_routes(),
        }

    def _article_routes(self) -> dict[str, Send]:
        pages = self.pages
        chain = [f"/cadena/{n}" for n in range(1, LONG_CHAIN)]
        short = [f"/paso/{n}" for n in range(1, SHORT_CHAIN)]
        routes: dict[str, Send] = {
            "/noticias/primera-noticia/": _body(HTML, pages.first),
            "/noticias/segunda-noticia/": _body(HTML, pages.second),
            CHAIN_END: _body(HTML, pages.chain_end),
            "/noticias/latin1-noticia/": _body(HTML, _latin1(pages.latin1)),
            "/noticias/imagen-rota-noticia/": _body(HTML, _broken_image(pages.broken_image)),
            "/noticias/bomba-noticia/": _gzip_bomb(HTML),
            "/noticias/enorme-noticia/": _big(declared=False),
            "/noticias/enorme-declarada-noticia/": _big(declared=True),
            "/noticias/bucle-a-noticia/": self._redirect(LOOP_B),
            LOOP_B: self._redirect("/noticias/bucle-a-noticia/"),
            "/noticias/auto-noticia/": self._redirect("/noticias/auto-noticia/"),
            "/noticias/refresco-noticia/": self._refresh(REFRESH_B),
            REFRESH_B: self._refresh("/noticias/refresco-noticia/"),
            "/noticias/cortada-noticia/": _truncated(pages.first),
            "/noticias/lenta-noticia/": self._hang,
            "/noticias/borrada-noticia/": _status(404),
            "/noticias/error-noticia/": _status(500),
            "/noticias/binario-noticia/": _body(
                "application/octet-stream", _random_bytes(3, 20_000)
            ),
            "/privado/secreta-noticia/": _body(HTML, pages.second),
        }
        hops = ["/noticias/cadena-noticia/", *chain, LONG_CHAIN_END]  # LONG_CHAIN redirects
        routes |= {a: self._redirect(b) for a, b in itertools.pairwise(hops)}
        routes[LONG_CHAIN_END] = _body(HTML, pages.chain_end)
        steps = ["/noticias/mudada-noticia/", *short, CHAIN_END]  # SHORT_CHAIN redirects
        routes |= {a: self._redirect(b, 302) for a, b in itertools.pairwise(steps)}
        return routes

    def _redirect(self, path: str, status: int = 301) -> Send:
        return lambda handler: _send(handler, status, {"Location": self.url(path)}, b"")

    def _refresh(self, path: str) -> Send:
        page = (
            f'<html><head><meta http-equiv="refresh" content="0; url={self.url(path)}">'
            "<title>Redirigiendo</title></head><body>Redirigiendo…</body></html>"
        )
        return _body(HTML, page.encode())

    def _hang(self, handler: BaseHTTPRequestHandler) -> None:
        """Accept the request, then say nothing until long after the client gave up."""
        self._closing.wait(self.hang_seconds)
        handler.close_connection = True

    def _rss(self) -> bytes:
        paths = list(LISTED)[0::2]
        return rss(self.base_url, [(self.url(p), WHEN, p) for p in paths])

    def _sitemap(self) -> bytes:
        return sitemap([(self.url(p), WHEN, "") for p in list(LISTED)[1::2]])

    def _index(self) -> bytes:
        return sitemap_index(self.base_url, list(SITEMAP_CHILDREN))


def _send(
    handler: BaseHTTPRequestHandler, status: int, headers: dict[str, str], body: bytes
) -> None:
    handler.send_response(status)
    for name, value in headers.items():
        handler.send_header(name, value)
    handler.send_header("Content-Length", str(len(body)))
    handler.end_headers()
    handler.wfile.write(body)


def _body(content_type: str, body: bytes) -> Send:
    return lambda handler: _send(handler, 200, {"Content-Type": content_type}, body)


def _status(status: int) -> Send:
    page = f"<html><body><h1>{status}</h1></body></html>".encode()
    return lambda handler: _send(handler, status, {"Content-Type": HTML}, page)


def _truncated(page: bytes) -> Send:
    """Announce the whole page, send a third of it, close the connection."""

    def send(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", HTML)
        handler.send_header("Content-Length", str(len(page)))
        handler.end_headers()
        handler.wfile.write(page[: len(page) // 3])
        handler.close_connection = True

    return send


def _big(*, declared: bool) -> Send:
    """BIG_BYTES of HTML in 64 KiB writes; with `declared` the size is announced up front,
    else the body simply runs until the connection closes."""
    block = b"<p>" + b"relleno " * (64 * 1024 // 8 - 1) + b"</p>"
    head = b"<html><head><title>Enorme</title></head><body>"

    def send(handler: BaseHTTPRequestHandler) -> None:
        handler.send_response(200)
        handler.send_header("Content-Type", HTML)
        if declared:
            handler.send_header(
                "Content-Length", str(len(head) + BIG_BYTES // len(block) * len(block))
            )
        else:
            handler.send_header("Connection", "close")
        handler.end_headers()
        handler.close_connection = True
        handler.wfile.write(head)
        for _ in range(BIG_BYTES // len(block)):
            handler.wfile.write(block)

    return send


def _gzip_bomb(content_type: str) -> Send:
    """A valid gzip member of BOMB_BYTES zeros, sent as `Content-Encoding: gzip`."""

    def send(handler: BaseHTTPRequestHandler) -> None:
        head, block, count, tail = _bomb_parts()
        handler.send_response(200)
        handler.send_header("Content-Type", content_type)
        handler.send_header("Content-Encoding", "gzip")
        handler.send_header("Content-Length", str(len(head) + len(block) * count + len(tail)))
        handler.end_headers()
        handler.wfile.write(head)
        for _ in range(count):
            handler.wfile.write(block)
        handler.wfile.write(tail)

    return send


@functools.cache
def _bomb_parts() -> tuple[bytes, bytes, int, bytes]:
    """(gzip header, one deflate block, how many, end of stream + trailer).

    A block of 1 MiB of zeros ends in a full flush, which resets the compressor, so the same
    ~1 KB block repeated is a valid deflate stream of that many MiB: the bomb is built from
    one small compressed block instead of compressing a gigabyte.
    """
    zeros = bytes(MIB)
    deflate = zlib.compressobj(9, zlib.DEFLATED, -zlib.MAX_WBITS)
    block = deflate.compress(zeros) + deflate.flush(zlib.Z_FULL_FLUSH)
    count = BOMB_BYTES // MIB
    crc = 0
    for _ in range(count):
        crc = zlib.crc32(zeros, crc)
    tail = deflate.flush() + struct.pack("<II", crc, BOMB_BYTES & 0xFFFFFFFF)
    header = b"\x1f\x8b\x08\x00\x00\x00\x00\x00\x02\xff"  # gzip, deflate, no name, mtime 0
    return header, block, count, tail


def _random_bytes(seed: int, size: int) -> bytes:
    return random.Random(seed).randbytes(size)


def _latin1(page: bytes) -> bytes:
    """The page as a Latin-1 site writes it: accents as single bytes, the rest as references."""
    return page.decode("utf-8").encode("latin-1", errors="xmlcharrefreplace")


_OG_IMAGE = re.compile(rb'(<meta[^>]+property="og:image(?::secure_url)?"[^>]+content=")[^"]*(")')


def _broken_image(page: bytes) -> bytes:
    return _OG_IMAGE.sub(lambda m: m.group(1) + BROKEN_IMAGE.encode() + m.group(2), page)


def _handler_for(site: FaultSite) -> type[BaseHTTPRequestHandler]:
    class Handler(BaseHTTPRequestHandler):
        protocol_version = "HTTP/1.1"

        def do_GET(self) -> None:
            with site._lock:
                site._log.append(self.path)
            try:
                site.route(self.path)(self)
            except (BrokenPipeError, ConnectionResetError):  # the client hung up: its choice
                self.close_connection = True

        def log_message(self, format: str, *args: Any) -> None:  # stdlib's name
            """Quiet: the site keeps its own access log."""

    return Handler
