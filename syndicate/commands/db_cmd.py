"""`syndicate db upgrade | prune`: create or migrate the database; drop old raw pages.

Also the one place every command turns a database it cannot use into one line naming the
database (password hidden) and the documented exit code: 2 for a URL or driver that is
wrong (configuration), 1 for a database that cannot be reached or migrated (runtime).
"""

from __future__ import annotations

import os
import re
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Annotated

import typer

from syndicate.commands.exits import EXIT_FAILED, EXIT_INVALID, fail

if TYPE_CHECKING:
    from sqlalchemy import Engine

# SQLAlchemy, Alembic and storage are imported by the functions that use them, so that
# `syndicate --help` and every command's --help stay fast (tests/cli/test_startup_imports.py).

# storage.pages.RETENTION_ENV (the same name; a test keeps them equal), here so the --help
# of `db prune` can name it without importing SQLAlchemy.
RETENTION_ENV = "SYNDICATE_PAGE_RETENTION_DAYS"
# The one `--db` option of every command that opens the database (see storage.database_url).
DbOption = Annotated[
    str | None,
    typer.Option(
        "--db", help="Database URL (default: $SYNDICATE_DATABASE_URL, else sqlite:///syndicate.db)"
    ),
]
_PASSWORD = re.compile(r"(://[^:/@\s]*:)[^@\s]*@")

db_app = typer.Typer(help="Create, migrate and maintain the database.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(db_app, name="db")


def shown(url: str) -> str:
    """The URL as it may be printed: the password is never shown, even in a malformed URL."""
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).render_as_string(hide_password=True)
    except ArgumentError:
        return _PASSWORD.sub(r"\1***@", url)


@contextmanager
def database_errors(command: str, url: str) -> Iterator[None]:
    """Errors opening or migrating `url` become one line naming it and exit 2 or 1."""
    from alembic.util.exc import CommandError
    from sqlalchemy.exc import ArgumentError, DBAPIError, SQLAlchemyError

    from storage.database import MigrationLockTimeoutError

    # Errors in the URL or the driver: the operator's configuration, not the database's state.
    config_errors = (ArgumentError, ImportError, ValueError)
    runtime_errors = (DBAPIError, SQLAlchemyError, CommandError, MigrationLockTimeoutError, OSError)
    try:
        yield
    except config_errors as error:
        fail(command, f"cannot use database {shown(url)}: {_reason(error, url)}", EXIT_INVALID)
    except runtime_errors as error:
        fail(command, f"cannot use database {shown(url)}: {_reason(error, url)}", EXIT_FAILED)


def _reason(error: BaseException, url: str) -> str:
    """The driver's first line, with the password taken out should it repeat it."""
    from sqlalchemy.exc import DBAPIError

    from storage.errors import database_reason

    text = database_reason(error) if isinstance(error, DBAPIError) else str(error)
    text = (text.strip().splitlines() or [type(error).__name__])[0]
    text = _PASSWORD.sub(r"\1***@", text)
    password = _password_of(url)
    return text.replace(password, "***") if password else text


def _password_of(url: str) -> str | None:
    from sqlalchemy.engine import make_url
    from sqlalchemy.exc import ArgumentError

    try:
        return make_url(url).password
    except ArgumentError:
        return None


def migrated_database(
    command: str, db: str | None, migrate: Callable[[str], None] | None = None
) -> str:
    """The database URL with its schema at head (`migrate`, by default storage's upgrade), or
    one line and the documented exit code."""
    from storage.database import database_url, upgrade

    url = database_url(db)
    with database_errors(command, url):
        (migrate or upgrade)(url)
    return url


def read_only_engine(command: str, db: str | None) -> Engine:
    """A read-only engine on a usable database (never created or migrated here), or one line
    naming the database and the documented exit code."""
    from storage.database import database_url, make_engine
    from storage.health import unreadable

    url = database_url(db)
    with database_errors(command, url):
        engine = make_engine(url, read_only=True)
    problem = unreadable(engine)
    if problem is not None:
        engine.dispose()
        typer.echo(f"database {shown(url)} {problem}", err=True)
        raise typer.Exit(EXIT_FAILED)
    return engine


@db_app.command("upgrade")
def upgrade_db(db: DbOption = None) -> None:
    """Create the database or migrate it to the newest schema (safe to run again)."""
    url = migrated_database("db upgrade", db)
    typer.echo(f"database at newest schema: {shown(url)}")


@db_app.command("prune")
def prune(
    days: Annotated[
        int | None, typer.Option(help=f"Keep raw pages this many days (default ${RETENTION_ENV})")
    ] = None,
    db: DbOption = None,
) -> None:
    """Delete raw pages older than the retention, except those current articles came from."""
    from storage.database import database_url

    keep = days if days is not None else _retention_days()
    if keep <= 0:
        raise typer.BadParameter(f"give --days N or set ${RETENTION_ENV} to a positive number")
    url = database_url(db)
    with database_errors("db prune", url):
        removed = _prune(url, keep)
    typer.echo(f"deleted {removed} raw pages older than {keep} days")


def _retention_days() -> int:
    raw = os.environ.get(RETENTION_ENV, "").strip()
    try:
        return int(raw or 0)
    except ValueError:
        fail("db prune", f"${RETENTION_ENV}={raw!r} is not a whole number of days", EXIT_INVALID)


def _prune(url: str, keep: int) -> int:
    """Pages deleted. The schema is brought to head first: a fresh database has none to prune
    (and an old schema would not know `pages` as prune expects it)."""
    from storage.database import make_engine, session_scope, upgrade
    from storage.pages import prune_pages

    engine = make_engine(url)
    try:
        upgrade(engine)
        with session_scope(engine) as session:
            return prune_pages(session, before=datetime.now(UTC) - timedelta(days=keep))
    finally:
        engine.dispose()
