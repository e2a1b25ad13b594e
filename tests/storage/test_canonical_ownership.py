"""Canonical ownership: only an article's own source updates it; a page of another source that
claims its canonical URL is stored as its own article linked as a copy, or refused."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import Engine, func, select

from extractors.article import Article, Attribution
from pipelines.processing import process_page
from storage.database import session_scope
from storage.models import ArticleRow
from storage.records import FetchedPage, UpsertResult
from storage.repository import CanonicalTakenError, upsert_article
from tests.support.pagegen import elcomercio_page, paragraphs, url_of
from tests.support.sources import ELCOMERCIO, GLOBALHAPPENINGS, T0

OWNER_URL = url_of("budget-noticia")
COPY_URL = "https://globalhappenings.example/world/budget/"
BODY = "\n\n".join(paragraphs(3))
OWNER = Article(
    url=OWNER_URL,
    canonical_url=OWNER_URL,
    source="elcomercio",
    title="Congreso aprueba el presupuesto",
    text=BODY,
    published_at="2026-10-31T20:15:00-05:00",
)


def claimer(n: int) -> Article:
    """A page of another source declaring the owner's canonical URL (nothing else says so)."""
    return replace(
        OWNER,
        url=COPY_URL,
        source="globalhappenings",
        title=f"Budget passes ({n})",
        text=BODY + f"\n\nShared by Global Happenings, edit {n}.",
        attribution=Attribution(publisher="Global Happenings"),
    )


def put(engine: Engine, article: Article, hours: int) -> UpsertResult:
    with session_scope(engine) as session:
        return upsert_article(session, article, seen_at=T0 + timedelta(hours=hours))


def rows(engine: Engine) -> dict[str, tuple[object, ...]]:
    with session_scope(engine) as session:
        found = session.execute(select(ArticleRow)).scalars()
        return {
            r.source: (r.id, r.canonical_url, r.title, r.text, r.version, r.original_article_id)
            for r in found
        }


def test_alternating_sources_never_flip_the_owner(engine: Engine) -> None:
    owner = put(engine, OWNER, 0)
    for n in range(1, 5):
        put(engine, claimer(n % 2), n)  # two different foreign pages, alternately
        put(engine, OWNER, n)
    stored = rows(engine)
    assert stored["elcomercio"] == (owner.article_id, OWNER_URL, OWNER.title, BODY, 1, None)
    _, copy_canonical, _, _, _, original = stored["globalhappenings"]
    assert (copy_canonical, original) == (COPY_URL, owner.article_id)
    assert len(stored) == 2
    corrected = replace(OWNER, text=BODY + "\n\nFe de erratas.")
    update = put(engine, corrected, 9)
    assert (update.outcome, update.version) == ("updated", 2)
    assert rows(engine)["elcomercio"][4] == 2


def test_restoring_the_same_foreign_page_is_idempotent(engine: Engine) -> None:
    put(engine, OWNER, 0)
    first = put(engine, claimer(1), 1)
    again = put(engine, claimer(1), 2)
    assert (first.outcome, again.outcome) == ("new", "unchanged")
    assert first.article_id == again.article_id
    with session_scope(engine) as session:
        assert session.execute(select(func.count()).select_from(ArticleRow)).scalar_one() == 2


def test_a_foreign_page_at_the_owners_own_url_is_refused(engine: Engine) -> None:
    put(engine, OWNER, 0)
    squatter = replace(claimer(1), url=OWNER_URL)
    with session_scope(engine) as session, pytest.raises(CanonicalTakenError) as refused:
        upsert_article(session, squatter, seen_at=T0 + timedelta(hours=1))
    assert "source 'elcomercio'" in str(refused.value)
    assert rows(engine)["elcomercio"][2:5] == (OWNER.title, BODY, 1)


def test_processing_counts_the_refusal_as_dropped(engine: Engine) -> None:
    body = elcomercio_page("budget-noticia", OWNER.title or "", paragraphs(3))
    page = FetchedPage(OWNER_URL, OWNER_URL, 200, {"Content-Type": "text/html"}, body, T0)
    with session_scope(engine) as session:
        owner = process_page(session, page, ELCOMERCIO, None)
        foreign = process_page(session, page, GLOBALHAPPENINGS, None)
    assert owner.outcome == "new"
    assert foreign.outcome == "dropped"
    assert (
        foreign.reason is not None and "already an article of source 'elcomercio'" in foreign.reason
    )
    assert set(rows(engine)) == {"elcomercio"}


def test_a_declared_copy_stored_first_does_not_take_the_originals_url(engine: Engine) -> None:
    """A cross-site canonical names the original: the copy never holds the original's key."""
    declared = replace(
        claimer(1),
        attribution=Attribution(
            publisher="Global Happenings", original_url=OWNER_URL, original_source="elcomercio"
        ),
    )
    copy = put(engine, declared, 0)
    owner = put(engine, OWNER, 1)
    assert owner.outcome == "new"
    stored = rows(engine)
    assert stored["elcomercio"][1:5] == (OWNER_URL, OWNER.title, BODY, 1)
    assert stored["globalhappenings"][1] == COPY_URL
    assert stored["globalhappenings"][5] == owner.article_id
    assert put(engine, declared, 2) == replace(copy, outcome="unchanged")
