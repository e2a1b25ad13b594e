"""Record the charset each article's page was read as (`articles.encoding`).

Revision ID: 0006
Revises: 0005
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0006"
down_revision: str | None = "0005"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    # Plain ADD COLUMN (no batch copy): SQLite's full-text triggers on `articles` stay intact.
    op.add_column("articles", sa.Column("encoding", sa.String(40), nullable=True))


def downgrade() -> None:
    with op.batch_alter_table("articles", recreate="never") as batch_op:
        batch_op.drop_column("encoding")
