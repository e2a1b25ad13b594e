"""The `syndicate` command: a thin shell over the libraries; each command lives in its own module."""

from __future__ import annotations

import typer

from syndicate.commands import extract_cmd, sources_cmd

app = typer.Typer(
    help="Crawl news sources, extract clean attributed articles, store them deduplicated.",
    no_args_is_help=True,
    add_completion=False,
    pretty_exceptions_enable=False,
)
extract_cmd.register(app)
sources_cmd.register(app)


def main() -> None:
    """Console-script entry point."""
    app()
