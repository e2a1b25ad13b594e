"""Raw pages, kept gzip-compressed so articles can be rebuilt (`syndicate reextract`) offline."""

from __future__ import annotations

import gzip
import zlib
from dataclasses import asdict
from datetime import datetime
from typing import Any, NamedTuple

from sqlalchemy import delete, func, select, update
from sqlalchemy.orm import Session

from storage.convert import check_text
from storage.dialect import insert
from storage.errors import StorageError
from storage.models import ArticleRow, Page
from storage.prepared import StoredBody, body_sha256, compress
from storage.records import FetchedPage, PageRef

# Environment variable operators set to prune pages older than this many days (`db prune`).
RETENTION_ENV = "SYNDICATE_PAGE_RETENTION_DAYS"
# Response headers that make a refetch conditional (If-None-Match / If-Modified-Since).
VALIDATORS = ("etag", "last-modified")
Validators = dict[str, str]
# What a newer fetch of the same body updates: the latest response's metadata (ETag, ...).
_REFRESHED = ("fetched_at", "final_url", "status", "headers")
_UPSERTS: dict[str, Any] = {}  # database kind -> the statement `_upsert` built


def store_page(
    session: Session, source_key: str, page: FetchedPage, prepared: StoredBody | None = None
) -> int:
    """Id of the stored page; the same URL with the same body is stored once, however often.

    A refetch of an unchanged body only moves `fetched_at` forward and keeps that response's
    headers (ETag, Last-Modified for the next conditional request). `prepared` is the body's
    hash and gzip computed already (by an extraction worker), else they are computed here.
    """
    check_text(asdict(page) | {"body": None}, url=page.url, field="page")
    digest = prepared.sha256 if prepared is not None else body_sha256(page.body)
    existing = _refresh(session, page, digest)
    if existing is not None:
        return existing
    values = {
        "source": source_key,
        "url": page.url,
        "final_url": page.final_url,
        "status": page.status,
        "headers": dict(page.headers),
        "body": prepared.gzipped if prepared is not None else compress(page.body),
        "body_sha256": digest,
        "body_size": len(page.body),
        "fetched_at": page.fetched_at,
    }
    page_id = session.execute(_upsert(session), values).scalar_one_or_none()
    if page_id is not None:
        return int(page_id)
    stored = select(Page.id).where(Page.url == page.url, Page.body_sha256 == digest)
    return int(session.execute(stored).scalar_one())


def _upsert(session: Session) -> Any:
    """INSERT of a page, a newer fetch of a stored one refreshing it: Core, values given as
    parameters, built once per kind of database (building it costs more than running it)."""
    kind = session.get_bind().dialect.name
    if kind not in _UPSERTS:
        stmt = insert(session, Page.__table__)
        _UPSERTS[kind] = stmt.on_conflict_do_update(
            index_elements=[Page.url, Page.body_sha256],
            set_={name: stmt.excluded[name] for name in _REFRESHED},
            where=Page.fetched_at < stmt.excluded.fetched_at,
        ).returning(Page.id)
    return _UPSERTS[kind]


def _refresh(session: Session, page: FetchedPage, digest: str) -> int | None:
    """Id of the page already stored with this body (its fetch time moved on), else None.

    Saves compressing the body again on recrawls; a concurrent first insert is still
    settled by the ON CONFLICT in `store_page`.
    """
    query = select(Page.id, Page.fetched_at).where(Page.url == page.url, Page.body_sha256 == digest)
    found = session.execute(query).first()
    if found is None:
        return None
    if found.fetched_at < page.fetched_at:
        newer = {name: getattr(page, name) for name in _REFRESHED}
        session.execute(update(Page).where(Page.id == found.id).values(newer))
    return int(found.id)


def touch_page(session: Session, url: str, seen_at: datetime) -> Page | None:
    """The newest stored page of `url`, its `fetched_at` moved forward to `seen_at` (a 304
    confirmed the stored body is current); None when nothing of `url` is stored."""
    query = select(Page).where(Page.url == url).order_by(Page.fetched_at.desc(), Page.id.desc())
    page = session.execute(query.limit(1)).scalar_one_or_none()
    if page is not None and page.fetched_at < seen_at:
        page.fetched_at = seen_at
    return page


def load_page(session: Session, page_id: int) -> FetchedPage:
    """Stored page `page_id` as it was fetched (body decompressed); StorageError if it is gone
    or its stored body is damaged, so `reextract` fails that page alone."""
    row = session.get(Page, page_id)
    if row is None:
        raise StorageError(f"no stored page {page_id}", url="", field="id")
    try:
        body = gzip.decompress(row.body)
    except (OSError, EOFError, zlib.error) as exc:  # BadGzipFile is an OSError
        reason = f"stored body is corrupt: {type(exc).__name__}: {exc}"
        raise StorageError(reason, url=row.url, field="body") from exc
    return FetchedPage(
        url=row.url,
        final_url=row.final_url,
        status=row.status,
        headers=dict(row.headers),
        body=body,
        fetched_at=row.fetched_at,
    )


def latest_pages(session: Session, source_key: str | None = None) -> list[PageRef]:
    """The newest stored page of every URL (of one source, or all), oldest URL first."""
    rank = func.row_number().over(
        partition_by=Page.url, order_by=(Page.fetched_at.desc(), Page.id.desc())
    )
    ranked = select(Page.id, rank.label("rank"))
    if source_key is not None:
        ranked = ranked.where(Page.source == source_key)
    ranks = ranked.subquery()
    newest = select(ranks.c.id).where(ranks.c.rank == 1)
    query = select(Page.id, Page.source, Page.url).where(Page.id.in_(newest)).order_by(Page.id)
    return [PageRef(int(id_), source, url) for id_, source, url in session.execute(query)]


class StoredFetch(NamedTuple):
    """The newest stored page of a URL, as a recrawl needs it."""

    final_url: str
    validators: Validators  # ETag / Last-Modified, to ask conditionally
    fetched_at: datetime


def stored_validators(session: Session, source_key: str) -> dict[str, StoredFetch]:
    """Requested URL -> the newest stored page of each URL of the source."""
    query = (
        select(Page.url, Page.final_url, Page.headers, Page.fetched_at)
        .where(Page.source == source_key)
        .order_by(Page.fetched_at)
    )
    found: dict[str, StoredFetch] = {}
    for url, final_url, headers, fetched_at in session.execute(query):
        lowered = {str(k).lower(): str(v) for k, v in (headers or {}).items()}
        validators = {k: lowered[k] for k in VALIDATORS if k in lowered}
        found[url] = StoredFetch(final_url, validators, fetched_at)
    return found


def prune_pages(session: Session, *, before: datetime) -> int:
    """Delete pages fetched before `before`, except those current articles were built from."""
    in_use = select(ArticleRow.page_id).where(ArticleRow.page_id.is_not(None))
    stmt = delete(Page).where(Page.fetched_at < before, Page.id.not_in(in_use))
    # execute() is typed as returning Result, which has no rowcount; a DELETE gives a CursorResult.
    return int(session.execute(stmt).rowcount)  # type: ignore[attr-defined]  # CursorResult
