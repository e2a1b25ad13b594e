"""`syndicate export [KEY] [--format jsonl|csv|atom|rss|jsonfeed] [--since DATE] [--output FILE]
[--base-url URL] [--db URL]`: every stored article of a source (or all) in one file.

Streams: articles are read a batch at a time and written as they come, so memory stays flat
for any number of them; a progress bar shows on a terminal. Read-only: the database is
never created or migrated. A file is complete or absent: it is renamed into place at the
end. Exit 2 for a bad date, URL, source or output path, 1 when the export fails.
"""

from __future__ import annotations

import sys
from contextlib import ExitStack, contextmanager
from datetime import UTC, datetime
from enum import StrEnum
from pathlib import Path
from typing import TYPE_CHECKING, Annotated
from urllib.parse import urlsplit

import typer

from syndicate.commands.db_cmd import DbOption, read_only_engine
from syndicate.commands.exits import EXIT_FAILED, fail
from syndicate.commands.serve_cmd import DEFAULT_HOST, DEFAULT_PORT

if TYPE_CHECKING:  # storage and the writers load when the command runs, not for --help
    from collections.abc import Iterable, Iterator

    from rich.progress import Progress
    from sqlalchemy.orm import Session

    from storage.reading import StoredArticle

ALL = "all"  # as in /feeds/all.atom
ALL_TITLE = "syndicate: all sources"
STDOUT = "-"


class Format(StrEnum):
    """The formats; jsonl and csv rows are API articles, the others feeds."""

    jsonl = "jsonl"
    csv = "csv"
    atom = "atom"
    rss = "rss"
    jsonfeed = "jsonfeed"


def register(app: typer.Typer) -> None:
    app.command("export")(export)


def export(
    key: Annotated[str, typer.Argument(help="A source key, or `all`")] = ALL,
    *,
    format_: Annotated[Format, typer.Option("--format", help="Output format")] = Format.jsonl,
    since: Annotated[
        str | None,
        typer.Option(help="Only articles published at or after this ISO 8601 date or time"),
    ] = None,
    output: Annotated[
        str, typer.Option("--output", "-o", help="File to write (`-`: standard output)")
    ] = STDOUT,
    base_url: Annotated[
        str, typer.Option(help="Where the feed will be served: its id and links (feeds only)")
    ] = f"http://{DEFAULT_HOST}:{DEFAULT_PORT}",
    db: DbOption = None,
) -> None:
    """Write every stored article (of KEY, published since DATE) as JSON Lines, CSV or a feed."""
    from storage.database import database_url
    from storage.exporting import export_extent, exported_articles, snapshot
    from storage.reading import ArticleFilters
    from syndicate.export import writer
    from syndicate.export.feeds import FeedNames
    from syndicate.export.output import output_stream

    filters = ArticleFilters(source=None if key == ALL else key, published_since=_since(since))
    _check_base_url(base_url)
    target = None if output == STDOUT else Path(output)
    where = output if target is not None else "stdout"
    with ExitStack() as stack:
        try:
            out = stack.enter_context(output_stream(target))
        except OSError as error:
            fail("export", f"cannot write {where}: {error.strerror or error}")
        engine = read_only_engine("export", db)
        stack.callback(engine.dispose)
        stack.enter_context(_database_failures(database_url(db)))
        session = stack.enter_context(snapshot(engine))
        title = _title(session, filters.source)
        extent = export_extent(session, filters)
        write = writer(format_.value, FeedNames(key, title, base_url, extent.newest_update))
        progress = _progress_bar() if sys.stderr.isatty() else None
        articles: Iterable[StoredArticle] = exported_articles(session, filters)
        if progress is not None:
            stack.enter_context(progress)
            articles = progress.track(articles, total=extent.count, description="exporting")
        try:
            written = write(out, articles)
        except OSError as error:
            fail("export", f"cannot write {where}: {error.strerror or error}", EXIT_FAILED)
    noun = "article" if written == 1 else "articles"
    typer.echo(f"exported {written} {noun} to {where}", err=True)


def _title(session: Session, source: str | None) -> str:
    """The feed's title: the source's name (exit 2 for an unknown source), or every source's."""
    from storage.reading import stored_sources

    if source is None:
        return ALL_TITLE
    found = stored_sources(session, [source])
    if not found:
        fail("export", f"unknown source {source!r} (see `syndicate sources status`)")
    return found[0].name


@contextmanager
def _database_failures(url: str) -> Iterator[None]:
    """A query that fails mid-export is one line naming the database (db_cmd's wording);
    anything else (a bug in a writer) is not blamed on the database."""
    from sqlalchemy.exc import SQLAlchemyError

    from syndicate.commands.db_cmd import database_errors

    try:
        yield
    except SQLAlchemyError as error:
        with database_errors("export", url):
            raise error from None


def _since(value: str | None) -> datetime | None:
    """An ISO 8601 date (midnight UTC) or datetime (UTC without an offset), as the API's `since`."""
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError:
        fail("export", f"--since {value!r} is not an ISO 8601 date or time like 2024-05-01")
    return parsed.replace(tzinfo=UTC) if parsed.tzinfo is None else parsed.astimezone(UTC)


def _check_base_url(url: str) -> None:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.netloc:
        fail("export", f"--base-url {url!r} is not an http(s) URL like https://news.example")


def _progress_bar() -> Progress:
    from rich.console import Console
    from rich.progress import MofNCompleteColumn, Progress

    columns = (*Progress.get_default_columns(), MofNCompleteColumn())
    return Progress(*columns, console=Console(stderr=True), transient=True)
