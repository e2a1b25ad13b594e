"""Errors storage raises for one article or page: they name the URL and field and say why."""

from __future__ import annotations

from sqlalchemy.exc import DBAPIError


class StorageError(ValueError):
    """This record cannot be stored; everything else in the batch still can."""

    def __init__(self, reason: str, *, url: str | None = None, field: str | None = None) -> None:
        self.reason = f"{field}: {reason}" if field else reason
        self.url = url
        self.field = field
        super().__init__(f"{url}: {self.reason}" if url else self.reason)


def database_reason(error: DBAPIError) -> str:
    """The driver's own first line (e.g. `value too long for type ...`): what the operator needs,
    without SQLAlchemy's statement dump and parameters."""
    if error.orig is None:
        return str(error)
    lines = str(error.orig).strip().splitlines()
    return lines[0] if lines else type(error.orig).__name__
