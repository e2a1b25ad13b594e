"""Every matching article once, in id order, a batch at a time (`syndicate export`).

An export may cover the whole database, so nothing here holds more than one batch: the
rows are read by keyset (`id > last id`, as the API's cursor pages), and each batch is
dropped from the session before the next is read. The count and the rows come from one
snapshot (one read transaction; REPEATABLE READ on PostgreSQL), so a progress bar's total
is the number of articles written even while a crawl stores new ones.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import datetime

from sqlalchemy import Engine, func
from sqlalchemy.orm import Session

from storage.database import session_scope
from storage.models import ArticleRow
from storage.reading import ArticleFilters, StoredArticle, _filtered, articles_page

BATCH = 500  # articles per query: a few MB of text, and few round trips


@dataclass(frozen=True, slots=True)
class ExportExtent:
    """What an export will hold, known before the first row: for the progress bar and the
    feed's `updated` (the newest `updated_at`; None when nothing matches)."""

    count: int
    newest_update: datetime | None


@contextmanager
def snapshot(engine: Engine) -> Iterator[Session]:
    """A session whose reads all see the same committed state."""
    if engine.dialect.name == "postgresql":
        engine = engine.execution_options(isolation_level="REPEATABLE READ")
    with session_scope(engine) as session:
        yield session


def export_extent(session: Session, filters: ArticleFilters) -> ExportExtent:
    """How many articles match `filters`, and their newest `updated_at`."""
    query = _filtered(session, filters).with_only_columns(
        func.count(), func.max(ArticleRow.updated_at)
    )
    count, newest = session.execute(query).one()
    return ExportExtent(count, newest)  # MAX keeps the column's type: aware UTC


def exported_articles(
    session: Session, filters: ArticleFilters, batch: int = BATCH
) -> Iterator[StoredArticle]:
    """Every article matching `filters`, id ascending, reading `batch` rows at a time."""
    after = 0
    while page := articles_page(session, filters, after, batch):
        session.expunge_all()  # the records are plain data: no row outlives its batch
        yield from page
        after = page[-1].id
