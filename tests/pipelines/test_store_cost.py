"""What storing a page costs the one process that writes: the work done beforehand in the
extraction workers changes no stored byte, and the SQL statements per page stay few."""

from __future__ import annotations

from dataclasses import replace
from functools import partial
from typing import Any

import pytest
from sqlalchemy import Engine, delete, event, select

from extractors.source_rules import SourceRules
from pipelines.batch_store import write_batch
from pipelines.processing import PageOutcome, extract_step, store_step
from storage.database import session_scope
from storage.models import ArticleBand, ArticleRow, Page
from storage.records import FetchedPage
from tests.support.pagegen import numbered_page, url_of
from tests.support.sources import ELCOMERCIO, GLOBALHAPPENINGS, T0

# Measured with this file's batches of 10 (2026-12): a new article 13 statements (4 of them
# SAVEPOINT / RELEASE), an unchanged recrawl 10, plus BEGIN and the source's read per batch.
# Before the crawl's storage was trimmed: 22 and 15.
NEW_PAGE_STATEMENTS = 13
UNCHANGED_PAGE_STATEMENTS = 10
PER_BATCH_STATEMENTS = 2


def fetched(number: int, *, days: int = 0, url: str | None = None) -> FetchedPage:
    own_url, body = numbered_page(number)
    when = T0.replace(day=T0.day + days)
    return FetchedPage(
        url or own_url, url or own_url, 200, {"Content-Type": "text/html"}, body, when
    )


def store(
    engine: Engine, pages: list[tuple[FetchedPage, SourceRules]], *, prepared: bool = True
) -> list[PageOutcome]:
    """Store the pages in one batch as a crawl does; `prepared=False` as a caller whose
    extraction did not compute the body's gzip and the article's hashes."""
    works = []
    for page, rules in pages:
        extracted = extract_step(page, rules, None)
        if not prepared:
            extracted = replace(extracted, body=None, digest=None)
        works.append(partial(store_step, source_key=rules.key, page=page, extracted=extracted))
    return write_batch(engine, works)


def stored(engine: Engine) -> list[tuple[Any, ...]]:
    """Every stored byte that the workers' precomputation could change, by URL."""
    with session_scope(engine) as session:
        pages = session.execute(
            select(Page.url, Page.body, Page.body_sha256, Page.body_size).order_by(Page.url)
        ).all()
        articles = session.execute(
            select(
                ArticleRow.url,
                ArticleRow.canonical_url,
                ArticleRow.content_hash,
                ArticleRow.minhash,
                ArticleRow.version,
            ).order_by(ArticleRow.url)
        ).all()
        bands = session.execute(
            select(ArticleRow.url, ArticleBand.band, ArticleBand.bucket)
            .join(ArticleBand, ArticleBand.article_id == ArticleRow.id)
            .order_by(ArticleRow.url, ArticleBand.band)
        ).all()
    return [tuple(row) for row in [*pages, *articles, *bands]]


def test_work_done_in_the_workers_stores_the_same_bytes(engine: Engine) -> None:
    """A crawl (hashes and gzip computed in the workers) and a caller computing nothing
    beforehand store identical rows, also for a copy that storage keys by its own URL (its
    precomputed content hash covered the claimed key, so it must not be used)."""
    copy_url = "https://globalhappenings.example/world/copied-story/"
    batches = [
        [(fetched(1), ELCOMERCIO), (fetched(2), ELCOMERCIO)],
        [(fetched(1, url=copy_url), GLOBALHAPPENINGS)],  # claims El Comercio's article 1
        [(fetched(2, days=1), ELCOMERCIO)],  # recrawl: only the fetch time moves
    ]
    results = []
    for prepared in (True, False):
        outcomes = [o.outcome for batch in batches for o in store(engine, batch, prepared=prepared)]
        assert outcomes == ["new", "new", "new", "unchanged"]
        results.append(stored(engine))
        with session_scope(engine) as session:
            session.execute(delete(ArticleRow))
            session.execute(delete(Page))
    with_workers, without = results
    assert with_workers == without
    canonicals = {row[1] for row in with_workers if len(row) == 5}
    assert copy_url in canonicals  # the copy did get its own key
    assert url_of("noticia-generada-1-rmmn-noticia") in canonicals


class Statements:
    """SQL statements the engine sends, counted."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self.seen: list[str] = []

    def __enter__(self) -> Statements:
        event.listen(self.engine, "before_cursor_execute", self._count)
        return self

    def __exit__(self, *_: object) -> None:
        event.remove(self.engine, "before_cursor_execute", self._count)

    def _count(self, _conn: Any, _cursor: Any, statement: str, *_: Any) -> None:
        self.seen.append(statement)


@pytest.mark.parametrize(
    ("days", "outcome", "ceiling"),
    [(0, "new", NEW_PAGE_STATEMENTS), (1, "unchanged", UNCHANGED_PAGE_STATEMENTS)],
)
def test_statements_per_stored_page_stay_few(
    engine: Engine, days: int, outcome: str, ceiling: int
) -> None:
    """Every statement is a round trip for the one writing thread of a crawl: pin the count
    so a per-page lookup cannot silently come back."""
    store(engine, [(fetched(n), ELCOMERCIO) for n in range(100, 110)])  # the first crawl
    batch = [(fetched(n, days=days), ELCOMERCIO) for n in range(10)]
    if days:
        store(engine, [(fetched(n), ELCOMERCIO) for n in range(10)])
    with Statements(engine) as statements:
        outcomes = store(engine, batch)
    assert {o.outcome for o in outcomes} == {outcome}
    assert len(statements.seen) <= ceiling * len(batch) + PER_BATCH_STATEMENTS, statements.seen
