"""`syndicate serve [--host H] [--port P] [--db URL]`: the read-only HTTP server downstream
sites read (JSON API, Atom/RSS/JSON feeds, a small HTML site; docs/serving.md).

The database is opened read-only and never created or migrated: a missing or unmigrated
one is one line on stderr and exit 1, before anything listens.
"""

from __future__ import annotations

from typing import Annotated

import typer

from syndicate.commands.db_cmd import DbOption, read_only_engine

DEFAULT_HOST = "127.0.0.1"
DEFAULT_PORT = 8080


def register(app: typer.Typer) -> None:
    app.command("serve")(serve)


def serve(
    host: Annotated[str, typer.Option(help="Address to listen on")] = DEFAULT_HOST,
    port: Annotated[int, typer.Option(min=1, max=65535, help="Port to listen on")] = DEFAULT_PORT,
    db: DbOption = None,
) -> None:
    """Serve articles read-only: /api/articles, /feeds/KEY.atom|.rss|.json, /docs, HTML pages."""
    import uvicorn

    from storage.database import database_url
    from syndicate.web import create_app

    read_only_engine("serve", db).dispose()  # exit 1 with one line when the database is unusable
    typer.echo(f"serving {database_url(db)} read-only on http://{host}:{port}/", err=True)
    uvicorn.run(create_app(database_url(db)), host=host, port=port, log_level="warning")
