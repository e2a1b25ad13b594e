"""Query parameters as clients write them -> validated values (or a WebError saying why).

Dates are ISO 8601: a date (`2024-05-01`) or a datetime; one without an offset is UTC.
`since` is inclusive, `until` exclusive, and an `until` date includes that whole day.
`q` is words to search for, passed to storage as typed (storage/search.py makes them safe).
"""

from __future__ import annotations

import base64
import binascii
import json
from datetime import UTC, date, datetime, time, timedelta
from typing import Annotated

from fastapi import Path
from sqlalchemy.orm import Session

from storage.reading import ArticleFilters, stored_sources
from syndicate.web.errors import WebError

CURSOR_VERSION = 1
# The largest article id: `articles.id` is a 32-bit INTEGER on PostgreSQL, so a larger id is
# refused as a bad parameter instead of reaching the database and failing there (a 500).
MAX_ID = 2**31 - 1
ArticleId = Annotated[int, Path(ge=1, le=MAX_ID, description=f"an article's `id`, 1 to {MAX_ID}")]
MAX_QUERY_LENGTH = 200  # characters of `q`: a few sentences, never a whole article


def moment(name: str, value: str | None, *, end_of_day: bool = False) -> datetime | None:
    """An ISO 8601 date or datetime as aware UTC; a bare date is that day's start (or end)."""
    if value is None or value == "":
        return None
    try:
        if len(value) == 10:
            day = date.fromisoformat(value)
            start = datetime.combine(day, time(), tzinfo=UTC)
            return start + timedelta(days=1) if end_of_day else start
        parsed = datetime.fromisoformat(value)
    except ValueError:
        raise WebError(400, f"{name}: not an ISO 8601 date or datetime: {value!r}") from None
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def bounded(name: str, value: int, most: int) -> int:
    if not 1 <= value <= most:
        raise WebError(400, f"{name}: must be between 1 and {most}, not {value}")
    return value


def encode_cursor(after_id: int) -> str:
    """Opaque to clients: URL-safe base64 of {"v": 1, "after": id}."""
    raw = json.dumps({"v": CURSOR_VERSION, "after": after_id}, separators=(",", ":"))
    return base64.urlsafe_b64encode(raw.encode()).decode().rstrip("=")


def decode_cursor(cursor: str | None) -> int:
    """The id a cursor continues after (0 without one); 400 for anything we did not issue."""
    if cursor is None:
        return 0
    try:
        raw = base64.urlsafe_b64decode(cursor + "=" * (-len(cursor) % 4))
        data = json.loads(raw)
    except (binascii.Error, ValueError):
        data = None
    after = data.get("after") if isinstance(data, dict) else None
    valid = isinstance(data, dict) and data.get("v") == CURSOR_VERSION
    if not valid or type(after) is not int or not 0 <= after <= MAX_ID:  # bool is no id
        raise WebError(400, "cursor: not a cursor this server issued")
    return after


def filters(
    session: Session,
    *,
    source: str | None,
    language: str | None = None,
    since: str | None = None,
    until: str | None = None,
    updated_since: str | None = None,
    q: str | None = None,
) -> ArticleFilters:
    """Validated filters: an unknown source is a 404, a bad date or search a 400."""
    if source is not None:
        known_source(session, source)
    return ArticleFilters(
        source=source,
        language=language or None,
        published_since=moment("since", since),
        published_until=moment("until", until, end_of_day=True),
        updated_since=moment("updated_since", updated_since),
        query=search_words(q),
    )


def search_words(q: str | None) -> str | None:
    """`q` with its spaces tidied (None when blank); 400 when too long or holding NUL."""
    words = " ".join((q or "").split())
    if len(words) > MAX_QUERY_LENGTH:
        raise WebError(400, f"q: at most {MAX_QUERY_LENGTH} characters, not {len(words)}")
    if "\x00" in words:  # PostgreSQL text cannot hold NUL
        raise WebError(400, "q: must not contain NUL characters")
    return words or None


def known_source(session: Session, key: str) -> None:
    if not stored_sources(session, [key]):
        raise WebError(404, f"unknown source {key!r}")
