"""One crawl per source (crawl_leases) and honest runs (heartbeat, holder, reason, links found).

Revision ID: 0004
Revises: 0003
"""

from __future__ import annotations

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

revision: str = "0004"
down_revision: str | None = "0003"
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None

UTC_TIME = sa.DateTime(timezone=True)  # UTC, normalised by storage.types.UTCDateTime


def upgrade() -> None:
    with op.batch_alter_table("crawl_runs") as batch_op:
        batch_op.add_column(sa.Column("reason", sa.String(500), nullable=True))
        batch_op.add_column(sa.Column("host", sa.String(255), nullable=True))
        batch_op.add_column(sa.Column("pid", sa.Integer(), nullable=True))
        batch_op.add_column(sa.Column("heartbeat_at", UTC_TIME, nullable=True))
        batch_op.add_column(sa.Column("discovered", sa.Integer(), nullable=True))
    op.create_table(
        "crawl_leases",
        sa.Column("source", sa.String(64), nullable=False),
        sa.Column("run_id", sa.Integer(), nullable=True),
        sa.Column("token", sa.String(64), nullable=False),
        sa.Column("host", sa.String(255), nullable=False),
        sa.Column("pid", sa.Integer(), nullable=False),
        sa.Column("acquired_at", UTC_TIME, nullable=False),
        sa.Column("expires_at", UTC_TIME, nullable=False),
        sa.ForeignKeyConstraint(
            ["source"], ["sources.key"], name="fk_crawl_leases_source_sources", ondelete="CASCADE"
        ),
        sa.ForeignKeyConstraint(
            ["run_id"],
            ["crawl_runs.id"],
            name="fk_crawl_leases_run_id_crawl_runs",
            ondelete="SET NULL",
        ),
        sa.PrimaryKeyConstraint("source", name="pk_crawl_leases"),
    )


def downgrade() -> None:
    op.drop_table("crawl_leases")
    with op.batch_alter_table("crawl_runs") as batch_op:
        for name in ("discovered", "heartbeat_at", "pid", "host", "reason"):
            batch_op.drop_column(name)
