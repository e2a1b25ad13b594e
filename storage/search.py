"""Full-text search of articles (title, description, text) with the database's own index.

Migration 0005 builds the index and the database keeps it in step with every write:
SQLite an FTS5 table `articles_search` (external content, filled by triggers), PostgreSQL
the generated tsvector column `articles.search_vector` (config 'simple') with a GIN index.
Both fold case, keep accents (`peru` does not find `Perú`) and do not stem, whatever the
article's language. Each backend splits the reader's words with the tokenizer that split
the articles, so a word matches exactly when it was indexed that way; every word must match.
"""

from __future__ import annotations

from typing import Any, TypeVar

from alembic.runtime.environment import NameFilterParentNames, NameFilterType
from sqlalchemy import (
    ColumnClause,
    ColumnElement,
    Integer,
    Select,
    column,
    func,
    literal_column,
    table,
)
from sqlalchemy.dialects.postgresql import TSVECTOR

from storage.models import ArticleRow

SEARCH_TABLE = "articles_search"  # SQLite FTS5; its shadow tables are articles_search_*
SEARCH_TRIGGERS = ("articles_search_insert", "articles_search_update", "articles_search_delete")
SEARCH_COLUMN = "search_vector"  # PostgreSQL, on articles
SEARCH_INDEX = "ix_articles_search_vector"
CONFIG = "simple"  # no stemming or stop words: one configuration for every language

_rowid: ColumnClause[int] = column("rowid", Integer)
_fts = table(SEARCH_TABLE, _rowid, column(SEARCH_TABLE))
_Query = TypeVar("_Query", bound=Select[Any])


def searched(query: _Query, dialect: str, words: str) -> _Query:
    """`query` (of articles) narrowed to those holding every word of `words` as typed."""
    if dialect == "sqlite":
        query = query.join(_fts, _rowid == ArticleRow.id)
        return query.where(_fts.c[SEARCH_TABLE].match(fts5_query(words)))
    if dialect == "postgresql":
        vector = literal_column(f"{ArticleRow.__tablename__}.{SEARCH_COLUMN}", TSVECTOR)
        return query.where(vector.bool_op("@@")(func.plainto_tsquery(CONFIG, words)))
    raise NotImplementedError(f"unsupported database {dialect!r}: use SQLite or PostgreSQL")


def searched_id(dialect: str) -> ColumnElement[int]:
    """The article id to order and page a `searched` query by. On SQLite it is the FTS5
    table's rowid (the same number): FTS5 gives matches in rowid order, so a page stops
    after `limit` of them, where ordering by `articles.id` would sort every match first."""
    return _rowid if dialect == "sqlite" else ArticleRow.id.expression


def fts5_query(words: str) -> str:
    """Each space-separated part as an FTS5 string, so no input is FTS5 syntax (`OR`, `*`,
    `NEAR(`, `-`, `"`): the parts are ANDed; one without a word is ignored (alone: no match)."""
    return " ".join('"' + part.replace('"', '""') + '"' for part in words.split())


def include_name(name: str | None, type_: NameFilterType, parents: NameFilterParentNames) -> bool:
    """Alembic's `include_name`: False for the search objects, which migration 0005 builds
    with SQL the models cannot describe, so autogenerate and `alembic check` skip them."""
    if type_ == "table":
        return name != SEARCH_TABLE and not (name or "").startswith(f"{SEARCH_TABLE}_")
    on_articles = parents.get("table_name") == ArticleRow.__tablename__
    if type_ == "column" and on_articles:
        return name != SEARCH_COLUMN
    if type_ == "index" and on_articles:
        return name != SEARCH_INDEX
    return True
