"""End-to-end crawls: `syndicate crawl` in a subprocess against the local news site (no network)."""

from __future__ import annotations

import os
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import select

from devsite.server import NewsSite, Trouble
from storage.database import make_engine, session_scope
from storage.models import ArticleRow, CrawlRun
from tests.support.databases import postgres_schema
from tests.support.paths import REPOSITORY
from tests.support.site_pages import (
    EL_COMERCIO_LISTINGS,
    el_comercio_pages,
    el_comercio_source,
    news_source,
    real_pages,
)

pytestmark = pytest.mark.e2e

SYNDICATE = str(Path(sys.executable).parent / "syndicate")
# Tests do not wait between requests; politeness settings are tested where they are read.
FAST = ["--set", "AUTOTHROTTLE_ENABLED=False", "--set", "DOWNLOAD_DELAY=0"]


def run_cli(args: list[str], sources: Path) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SYNDICATE_SOURCES_DIR": str(sources)}
    return subprocess.run(
        [SYNDICATE, *args], capture_output=True, text=True, env=env, timeout=240, check=False
    )


def articles(db: str, source: str) -> list[ArticleRow]:
    engine = make_engine(db)
    with session_scope(engine) as session:
        rows = list(
            session.execute(select(ArticleRow).where(ArticleRow.source == source)).scalars()
        )
    engine.dispose()
    return rows


def runs(db: str, source: str) -> list[CrawlRun]:
    engine = make_engine(db)
    with session_scope(engine) as session:
        query = select(CrawlRun).where(CrawlRun.source == source).order_by(CrawlRun.id)
        rows = list(session.execute(query).scalars())
    engine.dispose()
    return rows


@pytest.fixture
def el_comercio_site(tmp_path: Path) -> Iterator[tuple[NewsSite, Path]]:
    site = NewsSite(el_comercio_pages(3), listings=EL_COMERCIO_LISTINGS)
    with site.serve():
        (tmp_path / "sources").mkdir()
        source = tmp_path / "sources" / "elcomercio-local.toml"
        source.write_text(el_comercio_source(site.base_url), encoding="utf-8")
        yield site, tmp_path / "sources"


def article_fetches(site: NewsSite) -> Counter[str]:
    return Counter(path for path, _ in site.requests() if path.endswith("-noticia/"))


def test_el_comercio_source_crawl_stores_once_skips_known_and_refreshes_changes(
    el_comercio_site: tuple[NewsSite, Path], tmp_path: Path
) -> None:
    site, sources = el_comercio_site
    db = f"sqlite:///{tmp_path / 'crawl.db'}"
    crawl = ["crawl", "elcomercio-local", "--db", db, *FAST]

    first = run_cli(crawl, sources)
    assert first.returncode == 0, first.stderr[-3000:]
    stored = articles(db, "elcomercio-local")
    assert sorted(a.url for a in stored) == sorted(site.url(p) for p in site.pages)
    for article in stored:
        assert article.title and article.title.startswith("Kenji Fujimori: juicio")
        assert "de oficio (Milton Hinojoza y Luis Loyola)" in article.text
        assert article.published_at == datetime(2022, 5, 8, 1, 6, 23, tzinfo=UTC)
        assert article.attribution["publisher"] == "El Comercio"
        assert article.version == 1
    assert set(article_fetches(site).values()) == {1}  # each article page fetched once
    assert "/private/x-noticia/" not in {path for path, _ in site.requests()}  # robots.txt

    site.clear_log()
    second = run_cli(crawl, sources)
    assert second.returncode == 0, second.stderr[-3000:]
    assert article_fetches(site) == Counter()
    assert len(articles(db, "elcomercio-local")) == len(site.pages)
    assert (runs(db, "elcomercio-local")[-1].pages, runs(db, "elcomercio-local")[-1].new) == (0, 0)

    changed_path = sorted(site.pages)[0]
    body = site.pages[changed_path].body.replace(
        b"(Milton Hinojoza y Luis Loyola)", "(Milton Hinojoza, Luis Loyola y Ana Pérez)".encode()
    )
    site.change(changed_path, body, datetime(2024, 2, 1, tzinfo=UTC))
    site.clear_log()
    third = run_cli([*crawl, "--refresh"], sources)
    assert third.returncode == 0, third.stderr[-3000:]
    by_url = {a.url: a for a in articles(db, "elcomercio-local")}
    assert by_url[site.url(changed_path)].version == 2
    assert "Luis Loyola y Ana Pérez" in by_url[site.url(changed_path)].text
    assert {a.version for url, a in by_url.items() if url != site.url(changed_path)} == {1}
    statuses = Counter(status for path, status in site.requests() if path.endswith("-noticia/"))
    assert statuses == {200: 1, 304: len(site.pages) - 1}  # conditional requests
    last = runs(db, "elcomercio-local")[-1]
    assert (last.updated, last.unchanged, last.new) == (1, len(site.pages) - 1, 0)


def test_crawl_of_every_shared_page_with_feeds_sitemaps_and_errors(tmp_path: Path) -> None:
    pages = real_pages()
    by_path = {p.path: p for p in pages}
    spanish = next(p for p in pages if "/news/www.elmundo.es/" in p.path)
    trouble = Trouble(
        redirects={"/old/first-story": pages[0].path},
        missing=["/news/gone.example/deleted-story.html"],
        broken=["/news/broken.example/server-error.html"],
        slow={pages[1].path: 2.0},
        wrong_charset=[spanish.path],
    )
    site = NewsSite(pages, trouble)
    sources = tmp_path / "sources"
    sources.mkdir()
    db = f"sqlite:///{tmp_path / 'crawl.db'}"
    with site.serve():
        (sources / "localnews.toml").write_text(news_source(site.base_url), encoding="utf-8")
        extra = ["--set", "CONCURRENT_REQUESTS_PER_DOMAIN=8"]
        result = run_cli(["crawl", "localnews", "--db", db, *FAST, *extra], sources)
        log = site.requests()
    assert result.returncode == 0, result.stderr[-3000:]

    fetched = Counter(path for path, status in log if path in by_path and status == 200)
    assert set(fetched) == set(by_path)  # every page was found through feeds and sitemaps
    assert set(fetched.values()) == {1}  # and fetched once
    run = runs(db, "localnews")[-1]
    stored = articles(db, "localnews")
    assert run.failures == {  # every page is a real article
        "HTTP 404": 1,
        "HTTP 500": 1,
        "skipped: duplicate": 1,  # /old/first-story redirects to a page the sitemaps list too
    }
    assert (run.pages, run.new, run.failed, run.dropped) == (len(pages) + 2, len(pages), 2, 0)
    assert len(stored) == len(pages)  # every article stored, once
    assert len({a.canonical_url for a in stored}) == len(stored)
    assert all(a.title and a.text for a in stored)
    wrong_charset = next(a for a in stored if a.url == site.url(spanish.path))
    assert wrong_charset.title is not None
    assert wrong_charset.title.startswith(
        "La revancha de Verstappen frente a Russell tras su sanción"
    )

    shown = run_cli(["runs", "localnews", "--db", db], sources)
    assert shown.returncode == 0
    assert "HTTP 404: 1" in shown.stdout and "HTTP 500: 1" in shown.stdout
    assert f"│ {run.new} " in shown.stdout


def test_crawl_refuses_unknown_sources_and_bad_dates(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'x.db'}"
    (tmp_path / "sources").mkdir()
    unknown = run_cli(["crawl", "nosuchsource", "--db", db], tmp_path / "sources")
    assert unknown.returncode == 2
    assert "unknown source 'nosuchsource'; known: " in unknown.stderr
    bad_date = run_cli(
        ["crawl", "elpais", "--since", "yesterday", "--db", db], tmp_path / "sources"
    )
    assert bad_date.returncode == 2
    assert "--since 'yesterday'" in bad_date.stderr
    neither = run_cli(["crawl", "--db", db], tmp_path / "sources")
    assert neither.returncode == 2


def test_scrapy_list_and_scrapy_crawl_work_from_the_repository_root(
    el_comercio_site: tuple[NewsSite, Path], tmp_path: Path
) -> None:
    site, sources = el_comercio_site
    root = REPOSITORY
    scrapy = str(Path(sys.executable).parent / "scrapy")
    env = {**os.environ, "SYNDICATE_SOURCES_DIR": str(sources)}
    listed = subprocess.run(
        [scrapy, "list"], cwd=root, env=env, capture_output=True, text=True, check=False
    )
    assert listed.returncode == 0, listed.stderr[-2000:]
    names = listed.stdout.split()
    assert {"elcomercio", "elpais", "publico", "elcomercio-local"} <= set(names)

    db = f"sqlite:///{tmp_path / 'scrapy.db'}"
    options = ["-s", f"SYNDICATE_DATABASE_URL={db}", "-s", "AUTOTHROTTLE_ENABLED=False"]
    crawled = subprocess.run(
        [scrapy, "crawl", "elcomercio-local", *options, "-s", "DOWNLOAD_DELAY=0"],
        cwd=root,
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert crawled.returncode == 0, crawled.stderr[-2000:]
    assert len(articles(db, "elcomercio-local")) == len(site.pages)
    assert runs(db, "elcomercio-local")[-1].new == len(site.pages)


@pytest.mark.redis
def test_crawl_through_a_shared_redis_queue(
    el_comercio_site: tuple[NewsSite, Path], tmp_path: Path, redis_url: str
) -> None:
    site, sources = el_comercio_site
    db = f"sqlite:///{tmp_path / 'redis.db'}"
    env = {**os.environ, "SYNDICATE_SOURCES_DIR": str(sources), "SYNDICATE_REDIS_URL": redis_url}
    result = subprocess.run(
        [SYNDICATE, "crawl", "elcomercio-local", "--db", db, "--verbose", *FAST],
        env=env,
        capture_output=True,
        text=True,
        timeout=240,
        check=False,
    )
    assert result.returncode == 0, result.stderr[-3000:]
    assert "'scheduler/enqueued/redis'" in result.stderr  # requests went through Redis
    assert len(articles(db, "elcomercio-local")) == len(site.pages)


def test_since_expands_dated_sitemaps_and_limit_caps_article_pages(
    el_comercio_site: tuple[NewsSite, Path], tmp_path: Path
) -> None:
    site, sources = el_comercio_site
    db = f"sqlite:///{tmp_path / 'limited.db'}"
    pinned = ["--set", "SYNDICATE_UNTIL=2024-03-01", "--since", "2024-02-28", "--limit", "2"]
    result = run_cli(["crawl", "elcomercio-local", "--db", db, *FAST, *pinned], sources)
    assert result.returncode == 0, result.stderr[-3000:]
    archives = sorted(path for path, _ in site.requests() if path.startswith("/sitemap/archivo/"))
    assert archives == [
        f"/sitemap/archivo/{day}-web/?outputType=xml"
        for day in ("2024-02-28", "2024-02-29", "2024-03-01")
    ]
    assert sum(article_fetches(site).values()) == 2
    assert len(articles(db, "elcomercio-local")) == 2


@pytest.fixture
def postgres_schema_url(postgres_url: str) -> Iterator[str]:
    """A throwaway schema in the test PostgreSQL database, as a URL (dropped afterwards)."""
    with postgres_schema(postgres_url) as url:
        yield url


@pytest.mark.postgres
def test_crawl_into_postgresql_stores_once_and_skips_known(
    el_comercio_site: tuple[NewsSite, Path], postgres_schema_url: str
) -> None:
    site, sources = el_comercio_site
    crawl = ["crawl", "elcomercio-local", "--db", postgres_schema_url, *FAST]
    first = run_cli(crawl, sources)
    assert first.returncode == 0, first.stderr[-3000:]
    assert len(articles(postgres_schema_url, "elcomercio-local")) == len(site.pages)
    site.clear_log()
    second = run_cli(crawl, sources)
    assert second.returncode == 0, second.stderr[-3000:]
    assert article_fetches(site) == Counter()
    last = runs(postgres_schema_url, "elcomercio-local")[-1]
    assert (last.status, last.pages, last.new) == ("finished", 0, 0)
