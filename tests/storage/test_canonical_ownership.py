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


def test_the_page_at_the_canonical_url_reclaims_it_from_an_earlier_foreign_page(
    engine: Engine,
) -> None:
    """A foreign page that got the key first (its credit link pointed elsewhere, so nothing
    said whose canonical it was) moves to its own URL when the page at that URL arrives."""
    credited_elsewhere = replace(
        claimer(1),
        attribution=Attribution(
            publisher="Global Happenings", original_url="https://elcomercio.pe/otra-nota/"
        ),
    )
    early = put(engine, credited_elsewhere, 0)
    assert rows(engine)["globalhappenings"][1] == OWNER_URL  # held the owner's key for now
    owner = put(engine, OWNER, 1)
    assert owner.outcome == "new"
    stored = rows(engine)
    assert stored["elcomercio"] == (owner.article_id, OWNER_URL, OWNER.title, BODY, 1, None)
    assert stored["globalhappenings"][:2] == (early.article_id, COPY_URL)
    assert stored["globalhappenings"][5] == owner.article_id
    # Both pages again: each updates nothing and keeps its own key.
    assert put(engine, credited_elsewhere, 2).outcome == "unchanged"
    assert put(engine, OWNER, 3) == replace(owner, outcome="unchanged")
    assert len(rows(engine)) == 2


def test_a_squatter_whose_own_url_is_taken_keeps_the_key(engine: Engine) -> None:
    """When the earlier page's own URL is another article's key, it cannot move: the page at
    the canonical URL is refused as before, and nothing is overwritten."""
    own_page = replace(claimer(2), canonical_url=COPY_URL)
    put(engine, own_page, 0)  # the aggregator's own article under COPY_URL
    put(engine, claimer(1), 1)  # another of its pages, keyed by the owner's canonical
    with session_scope(engine) as session, pytest.raises(CanonicalTakenError):
        upsert_article(session, OWNER, seen_at=T0 + timedelta(hours=2))
    keys = {r[1] for r in rows_all(engine)}
    assert keys == {COPY_URL, OWNER_URL}


def rows_all(engine: Engine) -> list[tuple[object, ...]]:
    with session_scope(engine) as session:
        found = session.execute(select(ArticleRow.source, ArticleRow.canonical_url)).all()
        return [tuple(r) for r in found]
