"""One engine factory for any URL, migrations to build the schema, sessions as context managers."""

from __future__ import annotations

import atexit
import json
import os
import shutil
import tempfile
from collections.abc import Iterator
from contextlib import contextmanager
from functools import cache, partial
from importlib.resources import files
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Any

from alembic import command
from alembic.config import Config
from sqlalchemy import Connection, Engine, create_engine, event, text
from sqlalchemy.orm import Session, sessionmaker

DEFAULT_DATABASE_URL = "sqlite:///syndicate.db"
ENV_VAR = "SYNDICATE_DATABASE_URL"
# How long a SQLite writer waits for another process's write to finish before failing.
SQLITE_BUSY_TIMEOUT_MS = 60_000
MIGRATION_LOCK = 0x53594E44  # PostgreSQL advisory lock key held while migrating ("SYND")


def database_url(cli_value: str | None = None) -> str:
    """`--db` wins over `$SYNDICATE_DATABASE_URL`, which wins over the default file."""
    return cli_value or os.environ.get(ENV_VAR) or DEFAULT_DATABASE_URL


def make_engine(url: str, *, read_only: bool = False) -> Engine:
    """Engine for `url`; SQLite gets WAL, foreign keys, a busy timeout and BEGIN IMMEDIATE.

    JSON columns are written as readable UTF-8 (not \\u escapes) for downstream SQL readers.
    `read_only` engines (feeds, API) refuse writes and, on SQLite, never wait for writers.
    """
    engine = create_engine(url, json_serializer=partial(json.dumps, ensure_ascii=False))
    if engine.dialect.name == "sqlite":
        _configure_sqlite(engine, read_only)
    elif read_only and engine.dialect.name == "postgresql":
        return engine.execution_options(postgresql_readonly=True)
    return engine


def _configure_sqlite(engine: Engine, read_only: bool) -> None:
    """Writers take the lock at BEGIN, so two processes queue instead of failing mid-transaction.

    pysqlite's own transaction handling is switched off (the SQLAlchemy-documented recipe)
    so that BEGIN IMMEDIATE and SAVEPOINTs behave as written.
    """

    @event.listens_for(engine, "connect")
    def _on_connect(dbapi_connection: Any, _record: Any) -> None:
        dbapi_connection.isolation_level = None
        cursor = dbapi_connection.cursor()
        cursor.execute(f"PRAGMA busy_timeout = {SQLITE_BUSY_TIMEOUT_MS}")
        cursor.execute("PRAGMA foreign_keys = ON")
        cursor.execute("PRAGMA journal_mode = WAL")
        cursor.execute("PRAGMA synchronous = NORMAL")
        if read_only:
            cursor.execute("PRAGMA query_only = ON")
        cursor.close()

    @event.listens_for(engine, "begin")
    def _on_begin(connection: Any) -> None:
        connection.exec_driver_sql("BEGIN" if read_only else "BEGIN IMMEDIATE")


def alembic_config() -> Config:
    """Alembic config for the migrations shipped inside the package (works when installed)."""
    config = Config()
    config.set_main_option("script_location", str(migrations_dir()))
    return config


@cache
def migrations_dir() -> Path:
    """The migration scripts as a folder on disk. Alembic lists and loads them by path, which
    a zipped egg (a scrapyd deployment) cannot give, so there they are copied out once."""
    found = files("storage.migrations")
    if isinstance(found, Path):
        return found
    target = Path(tempfile.mkdtemp(prefix="syndicate-migrations-"))
    atexit.register(shutil.rmtree, target, ignore_errors=True)
    _copy_tree(found, target)
    return target


def _copy_tree(source: Traversable, target: Path) -> None:
    for entry in source.iterdir():
        if entry.is_dir():
            (target / entry.name).mkdir()
            _copy_tree(entry, target / entry.name)
        else:
            (target / entry.name).write_bytes(entry.read_bytes())


def upgrade(url_or_engine: str | Engine) -> None:
    """Create or migrate the schema to the newest revision; running it again changes nothing."""
    engine = make_engine(url_or_engine) if isinstance(url_or_engine, str) else url_or_engine
    config = alembic_config()
    with engine.begin() as connection:
        lock_migrations(connection)
        config.attributes["connection"] = connection
        command.upgrade(config, "head")
    if isinstance(url_or_engine, str):
        engine.dispose()


def lock_migrations(connection: Connection) -> None:
    """On PostgreSQL, hold the migration lock for the transaction: two processes starting on
    a fresh database migrate one after the other, and the second finds head."""
    if connection.dialect.name == "postgresql":
        connection.execute(text("SELECT pg_advisory_xact_lock(:key)"), {"key": MIGRATION_LOCK})


@contextmanager
def session_scope(engine: Engine) -> Iterator[Session]:
    """A session that commits when the block succeeds and rolls back (writes nothing) on error."""
    session = sessionmaker(engine, expire_on_commit=False)()
    try:
        yield session
        session.commit()
    except BaseException:
        session.rollback()
        raise
    finally:
        session.close()
