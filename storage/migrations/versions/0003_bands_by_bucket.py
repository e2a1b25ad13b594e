"""Index LSH bands by bucket alone: candidates are looked up with `bucket IN (...)`.

Revision ID: 0003
Revises: 0002
"""

from __future__ import annotations

from collections.abc import Sequence

from alembic import op

revision: str = "0003"
down_revision: str | None = "0002"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    with op.batch_alter_table("article_bands") as batch_op:
        batch_op.drop_index("ix_article_bands_bucket")
        batch_op.create_index("ix_article_bands_bucket", ["bucket"], unique=False)


def downgrade() -> None:
    with op.batch_alter_table("article_bands") as batch_op:
        batch_op.drop_index("ix_article_bands_bucket")
        batch_op.create_index("ix_article_bands_bucket", ["band", "bucket"], unique=False)
