"""Batched storage: one transaction per batch, and one bad page never costs the others."""

from __future__ import annotations

import asyncio
import threading
from datetime import timedelta
from functools import partial
from pathlib import Path

import pytest
from sqlalchemy import Engine, func, select, text
from sqlalchemy.orm import Session

from extractors.source_rules import PublisherRegistry, SourceRules
from pipelines.batch_store import Batches, BatchWriter, write_batch
from pipelines.concurrency import BatchLimits
from pipelines.processing import PageOutcome, process_page
from storage.database import make_engine, session_scope, upgrade
from storage.models import ArticleRow, Page
from storage.pages import store_page
from storage.records import FetchedPage
from storage.repository import ensure_source
from tests.support.pagegen import elcomercio_page, numbered_page, paragraphs, url_of
from tests.support.sources import ELCOMERCIO, GLOBALHAPPENINGS, T0
from tests.support.stored_articles import ORIGINAL_SLUG, ORIGINAL_TITLE, SEED, SEED_URL, page


def fetched(number: int) -> FetchedPage:
    url, body = numbered_page(number)
    return FetchedPage(url, url, 200, {"Content-Type": "text/html"}, body, T0)


def processed(
    page: FetchedPage, rules: SourceRules, registry: PublisherRegistry | None, session: Session
) -> PageOutcome:
    return process_page(session, page, rules, registry)


def unknown_source(page: FetchedPage, session: Session) -> PageOutcome:
    """Storing a page of a source the database does not know: a foreign key violation."""
    store_page(session, "no-such-source", page)
    return PageOutcome("new", None, None)


def half_written(page: FetchedPage, session: Session) -> PageOutcome:
    """A page whose storing breaks after its page and article were written."""
    process_page(session, page, ELCOMERCIO, None)
    raise RuntimeError("bug after writing")


def count(engine: Engine, model: type[object]) -> int:
    with session_scope(engine) as session:
        return int(session.execute(select(func.count()).select_from(model)).scalar_one())


def test_one_bad_page_in_a_batch_fails_alone(engine: Engine) -> None:
    works = [
        partial(processed, fetched(1), ELCOMERCIO, None),
        partial(unknown_source, fetched(2)),
        partial(half_written, fetched(3)),
        partial(processed, fetched(4), ELCOMERCIO, None),
    ]
    outcomes = write_batch(engine, works)
    assert [o.outcome for o in outcomes] == ["new", "failed", "failed", "new"]
    assert (outcomes[1].reason or "").startswith("database error: ")
    assert outcomes[2].reason == "store error: RuntimeError"
    with session_scope(engine) as session:
        urls = set(session.execute(select(ArticleRow.url)).scalars())
    assert urls == {fetched(1).url, fetched(4).url}  # nothing of the half-written page stays
    assert count(engine, Page) == 2


@pytest.mark.parametrize("copy_first", [False, True])
def test_pages_of_one_batch_see_each_other(
    engine: Engine, registry: PublisherRegistry, copy_first: bool
) -> None:
    """A copy links to its original stored earlier in the same batch (or the original picks
    up its waiting copy), and a page repeated in the batch finds itself stored."""
    body = elcomercio_page(
        ORIGINAL_SLUG, ORIGINAL_TITLE, paragraphs(99), "2022-12-19T09:30:00-05:00"
    )
    original = partial(processed, page(url_of(ORIGINAL_SLUG), body), ELCOMERCIO, registry)
    copy = partial(processed, page(SEED_URL, SEED.read_bytes()), GLOBALHAPPENINGS, registry)
    works = [copy, original, original] if copy_first else [original, copy, original]
    outcomes = write_batch(engine, works)
    assert [o.outcome for o in outcomes] == ["new", "new", "unchanged"]
    copy_id, original_id = (outcomes[0], outcomes[1]) if copy_first else (outcomes[1], outcomes[0])
    with session_scope(engine) as session:
        row = session.get(ArticleRow, copy_id.article_id)
        assert row is not None
        assert row.original_article_id == original_id.article_id is not None


def test_a_batch_whose_commit_fails_is_written_page_by_page(tmp_path: Path) -> None:
    """SQLite can defer a foreign key check to COMMIT (PostgreSQL's keys are not deferrable):
    the failing commit loses the batch, so each page is written again in its own."""
    engine = make_engine(f"sqlite:///{tmp_path / 'deferred.db'}")
    upgrade(engine)
    with session_scope(engine) as session:
        ensure_source(session, ELCOMERCIO)

    def checked_at_commit(page: FetchedPage, session: Session) -> PageOutcome:
        session.execute(text("PRAGMA defer_foreign_keys = ON"))
        return unknown_source(page, session)

    works = [
        partial(processed, fetched(1), ELCOMERCIO, None),
        partial(checked_at_commit, fetched(2)),
        partial(processed, fetched(3), ELCOMERCIO, None),
    ]
    outcomes = write_batch(engine, works)
    assert [o.outcome for o in outcomes] == ["new", "failed", "new"]
    assert outcomes[1].reason == "database error: FOREIGN KEY constraint failed"
    assert count(engine, ArticleRow) == 2
    engine.dispose()


def test_a_backfill_batch_is_written_when_full_or_due(engine: Engine) -> None:
    batches: Batches[str] = Batches(engine, BatchLimits(pages=3, seconds=5))
    failed = PageOutcome("failed", "cannot read file", None)
    work = partial(processed, fetched(1), ELCOMERCIO, None)
    assert batches.add("one", work, T0) == []
    assert batches.add("unreadable", failed, T0 + timedelta(seconds=1)) == []
    assert count(engine, ArticleRow) == 0  # waiting for its batch
    full = batches.add("two", partial(processed, fetched(2), ELCOMERCIO, None), T0)
    assert [(key, o.outcome) for key, o in full] == [
        ("one", "new"),
        ("unreadable", "failed"),
        ("two", "new"),
    ]
    assert batches.add("three", partial(processed, fetched(3), ELCOMERCIO, None), T0) == []
    due = batches.add(
        "four", partial(processed, fetched(4), ELCOMERCIO, None), T0 + timedelta(seconds=5)
    )
    assert [key for key, _ in due] == ["three", "four"]
    assert batches.flush() == []
    assert count(engine, ArticleRow) == 4


def test_the_crawl_writer_holds_at_most_its_queue_and_counts_pages_when_committed(
    engine: Engine,
) -> None:
    """Pages wait for room while the writer is full (Scrapy then stops handing it pages),
    and each page's outcome arrives once its batch is committed."""
    release = threading.Event()
    outcomes: list[str] = []

    def slow(page: FetchedPage, session: Session) -> PageOutcome:
        release.wait(timeout=30)  # a batch the database takes long to write
        return process_page(session, page, ELCOMERCIO, None)

    async def crawl() -> tuple[bool, list[str]]:
        writer = BatchWriter(engine, BatchLimits(pages=2, seconds=3600), queued=2)
        for number in (1, 2):  # a full batch: handed to the writer thread at once
            await writer.put(partial(slow, fetched(number)), lambda o: outcomes.append(o.outcome))
        third = asyncio.create_task(
            writer.put(partial(slow, fetched(3)), lambda o: outcomes.append(o.outcome))
        )
        await asyncio.sleep(0.3)
        waited = not third.done()
        seen = list(outcomes)
        release.set()
        await third  # room again once the first batch is committed
        await writer.close()
        return waited, seen

    waited, seen = asyncio.run(crawl())
    assert waited
    assert seen == []  # nothing counted before its batch committed
    assert outcomes == ["new", "new", "new"]
    assert count(engine, ArticleRow) == 3
