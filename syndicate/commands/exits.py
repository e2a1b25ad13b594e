"""The exit codes every command documents (README), and the one way a command stops with a
one-line message on stderr."""

from __future__ import annotations

from typing import NoReturn

import typer

EXIT_FAILED = 1  # the work failed or was stopped; for extract/ingest, some input failed
EXIT_INVALID = 2  # usage or configuration error
EXIT_BUSY = 75  # EX_TEMPFAIL: the source is being crawled by another run


def fail(command: str, message: str, code: int = EXIT_INVALID) -> NoReturn:
    """`syndicate COMMAND: MESSAGE` on stderr, then exit `code`."""
    typer.echo(f"syndicate {command}: {message}", err=True)
    raise typer.Exit(code)
