"""One crawl per source at a time, across processes and machines that share the database.

A lease row per source names its holder (host, pid, a random token) and expires unless the
holder renews it with each heartbeat. A lease whose holder died is taken over: when it has
expired, or at once when its process is gone on the same host (the caller says which
processes are gone: storage does not look at the operating system).
"""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy import delete, select, update
from sqlalchemy.orm import Session

from storage.dialect import insert
from storage.models import CrawlLease, CrawlRun

ProcessGone = Callable[[str, int], bool]  # (host, pid) -> is that process known to be gone?
_INSERT_ATTEMPTS = 3  # a lease given back between our insert and our read is taken anew


@dataclass(frozen=True, slots=True)
class Holder:
    """Who asks for a lease: this process on this host, and a token only it knows."""

    host: str
    pid: int
    token: str


@dataclass(frozen=True, slots=True)
class LeaseInfo:
    """Who holds a source's lease, for the one line a busy crawl prints."""

    source: str
    run_id: int | None
    host: str
    pid: int
    acquired_at: datetime
    expires_at: datetime


class SourceBusyError(Exception):
    """The source is being crawled by a live holder."""

    def __init__(self, info: LeaseInfo) -> None:
        super().__init__(describe(info))
        self.info = info


def describe(info: LeaseInfo) -> str:
    run = f"run {info.run_id}" if info.run_id is not None else "a run"
    started = info.acquired_at.strftime("%Y-%m-%d %H:%M:%S UTC")
    return (
        f"{info.source} is being crawled by {run} on {info.host} (pid {info.pid}) since {started}"
    )


def acquire_lease(
    session: Session,
    source: str,
    holder: Holder,
    *,
    now: datetime,
    ttl: timedelta,
    gone: ProcessGone,
) -> LeaseInfo | None:
    """Take the source's lease, or raise SourceBusyError; returns the lease taken over, if any.

    The run of a lease taken over is marked "abandoned" (its counts so far are kept).
    """
    values = {
        "source": source,
        "token": holder.token,
        "host": holder.host,
        "pid": holder.pid,
        "acquired_at": now,
        "expires_at": now + ttl,
        "run_id": None,
    }
    for _ in range(_INSERT_ATTEMPTS):
        stmt = insert(session, CrawlLease).values(values).on_conflict_do_nothing()
        if session.execute(stmt.returning(CrawlLease.source)).scalar_one_or_none() is not None:
            return None
        query = select(CrawlLease).where(CrawlLease.source == source).with_for_update()
        current = session.execute(query).scalar_one_or_none()
        if current is not None:
            break
        # The holder gave the lease back between our insert and our read: insert again.
    else:
        raise SourceBusyError(LeaseInfo(source, None, "another process", 0, now, now + ttl))
    previous = _info(current)
    if current.expires_at > now and not gone(current.host, current.pid):
        raise SourceBusyError(previous)
    if current.run_id is not None:
        abandon_runs(session, [current.run_id], now)
    for name, value in values.items():
        setattr(current, name, value)
    return previous


def holder_of(
    session: Session, source: str, *, now: datetime, gone: ProcessGone
) -> LeaseInfo | None:
    """The live holder of the source's lease, or None when a crawl could take it now."""
    lease = session.get(CrawlLease, source)
    if lease is None or lease.expires_at <= now or gone(lease.host, lease.pid):
        return None
    return _info(lease)


def attach_run(session: Session, source: str, token: str, run_id: int) -> None:
    """Name the run the lease guards, so a takeover can mark that run abandoned."""
    session.execute(
        update(CrawlLease)
        .where(CrawlLease.source == source, CrawlLease.token == token)
        .values(run_id=run_id)
    )


def renew_lease(
    session: Session, source: str, token: str, *, now: datetime, ttl: timedelta
) -> bool:
    """Push the expiry forward; False when the lease is no longer ours (it was taken over)."""
    result = session.execute(
        update(CrawlLease)
        .where(CrawlLease.source == source, CrawlLease.token == token)
        .values(expires_at=now + ttl)
    )
    return bool(result.rowcount)  # type: ignore[attr-defined]  # CursorResult of an UPDATE


def release_lease(session: Session, source: str, token: str) -> None:
    """Give the lease back (only ours: a lease taken over by another holder stays)."""
    session.execute(
        delete(CrawlLease).where(CrawlLease.source == source, CrawlLease.token == token)
    )


def abandon_runs(session: Session, run_ids: list[int], now: datetime) -> int:
    """Mark still-running runs "abandoned", ended at their last heartbeat (else `now`)."""
    runs = session.execute(
        select(CrawlRun).where(CrawlRun.id.in_(run_ids), CrawlRun.status == "running")
    ).scalars()
    count = 0
    for run in runs:
        run.status = "abandoned"
        run.finished_at = run.heartbeat_at or now
        run.reason = run.reason or "its process stopped without finishing the run"
        count += 1
    return count


def _info(lease: CrawlLease) -> LeaseInfo:
    return LeaseInfo(
        source=lease.source,
        run_id=lease.run_id,
        host=lease.host,
        pid=lease.pid,
        acquired_at=lease.acquired_at,
        expires_at=lease.expires_at,
    )
