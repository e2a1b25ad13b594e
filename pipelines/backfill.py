"""Backfills without crawling: saved pages and stored raw pages go through `process_page`.

Each page is committed on its own, so a failure (or a second process) never undoes
others; each run is recorded in `crawl_runs` like a crawl.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from functools import partial

from sqlalchemy import Engine, exc
from sqlalchemy.orm import Session

from extractors.source_rules import PublisherRegistry, SourceRules
from pipelines.lease import DEFAULT_HEARTBEAT_SECONDS, this_holder
from pipelines.processing import PageOutcome, process_page, process_stored
from pipelines.saved_pages import InputError
from storage.database import session_scope
from storage.errors import StorageError, database_reason
from storage.pages import latest_pages, load_page
from storage.records import FetchedPage
from storage.repository import ensure_source
from storage.runs import finish_run, heartbeat_run, outcome_keys, start_run

Progress = Callable[[str, PageOutcome], None]
HEARTBEAT = timedelta(seconds=DEFAULT_HEARTBEAT_SECONDS)  # as often as a crawl's


@dataclass(slots=True)
class Report:
    """Counts by outcome, failures by reason, and where the time went."""

    counts: Counter[str] = field(default_factory=Counter)
    failures: Counter[str] = field(default_factory=Counter)
    extract_seconds: float = 0.0
    store_seconds: float = 0.0

    def add(self, outcome: PageOutcome) -> None:
        keys, failure = outcome_keys(outcome.outcome, outcome.reason)
        self.counts.update(keys)
        if failure is not None:
            self.failures[failure] += 1
        self.extract_seconds += outcome.extract_seconds
        self.store_seconds += outcome.store_seconds


def ingest_pages(
    engine: Engine,
    pages: Iterable[tuple[str, FetchedPage | InputError]],
    rules: SourceRules,
    registry: PublisherRegistry | None,
    *,
    started_at: datetime,
    clock: Callable[[], datetime],
    progress: Progress | None = None,
) -> Report:
    """Store every page through the crawl's own path; returns what happened to each."""
    holder = this_holder()
    with session_scope(engine) as session:
        ensure_source(session, rules)
        run_id = start_run(session, rules.key, started_at, host=holder.host, pid=holder.pid)
    report = Report()
    beat = started_at
    for label, page in pages:
        if isinstance(page, InputError):
            outcome = PageOutcome("failed", page.reason, None)
        else:
            outcome = _committed(engine, partial(_ingest, page, rules, registry))
        report.add(outcome)
        if progress is not None:
            progress(label, outcome)
        if (now := clock()) - beat >= HEARTBEAT:
            beat = _heartbeat(engine, run_id, report, now)
    _finish(engine, run_id, report, clock())
    return report


def _heartbeat(engine: Engine, run_id: int, report: Report, now: datetime) -> datetime:
    """Counts so far, so an ingest that is killed leaves an abandoned run that keeps them."""
    with session_scope(engine) as session:
        heartbeat_run(
            session, run_id, now=now, counts=dict(report.counts), failures=dict(report.failures)
        )
    return now


def reextract(
    engine: Engine,
    rules_of: Callable[[str], SourceRules],
    registry: PublisherRegistry | None,
    *,
    source_key: str | None,
    changed_at: datetime,
    progress: Progress | None = None,
) -> Report:
    """Rebuild articles from the newest stored page of every URL (of one source, or all)."""
    with session_scope(engine) as session:
        targets = latest_pages(session, source_key)
    report = Report()
    for target in targets:
        try:
            rules = rules_of(target.source)
        except KeyError:  # its source file was removed: the other sources still rebuild
            reason = f"source {target.source!r} is not in the catalog"
            outcome = PageOutcome("failed", reason, None)
        else:
            outcome = _committed(engine, partial(_rebuild, target.id, rules, registry, changed_at))
        report.add(outcome)
        if progress is not None:
            progress(f"page {target.id}", outcome)
    return report


def _ingest(
    page: FetchedPage, rules: SourceRules, registry: PublisherRegistry | None, session: Session
) -> PageOutcome:
    return process_page(session, page, rules, registry)


def _rebuild(
    page_id: int,
    rules: SourceRules,
    registry: PublisherRegistry | None,
    changed_at: datetime,
    session: Session,
) -> PageOutcome:
    try:
        page = load_page(session, page_id)
    except StorageError as error:
        return PageOutcome("failed", error.reason, None)
    return process_stored(
        session, page, page_id, rules, registry, seen_at=page.fetched_at, changed_at=changed_at
    )


def _committed(engine: Engine, work: Callable[[Session], PageOutcome]) -> PageOutcome:
    """Run one page's work in its own transaction; a failed commit (lock timeout, lost
    connection) fails that page only."""
    try:
        with session_scope(engine) as session:
            return work(session)
    except exc.DBAPIError as error:
        return PageOutcome("failed", f"database error: {database_reason(error)}", None)


def _finish(engine: Engine, run_id: int, report: Report, finished_at: datetime) -> None:
    with session_scope(engine) as session:
        finish_run(
            session,
            run_id,
            finished_at=finished_at,
            status="finished",
            counts=dict(report.counts),
            failures=dict(report.failures),
        )
