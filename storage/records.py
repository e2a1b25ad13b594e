"""Plain records storage takes and returns (no SQLAlchemy), so callers need not know the models."""

from __future__ import annotations

from dataclasses import dataclass, field, fields
from datetime import datetime
from typing import Literal

UpsertOutcome = Literal["new", "updated", "unchanged"]
# What became of one fetched page: stored (an UpsertOutcome), dropped (not an article), failed.
Outcome = Literal[UpsertOutcome, "dropped", "failed"]


@dataclass(slots=True)
class FetchedPage:
    """A page as fetched: the body is raw and uncompressed (storage compresses it)."""

    url: str
    final_url: str
    status: int
    headers: dict[str, str]
    body: bytes
    fetched_at: datetime

    @classmethod
    def of(cls, record: object) -> FetchedPage:
        """The page fields of any record that has them: a spider's `RawPage` (spiders may not
        import storage, so they keep their own record; this is the one conversion)."""
        return cls(**{f.name: getattr(record, f.name) for f in fields(cls)})


@dataclass(frozen=True, slots=True)
class PageRef:
    """A stored page by id, with what a caller needs to pick its rules and name it."""

    id: int
    source: str
    url: str


@dataclass(frozen=True, slots=True)
class UpsertResult:
    """What `upsert_article` did: `version` is the article's version after the write."""

    outcome: UpsertOutcome
    article_id: int
    version: int


@dataclass(frozen=True, slots=True)
class RunSummary:
    """One crawl run as `syndicate runs` shows it."""

    id: int
    source: str
    started_at: datetime
    finished_at: datetime | None
    status: str
    counts: dict[str, int] = field(default_factory=dict)
    failures: dict[str, int] = field(default_factory=dict)
    reason: str | None = None  # why it failed or stopped
    host: str | None = None
    pid: int | None = None
    heartbeat_at: datetime | None = None
    discovered: int | None = None  # article links the listings named (None for an ingest)

    @property
    def seconds(self) -> float | None:
        """How long the run took, or None while it is still running."""
        if self.finished_at is None:
            return None
        return (self.finished_at - self.started_at).total_seconds()
