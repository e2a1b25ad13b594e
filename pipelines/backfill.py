"""Backfills without crawling: saved pages and stored raw pages go through the crawl's path.

Pages are extracted by an `ExtractionPool` (on every core when given workers) and stored in
batches (`batch_store`): one transaction per batch, a SAVEPOINT per page, so a failure (or
a second process) never undoes others. Each ingest is recorded in `crawl_runs` like a crawl.
"""

from __future__ import annotations

from collections import Counter
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from functools import partial

from sqlalchemy import Engine

from extractors.source_rules import PublisherRegistry, SourceRules
from pipelines.batch_store import Batches, Work
from pipelines.concurrency import DEFAULT_LIMITS, BatchLimits
from pipelines.extraction_pool import ExtractionPool, Job
from pipelines.lease import DEFAULT_HEARTBEAT_SECONDS, this_holder
from pipelines.processing import PageOutcome, extract_article_step, store_extracted, store_step
from pipelines.saved_pages import InputError
from storage.database import session_scope
from storage.errors import StorageError
from storage.pages import latest_pages, load_page
from storage.records import FetchedPage, PageRef
from storage.repository import ensure_source
from storage.runs import finish_run, heartbeat_run, outcome_keys, start_run

Progress = Callable[[str, PageOutcome], None]
HEARTBEAT = timedelta(seconds=DEFAULT_HEARTBEAT_SECONDS)  # as often as a crawl's
IN_PROCESS = ExtractionPool(0)
# Reextract stores no page: its extraction skips hashing and compressing the body.
IN_PROCESS_STORED = ExtractionPool(0, task=extract_article_step)


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
    pool: ExtractionPool = IN_PROCESS,
    limits: BatchLimits = DEFAULT_LIMITS,
) -> Report:
    """Store every page through the crawl's own path; returns what happened to each."""
    holder = this_holder()
    with session_scope(engine) as session:
        ensure_source(session, rules)
        run_id = start_run(session, rules.key, started_at, host=holder.host, pid=holder.pid)
    jobs = (((label, page), _job(page, rules, registry)) for label, page in pages)
    batches: Batches[str] = Batches(engine, limits)
    report = Report()
    beat = started_at
    for (label, page), extracted in pool.extract_all(jobs):
        now = clock()
        if isinstance(page, InputError):
            work: Work | PageOutcome = PageOutcome("failed", page.reason, None)
        else:
            assert extracted is not None  # every readable page had a job
            work = partial(store_step, source_key=rules.key, page=page, extracted=extracted)
        _tally(report, batches.add(label, work, now), progress)
        if now - beat >= HEARTBEAT:
            beat = _heartbeat(engine, run_id, report, now)
    _tally(report, batches.flush(), progress)
    _finish(engine, run_id, report, clock())
    return report


def _job(
    page: FetchedPage | InputError, rules: SourceRules, registry: PublisherRegistry | None
) -> Job | None:
    return None if isinstance(page, InputError) else (page, rules, registry)


def _tally(
    report: Report, written: list[tuple[str, PageOutcome]], progress: Progress | None
) -> None:
    for label, outcome in written:
        report.add(outcome)
        if progress is not None:
            progress(label, outcome)


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
    pool: ExtractionPool = IN_PROCESS_STORED,
    limits: BatchLimits = DEFAULT_LIMITS,
) -> Report:
    """Rebuild articles from the newest stored page of every URL (of one source, or all).
    A pool running `extract_article_step` saves compressing bodies that are stored already."""
    with session_scope(engine) as session:
        targets = latest_pages(session, source_key)
    jobs = _stored_jobs(engine, targets, rules_of, registry)
    batches: Batches[str] = Batches(engine, limits)
    report = Report()
    for (target, loaded), extracted in pool.extract_all(jobs):
        if isinstance(loaded, PageOutcome):
            work: Work | PageOutcome = loaded
        else:
            assert extracted is not None  # every loaded page had a job
            work = partial(
                store_extracted,
                extracted=extracted,
                page_id=target.id,
                seen_at=loaded.fetched_at,
                changed_at=changed_at,
            )
        _tally(report, batches.add(f"page {target.id}", work, datetime.now(UTC)), progress)
    _tally(report, batches.flush(), progress)
    return report


def _stored_jobs(
    engine: Engine,
    targets: list[PageRef],
    rules_of: Callable[[str], SourceRules],
    registry: PublisherRegistry | None,
) -> Iterator[tuple[tuple[PageRef, FetchedPage | PageOutcome], Job | None]]:
    """Each stored page with its extraction job, or the reason it cannot be rebuilt."""
    for target in targets:
        try:
            rules = rules_of(target.source)
        except KeyError:  # its source file was removed: the other sources still rebuild
            reason = f"source {target.source!r} is not in the catalog"
            yield (target, PageOutcome("failed", reason, None)), None
            continue
        try:
            with session_scope(engine) as session:
                page = load_page(session, target.id)
        except StorageError as error:
            yield (target, PageOutcome("failed", error.reason, None)), None
            continue
        yield (target, page), (page, rules, registry)


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
