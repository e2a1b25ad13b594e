"""`syndicate db upgrade | prune`: create or migrate the database; drop old raw pages."""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta
from typing import Annotated

import typer
from sqlalchemy.engine import make_url

from storage.database import database_url, make_engine, session_scope, upgrade
from storage.pages import RETENTION_ENV, prune_pages

# The one `--db` option of every command that opens the database (see storage.database_url).
DbOption = Annotated[
    str | None,
    typer.Option(
        "--db", help="Database URL (default: $SYNDICATE_DATABASE_URL, else sqlite:///syndicate.db)"
    ),
]

db_app = typer.Typer(help="Create, migrate and maintain the database.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(db_app, name="db")


@db_app.command("upgrade")
def upgrade_db(db: DbOption = None) -> None:
    """Create the database or migrate it to the newest schema (safe to run again)."""
    url = database_url(db)
    upgrade(url)
    typer.echo(f"database at newest schema: {make_url(url).render_as_string()}")


@db_app.command("prune")
def prune(
    days: Annotated[
        int | None, typer.Option(help=f"Keep raw pages this many days (default ${RETENTION_ENV})")
    ] = None,
    db: DbOption = None,
) -> None:
    """Delete raw pages older than the retention, except those current articles came from."""
    keep = days if days is not None else int(os.environ.get(RETENTION_ENV, "0") or 0)
    if keep <= 0:
        raise typer.BadParameter(f"give --days N or set ${RETENTION_ENV} to a positive number")
    engine = make_engine(database_url(db))
    try:
        with session_scope(engine) as session:
            removed = prune_pages(session, before=datetime.now(UTC) - timedelta(days=keep))
    finally:
        engine.dispose()
    typer.echo(f"deleted {removed} raw pages older than {keep} days")
