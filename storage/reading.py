"""Read-only queries for the syndication outputs (`syndicate serve`: API, feeds, pages).

Every read the server makes is a named function here, returning plain records (an
`Article` with its id and bookkeeping), so no ORM row leaves storage and nothing writes.
The API pages by id ascending: ids only grow, so a cursor "after id N" never skips or
repeats an article while new ones arrive (docs/serving.md, "Cursor").
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime
from typing import Any

from sqlalchemy import ColumnElement, Select, func, select
from sqlalchemy.orm import Session

from extractors.article import Article
from storage.convert import article_from_row
from storage.models import ArticleRow, ArticleVersion, Source
from storage.search import searched, searched_id


@dataclass(frozen=True, slots=True)
class ArticleFilters:
    """What a reader asked for; `published_until` is exclusive, every bound is UTC-aware."""

    source: str | None = None
    language: str | None = None
    published_since: datetime | None = None
    published_until: datetime | None = None
    updated_since: datetime | None = None
    query: str | None = None  # words that must all occur in title, description or text


@dataclass(frozen=True, slots=True)
class StoredArticle:
    """One current article as stored: the `Article` plus the row's id and bookkeeping."""

    id: int
    article: Article
    version: int
    original_article_id: int | None
    first_seen_at: datetime
    updated_at: datetime
    original_url: str | None = None  # attribution.original_url, else the linked original's URL
    # attribution.original_publisher, else the linked original's site name (a copy linked by
    # its text alone, or an earlier variant of the same publisher, credits who it really is)
    original_publisher: str | None = None


@dataclass(frozen=True, slots=True)
class VersionRecord:
    """An earlier content version of an article (`article_versions`)."""

    version: int
    content_hash: str
    title: str | None
    text: str
    data: dict[str, Any]
    valid_from: datetime
    superseded_at: datetime


@dataclass(frozen=True, slots=True)
class SourceRecord:
    """A `sources` row: what pages and feeds name a source by."""

    key: str
    name: str
    homepage: str | None
    language: str | None


def articles_page(
    session: Session, filters: ArticleFilters, after_id: int, limit: int
) -> list[StoredArticle]:
    """Up to `limit` articles with an id above `after_id`, id ascending (keyset paging)."""
    key = ArticleRow.id.expression
    if filters.query is not None:
        key = searched_id(session.get_bind().dialect.name)
    query = _filtered(session, filters).where(key > after_id).order_by(key).limit(limit)
    return _stored_all(session, session.execute(query).scalars().all())


def latest_articles(session: Session, filters: ArticleFilters, limit: int) -> list[StoredArticle]:
    """The newest `limit` articles by publication (first seen when undated): feeds and pages."""
    newest = func.coalesce(ArticleRow.published_at, ArticleRow.first_seen_at)
    # Sort ids only, then load those rows: sorting whole rows (text and html included) made
    # a feed over 10,000 articles take ~1 s of SQL on SQLite instead of ~40 ms.
    ranked = _filtered(session, filters).with_only_columns(ArticleRow.id)
    ids = session.execute(ranked.order_by(newest.desc(), ArticleRow.id.desc()).limit(limit))
    order = [int(article_id) for article_id in ids.scalars()]
    rows = session.execute(select(ArticleRow).where(ArticleRow.id.in_(order))).scalars().all()
    by_id = {row.id: row for row in rows}
    return _stored_all(session, [by_id[article_id] for article_id in order])


def article_by_id(session: Session, article_id: int) -> StoredArticle | None:
    row = session.get(ArticleRow, article_id)
    return _stored_all(session, [row])[0] if row is not None else None


def article_versions(session: Session, article_id: int) -> list[VersionRecord]:
    """Earlier versions of one article, oldest first (the current one is the article)."""
    query = (
        select(ArticleVersion)
        .where(ArticleVersion.article_id == article_id)
        .order_by(ArticleVersion.version)
    )
    return [_version(row) for row in session.execute(query).scalars()]


def stored_sources(session: Session, keys: Sequence[str] | None = None) -> list[SourceRecord]:
    """Every stored source (or those of `keys`) by key: unknown keys are simply absent."""
    query = select(Source).order_by(Source.key)
    if keys is not None:
        query = query.where(Source.key.in_(keys))
    return [
        SourceRecord(row.key, row.name, row.homepage, row.language)
        for row in session.execute(query).scalars()
    ]


def _filtered(session: Session, filters: ArticleFilters) -> Select[ArticleRow]:
    query = select(ArticleRow).where(*_conditions(filters))
    if filters.query is not None:
        query = searched(query, session.get_bind().dialect.name, filters.query)
    return query


def _conditions(filters: ArticleFilters) -> list[ColumnElement[bool]]:
    conditions: list[ColumnElement[bool]] = []
    if filters.source is not None:
        conditions.append(ArticleRow.source == filters.source)
    if filters.language is not None:
        conditions.append(ArticleRow.language == filters.language)
    if filters.published_since is not None:
        conditions.append(ArticleRow.published_at >= filters.published_since)
    if filters.published_until is not None:
        conditions.append(ArticleRow.published_at < filters.published_until)
    if filters.updated_since is not None:
        conditions.append(ArticleRow.updated_at >= filters.updated_since)
    return conditions


def _stored_all(session: Session, rows: Sequence[ArticleRow]) -> list[StoredArticle]:
    """Records of `rows`, each copy with its original's URL and publisher (one query for all)."""
    linked = {row.original_article_id for row in rows} - {None}
    query = select(
        ArticleRow.id, ArticleRow.canonical_url, ArticleRow.site_name, ArticleRow.source
    ).where(ArticleRow.id.in_(linked))
    originals: dict[int | None, tuple[str, str]] = {}
    if linked:
        for article_id, url, site_name, source in session.execute(query):
            originals[article_id] = (url, site_name or source)
    return [_stored(row, originals.get(row.original_article_id)) for row in rows]


def _stored(row: ArticleRow, linked: tuple[str, str] | None) -> StoredArticle:
    article = article_from_row(row)
    linked_url, linked_publisher = linked or (None, None)
    return StoredArticle(
        id=row.id,
        article=article,
        version=row.version,
        original_article_id=row.original_article_id,
        first_seen_at=row.first_seen_at,
        updated_at=row.updated_at,
        original_url=article.attribution.original_url or linked_url,
        original_publisher=article.attribution.original_publisher or linked_publisher,
    )


def _version(row: ArticleVersion) -> VersionRecord:
    return VersionRecord(
        version=row.version,
        content_hash=row.content_hash,
        title=row.title,
        text=row.text,
        data=dict(row.data),
        valid_from=row.valid_from,
        superseded_at=row.superseded_at,
    )
