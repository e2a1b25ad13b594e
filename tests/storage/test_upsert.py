"""Upsert by canonical URL: one row per article, versions kept, timestamps UTC on every database."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone

from sqlalchemy import Engine, func, select

from extractors.article import Article, Attribution
from storage.database import session_scope
from storage.models import ArticleRow, ArticleVersion
from storage.repository import get_article, known_article_urls, upsert_article
from tests.support.sources import T0

LIMA = timezone(timedelta(hours=-5))
TEXT = " ".join(f"Paragraph word{i} about the budget vote in congress." for i in range(40))


def article(url: str, text: str = TEXT, **extra: object) -> Article:
    fields: dict[str, object] = {
        "source": "elcomercio",
        "title": "Congress votes the budget",
        "published_at": "2026-10-31T20:15:00-05:00",
        "authors": ["Ana Pérez"],
        "tags": ["política"],
        "word_count": len(text.split()),
        "attribution": Attribution(publisher="El Comercio"),
    } | extra
    return Article(url=url, canonical_url=url, text=text, **fields)  # type: ignore[arg-type]  # test data


def count(engine: Engine, model: type[ArticleRow] | type[ArticleVersion]) -> int:
    with session_scope(engine) as session:
        return int(session.execute(select(func.count()).select_from(model)).scalar_one())


def test_same_article_three_times_is_one_row(engine: Engine) -> None:
    urls = [
        "https://elcomercio.pe/politica/budget-noticia/",
        "https://elcomercio.pe/politica/budget-noticia/?outputType=amp&utm_source=twitter",
        "https://amp.elcomercio.pe/politica/budget-noticia/amp/#comments",
    ]
    results = []
    for day, url in enumerate(urls):
        with session_scope(engine) as session:
            results.append(upsert_article(session, article(url), seen_at=T0 + timedelta(days=day)))
    assert [r.outcome for r in results] == ["new", "unchanged", "unchanged"]
    assert len({r.article_id for r in results}) == 1
    assert count(engine, ArticleRow) == 1
    with session_scope(engine) as session:
        row = session.execute(select(ArticleRow)).scalar_one()
        assert row.canonical_url == urls[0]
        assert (row.first_seen_at, row.last_seen_at, row.updated_at) == (
            T0,
            T0 + timedelta(days=2),
            T0,
        )
        assert row.version == 1


def test_changed_text_makes_version_two(engine: Engine) -> None:
    url = "https://elcomercio.pe/politica/budget-noticia/"
    later = T0 + timedelta(hours=3)
    with session_scope(engine) as session:
        upsert_article(session, article(url), seen_at=T0)
    with session_scope(engine) as session:
        result = upsert_article(session, article(url, TEXT + " Correction added."), seen_at=later)
    assert (result.outcome, result.version) == ("updated", 2)
    assert count(engine, ArticleRow) == 1
    with session_scope(engine) as session:
        old = session.execute(select(ArticleVersion)).scalar_one()
        row = session.get(ArticleRow, result.article_id)
        assert row is not None
        assert (old.version, old.text, old.valid_from, old.superseded_at) == (1, TEXT, T0, later)
        assert old.content_hash != row.content_hash
        assert row.text.endswith("Correction added.")
        assert (row.updated_at, row.last_seen_at, row.first_seen_at) == (later, later, T0)


def test_timestamps_come_back_as_utc(engine: Engine) -> None:
    url = "https://elcomercio.pe/politica/budget-noticia/"
    seen = datetime(2026, 11, 1, 7, 0, tzinfo=LIMA)
    with session_scope(engine) as session:
        upsert_article(session, article(url), seen_at=seen)
    with session_scope(engine) as session:
        row = session.execute(select(ArticleRow)).scalar_one()
        assert row.first_seen_at == seen
        assert row.first_seen_at.tzinfo == UTC
        assert row.published_at == datetime(2026, 11, 1, 1, 15, tzinfo=UTC)
        assert row.published_at.tzinfo == UTC
        stored = get_article(session, url + "?utm_medium=x")
    assert stored is not None
    assert stored.published_at == "2026-11-01T01:15:00+00:00"
    assert stored.authors == ["Ana Pérez"]
    assert stored.attribution.publisher == "El Comercio"


def test_known_urls_include_fetched_and_canonical(engine: Engine) -> None:
    fetched = "https://elcomercio.pe/politica/budget-noticia/?outputType=amp"
    with session_scope(engine) as session:
        upsert_article(session, article(fetched), seen_at=T0)
        known = known_article_urls(session, "elcomercio")
        assert known_article_urls(session, "globalhappenings") == {}
    assert known == {fetched: T0, "https://elcomercio.pe/politica/budget-noticia/": T0}


def test_the_charset_is_stored_and_is_not_content(engine: Engine) -> None:
    """Migration 0006 adds `encoding`: articles stored before it (None) must not all count as
    updated when recrawled, so the charset stays out of the content hash."""
    url = "https://elcomercio.pe/politica/charset-noticia/"
    with session_scope(engine) as session:
        first = upsert_article(session, article(url, encoding=None), seen_at=T0)
    with session_scope(engine) as session:
        again = upsert_article(
            session, article(url, encoding="cp1252"), seen_at=T0 + timedelta(days=1)
        )
    assert (first.outcome, again.outcome) == ("new", "unchanged")
    other = "https://elcomercio.pe/politica/otra-charset-noticia/"
    with session_scope(engine) as session:
        upsert_article(session, article(other, encoding="cp1252"), seen_at=T0)
    stored = get_article_encoding(engine, other)
    assert stored == "cp1252"


def get_article_encoding(engine: Engine, url: str) -> str | None:
    with session_scope(engine) as session:
        found = get_article(session, url)
        assert found is not None
        return found.encoding
