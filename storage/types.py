"""Column types that make SQLite and PostgreSQL behave the same."""

from __future__ import annotations

from datetime import UTC, datetime

from sqlalchemy import DateTime
from sqlalchemy.engine import Dialect
from sqlalchemy.types import TypeDecorator


class NaiveDatetimeError(ValueError):
    """A naive datetime reached the database: its meaning (which zone?) would be a guess."""


class UTCDateTime(TypeDecorator[datetime]):
    """`DateTime(timezone=True)` that always stores and returns tz-aware UTC.

    The ONE place timestamps are normalised: SQLite keeps no offset (it returns naive
    values) while PostgreSQL returns the session's zone, so both are folded to UTC here.
    """

    impl = DateTime(timezone=True)
    cache_ok = True

    def process_bind_param(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None or value.utcoffset() is None:
            raise NaiveDatetimeError(f"naive datetime {value.isoformat()}: pass a tz-aware time")
        utc = value.astimezone(UTC)
        # SQLite stores text: drop the offset so values sort and compare as plain UTC strings.
        return utc.replace(tzinfo=None) if dialect.name == "sqlite" else utc

    def process_result_value(self, value: datetime | None, dialect: Dialect) -> datetime | None:
        if value is None:
            return None
        if value.tzinfo is None:
            return value.replace(tzinfo=UTC)
        return value.astimezone(UTC)
