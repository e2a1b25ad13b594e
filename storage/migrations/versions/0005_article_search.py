"""Full-text search over articles' title, description and text (`GET /api/articles?q=`).

The index lives in the database and follows every write to `articles` by itself:
SQLite: an external-content FTS5 table `articles_search` (no copy of the text) kept in step
by triggers, filled here from the rows already stored. Words are case-folded, accents kept.
PostgreSQL: a generated column `articles.search_vector` (`to_tsvector('simple', …)`: lower
case, accents kept, no stemming, so one index serves every language) with a GIN index.
A tsvector holds at most 1 MB, so it covers the first 100,000 characters. The index is
written at once (`fastupdate = off`): storing an article costs about 2 ms more, but no
search scans a pending list of up to 4 MB that only VACUUM merges (at 10,000 articles
that list made a rare word's search about 100 times slower and led the planner away
from the index).

Every statement is IF [NOT] EXISTS, so a half-applied run can be repeated. A later SQLite
migration that rebuilds `articles` (batch mode copies the table) drops the triggers with the
old table: it must create them again (storage/search.py says how they are named).

Revision ID: 0005
Revises: 0004
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0005"
down_revision: str | None = "0004"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

COLUMNS = "title, description, text"
# 'delete' must be given the values that were indexed: the old row's, exactly.
_REMOVE_OLD = (
    "INSERT INTO articles_search(articles_search, rowid, title, description, text)"
    " VALUES ('delete', old.id, old.title, old.description, old.text);"
)
_ADD_NEW = (
    "INSERT INTO articles_search(rowid, title, description, text)"
    " VALUES (new.id, new.title, new.description, new.text);"
)
SQLITE_UPGRADE = [
    "CREATE VIRTUAL TABLE IF NOT EXISTS articles_search USING fts5("
    f"{COLUMNS}, content='articles', content_rowid='id',"
    " tokenize='unicode61 remove_diacritics 0')",
    "CREATE TRIGGER IF NOT EXISTS articles_search_insert AFTER INSERT ON articles"
    f" BEGIN {_ADD_NEW} END",
    "CREATE TRIGGER IF NOT EXISTS articles_search_delete AFTER DELETE ON articles"
    f" BEGIN {_REMOVE_OLD} END",
    f"CREATE TRIGGER IF NOT EXISTS articles_search_update AFTER UPDATE OF {COLUMNS}"
    f" ON articles BEGIN {_REMOVE_OLD} {_ADD_NEW} END",
    # The rows stored before this migration (and a clean slate if a run stopped half way).
    "INSERT INTO articles_search(articles_search) VALUES ('rebuild')",
]
SQLITE_DOWNGRADE = [
    "DROP TRIGGER IF EXISTS articles_search_update",
    "DROP TRIGGER IF EXISTS articles_search_delete",
    "DROP TRIGGER IF EXISTS articles_search_insert",
    "DROP TABLE IF EXISTS articles_search",
]

SEARCHED = "left(coalesce(title, '') || ' ' || coalesce(description, '') || ' ' || text, 100000)"
POSTGRESQL_UPGRADE = [
    "ALTER TABLE articles ADD COLUMN IF NOT EXISTS search_vector tsvector"
    f" GENERATED ALWAYS AS (to_tsvector('simple'::regconfig, {SEARCHED})) STORED",
    "CREATE INDEX IF NOT EXISTS ix_articles_search_vector ON articles USING gin (search_vector)"
    " WITH (fastupdate = off)",
]
POSTGRESQL_DOWNGRADE = [
    "DROP INDEX IF EXISTS ix_articles_search_vector",
    "ALTER TABLE articles DROP COLUMN IF EXISTS search_vector",
]


def upgrade() -> None:
    for statement in _statements(SQLITE_UPGRADE, POSTGRESQL_UPGRADE):
        op.execute(statement)


def downgrade() -> None:
    for statement in _statements(SQLITE_DOWNGRADE, POSTGRESQL_DOWNGRADE):
        op.execute(statement)


def _statements(sqlite: list[str], postgresql: list[str]) -> list[str]:
    """The dialect's statements; the context's dialect, so `--sql` works without a database."""
    name = op.get_context().dialect.name
    if name == "sqlite":
        return sqlite
    if name == "postgresql":
        return postgresql
    raise NotImplementedError(f"unsupported database {name!r}: use SQLite or PostgreSQL")
