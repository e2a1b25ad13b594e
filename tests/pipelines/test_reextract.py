"""`reextract` rebuilds articles from stored raw pages, without fetching: a better extractor's
output becomes a new version, the earlier output is kept in article_versions."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

from sqlalchemy import Engine, select, update

from extractors.article import Article
from pipelines.backfill import reextract
from storage.database import session_scope
from storage.models import ArticleRow, ArticleVersion, Page
from storage.pages import store_page
from storage.records import FetchedPage
from storage.repository import ensure_source, upsert_article
from tests.support.pagegen import numbered_page
from tests.support.sources import ELCOMERCIO, T0


def test_reextract_replaces_an_older_extraction(engine: Engine) -> None:
    url, body = numbered_page(8)
    page = FetchedPage(url, url, 200, {"Content-Type": "text/html"}, body, T0)
    # What an older extractor made of the page: the body plus a teaser it failed to strip.
    with session_scope(engine) as session:
        page_id = store_page(session, "elcomercio", page)
        old = Article(
            url=url,
            canonical_url=url,
            source="elcomercio",
            title="Noticia",
            text="Fiscalía de la Nación abre investigación. LEE TAMBIÉN: otra nota",
        )
        upsert_article(session, old, seen_at=T0, page_id=page_id)
    rerun_at = T0 + timedelta(days=3)
    report = reextract(
        engine, lambda key: ELCOMERCIO, None, source_key="elcomercio", changed_at=rerun_at
    )
    again = reextract(engine, lambda key: ELCOMERCIO, None, source_key=None, changed_at=rerun_at)
    assert (report.counts["pages"], report.counts["updated"]) == (1, 1)
    assert (again.counts["pages"], again.counts["unchanged"]) == (1, 1)
    with session_scope(engine) as session:
        row = session.execute(select(ArticleRow)).scalar_one()
        kept = session.execute(select(ArticleVersion)).scalar_one()
    assert (row.version, row.updated_at, row.last_seen_at) == (2, rerun_at, T0)
    assert "LEE TAMBIÉN" not in row.text
    assert (row.title or "").startswith("Noticia generada número 8")
    assert kept.text == old.text


def test_a_damaged_page_or_a_removed_source_fails_alone(engine: Engine) -> None:
    """A corrupt stored body and a page whose source file is gone are failed with their
    reason; the other pages are still rebuilt."""
    gone = replace(ELCOMERCIO, key="gone", name="Gone")
    pages = [numbered_page(n) for n in range(3)]
    with session_scope(engine) as session:
        ensure_source(session, gone)
        ids = [
            store_page(session, key, FetchedPage(url, url, 200, {}, body, T0))
            for key, (url, body) in zip(["elcomercio", "elcomercio", "gone"], pages, strict=True)
        ]
        session.execute(update(Page).where(Page.id == ids[1]).values(body=b"\x1f\x8bcut"))
    report = reextract(
        engine, {"elcomercio": ELCOMERCIO}.__getitem__, None, source_key=None, changed_at=T0
    )
    assert (report.counts["pages"], report.counts["new"], report.counts["failed"]) == (3, 1, 2)
    assert set(report.failures) == {
        "body: stored body is corrupt: EOFError: Compressed file ended before the "
        "end-of-stream marker was reached",
        "source 'gone' is not in the catalog",
    }
    with session_scope(engine) as session:
        urls = session.execute(select(ArticleRow.url)).scalars().all()
    assert urls == [pages[0][0]]
