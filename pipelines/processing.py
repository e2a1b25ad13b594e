"""The ONE extract -> validate -> store path, shared by `syndicate ingest`, `reextract` and crawls.

It has two steps so extraction can run on every core: `extract_step` (pure and picklable:
page bytes in, an article or the reason there is none out) runs in worker processes, and
`store_step` / `store_extracted` write in the main process. `process_page` runs both.
A bad page never raises: it comes back as "failed" (or "dropped") with a reason, and
nothing of it is half-written (the page and the article each go in their own SAVEPOINT).
"""

from __future__ import annotations

from dataclasses import dataclass, replace
from datetime import datetime
from time import perf_counter
from typing import Literal

from sqlalchemy import exc
from sqlalchemy.orm import Session

from extractors.article import Article
from extractors.errors import ExtractionError
from extractors.extraction import extract
from extractors.source_rules import PublisherRegistry, SourceRules
from extractors.validate import rejection_reason
from storage.errors import StorageError, database_reason
from storage.prepared import ArticleDigest, StoredBody, article_digest, stored_body
from storage.records import FetchedPage, Outcome
from storage.repository import CanonicalTakenError, store_page, upsert_article


@dataclass(slots=True)
class PageOutcome:
    """What became of one page; the timings let benchmarks separate extraction from storage."""

    outcome: Outcome
    reason: str | None
    article_id: int | None
    extract_seconds: float = 0.0
    store_seconds: float = 0.0


@dataclass(frozen=True, slots=True)
class Extracted:
    """What the extract step made of one page: an article to store, or why there is none
    ("failed": not extractable, "dropped": not an article). Crosses process boundaries.
    `body` and `digest` are storing's CPU work done already (None: storing does it)."""

    article: Article | None
    kind: Literal["article", "dropped", "failed"]
    reason: str | None = None
    seconds: float = 0.0
    body: StoredBody | None = None
    digest: ArticleDigest | None = None


def extract_step(
    page: FetchedPage, rules: SourceRules, registry: PublisherRegistry | None
) -> Extracted:
    """Extract and validate one page, and compute what storing it needs from its bytes (the
    body's hash and gzip, the article's hash and MinHash), so the one process that stores
    does not: no database, no shared state, safe in any process."""
    started = perf_counter()
    extracted = extract_article_step(page, rules, registry)
    if extracted.kind == "failed":  # its page is not kept
        return extracted
    body = stored_body(page.body)
    return replace(extracted, body=body, seconds=perf_counter() - started)


def extract_article_step(
    page: FetchedPage, rules: SourceRules, registry: PublisherRegistry | None
) -> Extracted:
    """`extract_step` for a page that is stored already (`reextract`): its body is not kept
    again, so it is neither hashed nor compressed."""
    if page.status >= 400:
        return Extracted(None, "failed", f"HTTP {page.status}")
    started = perf_counter()
    article_or_reason = _extract(page, rules, registry)
    if isinstance(article_or_reason, str):
        return Extracted(None, "failed", article_or_reason, perf_counter() - started)
    if reason := rejection_reason(article_or_reason):
        return Extracted(None, "dropped", reason, perf_counter() - started)
    digest = article_digest(article_or_reason)
    return Extracted(article_or_reason, "article", None, perf_counter() - started, None, digest)


def process_page(
    session: Session, page: FetchedPage, rules: SourceRules, registry: PublisherRegistry | None
) -> PageOutcome:
    """Store the raw page, then extract, validate and upsert its article (seen at fetch time)."""
    return store_step(session, rules.key, page, extract_step(page, rules, registry))


def store_step(
    session: Session, source_key: str, page: FetchedPage, extracted: Extracted
) -> PageOutcome:
    """Store the raw page, then its article. A failed page is not kept (not extractable, or
    its article could not be stored): binaries and oversized bodies do not pile up, and the
    next crawl tries the URL again (a URL with a kept page counts as seen: incremental.py)."""
    if page.status >= 400:
        return PageOutcome("failed", f"HTTP {page.status}", None)
    if extracted.kind == "failed":
        return PageOutcome("failed", extracted.reason, None, extracted.seconds)
    started = perf_counter()
    kept = session.begin_nested()  # the page and its article stand or fall together
    try:  # no SAVEPOINT of its own: a page that cannot be stored rolls `kept` back anyway
        page_id = store_page(session, source_key, page, extracted.body)
    except StorageError as error:
        kept.rollback()
        return PageOutcome("failed", f"cannot store page: {error}", None, extracted.seconds)
    except exc.DBAPIError as error:
        kept.rollback()
        reason = f"cannot store page: {database_reason(error)}"
        return PageOutcome("failed", reason, None, extracted.seconds)
    page_seconds = perf_counter() - started
    outcome = store_extracted(session, extracted, page_id, seen_at=page.fetched_at)
    if outcome.outcome == "failed":
        kept.rollback()
    else:
        kept.commit()
    outcome.store_seconds += page_seconds
    return outcome


def process_stored(
    session: Session,
    page: FetchedPage,
    page_id: int | None,
    rules: SourceRules,
    registry: PublisherRegistry | None,
    *,
    seen_at: datetime,
    changed_at: datetime | None = None,
) -> PageOutcome:
    """Extract, validate and upsert a page that is already stored (also `syndicate reextract`)."""
    extracted = extract_article_step(page, rules, registry)
    return store_extracted(session, extracted, page_id, seen_at=seen_at, changed_at=changed_at)


def store_extracted(
    session: Session,
    extracted: Extracted,
    page_id: int | None,
    *,
    seen_at: datetime,
    changed_at: datetime | None = None,
) -> PageOutcome:
    """Upsert the extract step's article; its failure or drop becomes the page's outcome."""
    if extracted.article is None:
        outcome: Outcome = "dropped" if extracted.kind == "dropped" else "failed"
        return PageOutcome(outcome, extracted.reason, None, extracted.seconds)
    started = perf_counter()
    try:
        result = upsert_article(
            session,
            extracted.article,
            seen_at=seen_at,
            page_id=page_id,
            changed_at=changed_at,
            digest=extracted.digest,
        )
    except CanonicalTakenError as error:  # another source's article: refused, not broken
        return PageOutcome("dropped", error.reason, None, extracted.seconds)
    except StorageError as error:
        return PageOutcome("failed", error.reason, None, extracted.seconds)
    stored = perf_counter() - started
    return PageOutcome(result.outcome, None, result.article_id, extracted.seconds, stored)


def _extract(
    page: FetchedPage, rules: SourceRules, registry: PublisherRegistry | None
) -> Article | str:
    """The article, or the reason it could not be extracted."""
    content_type = next((v for k, v in page.headers.items() if k.lower() == "content-type"), None)
    try:
        article = extract(
            page.body,
            page.final_url,
            rules=rules,
            registry=registry,
            fetched_at=page.fetched_at,
            content_type=content_type,
        )
    except ExtractionError as error:
        return error.reason
    except Exception as error:  # an extractor bug on one page must not end a crawl or backfill
        return f"extractor error: {type(error).__name__}: {error}"
    return article
