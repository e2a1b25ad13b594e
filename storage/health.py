"""Per-source facts for `syndicate sources status` and failed runs for `syndicate runs --failed`.

A handful of grouped queries answer for any number of sources (no query per source), and
`now` is a parameter: storage never reads the clock. `unreadable` says why a read-only
command cannot use a database, so such commands never create or migrate one.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta
from pathlib import Path

from alembic.runtime.migration import MigrationContext
from alembic.script import ScriptDirectory
from sqlalchemy import Engine, case, func, select
from sqlalchemy.engine import URL
from sqlalchemy.exc import DBAPIError
from sqlalchemy.orm import Session

from storage.database import alembic_config
from storage.models import ArticleRow, CrawlRun
from storage.records import RunSummary
from storage.runs import run_summary

# Runs that say how the site behaves: a stopped run was ended by a signal or a time limit.
ENDED_STATUSES = ("finished", "failed", "abandoned")
# Runs that did not end well: `syndicate runs --failed` and the "last failure" column.
FAILED_STATUSES = ("failed", "stopped", "abandoned")


@dataclass(frozen=True, slots=True)
class SourceFacts:
    """What the database knows of one source's health (plain records, no ORM rows)."""

    source: str
    last_run: RunSummary | None
    last_success: RunSummary | None  # the newest `finished` run
    last_failure: RunSummary | None  # the newest failed, stopped or abandoned run
    recent: tuple[RunSummary, ...]  # the newest ended runs (ENDED_STATUSES), newest first
    articles_day: int  # articles first stored in the 24 h before `now`
    articles_week: int  # … and in the 7 days before `now`


def source_facts(
    session: Session, keys: Sequence[str], *, now: datetime, recent: int = 3
) -> list[SourceFacts]:
    """Facts for each of `keys`, in that order; a source never crawled has no runs."""
    last = _newest_runs(session, keys, None, 1)
    success = _newest_runs(session, keys, ("finished",), 1)
    failure = _newest_runs(session, keys, FAILED_STATUSES, 1)
    ended = _newest_runs(session, keys, ENDED_STATUSES, recent)
    articles = _articles_since(session, keys, now)
    return [
        SourceFacts(
            source=key,
            last_run=_first(last.get(key)),
            last_success=_first(success.get(key)),
            last_failure=_first(failure.get(key)),
            recent=tuple(ended.get(key, ())),
            articles_day=articles.get(key, (0, 0))[0],
            articles_week=articles.get(key, (0, 0))[1],
        )
        for key in keys
    ]


def failed_runs(
    session: Session, source_key: str | None = None, limit: int = 20
) -> list[RunSummary]:
    """Newest failed, stopped or abandoned runs first, of one source or all."""
    query = (
        select(CrawlRun)
        .where(CrawlRun.status.in_(FAILED_STATUSES))
        .order_by(CrawlRun.started_at.desc(), CrawlRun.id.desc())
        .limit(limit)
    )
    if source_key is not None:
        query = query.where(CrawlRun.source == source_key)
    return [run_summary(run) for run in session.execute(query).scalars()]


def _first(runs: list[RunSummary] | None) -> RunSummary | None:
    return runs[0] if runs else None


def _newest_runs(
    session: Session, keys: Sequence[str], statuses: Sequence[str] | None, per_source: int
) -> dict[str, list[RunSummary]]:
    """Each source's newest `per_source` runs (of `statuses`), newest first: one query."""
    rank = func.row_number().over(
        partition_by=CrawlRun.source, order_by=(CrawlRun.started_at.desc(), CrawlRun.id.desc())
    )
    inner = select(CrawlRun.id, rank.label("rank")).where(CrawlRun.source.in_(keys))
    if statuses is not None:
        inner = inner.where(CrawlRun.status.in_(statuses))
    ranked = inner.subquery()
    query = (
        select(CrawlRun)
        .join(ranked, ranked.c.id == CrawlRun.id)
        .where(ranked.c.rank <= per_source)
        .order_by(CrawlRun.source, ranked.c.rank)
    )
    found: dict[str, list[RunSummary]] = defaultdict(list)
    for run in session.execute(query).scalars():
        found[run.source].append(run_summary(run))
    return found


def _articles_since(
    session: Session, keys: Sequence[str], now: datetime
) -> dict[str, tuple[int, int]]:
    """Source -> (articles first stored in the last 24 h, in the last 7 days): one query."""
    day, week = now - timedelta(days=1), now - timedelta(days=7)
    in_day = func.sum(case((ArticleRow.first_seen_at >= day, 1), else_=0))
    query = (
        select(ArticleRow.source, in_day, func.count())
        .where(ArticleRow.source.in_(keys), ArticleRow.first_seen_at >= week)
        .group_by(ArticleRow.source)
    )
    return {source: (int(d or 0), int(w)) for source, d, w in session.execute(query)}


def unreadable(engine: Engine) -> str | None:
    """Why a read-only command cannot read this database, or None when it can.

    A missing SQLite file is reported before connecting, because connecting creates it.
    """
    if _missing_sqlite_file(engine.url):
        return "does not exist (create it with `syndicate db upgrade`)"
    try:
        with engine.connect() as connection:
            current = MigrationContext.configure(connection).get_current_revision()
    except DBAPIError as exc:
        return f"cannot be opened: {_first_line(exc.orig or exc)}"
    head = ScriptDirectory.from_config(alembic_config()).get_current_head()
    if current is None:
        return "has no schema (create it with `syndicate db upgrade`)"
    if current != head:
        return f"is at schema {current}, not {head} (run `syndicate db upgrade`)"
    return None


def _first_line(error: BaseException) -> str:
    lines = str(error).strip().splitlines()
    return lines[0] if lines else type(error).__name__


def _missing_sqlite_file(url: URL) -> bool:
    database = url.database or ""
    in_memory = database in ("", ":memory:") or database.startswith("file:")
    return url.get_backend_name() == "sqlite" and not in_memory and not Path(database).exists()
