"""The `syndicate` command: a thin shell over the libraries; each command lives in its own module.

Command modules import only typer and light modules at the top; Scrapy, the extractor,
SQLAlchemy, FastAPI and APScheduler load inside the command that uses them, so `--help`
and `sources list` start fast (tests/cli/test_startup_imports.py, benchmarks/startup_bench.py).
"""

from __future__ import annotations

import typer

from syndicate.commands import (
    crawl_cmd,
    db_cmd,
    demo_cmd,
    export_cmd,
    extract_cmd,
    ingest_cmd,
    runs_cmd,
    schedule_cmd,
    serve_cmd,
    sources_cmd,
    status_cmd,
    worker_cmd,
)

app = typer.Typer(
    help="Crawl news sources, extract clean attributed articles, store them deduplicated.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
extract_cmd.register(app)
sources_cmd.register(app)
status_cmd.register(app)
crawl_cmd.register(app)
runs_cmd.register(app)
demo_cmd.register(app)
db_cmd.register(app)
ingest_cmd.register(app)
schedule_cmd.register(app)
serve_cmd.register(app)
export_cmd.register(app)
worker_cmd.register(app)


def main() -> None:
    """Console-script entry point."""
    app()
