"""Storing pages in batches: one transaction per batch, a SAVEPOINT per page.

A transaction per page pays BEGIN and COMMIT (a round trip on PostgreSQL, a WAL write on
SQLite) and the session's setup for every page; a batch pays them once. Each page's work runs in its own SAVEPOINT, so one that
raises is rolled back and counted failed while the others commit. A batch whose commit
fails (a lost connection, a serialization failure) is written again page by page, so one
bad page never costs the others. Pages of one batch run in order in one session and see
each other's rows (copies link to an original stored just before them).

`write_batch` is the core; `Batches` collects for a backfill loop, `BatchWriter` for a crawl
(asyncio, one writer thread).
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from datetime import datetime, timedelta
from functools import partial
from typing import Generic, TypeVar

from sqlalchemy import Engine, exc
from sqlalchemy.orm import Session

from pipelines.concurrency import BatchLimits
from pipelines.processing import PageOutcome
from pipelines.run_status import DATABASE_LOST
from storage.database import session_scope
from storage.errors import database_reason

logger = logging.getLogger(__name__)

T = TypeVar("T")
# One page's writes, given the batch's session; returns what became of the page.
Work = Callable[[Session], PageOutcome]
# Told what became of a page once its batch is committed.
Done = Callable[[PageOutcome], None]


def write_batch(engine: Engine, works: Sequence[Work]) -> list[PageOutcome]:
    """Run every page's work in one transaction; each page's outcome, in order."""
    try:
        with session_scope(engine) as session:
            return [_in_savepoint(session, work) for work in works]
    except exc.SQLAlchemyError as error:  # BEGIN or COMMIT failed: the batch wrote nothing
        if not database_answers(engine):  # no use retrying page by page: the crawl stops
            return [PageOutcome("failed", DATABASE_LOST, None)] * len(works)
        if len(works) == 1:
            return [PageOutcome("failed", _reason(error), None)]
        logger.warning(
            "a batch of %d pages failed (%r): writing them one by one", len(works), error
        )
        return [write_batch(engine, [work])[0] for work in works]


def database_answers(engine: Engine) -> bool:
    """Whether the database takes a new connection and a `SELECT 1` now."""
    try:
        with engine.connect() as connection:
            connection.exec_driver_sql("SELECT 1")
    except exc.SQLAlchemyError:
        return False
    return True


def _in_savepoint(session: Session, work: Work) -> PageOutcome:
    """The page's work, rolled back alone if it raises."""
    try:
        with session.begin_nested():
            return work(session)
    except Exception as error:  # a bug or a refused row on one page must not cost the batch
        logger.error("storing a page failed: %r", error)
        return PageOutcome("failed", _reason(error), None)


def _reason(error: Exception) -> str:
    if isinstance(error, exc.DBAPIError):
        return f"database error: {database_reason(error)}"
    return f"store error: {type(error).__name__}"


class Batches(Generic[T]):
    """A backfill's pages waiting to be written: `add` returns the (key, outcome) of every
    page it wrote, in the order added. A page with its outcome already known (a file
    that could not be read) waits its turn too, so progress stays in order."""

    def __init__(self, engine: Engine, limits: BatchLimits) -> None:
        self.engine = engine
        self.limits = limits
        self._pending: list[tuple[T, Work | PageOutcome]] = []
        self._opened: datetime | None = None

    def add(self, key: T, work: Work | PageOutcome, now: datetime) -> list[tuple[T, PageOutcome]]:
        """Queue one page (`now` by the backfill's clock); write the batch when it is due."""
        self._opened = self._opened or now
        self._pending.append((key, work))
        full = len(self._pending) >= self.limits.pages
        if full or now - self._opened >= timedelta(seconds=self.limits.seconds):
            return self.flush()
        return []

    def flush(self) -> list[tuple[T, PageOutcome]]:
        pending, self._pending, self._opened = self._pending, [], None
        works = [work for _, work in pending if not isinstance(work, PageOutcome)]
        written = iter(write_batch(self.engine, works) if works else [])
        return [
            (key, work if isinstance(work, PageOutcome) else next(written)) for key, work in pending
        ]


class BatchWriter:
    """A crawl's pages written in batches by one thread, so the reactor keeps fetching and
    the workers keep extracting while a batch is written.

    `put` returns once the page is queued; its `done` gets the outcome when its batch is
    committed (a page is counted only when it is really stored). At most `queued` pages
    wait or are being written: `put` waits for room beyond that (backpressure).
    """

    def __init__(self, engine: Engine, limits: BatchLimits, queued: int) -> None:
        self.engine = engine
        self.limits = limits
        self._room = asyncio.Semaphore(max(queued, limits.pages))
        self._pending: list[tuple[Work, Done]] = []
        self._timer: asyncio.TimerHandle | None = None
        self._writing: set[asyncio.Future[list[PageOutcome]]] = set()
        self._thread = ThreadPoolExecutor(1, thread_name_prefix="syndicate-store")

    async def put(self, work: Work, done: Done) -> None:
        await self._room.acquire()
        self._pending.append((work, done))
        if len(self._pending) >= self.limits.pages:
            self.flush()
        elif self._timer is None:
            loop = asyncio.get_running_loop()
            self._timer = loop.call_later(self.limits.seconds, self.flush)

    def flush(self) -> None:
        """Hand the waiting pages to the writer thread as one batch."""
        if self._timer is not None:
            self._timer.cancel()
            self._timer = None
        batch, self._pending = self._pending, []
        if not batch:
            return
        works = [work for work, _ in batch]
        writing = asyncio.wrap_future(self._thread.submit(write_batch, self.engine, works))
        self._writing.add(writing)
        writing.add_done_callback(partial(self._settle, [done for _, done in batch]))

    async def close(self) -> None:
        """Write what is waiting, hand every page its outcome, stop the thread."""
        self.flush()
        if self._writing:
            await asyncio.wait(list(self._writing))  # each one's _settle has run by then
        self._thread.shutdown(wait=True)

    def _settle(self, dones: list[Done], writing: asyncio.Future[list[PageOutcome]]) -> None:
        """Give each page its outcome (write_batch does not raise; if it ever did, they fail)."""
        self._writing.discard(writing)
        if writing.cancelled() or writing.exception() is not None:
            failed = PageOutcome("failed", "store error: the batch was not written", None)
            outcomes = [failed] * len(dones)
        else:
            outcomes = writing.result()
        for done, outcome in zip(dones, outcomes, strict=True):
            self._room.release()
            done(outcome)
