"""One engine factory for any URL, migrations to build the schema, sessions as context managers."""

from __future__ import annotations

import atexit
import json
import os
import shutil
import tempfile
import time
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
# Kept well under a crawl lease's 60 s (heartbeat every 10 s): a crawl waiting this long for
# another writer still renews its lease in time.
SQLITE_BUSY_TIMEOUT_MS = 30_000
MIGRATION_LOCK = 0x53594E44  # PostgreSQL advisory lock key held while migrating ("SYND")
# How long a migration waits for another holder of MIGRATION_LOCK before it gives up.
LOCK_TIMEOUT_ENV = "SYNDICATE_MIGRATION_LOCK_SECONDS"
DEFAULT_LOCK_TIMEOUT = 30.0
_LOCK_POLL_SECONDS = 0.2
_LOCK_HOLDER = text(
    "SELECT a.pid, a.usename, a.application_name, a.backend_start"
    " FROM pg_locks l JOIN pg_stat_activity a ON a.pid = l.pid"
    " WHERE l.locktype = 'advisory' AND l.granted AND l.classid = 0"
    " AND l.objid = CAST(:key AS oid) AND l.objsubid = 1 AND l.pid <> pg_backend_pid()"
)


class MigrationLockTimeoutError(RuntimeError):
    """Another session held the migration lock longer than the timeout (the message names it)."""


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
    try:
        with engine.begin() as connection:
            lock_migrations(connection)
            config.attributes["connection"] = connection
            command.upgrade(config, "head")
    finally:
        if isinstance(url_or_engine, str):
            engine.dispose()


def lock_migrations(connection: Connection, timeout: float | None = None) -> None:
    """On PostgreSQL, hold the migration lock for the transaction: two processes starting on
    a fresh database migrate one after the other, and the second finds head. A holder that
    never lets go (a forgotten session) makes this fail after `timeout`, naming it."""
    if connection.dialect.name != "postgresql":
        return
    limit = migration_lock_seconds() if timeout is None else timeout
    deadline = time.monotonic() + limit
    take = text("SELECT pg_try_advisory_xact_lock(:key)")
    while not connection.execute(take, {"key": MIGRATION_LOCK}).scalar_one():
        if time.monotonic() >= deadline:
            raise MigrationLockTimeoutError(
                f"migration lock held for over {limit:g} s by {lock_holder(connection)}"
            )
        time.sleep(_LOCK_POLL_SECONDS)


def migration_lock_seconds() -> float:
    """`$SYNDICATE_MIGRATION_LOCK_SECONDS`, else 30; ValueError naming the variable if bad."""
    raw = os.environ.get(LOCK_TIMEOUT_ENV, "").strip()
    try:
        seconds = float(raw) if raw else DEFAULT_LOCK_TIMEOUT
    except ValueError:
        seconds = -1.0
    if not seconds >= 0:
        raise ValueError(f"${LOCK_TIMEOUT_ENV}={raw!r} is not a number of seconds")
    return seconds


def lock_holder(connection: Connection) -> str:
    """Who holds the migration lock: pid, role, application and since when."""
    found = connection.execute(_LOCK_HOLDER, {"key": MIGRATION_LOCK}).first()
    if found is None:
        return "another session (it let go just now)"
    since = found.backend_start.isoformat(timespec="seconds") if found.backend_start else "?"
    app = found.application_name or "no application name"
    return f"pid {found.pid} (role {found.usename}, {app!r}, connected since {since})"


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
