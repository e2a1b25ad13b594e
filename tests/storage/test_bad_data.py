"""Bad data: a clear error for that article, everything else stored, nothing half-written."""

from __future__ import annotations

from dataclasses import replace
from datetime import timedelta

import pytest
from sqlalchemy import Engine, func, select

from extractors.article import Article
from storage.database import session_scope
from storage.errors import StorageError
from storage.models import ArticleBand, ArticleRow, ArticleVersion
from storage.repository import upsert_article
from tests.support.pagegen import paragraphs, url_of
from tests.support.sources import T0

GOOD = Article(
    url=url_of("buena-noticia"),
    canonical_url=url_of("buena-noticia"),
    source="elcomercio",
    title="Una noticia correcta",
    text="\n\n".join(paragraphs(1)),
    published_at="2026-10-31T10:00:00-05:00",
)

# The same article under another URL, spoilt one field at a time.
SPOILT = replace(GOOD, url=url_of("mala-noticia"), canonical_url=url_of("mala-noticia"))
BAD = [
    (replace(SPOILT, title="T" * 1001), "title: 1001 characters, the limit is 1000"),
    (
        replace(SPOILT, text="Texto con \ud800 suelto"),
        "text: invalid UTF-8 (surrogates not allowed)",
    ),
    (replace(SPOILT, authors=["Ana", "Luis\x00"]), "authors[1]: NUL character at 4"),
    (replace(SPOILT, published_at="ayer"), "published_at: not an ISO 8601 time: 'ayer'"),
    (replace(SPOILT, published_at="2026-10-31T10:00:00"), "published_at: no UTC offset"),
    (replace(SPOILT, source="nadie"), "source: unknown source 'nadie'"),
    (replace(SPOILT, canonical_url="", url="file:///tmp/x.html"), "canonical_url: not an absolute"),
]


def count(engine: Engine, model: type[object]) -> int:
    with session_scope(engine) as session:
        return int(session.execute(select(func.count()).select_from(model)).scalar_one())


@pytest.mark.parametrize(("bad", "message"), BAD, ids=[m.split(":")[0] for _, m in BAD])
def test_bad_field_is_named_and_the_rest_is_stored(
    engine: Engine, bad: Article, message: str
) -> None:
    other = replace(GOOD, url=url_of("otra-noticia"), canonical_url=url_of("otra-noticia"))
    with session_scope(engine) as session:
        with pytest.raises(StorageError) as error:
            upsert_article(session, bad, seen_at=T0)
        upsert_article(session, other, seen_at=T0)
    assert message in str(error.value)
    assert count(engine, ArticleRow) == 1


def test_database_refusal_leaves_nothing_half_written(engine: Engine) -> None:
    """A foreign-key violation (no such page) while updating: the old version stays intact."""
    with session_scope(engine) as session:
        upsert_article(session, GOOD, seen_at=T0)
    changed = replace(GOOD, text=GOOD.text + "\n\nUn párrafo nuevo.")
    with session_scope(engine) as session:
        with pytest.raises(StorageError, match="database refused the article"):
            upsert_article(session, changed, seen_at=T0 + timedelta(days=1), page_id=999_999)
        row = session.execute(select(ArticleRow)).scalar_one()
        assert (row.version, row.text, row.last_seen_at) == (1, GOOD.text, T0)
    assert count(engine, ArticleVersion) == 0
    assert count(engine, ArticleBand) == 32  # the first version's LSH bands, unchanged
    with session_scope(engine) as session:
        result = upsert_article(session, changed, seen_at=T0 + timedelta(days=1))
    assert (result.outcome, result.version) == ("updated", 2)
