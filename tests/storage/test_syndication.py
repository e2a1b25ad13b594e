"""Syndicated copies are linked to their original: by credit line, or by near-duplicate text."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import Engine, select, text

from extractors.article import Article, Attribution
from extractors.source_rules import PublisherRegistry
from storage.database import session_scope
from storage.models import ArticleRow
from storage.repository import upsert_article
from tests.support.pagegen import paragraphs, url_of
from tests.support.sources import T0
from tests.support.stored_articles import (
    store,
)


def original_of(engine: Engine, article_id: int) -> int | None:
    with session_scope(engine) as session:
        row = session.get(ArticleRow, article_id)
        assert row is not None
        return row.original_article_id


@pytest.mark.parametrize(
    "order", [("fujimori", "original", "seed"), ("seed", "fujimori", "original")]
)
def test_seed_copy_links_to_el_comercio_original(
    engine: Engine, registry: PublisherRegistry, order: tuple[str, ...]
) -> None:
    """Whichever arrives first, the aggregator's translation points at El Comercio's story."""
    ids = {name: store(engine, registry, name) for name in order}
    assert original_of(engine, ids["seed"]) == ids["original"]
    assert original_of(engine, ids["original"]) is None
    assert original_of(engine, ids["fujimori"]) is None
    with engine.connect() as conn:
        links = conn.execute(text("SELECT copy_id, original_id FROM syndicated_copies")).all()
        assert [tuple(link) for link in links] == [(ids["seed"], ids["original"])]
        count = conn.execute(text("SELECT count(*) FROM public_articles")).scalar_one()
    assert count == 3  # linked, not merged


def test_credit_without_a_matching_story_links_nothing(
    engine: Engine, registry: PublisherRegistry
) -> None:
    """El Comercio's unrelated (months older) story is not taken for the seed's original."""
    store(engine, registry, "fujimori")
    seed = store(engine, registry, "seed")
    assert original_of(engine, seed) is None
    with session_scope(engine) as session:
        row = session.get(ArticleRow, seed)
        assert row is not None
        assert row.original_source == "elcomercio"  # the credit is kept for when it arrives


def test_uncredited_near_duplicate_links_to_the_earliest(engine: Engine) -> None:
    body = "\n\n".join(paragraphs(5))
    first = Article(
        url=url_of("a-noticia"),
        canonical_url=url_of("a-noticia"),
        source="elcomercio",
        title="Original",
        text=body,
        published_at="2026-10-01T08:00:00+00:00",
    )
    copy = Article(
        url="https://globalhappenings.example/copied/",
        canonical_url="",
        source="globalhappenings",
        title="Copied",
        published_at="2026-10-01T18:00:00+00:00",
        text=body.replace("congreso", "Congreso") + "\n\nShare this article.",
        attribution=Attribution(publisher="Global Happenings"),
    )
    unrelated = Article(
        url="https://globalhappenings.example/other/",
        canonical_url="",
        source="globalhappenings",
        title="Other",
        text="\n\n".join(paragraphs(6)),
    )
    with session_scope(engine) as session:
        ids = [
            upsert_article(session, a, seen_at=T0 + timedelta(hours=n)).article_id
            for n, a in enumerate([copy, first, unrelated])
        ]
    # The copy was stored first, but the original was published earlier: the copy points at it.
    assert [original_of(engine, i) for i in ids] == [ids[1], None, None]
    with session_scope(engine) as session:
        rows = session.execute(select(ArticleRow.id)).scalars().all()
    assert len(rows) == 3


def test_updating_an_original_never_links_it_to_its_copy(engine: Engine) -> None:
    body = "\n\n".join(paragraphs(11))
    original = Article(
        url=url_of("b-noticia"),
        canonical_url=url_of("b-noticia"),
        source="elcomercio",
        title="Original",
        text=body,
        published_at="2026-10-01T08:00:00+00:00",
    )
    copy = replace(
        original,
        url="https://globalhappenings.example/b/",
        canonical_url="",
        source="globalhappenings",
        published_at="2026-10-01T09:00:00+00:00",
    )
    with session_scope(engine) as session:
        first = upsert_article(session, original, seen_at=T0).article_id
        second = upsert_article(session, copy, seen_at=T0).article_id
        # The original is corrected, and is now dated after its copy.
        later = replace(
            original, text=body + "\n\nFe de erratas.", published_at="2026-10-01T10:00:00+00:00"
        )
        assert upsert_article(session, later, seen_at=T0 + timedelta(hours=1)).version == 2
    assert (original_of(engine, first), original_of(engine, second)) == (None, first)


def test_credited_original_is_searched_nearest_in_time_first(
    engine: Engine, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Only MAX_CANDIDATES of a source's articles are scored: they must be the ones published
    closest to the copy on every database, not whichever rows the database returns first."""
    monkeypatch.setattr("storage.syndication.MAX_CANDIDATES", 1)
    older = Article(
        url=url_of("presupuesto-noticia"),
        canonical_url=url_of("presupuesto-noticia"),
        source="elcomercio",
        title="El Congreso aprueba el presupuesto del próximo año",
        text="El Congreso aprobó el presupuesto.",  # texts too short to compare: titles decide
        published_at="2026-10-25T08:00:00+00:00",
    )
    original = replace(
        older,
        url=url_of("putin-visita-a-lukashenko-noticia"),
        canonical_url=url_of("putin-visita-a-lukashenko-noticia"),
        title="Putin visita a Lukashenko en Minsk",
        text="Putin llegó a Minsk.",
        published_at="2026-10-31T08:00:00+00:00",
    )
    copy = Article(
        url="https://globalhappenings.example/putin-lukashenko/",
        canonical_url="",
        source="globalhappenings",
        title="Putin visits Lukashenko in Minsk",
        text="Putin arrived in Minsk.",
        published_at="2026-10-31T10:00:00+00:00",
        attribution=Attribution(publisher="Global Happenings", original_source="elcomercio"),
    )
    with session_scope(engine) as session:
        ids = [upsert_article(session, a, seen_at=T0).article_id for a in (older, original, copy)]
    assert original_of(engine, ids[2]) == ids[1]
