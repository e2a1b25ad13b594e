"""Article <-> `articles` row values: validation of every field, content hash, dates as UTC.

Checks happen here, before the database sees anything, so SQLite (which ignores
VARCHAR lengths) and PostgreSQL (which rejects NUL bytes) refuse the same articles
with the same clear message.
"""

from __future__ import annotations

import hashlib
import json
from datetime import UTC, datetime
from typing import Any

from sqlalchemy import String

from extractors.article import Article
from extractors.urls import InvalidURLError, canonical_url
from storage.errors import StorageError
from storage.models import ArticleRow

# Fields whose change is not a content change: where it was fetched from, who fetched it, and
# how its bytes were decoded (recorded since migration 0006; the text itself is content).
_NOT_CONTENT = ("url", "source", "encoding")
_DATE_FIELDS = ("published_at", "modified_at")


def article_values(article: Article) -> dict[str, Any]:
    """Column values for `article`, or StorageError naming the first bad field."""
    data = article.to_dict()
    try:
        data["canonical_url"] = canonical_url(article.canonical_url or article.url)
    except InvalidURLError as exc:
        raise StorageError(str(exc), url=article.url, field="canonical_url") from exc
    if not article.source:
        raise StorageError(
            "missing: every article belongs to a source", url=article.url, field="source"
        )
    for name in _DATE_FIELDS:
        data[name] = parse_timestamp(data[name], url=article.url, field=name)
    for name, value in data.items():
        check_text(value, url=article.url, field=name)
        _check_length(name, value, article.url)
    data["original_source"] = article.attribution.original_source
    return data


def parse_timestamp(value: str | None, *, url: str, field: str) -> datetime | None:
    """ISO 8601 with an offset -> aware UTC datetime; a date without offset is refused."""
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise StorageError(f"not an ISO 8601 time: {value!r}", url=url, field=field) from exc
    if parsed.utcoffset() is None:
        raise StorageError(f"no UTC offset in {value!r}", url=url, field=field)
    return parsed.astimezone(UTC)


def check_text(value: object, *, url: str, field: str) -> None:
    """Refuse strings no database stores faithfully: lone surrogates and NUL characters."""
    if isinstance(value, str):
        _check_string(value, url, field)
    elif isinstance(value, dict):
        for key, item in value.items():
            check_text(item, url=url, field=f"{field}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            check_text(item, url=url, field=f"{field}[{index}]")


def _check_string(value: str, url: str, field: str) -> None:
    try:
        value.encode("utf-8")
    except UnicodeEncodeError as exc:
        reason = f"invalid UTF-8 ({exc.reason}) at character {exc.start}"
        raise StorageError(reason, url=url, field=field) from exc
    if "\x00" in value:
        raise StorageError(f"NUL character at {value.index(chr(0))}", url=url, field=field)


def _check_length(name: str, value: object, url: str) -> None:
    column = ArticleRow.__table__.columns.get(name)
    if column is None or not isinstance(column.type, String) or not isinstance(value, str):
        return
    limit = column.type.length
    if limit is not None and len(value) > limit:
        reason = f"{len(value)} characters, the limit is {limit}"
        raise StorageError(reason, url=url, field=name)


def content_hash(values: dict[str, Any]) -> str:
    """SHA-256 of everything that makes up the article's content (not where it was fetched)."""
    content = {k: v for k, v in values.items() if k not in _NOT_CONTENT}
    encoded = json.dumps(content, sort_keys=True, ensure_ascii=False, default=_iso)
    return hashlib.sha256(encoded.encode()).hexdigest()


def _iso(value: object) -> str:
    if isinstance(value, datetime):
        return value.isoformat()
    raise TypeError(f"cannot hash {type(value).__name__}")


def article_from_row(row: ArticleRow) -> Article:
    """The `Article` a row holds (dates come back as ISO 8601 UTC)."""
    data = {name: getattr(row, name) for name in Article.__dataclass_fields__}
    for name in _DATE_FIELDS:
        value = data[name]
        data[name] = value.isoformat() if value is not None else None
    return Article.from_dict(data)
