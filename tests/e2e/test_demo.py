"""`syndicate demo`: the README's one command crawls bundled pages offline and shows them."""

from __future__ import annotations

import http.client
import subprocess
import sys
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import func, select

from devsite.server import NewsSite
from storage.database import make_engine, session_scope
from storage.models import ArticleRow, CrawlRun
from syndicate.demo import DEMO_ORIGIN, FIXTURES, demo_site

PAGES = len(list(FIXTURES.glob("*.expected.json"))) + 1  # + the aggregator's copy
RUNS = 3


@pytest.fixture(scope="module")
def demo_runs(tmp_path_factory: pytest.TempPathFactory) -> tuple[str, list[str]]:
    """The database and the output of three `syndicate demo` runs against it."""
    db = f"sqlite:///{tmp_path_factory.mktemp('demo') / 'demo.db'}"
    command = [str(Path(sys.executable).parent / "syndicate"), "demo", "--db", db]
    outputs = []
    for _ in range(RUNS):
        result = subprocess.run(command, capture_output=True, text=True, timeout=120, check=False)
        assert result.returncode == 0, result.stderr[-3000:]
        outputs.append(result.stdout)
    return db, outputs


def test_demo_crawls_the_bundled_pages_into_sqlite_and_prints_them(
    demo_runs: tuple[str, list[str]],
) -> None:
    db, outputs = demo_runs
    first = outputs[0]
    assert f"pages={PAGES + 1} new={PAGES}" in first  # the 404 is recorded as failed
    assert "1 × HTTP 404" in first
    assert "Kenji Fujimori: juicio por presunta compra de votos" in first
    engine = make_engine(db)
    with session_scope(engine) as session:
        run = session.execute(select(CrawlRun).where(CrawlRun.id == 1)).scalar_one()
        copy = session.execute(
            select(ArticleRow).where(ArticleRow.title.startswith("Putin visits Lukashenko"))
        ).scalar_one()
    engine.dispose()
    assert (run.status, run.new, run.failed) == ("finished", PAGES, 1)
    assert copy.attribution["original_publisher"] == "El Comercio"  # a syndicated copy credited


def test_rerunning_the_demo_keeps_the_same_articles(demo_runs: tuple[str, list[str]]) -> None:
    """The site's URLs do not depend on its random port, so a rerun finds what it stored."""
    db, outputs = demo_runs
    for output in outputs[1:]:
        assert f"pages={PAGES + 1} new=0 updated=0 unchanged={PAGES}" in output
    engine = make_engine(db)
    with session_scope(engine) as session:
        count = session.execute(select(func.count()).select_from(ArticleRow)).scalar_one()
        rows = session.execute(
            select(
                ArticleRow.id,
                ArticleRow.canonical_url,
                ArticleRow.version,
                ArticleRow.original_article_id,
            ).order_by(ArticleRow.id)
        ).all()
        runs = session.execute(select(CrawlRun.new).order_by(CrawlRun.id)).scalars().all()
    engine.dispose()
    assert count == PAGES
    assert [row.id for row in rows] == list(range(1, PAGES + 1))  # all stored by the first run
    assert all(row.canonical_url.startswith(f"{DEMO_ORIGIN}/news/") for row in rows)
    assert {row.version for row in rows} == {1}
    assert {row.original_article_id for row in rows} <= {None, *(row.id for row in rows)}
    assert runs == [PAGES, 0, 0]


@pytest.fixture
def proxied_site() -> Iterator[NewsSite]:
    with demo_site().serve() as site:
        yield site


def _get(site: NewsSite, target: str) -> tuple[int, bytes]:
    """GET `target` (a path, or a whole URL as clients send to a proxy) from the server."""
    port = int(site.address.rsplit(":", 1)[1])
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=10)
    try:
        connection.request("GET", target)
        response = connection.getresponse()
        return response.status, response.read()
    finally:
        connection.close()


def test_the_demo_server_proxies_its_own_origin_only(proxied_site: NewsSite) -> None:
    site = proxied_site
    assert site.base_url == DEMO_ORIGIN
    assert site.address.startswith("http://127.0.0.1:")
    status, body = _get(site, f"{DEMO_ORIGIN}/robots.txt")
    assert status == 200
    assert f"Sitemap: {DEMO_ORIGIN}/sitemap_index.xml".encode() in body
    assert _get(site, "/robots.txt")[0] == 200  # plain requests to the server still work
    assert _get(site, f"{DEMO_ORIGIN}:80/rss.xml")[0] == 200
    for other in ("http://example.com/robots.txt", "http://demo.localhost.example/robots.txt"):
        status, body = _get(site, other)
        assert status == 404
        assert b"Sitemap" not in body
    assert ("/robots.txt", 200) in site.requests()
    assert ("http://example.com/robots.txt", 404) in site.requests()
