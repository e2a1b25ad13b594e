"""Alembic environment: runs on the connection `storage.database.upgrade` passes, or on the
URL from `-x db=URL`, `sqlalchemy.url` or $SYNDICATE_DATABASE_URL (the `alembic` command at
the repository root); offline (`--sql`) it prints the migration SQL for that URL's dialect."""

from __future__ import annotations

from alembic import context
from sqlalchemy import Connection

from storage.database import database_url, lock_migrations, make_engine
from storage.models import Base
from storage.search import include_name

target_metadata = Base.metadata


def _url() -> str:
    given = context.get_x_argument(as_dictionary=True).get("db")
    return given or context.config.get_main_option("sqlalchemy.url") or database_url()


def _run(connection: Connection) -> None:
    context.configure(
        connection=connection,
        target_metadata=target_metadata,
        render_as_batch=connection.dialect.name == "sqlite",  # SQLite alters by copying tables
        compare_type=True,
        include_name=include_name,  # the full-text search objects are not in the models
    )
    with context.begin_transaction():
        context.run_migrations()


def run_migrations_online() -> None:
    connection = context.config.attributes.get("connection")
    if connection is not None:
        _run(connection)
        return
    engine = make_engine(_url())
    with engine.begin() as connection:
        lock_migrations(connection)
        _run(connection)
    engine.dispose()


def run_migrations_offline() -> None:
    """SQL for a DBA to review and apply: literal values, no connection."""
    url = _url()
    context.configure(
        url=url,
        target_metadata=target_metadata,
        literal_binds=True,
        dialect_opts={"paramstyle": "named"},
        render_as_batch=url.startswith("sqlite"),
    )
    with context.begin_transaction():
        context.run_migrations()


if context.is_offline_mode():
    run_migrations_offline()
else:
    run_migrations_online()
