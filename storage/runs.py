"""Crawl history: one `crawl_runs` row per crawl or ingest, with counts by outcome."""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import datetime, timedelta
from typing import get_args

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.leases import abandon_runs
from storage.models import CrawlRun
from storage.records import Outcome, RunSummary

OUTCOMES: tuple[Outcome, ...] = get_args(Outcome)
# crawl_runs.status (DESIGN contract): how a run ended, or "running" while it runs.
RUN_STATUSES = ("running", "finished", "failed", "stopped", "abandoned")
COUNT_KEYS = ("pages", *OUTCOMES)  # the crawl_runs count columns


def outcome_keys(outcome: Outcome, reason: str | None) -> tuple[tuple[str, str], str | None]:
    """The count keys one page adds to, and its `failures` key (None for a stored page).

    The one rule crawls and ingests both count by: a dropped page's reason is prefixed
    "dropped: " so `syndicate runs` tells pages that are not articles from errors.
    """
    if outcome == "dropped":
        return ("pages", outcome), f"dropped: {reason or 'no reason given'}"
    if outcome == "failed":
        return ("pages", outcome), reason or "no reason given"
    return ("pages", outcome), None


def start_run(
    session: Session,
    source_key: str,
    started_at: datetime,
    *,
    host: str | None = None,
    pid: int | None = None,
) -> int:
    """Record that a run began (status "running") in process `pid` on `host`; returns its id."""
    run = CrawlRun(
        source=source_key,
        started_at=started_at,
        status="running",
        failures={},
        host=host,
        pid=pid,
        heartbeat_at=started_at,
    )
    session.add(run)
    session.flush()
    return run.id


def heartbeat_run(
    session: Session,
    run_id: int,
    *,
    now: datetime,
    counts: Mapping[str, int],
    failures: Mapping[str, int],
    discovered: int | None = None,
) -> None:
    """The run is alive: its counts so far are written, so a run that dies keeps them."""
    run = _running(session, run_id)
    run.heartbeat_at = now
    run.discovered = discovered
    _write_counts(run, counts, failures)


def finish_run(
    session: Session,
    run_id: int,
    *,
    finished_at: datetime,
    status: str,
    counts: Mapping[str, int],
    failures: Mapping[str, int],
    reason: str | None = None,
    discovered: int | None = None,
) -> None:
    """Record how the run ended. `counts` keys are COUNT_KEYS; `failures` maps reason -> count;
    `reason` says why a run failed or stopped."""
    end_run(session, run_id, finished_at=finished_at, status=status, reason=reason)
    run = _running(session, run_id)
    run.discovered = discovered
    _write_counts(run, counts, failures)


def add_to_run(
    session: Session,
    run_id: int,
    *,
    now: datetime,
    counts: Mapping[str, int],
    failures: Mapping[str, int],
    discovered: int = 0,
) -> int:
    """Add one process's counts since its last write to the run: the crawl that owns a run
    and the workers that join it (docs/distributed.md) each add their own share, so the
    one row counts every page once. The row is locked while it is read and written.
    Returns the run's `pages` now, every process's together."""
    unknown = set(counts) - set(COUNT_KEYS)
    if unknown:
        raise ValueError(f"unknown count keys {sorted(unknown)}; expected {list(COUNT_KEYS)}")
    run = session.get(CrawlRun, run_id, with_for_update=True)
    if run is None:
        raise ValueError(f"no crawl run with id {run_id}")
    for key in COUNT_KEYS:
        setattr(run, key, int(getattr(run, key) or 0) + int(counts.get(key, 0)))
    merged = dict(run.failures or {})
    for reason, n in failures.items():
        merged[str(reason)] = int(merged.get(str(reason), 0)) + int(n)
    run.failures = merged
    if discovered or run.discovered is not None:
        run.discovered = int(run.discovered or 0) + discovered
    if run.status == "running":
        run.heartbeat_at = now
    return int(run.pages)


def end_run(
    session: Session, run_id: int, *, finished_at: datetime, status: str, reason: str | None
) -> None:
    """Record how a run ended, leaving its counts as its processes added them."""
    if status not in RUN_STATUSES:
        raise ValueError(f"unknown run status {status!r}; expected one of {RUN_STATUSES}")
    run = _running(session, run_id)
    run.finished_at = finished_at
    run.heartbeat_at = finished_at
    run.status = status
    run.reason = reason


def run_status(session: Session, run_id: int) -> str | None:
    """The run's status now, or None when there is no such run."""
    run = session.get(CrawlRun, run_id)
    return run.status if run is not None else None


def abandon_dead_runs(
    session: Session,
    *,
    now: datetime,
    stale_after: timedelta,
    gone: Callable[[str, int], bool],
    source_key: str | None = None,
) -> list[int]:
    """Mark "abandoned" every running run whose process is gone (on this host) or whose
    heartbeat stopped more than `stale_after` ago; their counts so far are kept."""
    query = select(CrawlRun).where(CrawlRun.status == "running")
    if source_key is not None:
        query = query.where(CrawlRun.source == source_key)
    dead = [
        run.id for run in session.execute(query).scalars() if _is_dead(run, now, stale_after, gone)
    ]
    abandon_runs(session, dead, now)
    return dead


def _is_dead(
    run: CrawlRun, now: datetime, stale_after: timedelta, gone: Callable[[str, int], bool]
) -> bool:
    if run.host is not None and run.pid is not None and gone(run.host, run.pid):
        return True
    return (run.heartbeat_at or run.started_at) < now - stale_after


def _running(session: Session, run_id: int) -> CrawlRun:
    run = session.get(CrawlRun, run_id)
    if run is None:
        raise ValueError(f"no crawl run with id {run_id}")
    return run


def _write_counts(run: CrawlRun, counts: Mapping[str, int], failures: Mapping[str, int]) -> None:
    unknown = set(counts) - set(COUNT_KEYS)
    if unknown:
        raise ValueError(f"unknown count keys {sorted(unknown)}; expected {list(COUNT_KEYS)}")
    for key in COUNT_KEYS:
        setattr(run, key, int(counts.get(key, 0)))
    run.failures = {str(reason): int(n) for reason, n in failures.items()}


def list_runs(session: Session, source_key: str | None = None, limit: int = 20) -> list[RunSummary]:
    """Newest runs first, of one source or all."""
    query = select(CrawlRun).order_by(CrawlRun.started_at.desc(), CrawlRun.id.desc()).limit(limit)
    if source_key is not None:
        query = query.where(CrawlRun.source == source_key)
    return [run_summary(run) for run in session.execute(query).scalars()]


def get_run(session: Session, run_id: int) -> RunSummary | None:
    run = session.get(CrawlRun, run_id)
    return run_summary(run) if run is not None else None


def run_summary(run: CrawlRun) -> RunSummary:
    """The plain record of a run row (for the other storage modules too)."""
    return RunSummary(
        id=run.id,
        source=run.source,
        started_at=run.started_at,
        finished_at=run.finished_at,
        status=run.status,
        counts={key: getattr(run, key) for key in COUNT_KEYS},
        failures=dict(run.failures),
        reason=run.reason,
        host=run.host,
        pid=run.pid,
        heartbeat_at=run.heartbeat_at,
        discovered=run.discovered,
    )
