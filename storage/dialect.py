"""`INSERT ... ON CONFLICT` for the session's database: the database itself prevents duplicates."""

from __future__ import annotations

from typing import Any

from sqlalchemy.dialects import postgresql, sqlite
from sqlalchemy.orm import Session


def insert(session: Session, model: Any) -> Any:
    """The dialect-specific insert (it has `on_conflict_do_nothing` / `on_conflict_do_update`)."""
    name = session.get_bind().dialect.name
    if name == "postgresql":
        return postgresql.insert(model)
    if name == "sqlite":
        return sqlite.insert(model)
    raise NotImplementedError(f"unsupported database {name!r}: use SQLite or PostgreSQL")
