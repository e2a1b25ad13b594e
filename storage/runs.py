"""Crawl history: one `crawl_runs` row per crawl or ingest, with counts by outcome."""

from __future__ import annotations

from collections.abc import Mapping
from datetime import datetime
from typing import get_args

from sqlalchemy import select
from sqlalchemy.orm import Session

from storage.models import CrawlRun
from storage.records import Outcome, RunSummary

OUTCOMES: tuple[Outcome, ...] = get_args(Outcome)
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


def start_run(session: Session, source_key: str, started_at: datetime) -> int:
    """Record that a run began (status "running"); returns its id."""
    run = CrawlRun(source=source_key, started_at=started_at, status="running", failures={})
    session.add(run)
    session.flush()
    return run.id


def finish_run(
    session: Session,
    run_id: int,
    *,
    finished_at: datetime,
    status: str,
    counts: Mapping[str, int],
    failures: Mapping[str, int],
) -> None:
    """Record how the run ended. `counts` keys are COUNT_KEYS; `failures` maps reason -> count."""
    unknown = set(counts) - set(COUNT_KEYS)
    if unknown:
        raise ValueError(f"unknown count keys {sorted(unknown)}; expected {list(COUNT_KEYS)}")
    run = session.get(CrawlRun, run_id)
    if run is None:
        raise ValueError(f"no crawl run with id {run_id}")
    run.finished_at = finished_at
    run.status = status
    for key in COUNT_KEYS:
        setattr(run, key, int(counts.get(key, 0)))
    run.failures = {str(reason): int(n) for reason, n in failures.items()}


def list_runs(session: Session, source_key: str | None = None, limit: int = 20) -> list[RunSummary]:
    """Newest runs first, of one source or all."""
    query = select(CrawlRun).order_by(CrawlRun.started_at.desc(), CrawlRun.id.desc()).limit(limit)
    if source_key is not None:
        query = query.where(CrawlRun.source == source_key)
    return [_summary(run) for run in session.execute(query).scalars()]


def _summary(run: CrawlRun) -> RunSummary:
    return RunSummary(
        id=run.id,
        source=run.source,
        started_at=run.started_at,
        finished_at=run.finished_at,
        status=run.status,
        counts={key: getattr(run, key) for key in COUNT_KEYS},
        failures=dict(run.failures),
    )
