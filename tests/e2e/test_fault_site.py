"""A crawl of the fault site (devsite/faults.py): every listed article URL ends in exactly one
counted outcome with its reason, whatever it meets, and the broken listings are counted too.

Bombs, loops, an over-long chain, size limits, a cut body, a page that never answers, a
mislabelled charset, a broken og:image, 404/500, binary bytes, a robots.txt refusal and
random-byte listings: the run row's outcomes add up to the URLs listed, the log names each
failed URL's reason, and the two awkward-but-good pages are stored intact.
"""

from __future__ import annotations

import os
import re
import subprocess
import sys
from collections import Counter
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import select

from devsite.faults import LISTED, FaultSite, Pages
from storage.database import make_engine, session_scope
from storage.models import ArticleRow
from storage.runs import list_runs
from syndicate import scrapy_settings
from tests.support.pagegen import elcomercio_page, numbered_page, paragraphs
from tests.support.paths import REPOSITORY

pytestmark = pytest.mark.e2e

SYNDICATE = str(Path(sys.executable).parent / "syndicate")
TIMEOUT = 3  # seconds: the hanging page costs 3 tries of this; good pages stay well under it
MAXSIZE = 4 * 1024 * 1024  # the project's 32 MiB takes longer than TIMEOUT on a busy machine
CRAWL = [
    *("--set", "AUTOTHROTTLE_ENABLED=False", "--set", "DOWNLOAD_DELAY=0"),
    *("--set", f"DOWNLOAD_TIMEOUT={TIMEOUT}", "--set", f"DOWNLOAD_MAXSIZE={MAXSIZE}"),
]
STORED = "new"
CHAIN_END = "/noticias/destino-noticia/"  # an article is stored under the URL it ended at
# What each listed path must end as: stored, a failure reason, or a skip.
EXPECTED: dict[str, str] = {
    "/noticias/primera-noticia/": STORED,
    "/noticias/segunda-noticia/": STORED,
    "/noticias/mudada-noticia/": STORED,  # after 3 redirects
    "/noticias/latin1-noticia/": STORED,
    "/noticias/imagen-rota-noticia/": STORED,
    "/noticias/bomba-noticia/": "too large",
    "/noticias/enorme-noticia/": "too large",
    "/noticias/enorme-declarada-noticia/": "too large",
    "/noticias/bucle-a-noticia/": "redirect loop",
    "/noticias/auto-noticia/": "redirect loop",
    "/noticias/refresco-noticia/": "redirect loop",
    "/noticias/cadena-noticia/": "too many redirects",
    "/noticias/cortada-noticia/": "connection lost",
    "/noticias/lenta-noticia/": "timed out",
    "/noticias/borrada-noticia/": "HTTP 404",
    "/noticias/error-noticia/": "HTTP 500",
    "/noticias/binario-noticia/": "binary input (control bytes): not an HTML page",
    "/privado/secreta-noticia/": "skipped: robots.txt",
}
# Extraction refuses the binary page: the pipeline counts it, no download error is logged.
NOT_LOGGED = {STORED, "skipped: robots.txt", EXPECTED["/noticias/binario-noticia/"]}
LISTING_FAILURES = {
    "listing: unreadable listing: not a feed or sitemap": 2,  # the random feed and sitemap
    "listing: too large": 1,  # the gzip-bombed sitemap
}
LATIN1_TITLE = "Elección en Perú: la región exige más inversión en educación y salud"
LATIN1_BODY = paragraphs(9)  # Spanish words: región, inflación, música, sequía…
FAILED_LINE = re.compile(r" WARNING: failed (\S+): (.+)$", re.MULTILINE)


def pages() -> Pages:
    """Distinct real-looking articles; the Latin-1 one is full of accents."""
    latin1 = elcomercio_page("eleccion-peru-rmmn-noticia", LATIN1_TITLE, LATIN1_BODY)
    return Pages(
        first=numbered_page(1)[1],
        second=numbered_page(2)[1],
        chain_end=numbered_page(3)[1],
        latin1=latin1,
        broken_image=numbered_page(4)[1],
    )


def source(base: str) -> str:
    return f"""
key = "fallas"
name = "Fallas"
homepage = "{base}/"
language = "es"
timezone = "America/Lima"

[discovery]
feeds = ["{base}/rss.xml", "{base}/feed-aleatorio.xml"]
sitemaps = ["{base}/sitemap_index.xml"]
article_urls = ['^{re.escape(base)}/(noticias|privado)/.*-noticia/$']

[crawl]
delay = 0
concurrency = 8
"""


@pytest.fixture(scope="module")
def crawled(tmp_path_factory: pytest.TempPathFactory) -> Iterator[dict[str, Any]]:
    """One crawl of the fault site: its exit code, log, run row, stored articles, requests."""
    tmp = tmp_path_factory.mktemp("faults")
    sources = tmp / "sources"
    sources.mkdir()
    db = f"sqlite:///{tmp / 'faults.db'}"
    env = {**os.environ, "SYNDICATE_SOURCES_DIR": str(sources), "PYTHONPATH": str(REPOSITORY)}
    site = FaultSite(pages(), hang_seconds=30)
    with site.serve():
        (sources / "fallas.toml").write_text(source(site.base_url), encoding="utf-8")
        result = subprocess.run(
            [SYNDICATE, "crawl", "fallas", "--db", db, *CRAWL],
            capture_output=True,
            text=True,
            env=env,
            timeout=120,
            check=False,
        )
    engine = make_engine(db)
    with session_scope(engine) as session:
        articles = {row.url: row for row in session.execute(select(ArticleRow)).scalars()}
        run = list_runs(session, "fallas", limit=1)[0]  # what `syndicate runs --json` shows
    engine.dispose()
    yield {
        "result": result,
        "run": run,
        "articles": {url.removeprefix(site.base_url): row for url, row in articles.items()},
        "requests": site.requests(),
        "base": site.base_url,
    }


def test_every_listed_url_ends_in_exactly_one_counted_outcome(crawled: dict[str, Any]) -> None:
    assert set(EXPECTED) == set(LISTED)  # the test knows every fault the site serves
    result, run = crawled["result"], crawled["run"]
    assert result.returncode == 0, result.stderr[-3000:]  # finished: docs/operations.md
    assert run.status == "finished"
    assert run.discovered == len(LISTED)  # each listed once
    counts, failures = run.counts, run.failures
    listings = {k: v for k, v in failures.items() if k.startswith("listing: ")}
    skipped = {k: v for k, v in failures.items() if k.startswith("skipped: ")}
    pages_failed = counts["failed"] - sum(listings.values())
    outcomes = sum(counts[k] for k in ("new", "updated", "unchanged", "dropped"))
    assert outcomes + pages_failed + sum(skipped.values()) == len(LISTED)

    expected = Counter(EXPECTED.values())
    assert counts["new"] == expected.pop(STORED)
    assert (counts["updated"], counts["unchanged"], counts["dropped"]) == (0, 0, 0)
    assert listings == LISTING_FAILURES  # random bytes and a bomb, each a failed listing
    assert {k: v for k, v in failures.items() if k not in listings} == dict(expected)


def test_the_log_names_each_failed_url_with_its_reason(crawled: dict[str, Any]) -> None:
    base = crawled["base"]
    logged = {
        url.removeprefix(base): reason
        for url, reason in FAILED_LINE.findall(crawled["result"].stderr)
        if url.removeprefix(base) in LISTED
    }
    assert logged == {path: why for path, why in EXPECTED.items() if why not in NOT_LOGGED}


def test_good_pages_are_stored_intact_and_robots_txt_is_obeyed(crawled: dict[str, Any]) -> None:
    articles = crawled["articles"]
    stored = {path for path, why in EXPECTED.items() if why == STORED}
    assert set(articles) == (stored - {"/noticias/mudada-noticia/"}) | {CHAIN_END}
    latin1 = articles["/noticias/latin1-noticia/"]
    assert latin1.title == LATIN1_TITLE
    assert "\ufffd" not in latin1.title + latin1.text
    assert all(paragraph in latin1.text for paragraph in LATIN1_BODY)  # every accent intact
    broken = articles["/noticias/imagen-rota-noticia/"]
    assert broken.image is None  # the broken og:image is dropped, the article kept
    assert broken.text
    assert articles[CHAIN_END].text  # the page the 3 redirects from mudada-noticia led to
    assert "/privado/secreta-noticia/" not in crawled["requests"]


def test_the_documented_limits_are_the_settings() -> None:
    """docs/security.md's table of limits says what scrapy_settings.py sets."""
    table = (REPOSITORY / "docs" / "security.md").read_text(encoding="utf-8")
    rows = dict(re.findall(r"^\| `([A-Z_]+)` \| ([^|]+?) \|", table, re.MULTILINE))
    assert rows["DOWNLOAD_MAXSIZE"] == f"{scrapy_settings.DOWNLOAD_MAXSIZE // 2**20} MiB"
    assert rows["DOWNLOAD_TIMEOUT"] == f"{scrapy_settings.DOWNLOAD_TIMEOUT} s"
    assert rows["REDIRECT_MAX_TIMES"].split()[0] == str(scrapy_settings.REDIRECT_MAX_TIMES)
