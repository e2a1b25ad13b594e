"""Health facts as JSON with stable keys and ISO 8601 UTC times: one form for
`syndicate runs --json`, `syndicate sources status --json` and the API's `/api/sources`."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from pipelines.health import SourceStatus
from storage.records import RunSummary


def iso(moment: datetime | None) -> str | None:
    """ISO 8601 in UTC, to the second: what the JSON outputs carry."""
    return moment.astimezone(UTC).isoformat(timespec="seconds") if moment else None


def run_json(run: RunSummary) -> dict[str, Any]:
    """One run with stable keys."""
    return {
        "id": run.id,
        "source": run.source,
        "status": run.status,
        "reason": run.reason,
        "started_at": iso(run.started_at),
        "finished_at": iso(run.finished_at),
        "seconds": run.seconds,
        "host": run.host,
        "pid": run.pid,
        "counts": run.counts,
        "failures": run.failures,
    }


def status_json(status: SourceStatus) -> dict[str, Any]:
    """One source with stable keys; times are ISO 8601 UTC, absent ones null."""
    facts = status.facts
    return {
        "source": facts.source,
        "last_run": run_json(facts.last_run) if facts.last_run else None,
        "last_success_at": iso(facts.last_success.finished_at) if facts.last_success else None,
        "last_failure": failure_json(facts.last_failure),
        "articles_24h": facts.articles_day,
        "articles_7d": facts.articles_week,
        "schedule": status.schedule,
        "next_run_at": iso(status.next_run),
        "flags": [{"code": flag.code, "message": flag.message} for flag in status.flags],
    }


def failure_json(run: RunSummary | None) -> dict[str, Any] | None:
    if run is None:
        return None
    return {"id": run.id, "status": run.status, "at": iso(ended(run)), "reason": run.reason}


def ended(run: RunSummary) -> datetime:
    return run.finished_at or run.started_at
