"""The ONE extract -> validate -> store path, shared by `syndicate ingest`, `reextract` and crawls.

A bad page never raises: it comes back as "failed" (or "dropped") with a reason, and
nothing of it is half-written (the page and the article each go in their own SAVEPOINT).
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime
from time import perf_counter

from sqlalchemy import exc
from sqlalchemy.orm import Session

from extractors.article import Article
from extractors.errors import ExtractionError
from extractors.extract import extract
from extractors.source_rules import PublisherRegistry, SourceRules
from extractors.validate import rejection_reason
from storage.errors import StorageError, database_reason
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


def process_page(
    session: Session, page: FetchedPage, rules: SourceRules, registry: PublisherRegistry | None
) -> PageOutcome:
    """Store the raw page, then extract, validate and upsert its article (seen at fetch time)."""
    if page.status >= 400:
        return PageOutcome("failed", f"HTTP {page.status}", None)
    started = perf_counter()
    try:
        with session.begin_nested():
            page_id = store_page(session, rules.key, page)
    except StorageError as error:
        return PageOutcome("failed", f"cannot store page: {error}", None)
    except exc.DBAPIError as error:
        return PageOutcome("failed", f"cannot store page: {database_reason(error)}", None)
    page_seconds = perf_counter() - started
    outcome = process_stored(session, page, page_id, rules, registry, seen_at=page.fetched_at)
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
    started = perf_counter()
    article_or_reason = _extract(page, rules, registry)
    extracted = perf_counter()
    if isinstance(article_or_reason, str):
        return PageOutcome("failed", article_or_reason, None, extracted - started)
    article = article_or_reason
    if reason := rejection_reason(article):
        return PageOutcome("dropped", reason, None, extracted - started)
    try:
        result = upsert_article(
            session, article, seen_at=seen_at, page_id=page_id, changed_at=changed_at
        )
    except CanonicalTakenError as error:  # another source's article: refused, not broken
        return PageOutcome("dropped", error.reason, None, extracted - started)
    except StorageError as error:
        return PageOutcome("failed", error.reason, None, extracted - started)
    stored = perf_counter()
    return PageOutcome(
        result.outcome, None, result.article_id, extracted - started, stored - extracted
    )


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
