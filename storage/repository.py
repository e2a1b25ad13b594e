"""Repository functions: the only way articles and sources are written.

Every write is idempotent: the database's own `ON CONFLICT` decides whether a row exists,
so two processes storing the same article at once still leave one row.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from sqlalchemy import exc, or_, select, update
from sqlalchemy.orm import Session

from extractors.article import Article
from extractors.source_rules import SourceRules
from extractors.urls import InvalidURLError, canonical_url
from storage.convert import article_from_row, article_values, content_hash
from storage.dialect import insert
from storage.errors import StorageError, database_reason
from storage.models import ArticleRow, ArticleVersion, Source
from storage.pages import store_page, touch_page
from storage.prepared import ArticleDigest
from storage.records import UpsertResult
from storage.similarity import signature
from storage.syndication import (
    CanonicalTakenError,
    holder_of,
    index_bands,
    link_original,
    link_reclaimed,
    link_waiting_copies,
    own_key,
    reclaim,
    taken,
)

_SOURCES = "syndicate.sources"  # session.info key: the sources rows read in this session
_OVERWRITE_LOADED = {"populate_existing": True}  # the row as the database returned it

__all__ = [
    "CanonicalTakenError",
    "UpsertResult",
    "ensure_source",
    "get_article",
    "known_article_urls",
    "mark_not_modified",
    "store_page",
    "upsert_article",
]


def ensure_source(session: Session, rules: SourceRules) -> None:
    """Create or refresh the `sources` row from the source file's current values."""
    values = {
        "key": rules.key,
        "name": rules.name,
        "homepage": rules.homepage,
        "language": rules.language,
        "timezone": rules.timezone,
        "aliases": list(rules.aliases),
    }
    stmt = insert(session, Source).values(values)
    updates = {k: getattr(stmt.excluded, k) for k in values if k != "key"}
    session.execute(stmt.on_conflict_do_update(index_elements=[Source.key], set_=updates))


def upsert_article(
    session: Session,
    article: Article,
    *,
    seen_at: datetime,
    page_id: int | None = None,
    changed_at: datetime | None = None,
    digest: ArticleDigest | None = None,
) -> UpsertResult:
    """Store `article` under its canonical URL: new row, new version, or just `last_seen_at`.

    Runs in a SAVEPOINT: on any error nothing of this article is written and a
    StorageError naming the URL (and field) is raised; the session stays usable.
    `changed_at` (default `seen_at`) is when a content change is recorded as made.
    A fetch older than the current version (a backfill from an archive) never replaces
    it: it only moves `first_seen_at` back. `reextract` passes `changed_at` to replace anyway.
    `digest` is the article's content hash and MinHash computed already (extraction workers).
    """
    values = article_values(article)
    if _source(session, values["source"]) is None:
        raise StorageError(
            f"unknown source {values['source']!r} (ensure_source first)",
            url=article.url,
            field="source",
        )
    try:
        with session.begin_nested():
            return _upsert(
                session,
                values,
                seen_at=seen_at,
                page_id=page_id,
                changed_at=changed_at,
                known=digest,
            )
    except exc.DBAPIError as error:
        reason = database_reason(error)
        raise StorageError(f"database refused the article: {reason}", url=article.url) from error


def _upsert(
    session: Session,
    values: dict[str, Any],
    *,
    seen_at: datetime,
    page_id: int | None,
    changed_at: datetime | None,
    known: ArticleDigest | None,
) -> UpsertResult:
    claimed = values["canonical_url"]
    held = holder_of(session, claimed)  # one read of the key serves the three checks below
    squatter_id = reclaim(session, values, held)
    owner_id = own_key(session, values, None if squatter_id is not None else held)
    if values["canonical_url"] != claimed:  # own_key keyed it by its own URL
        held = holder_of(session, values["canonical_url"])
    elif squatter_id is not None:  # reclaim moved the row holding the key
        held = None
    if known is not None and known.canonical_url == values["canonical_url"]:
        digest = known.content_hash
    else:  # computed by nobody yet, or for a key own_key has just changed
        digest = content_hash(values)
    if held is not None and held.content_hash == digest:
        return _touch(session, held, seen_at)
    minhash = known.minhash if known is not None else signature(values["text"])
    state = {"content_hash": digest, "minhash": minhash, "page_id": page_id}
    new = {"first_seen_at": seen_at, "last_seen_at": seen_at, "updated_at": changed_at or seen_at}
    stmt = insert(session, ArticleRow).on_conflict_do_nothing(
        index_elements=[ArticleRow.canonical_url]
    )
    # Values as parameters (compiled once, not per page); the new row itself comes back,
    # ours alone: this transaction inserted it.
    row_values = [values | state | new | {"version": 1}]
    inserted = session.execute(
        stmt.returning(ArticleRow), row_values, execution_options=_OVERWRITE_LOADED
    )
    row = inserted.scalar_one_or_none()
    if row is not None:
        _relink(session, row, owner_id, fresh=True)
        link_waiting_copies(session, row)
        if squatter_id is not None:
            link_reclaimed(session, squatter_id, row)
        return UpsertResult("new", row.id, 1)
    row = _locked(session, values["canonical_url"])
    if row.source != values["source"]:  # another source inserted it between our checks
        raise taken(values, row.source)
    row.last_seen_at = max(row.last_seen_at, seen_at)
    row.first_seen_at = min(row.first_seen_at, seen_at)
    stale = changed_at is None and seen_at < row.updated_at
    if row.content_hash == digest or stale:
        return UpsertResult("unchanged", row.id, row.version)
    changed_at = changed_at or seen_at
    _archive(session, row, changed_at)
    for name, value in (values | state).items():
        setattr(row, name, value)
    row.version += 1
    row.updated_at = changed_at
    _relink(session, row, owner_id)
    return UpsertResult("updated", row.id, row.version)


def _source(session: Session, key: str) -> Source | None:
    """The source's row, read once per session: the identity map keeps only objects someone
    references, so `session.get` alone would read it again for every page of a batch."""
    source = session.get(Source, key)
    if source is not None:
        session.info.setdefault(_SOURCES, {})[key] = source
    return source


def _touch(session: Session, found: Any, seen_at: datetime) -> UpsertResult:
    """Fast path for recrawls: same content stored already -> only `last_seen_at` moves."""
    if found.last_seen_at < seen_at:
        touch = update(ArticleRow).where(
            ArticleRow.id == found.id, ArticleRow.last_seen_at < seen_at
        )
        session.execute(touch.values(last_seen_at=seen_at))
    if found.first_seen_at > seen_at:
        touch = update(ArticleRow).where(
            ArticleRow.id == found.id, ArticleRow.first_seen_at > seen_at
        )
        session.execute(touch.values(first_seen_at=seen_at))
    return UpsertResult("unchanged", found.id, found.version)


def _locked(session: Session, canonical: str) -> ArticleRow:
    """The row, locked against concurrent writers (PostgreSQL; SQLite locks at BEGIN IMMEDIATE)."""
    query = select(ArticleRow).where(ArticleRow.canonical_url == canonical).with_for_update()
    return session.execute(query.execution_options(populate_existing=True)).scalar_one()


def _relink(
    session: Session, row: ArticleRow, owner_id: int | None, *, fresh: bool = False
) -> None:
    session.flush()
    index_bands(session, row, fresh=fresh)
    link_original(session, row, claimed=owner_id)
    session.flush()


def _archive(session: Session, row: ArticleRow, superseded_at: datetime) -> None:
    """Keep the content being replaced as an `article_versions` row."""
    old = article_from_row(row)
    session.add(
        ArticleVersion(
            article_id=row.id,
            version=row.version,
            content_hash=row.content_hash,
            title=row.title,
            text=row.text,
            data=old.to_dict(),
            valid_from=row.updated_at,
            superseded_at=superseded_at,
        )
    )


def mark_not_modified(session: Session, url: str, seen_at: datetime) -> bool:
    """A 304 for `url`: its stored page and article were current at `seen_at`.

    Moves the page's `fetched_at` and the article's `last_seen_at` forward (never back), so
    a feed dating the article before `seen_at` no longer makes the next crawl fetch it again.
    False when no page of `url` is stored.
    """
    page = touch_page(session, url, seen_at)
    if page is None:
        return False
    urls = {url, page.final_url}
    found = or_(
        ArticleRow.page_id == page.id,
        ArticleRow.url.in_(urls),
        ArticleRow.canonical_url.in_(_canonical(urls)),
    )
    stmt = update(ArticleRow).where(found, ArticleRow.last_seen_at < seen_at)
    session.execute(stmt.values(last_seen_at=seen_at))
    return True


def _canonical(urls: set[str]) -> list[str]:
    """Canonical forms of the URLs that have one."""
    forms = []
    for url in sorted(urls):
        try:
            forms.append(canonical_url(url))
        except InvalidURLError:
            continue
    return forms


def known_article_urls(session: Session, source_key: str) -> dict[str, datetime]:
    """Fetched URL and canonical URL of each stored article of the source -> `last_seen_at`.

    Spiders use it to skip (or refresh) articles already stored.
    """
    query = select(ArticleRow.url, ArticleRow.canonical_url, ArticleRow.last_seen_at).where(
        ArticleRow.source == source_key
    )
    known: dict[str, datetime] = {}
    for url, canonical, last_seen in session.execute(query):
        known[url] = last_seen
        known[canonical] = last_seen
    return known


def get_article(session: Session, url: str) -> Article | None:
    """The stored article whose canonical URL `url` normalises to, if any."""
    query = select(ArticleRow).where(ArticleRow.canonical_url == canonical_url(url))
    row = session.execute(query).scalar_one_or_none()
    return article_from_row(row) if row is not None else None


def articles_of_source(session: Session, source_key: str) -> list[Article]:
    """Every stored article of one source, in the order they were first stored."""
    query = select(ArticleRow).where(ArticleRow.source == source_key).order_by(ArticleRow.id)
    return [article_from_row(row) for row in session.execute(query).scalars()]
