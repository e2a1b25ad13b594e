"""The network guard in a real crawl: a public site whose redirects, meta refresh, sitemap
children, robots.txt `Sitemap:` line and links lead into a private one, which is never reached.

The source's own site runs on 127.0.0.1 (allowed: the source file names it), the "private"
one on 127.0.0.2 (Linux routes all of 127/8 to lo), reached also through a name that
resolves to it (news.private.test, put into Scrapy's DNS cache by `SeededResolver`, as a
rebinding name would answer). With SYNDICATE_ALLOWED_ORIGINS naming it, the crawl gets in.
"""

from __future__ import annotations

import os
import subprocess
import sys
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import pytest
from scrapy.resolver import dnscache
from sqlalchemy import select

from devsite.listings import sitemap, sitemap_index
from devsite.server import NewsSite, SitePage
from pipelines.request_guard import GuardedResolver
from storage.database import make_engine, session_scope
from storage.models import ArticleRow, CrawlRun
from tests.support.paths import REPOSITORY
from tests.support.site_pages import el_comercio_pages

pytestmark = pytest.mark.e2e

SYNDICATE = str(Path(sys.executable).parent / "syndicate")
FAST = ["--set", "AUTOTHROTTLE_ENABLED=False", "--set", "DOWNLOAD_DELAY=0"]
PRIVATE_HOST = "127.0.0.2"
PRIVATE_NAME = "news.private.test"
SEEDED = ["--set", f"TWISTED_DNS_RESOLVER={__name__}.SeededResolver"]
LOOPBACK = "private address 127.0.0.2 (loopback)"
WHEN = datetime(2024, 1, 1, tzinfo=UTC)
XML = "application/xml"


class SeededResolver(GuardedResolver):
    """The project's resolver, with news.private.test already resolved to 127.0.0.2."""

    def install_on_reactor(self) -> None:
        dnscache[PRIVATE_NAME] = PRIVATE_HOST
        super().install_on_reactor()


class PublicSite(NewsSite):
    """The devsite, plus 301s to other origins (Trouble's redirects stay on the site)."""

    away: dict[str, str]

    def respond(self, path: str, headers: Any) -> tuple[int, dict[str, str], bytes]:
        if path in self.away:
            return 301, {"Location": self.away[path]}, b""
        return super().respond(path, headers)


def lead_into(public: PublicSite, private: NewsSite, secret: Path) -> None:
    """Every way a listing or page of `public` can send the crawl to `private`."""
    pub, priv = public.base_url, private.base_url
    targets = [priv + path for path in sorted(private.pages)]
    public.away = {"/moved-noticia/": targets[0]}  # a 301
    refresh = f'<html><head><meta http-equiv="refresh" content="0; url={targets[1]}"></head>'
    secret.write_bytes(sitemap([(pub + "/from-disk-noticia/", WHEN, "")]))  # a file:// child
    links = [pub + path for path in sorted(public.pages)]
    links += [pub + "/moved-noticia/", pub + "/refresh-noticia/", targets[2]]  # + a plain link
    links.append(targets[3].replace(PRIVATE_HOST, PRIVATE_NAME))  # a name resolving to it
    children = [f"{pub}/guard-articles.xml", f"{priv}/sitemap-1.xml", secret.as_uri()]
    robots = f"User-agent: *\nSitemap: {pub}/guard-index.xml\nSitemap: {priv}/sitemap_index.xml\n"
    for page in (
        SitePage("/robots.txt", robots.encode(), WHEN, content_type="text/plain"),
        SitePage("/refresh-noticia/", (refresh + "<body>moved</body></html>").encode(), WHEN),
        SitePage("/guard-index.xml", sitemap_index("", children), WHEN, content_type=XML),
        SitePage("/guard-articles.xml", sitemap([(u, WHEN, "") for u in links]), WHEN, XML),
    ):
        public.pages[page.path] = page


def source(base: str) -> str:
    return f"""
key = "guarded"
name = "Guarded News"
homepage = "{base}/"
language = "es"
timezone = "America/Lima"

[discovery]
sitemaps = ["{base}/robots.txt"]
article_urls = ['^http://[^/]+/.*-noticia/$']
"""


@pytest.fixture
def sites(tmp_path: Path) -> Iterator[tuple[PublicSite, NewsSite, Path]]:
    """(public, private, sources folder), both sites serving."""
    pages = el_comercio_pages(7)
    private = NewsSite(pages[3:])  # its own robots.txt, sitemap index, sitemaps and feed
    public = PublicSite(pages[:3], listings={})
    with private.serve(host=PRIVATE_HOST), public.serve():
        lead_into(public, private, tmp_path / "secret-sitemap.xml")
        sources = tmp_path / "sources"
        sources.mkdir()
        (sources / "guarded.toml").write_text(source(public.base_url), encoding="utf-8")
        yield public, private, sources


def crawl(sources: Path, db: str, allowed: str = "") -> subprocess.CompletedProcess[str]:
    env = {
        **os.environ,
        "SYNDICATE_SOURCES_DIR": str(sources),
        "SYNDICATE_ALLOWED_ORIGINS": allowed,
        "PYTHONPATH": str(REPOSITORY),  # for SeededResolver, in this module
    }
    return subprocess.run(
        [SYNDICATE, "crawl", "guarded", "--db", db, *FAST, *SEEDED],
        capture_output=True,
        text=True,
        env=env,
        timeout=240,
        check=False,
    )


def stored(db: str) -> tuple[list[ArticleRow], CrawlRun]:
    engine = make_engine(db)
    with session_scope(engine) as session:
        articles = list(session.execute(select(ArticleRow)).scalars())
        run = session.execute(select(CrawlRun).order_by(CrawlRun.id.desc())).scalars().first()
    engine.dispose()
    assert run is not None
    return articles, run


def test_private_origin_is_never_reached_and_each_refusal_is_counted(
    sites: tuple[PublicSite, NewsSite, Path], tmp_path: Path
) -> None:
    public, private, sources = sites
    db = f"sqlite:///{tmp_path / 'guarded.db'}"
    result = crawl(sources, db)
    assert result.returncode == 0, result.stderr[-3000:]

    assert private.requests() == []  # not one request, not even for robots.txt
    fetched = {path for path, _ in public.requests()}
    assert "/from-disk-noticia/" not in fetched  # the file:// sitemap was not read
    articles, run = stored(db)
    assert sorted(a.url for a in articles) == sorted(
        public.url(p) for p in public.pages if p.endswith("-noticia/") and "refresh" not in p
    )
    assert all(a.canonical_url.startswith(public.base_url) for a in articles)
    assert run.failures == {
        f"listing: refused: {LOOPBACK}": 2,  # robots.txt Sitemap: line, sitemap index child
        "listing: refused: scheme file": 1,  # sitemap index child
        f"refused: {LOOPBACK}": 3,  # 301, meta refresh, article link
        f"refused: {LOOPBACK} of {PRIVATE_NAME}": 1,  # article link by name, refused at DNS
    }
    assert run.failed == 7  # each refused request is a failed page (listings too)


def test_allowed_origins_are_reached(
    sites: tuple[PublicSite, NewsSite, Path], tmp_path: Path
) -> None:
    _, private, sources = sites
    db = f"sqlite:///{tmp_path / 'allowed.db'}"
    named = private.base_url.replace(PRIVATE_HOST, PRIVATE_NAME)
    result = crawl(sources, db, allowed=f"{private.base_url}, {named}")
    assert result.returncode == 0, result.stderr[-3000:]

    fetched = {path for path, status in private.requests() if status == 200}
    assert {"/robots.txt", "/sitemap_index.xml", "/sitemap-1.xml"} <= fetched
    assert set(private.pages) <= fetched  # every private article page
    articles, run = stored(db)
    private_articles = {a.canonical_url for a in articles if PRIVATE_HOST in a.canonical_url}
    assert len(private_articles) == len(private.pages)
    assert run.failures == {
        "listing: refused: scheme file": 1,  # file:// stays refused
        # The 301 and the meta refresh lead to private pages the private sitemaps list too:
        # whichever request comes second finds its page already fetched.
        "skipped: duplicate": 2,
    }
