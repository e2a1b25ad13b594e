"""`syndicate ingest PATH… --source KEY` and `syndicate reextract [KEY]`: backfills, no crawling."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from syndicate.commands.db_cmd import DbOption, migrated_database
from syndicate.commands.exits import EXIT_FAILED
from syndicate.commands.extract_cmd import http_url
from syndicate.commands.sources_cmd import catalog_or_exit, source_or_exit

if TYPE_CHECKING:  # the processing core and the database load when a command runs
    from sqlalchemy import Engine

    from pipelines.backfill import Progress as OnPage
    from pipelines.backfill import Report
    from pipelines.extraction_pool import ExtractionPool
    from pipelines.processing import PageOutcome

WorkersOption = Annotated[
    int | None,
    typer.Option(min=0, help="Extraction processes (default: one per core; 0: in this process)"),
]


def register(app: typer.Typer) -> None:
    app.command("ingest")(ingest)
    app.command("reextract")(reextract_cmd)


def ingest(
    paths: Annotated[list[Path], typer.Argument(help="Saved pages: .html, .html.gz, .warc(.gz)")],
    source: Annotated[str, typer.Option(help="Source key the pages belong to")],
    url: Annotated[
        str | None,
        typer.Option(help="URL the single HTML file was fetched from", callback=http_url),
    ] = None,
    fetched_at: Annotated[
        datetime | None,
        typer.Option(
            help="Fetch time of the HTML files, UTC unless an offset is given (default: file mtime)"
        ),
    ] = None,
    *,  # typer passes every option by name
    db: DbOption = None,
    workers: WorkersOption = None,
) -> None:
    """Store saved pages through a crawl's extract -> validate -> store path (exit 1 if any fail)."""
    from pipelines.backfill import ingest_pages
    from pipelines.saved_pages import is_warc, iter_pages

    catalog = catalog_or_exit()
    rules = source_or_exit(catalog, source).rules()
    if url is not None and sum(not is_warc(p) for p in paths) > 1:
        raise typer.BadParameter("--url names the URL of ONE html file; give one file")
    when = fetched_at.replace(tzinfo=fetched_at.tzinfo or UTC) if fetched_at else None
    files = len(paths) if not any(is_warc(p) for p in paths) else None
    with _engine("ingest", db) as engine, _pool(workers) as pool, _progress(files) as on_page:
        report = ingest_pages(
            engine,
            iter_pages(paths, url=url, fetched_at=when),
            rules,
            catalog.publishers(),
            started_at=datetime.now(UTC),
            clock=lambda: datetime.now(UTC),
            progress=on_page,
            pool=pool,
        )
    _print(report)
    if report.counts.get("failed", 0):
        raise typer.Exit(EXIT_FAILED)


def reextract_cmd(
    source: Annotated[str | None, typer.Argument(help="Only this source (default: all)")] = None,
    db: DbOption = None,
    workers: WorkersOption = None,
) -> None:
    """Rebuild articles from stored raw pages (after an extractor improvement); no fetching."""
    from pipelines.backfill import reextract

    catalog = catalog_or_exit()
    if source is not None:
        source_or_exit(catalog, source)
    pages = _pool(workers, stored=True)
    with _engine("reextract", db) as engine, pages as pool, _progress(None) as on_page:
        report = reextract(
            engine,
            catalog.rules,
            catalog.publishers(),
            source_key=source,
            changed_at=datetime.now(UTC),
            progress=on_page,
            pool=pool,
        )
    _print(report)


@contextmanager
def _engine(command: str, db: str | None) -> Iterator[Engine]:
    """The migrated database, its connections closed afterwards; one line and exit 2 or 1
    when it cannot be used."""
    from storage.database import make_engine

    url = migrated_database(command, db)
    engine = make_engine(url)
    try:
        yield engine
    finally:
        engine.dispose()


@contextmanager
def _pool(workers: int | None, *, stored: bool = False) -> Iterator[ExtractionPool]:
    """Processes extracting pages while this one stores them, stopped when the command ends.
    `stored`: the pages are stored already (reextract), their bodies are not compressed again."""
    from pipelines.concurrency import default_workers
    from pipelines.extraction_pool import ExtractionPool
    from pipelines.processing import extract_article_step, extract_step

    task = extract_article_step if stored else extract_step
    pool = ExtractionPool(default_workers() if workers is None else workers, task=task)
    try:
        yield pool
    finally:
        pool.close()


@contextmanager
def _progress(total: int | None) -> Iterator[OnPage]:
    """A rich progress bar over pages (files for ingest); failures are printed as they happen."""
    from rich.console import Console
    from rich.progress import Progress

    with Progress(console=Console(stderr=True), transient=True) as bar:
        task = bar.add_task("pages", total=total)

        def on_page(label: str, outcome: PageOutcome) -> None:
            if outcome.outcome == "failed":
                bar.console.print(f"[red]failed[/red] {label}: {outcome.reason}")
            bar.advance(task)

        yield on_page


def _print(report: Report) -> None:
    from rich.console import Console
    from rich.table import Table

    from storage.runs import COUNT_KEYS

    table = Table(title="ingest")
    table.add_column("outcome")
    table.add_column("count", justify="right")
    for key in COUNT_KEYS:
        table.add_row(key, str(report.counts.get(key, 0)))
    for reason, count in report.failures.most_common():
        table.add_row(f"  {reason}", str(count))
    Console().print(table)
