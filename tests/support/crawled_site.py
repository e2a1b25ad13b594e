"""A database filled by a real `syndicate crawl` of the local news site, for tests of what is
served from crawled articles.

Two sources on two local sites, crawled in one run: `elcomercio` (the real El Comercio page
and El Comercio's original of the story the seed page translated) and
`localnews` (benchmark pages plus the aggregator copies: the seed page, credited "Source:
Elcomercio", and The Planetary Press's copy "Courtesy of Forests News"). The built-in
sources are switched off so the local El Comercio source can take the key `elcomercio`,
the key the seed page's credit line resolves to; the copy is then linked to the original.
"""

from __future__ import annotations

import os
import subprocess
import sys
from contextlib import ExitStack
from datetime import UTC, datetime
from pathlib import Path

from devsite.server import NewsSite, SitePage
from extractors.source_rules import PublisherRegistry
from spiders.registry import load_catalog
from tests.support.pagegen import elcomercio_page, paragraphs
from tests.support.site_pages import (
    EL_COMERCIO_LISTINGS,
    el_comercio_pages,
    el_comercio_source,
    news_source,
    real_pages,
)
from tests.support.stored_articles import ORIGINAL_SLUG, ORIGINAL_TITLE

NEWS = "localnews"
ELCOMERCIO = "elcomercio"  # the key "Source: Elcomercio" names (the source's alias)
# The aggregator copies among the saved pages: Global Happenings' (the seed page) and
# The Planetary Press's, each credited to its original publisher.
COPIES = ("/news/globalhappenings.example/", "/news/www.theplanetarypress.com/")
SYNDICATE = str(Path(sys.executable).parent / "syndicate")
# Tests do not wait between requests; politeness settings are tested where they are read.
FAST = ["--set", "AUTOTHROTTLE_ENABLED=False", "--set", "DOWNLOAD_DELAY=0"]


def news_pages(others: int) -> list[SitePage]:
    """The aggregator copies and the first `others` other saved pages."""
    pages = real_pages()
    copies = [page for page in pages if page.path.startswith(COPIES)]
    assert len(copies) == len(COPIES), [page.path for page in copies]
    return copies + [page for page in pages if not page.path.startswith(COPIES)][:others]


def original_page() -> SitePage:
    """El Comercio's original of the seed page's story, published the same day."""
    path = f"/politica/justicia/{ORIGINAL_SLUG}/"
    body = elcomercio_page(
        ORIGINAL_SLUG, ORIGINAL_TITLE, paragraphs(99), "2022-12-19T09:30:00-05:00"
    )
    modified = datetime(2022, 12, 19, 15, tzinfo=UTC)
    rewrites = ((b"https://elcomercio.pe", ""),)
    return SitePage(path, body, modified, title=ORIGINAL_TITLE, rewrites=rewrites)


def crawl_env(sources: Path) -> dict[str, str]:
    """Only the test's own source files: no built-in source reaches beyond 127.0.0.1."""
    return {**os.environ, "SYNDICATE_SOURCES_DIR": str(sources), "SYNDICATE_BUILTIN_SOURCES": "off"}


def crawl(db_url: str, sources: Path, others: int = 18) -> subprocess.CompletedProcess[str]:
    """Serve both sites on 127.0.0.1, write their source files into `sources` and crawl
    them into `db_url` with `syndicate crawl` (the database is created and migrated)."""
    news = NewsSite(news_pages(others))
    elcomercio = NewsSite([*el_comercio_pages(0), original_page()], listings=EL_COMERCIO_LISTINGS)
    sources.mkdir(parents=True, exist_ok=True)
    with ExitStack() as running:
        running.enter_context(news.serve())
        running.enter_context(elcomercio.serve())
        (sources / f"{NEWS}.toml").write_text(news_source(news.base_url, NEWS), encoding="utf-8")
        (sources / f"{ELCOMERCIO}.toml").write_text(
            el_comercio_source(elcomercio.base_url, ELCOMERCIO), encoding="utf-8"
        )
        command = [SYNDICATE, "crawl", ELCOMERCIO, NEWS, "--db", db_url, *FAST]
        return subprocess.run(
            command,
            capture_output=True,
            text=True,
            env=crawl_env(sources),
            timeout=240,
            check=False,
        )


def publishers(sources: Path) -> PublisherRegistry:
    """The crawl's publishers (its source files only), to store more pages as it would."""
    return load_catalog([sources]).publishers()
