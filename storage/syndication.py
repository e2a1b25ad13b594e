"""Linking syndicated copies to their originals (`articles.original_article_id`).

Rules, in order (docs/schema.md explains them to downstream readers):
1. The copy's `attribution.original_url` is a stored article's canonical URL: that article.
2. The copy's `attribution.original_source` names another source: among that source's
   articles published within ORIGINAL_WINDOW of the copy, the one whose title (character
   trigrams; names survive translation) or text (MinHash) is most similar, if at least
   TITLE_FLOOR / NEAR_DUPLICATE similar. Translated copies share little text but their
   titles share names, so both signals count. When the original arrives after its copy,
   the waiting copies are linked then (`link_waiting_copies`).
3. Otherwise a stored article whose text is a near duplicate (MinHash over 5-word shingles,
   LSH buckets in `article_bands`): the earliest published of them is the original.
A page claiming the canonical URL of another source's article is stored under its own URL
(`own_key`) and linked to that article: sources never take over each other's articles.
A foreign page that got there first (nothing said the canonical was someone else's) holds
the key only until the page at that very URL arrives: it then moves to its own URL and
becomes a copy of the true owner (`reclaim`).
Copies are never merged into, nor deduplicated against, their original: both rows stay.
"""

from __future__ import annotations

from datetime import datetime, timedelta
from typing import Any, cast

from sqlalchemy import Select, Table, delete, func, insert, select, update
from sqlalchemy.orm import Session

from extractors.urls import InvalidURLError, canonical_url
from storage.convert import article_from_row, article_values, content_hash
from storage.errors import StorageError
from storage.models import ArticleBand, ArticleRow
from storage.similarity import NEAR_DUPLICATE, bands, similarity, title_similarity

ORIGINAL_WINDOW = (timedelta(days=7), timedelta(days=1))  # original published up to 7d before
TITLE_FLOOR = 0.15  # translated titles of one story score ~0.25, unrelated ones under 0.05
MAX_CANDIDATES = 500
_BANDS = cast(Table, ArticleBand.__table__)


class CanonicalTakenError(StorageError):
    """The page's URL is another source's article: a copy may link to it, never replace it."""


def own_key(session: Session, values: dict[str, Any], owner: Any) -> int | None:
    """Key a page that claims another source's canonical URL by its own URL instead.

    Only the owner's source may update an article (docs/schema.md, "Canonical ownership"),
    so two sources claiming one canonical never flip it. A cross-site canonical the page
    declares as its original (`attribution.original_url`) is the original's, even before it
    is stored. `owner` is the article holding the claimed key now (`holder_of`), or None.
    Returns the owner's id, to link the copy to; refuses when no key is left.
    """
    claimed, source = values["canonical_url"], values["source"]
    if owner is not None and owner.source == source:
        return None
    own = _canonical_or(values["url"], claimed)
    if owner is None and not (own != claimed and _declares(values, claimed)):
        return None
    if own == claimed and owner is not None:
        raise taken(values, owner.source)
    holder = _holder(session, own)
    if holder is not None and holder.source != source:
        raise taken(values, holder.source)
    values["canonical_url"] = own
    return owner.id if owner is not None else None


def reclaim(session: Session, values: dict[str, Any], holder: Any) -> int | None:
    """Give the canonical key back to the page that lives at it; returns the squatter's id.

    A foreign page whose cross-site canonical named no stored article, and whose credit link
    (if any) pointed elsewhere, was keyed by that canonical. When the page at that very URL
    arrives from another source, the earlier row moves to its own URL (if free) and is linked
    as a copy of the new one, instead of refusing the true owner. `holder` is the article
    holding the claimed key now (`holder_of`), or None.
    """
    claimed, source = values["canonical_url"], values["source"]
    if _canonical_or(values["url"], "") != claimed:
        return None  # the newcomer is not the page at the claimed URL
    if holder is None or holder.source == source:
        return None
    own = _canonical_or(holder.url, claimed)
    if own == claimed or _holder(session, own) is not None:
        return None  # it lives at that URL itself, or has nowhere to go: refused as before
    moved = session.get(ArticleRow, holder.id)
    assert moved is not None  # just read
    moved.canonical_url = own
    # The key is part of the content hash: rehash, or the same page would count as updated.
    moved.content_hash = content_hash(article_values(article_from_row(moved)))
    session.flush()
    return int(holder.id)


def link_reclaimed(session: Session, squatter_id: int, owner: ArticleRow) -> None:
    """Make the article now holding the key the original of the row `reclaim` moved, and
    of every copy that was linked to that row (its text may have matched it first)."""
    copy = session.get(ArticleRow, squatter_id)
    if copy is None:
        return
    if owner.original_article_id == squatter_id:
        owner.original_article_id = None
        session.flush()  # before _adopt's UPDATE, or it would link the owner to itself
    if owner.original_article_id is None:
        _adopt(session, copy, owner)
    else:
        copy.original_article_id = _root(session, owner, copy)


def holder_of(session: Session, canonical: str) -> Any:
    """The article stored under `canonical`, if any: what storing one more page under that
    key checks (who holds it, its content hash, when it was seen), in one read."""
    query = select(
        ArticleRow.id,
        ArticleRow.source,
        ArticleRow.url,
        ArticleRow.content_hash,
        ArticleRow.version,
        ArticleRow.first_seen_at,
        ArticleRow.last_seen_at,
    ).where(ArticleRow.canonical_url == canonical)
    return session.execute(query).first()


def _holder(session: Session, canonical: str) -> Any:
    """(id, source) of the article stored under `canonical`, if any."""
    query = select(ArticleRow.id, ArticleRow.source).where(ArticleRow.canonical_url == canonical)
    return session.execute(query).first()


def _declares(values: dict[str, Any], canonical: str) -> bool:
    """The page names `canonical` as its original (the extractor's cross-site canonical)."""
    original = (values.get("attribution") or {}).get("original_url")
    return isinstance(original, str) and _canonical_or(original, "") == canonical


def _canonical_or(url: str, default: str) -> str:
    try:
        return canonical_url(url)
    except InvalidURLError:
        return default


def taken(values: dict[str, Any], owner: str) -> CanonicalTakenError:
    # No URL in the reason: runs count failures by reason, one line per kind, not per page.
    reason = f"already an article of source {owner!r}; a copy cannot replace it"
    return CanonicalTakenError(reason, url=values["url"], field="canonical_url")


def reference_time(row: ArticleRow) -> datetime:
    """When the article appeared: its published date, else when we first saw it."""
    return row.published_at or row.first_seen_at


def index_bands(session: Session, row: ArticleRow, *, fresh: bool = False) -> None:
    """Replace the article's LSH buckets so later articles find it as a candidate. A `fresh`
    row (inserted just now) has none to delete: its id is new, and an article's buckets go
    with it (ON DELETE CASCADE)."""
    if not fresh:
        session.execute(delete(ArticleBand).where(ArticleBand.article_id == row.id))
    if row.minhash is not None:
        rows = [{"article_id": row.id, "band": b, "bucket": h} for b, h in bands(row.minhash)]
        session.execute(insert(_BANDS), rows)  # Core: no ORM work per row


def link_original(session: Session, row: ArticleRow, *, claimed: int | None = None) -> None:
    """Set (or clear) the row's original: the article whose canonical URL the page claimed,
    else from its attribution, else from near-duplicate text."""
    original = session.get(ArticleRow, claimed) if claimed is not None else None
    original = original or by_attribution(session, row)
    if original is None:
        original = _by_text(session, row)
    row.original_article_id = _root(session, original, row)


def _root(session: Session, original: ArticleRow | None, row: ArticleRow) -> int | None:
    """Link to the first publisher, not to another copy; never to itself, never in a cycle."""
    if original is None or original.original_article_id == row.id:
        return None  # the candidate is already a copy of this row
    if original.original_article_id is not None:
        original = session.get(ArticleRow, original.original_article_id)
    if original is None or original.id == row.id:
        return None
    return original.id


def by_attribution(session: Session, row: ArticleRow) -> ArticleRow | None:
    """The original the row's attribution points at (rules 1 and 2), if it is stored."""
    original_url = (row.attribution or {}).get("original_url")
    if original_url:
        try:
            target = canonical_url(original_url)
        except InvalidURLError:
            target = None
        found = session.execute(
            select(ArticleRow).where(ArticleRow.canonical_url == target, ArticleRow.id != row.id)
        ).scalar_one_or_none()
        if found is not None:
            return found
    if not row.original_source or row.original_source == row.source:
        return None
    return _best_of_source(session, row, row.original_source)


def _nearest(session: Session, query: Select[ArticleRow], when: datetime) -> list[ArticleRow]:
    """The MAX_CANDIDATES rows of `query` that appeared closest to `when` (ties: lowest id).

    A LIMIT without ORDER BY lets each database pick any rows, so SQLite and PostgreSQL
    would score different candidates. Two indexed queries (after, before) keep it portable:
    no date arithmetic in SQL.
    """
    appeared = func.coalesce(ArticleRow.published_at, ArticleRow.first_seen_at)
    after = query.where(appeared >= when).order_by(appeared, ArticleRow.id)
    before = query.where(appeared < when).order_by(appeared.desc(), ArticleRow.id)
    rows = [
        *session.execute(after.limit(MAX_CANDIDATES)).scalars(),
        *session.execute(before.limit(MAX_CANDIDATES)).scalars(),
    ]
    rows.sort(key=lambda r: (abs((reference_time(r) - when).total_seconds()), r.id))
    return rows[:MAX_CANDIDATES]


def _best_of_source(session: Session, row: ArticleRow, source: str) -> ArticleRow | None:
    when = reference_time(row)
    published = func.coalesce(ArticleRow.published_at, ArticleRow.first_seen_at)
    query = (
        select(ArticleRow)
        .where(ArticleRow.source == source, ArticleRow.id != row.id)
        .where(published >= when - ORIGINAL_WINDOW[0], published <= when + ORIGINAL_WINDOW[1])
    )
    scored = [(_match_score(row, c), c) for c in _nearest(session, query, when)]
    scored = [(s, c) for s, c in scored if s > 0]
    if not scored:
        return None
    return max(
        scored, key=lambda sc: (sc[0], -abs((reference_time(sc[1]) - when).total_seconds()))
    )[1]


def _match_score(copy: ArticleRow, candidate: ArticleRow) -> float:
    """Title or text similarity, 0 when neither reaches its floor."""
    title = title_similarity(copy.title or "", candidate.title or "")
    text = 0.0
    if copy.minhash is not None and candidate.minhash is not None:
        text = similarity(copy.minhash, candidate.minhash)
    if title < TITLE_FLOOR and text < NEAR_DUPLICATE:
        return 0.0
    return max(title, text)


def _by_text(session: Session, row: ArticleRow) -> ArticleRow | None:
    """Earliest-published stored near duplicate of the row's text (rule 3)."""
    if row.minhash is None:
        return None
    signature = row.minhash
    wanted = set(bands(signature))
    query = select(ArticleBand.article_id, ArticleBand.band, ArticleBand.bucket).where(
        ArticleBand.bucket.in_([bucket for _, bucket in wanted]), ArticleBand.article_id != row.id
    )
    ids = {i for i, band, bucket in session.execute(query) if (band, bucket) in wanted}
    if not ids:
        return None
    candidates = select(ArticleRow).where(ArticleRow.id.in_(sorted(ids)[:MAX_CANDIDATES]))
    matches = [
        c
        for c in session.execute(candidates).scalars()
        if c.minhash is not None and similarity(signature, c.minhash) >= NEAR_DUPLICATE
    ]
    if not matches:
        return None
    earliest = min(matches, key=lambda c: (reference_time(c), c.id))
    if reference_time(earliest) <= reference_time(row):
        return earliest
    _adopt(session, earliest, row)  # the row is older than every stored copy: it is the original
    return None


def _adopt(session: Session, former_original: ArticleRow, row: ArticleRow) -> None:
    """Make `row` the original of a cluster whose earliest member appeared after it."""
    session.execute(
        update(ArticleRow)
        .where(ArticleRow.original_article_id == former_original.id)
        .values(original_article_id=row.id)
    )
    former_original.original_article_id = row.id


def link_waiting_copies(session: Session, row: ArticleRow) -> None:
    """Link stored copies that credit the row's source but arrived before their original."""
    query = (
        select(ArticleRow)
        .where(ArticleRow.original_source == row.source, ArticleRow.original_article_id.is_(None))
        .where(ArticleRow.source != row.source)
    )
    if not session.execute(select(query.exists())).scalar():
        return  # the usual case: one indexed read instead of _nearest's two
    for copy in _nearest(session, query, reference_time(row)):
        original = by_attribution(session, copy)
        if original is not None and original.id == row.id:
            copy.original_article_id = row.id
