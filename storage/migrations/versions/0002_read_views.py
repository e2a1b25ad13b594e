"""Read-only views for the common downstream reads (documented in docs/schema.md).

Revision ID: 0002
Revises: 0001
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0002"
down_revision: str | None = "0001"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

# Plain SQL understood by SQLite and PostgreSQL alike; internal columns (minhash, page_id,
# content_hash) are left out so downstream code never depends on them.
PUBLIC_ARTICLES = """
CREATE VIEW public_articles AS
SELECT a.id, a.source, s.name AS source_name, a.url, a.canonical_url, a.site_name,
       a.title, a.description, a.authors, a.published_at, a.modified_at, a.language,
       a.section, a.tags, a.image, a.text, a.html, a.word_count, a.attribution,
       a.paywalled, a.original_article_id, a.first_seen_at, a.last_seen_at,
       a.updated_at, a.version
FROM articles a JOIN sources s ON s.key = a.source
"""

SYNDICATED_COPIES = """
CREATE VIEW syndicated_copies AS
SELECT c.id AS copy_id, c.source AS copy_source, c.canonical_url AS copy_url,
       c.title AS copy_title, c.published_at AS copy_published_at,
       o.id AS original_id, o.source AS original_source, o.canonical_url AS original_url,
       o.title AS original_title, o.published_at AS original_published_at
FROM articles c JOIN articles o ON o.id = c.original_article_id
"""


def upgrade() -> None:
    op.execute(PUBLIC_ARTICLES)
    op.execute(SYNDICATED_COPIES)


def downgrade() -> None:
    op.execute("DROP VIEW syndicated_copies")
    op.execute("DROP VIEW public_articles")
