"""`syndicate sources list | check | test [KEY]`: which sources exist, are valid, still work."""

from __future__ import annotations

from pathlib import Path
from typing import Annotated

import typer
from rich.table import Table

from extractors.errors import ExtractionError
from spiders.config import SourceConfig
from spiders.fixture_check import check_source
from spiders.fixture_record import record_fixture
from spiders.registry import SourceCatalog, SourceFileError, load_catalog, source_dirs
from syndicate.console import console

EXIT_INVALID = 2

sources_app = typer.Typer(help="List, validate and test source files.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(sources_app, name="sources")


def catalog_or_exit() -> SourceCatalog:
    """The catalog, or every problem on stderr (one line each) and exit status 2."""
    try:
        return load_catalog()
    except SourceFileError as exc:
        for problem in exc.problems:
            typer.echo(problem, err=True)
        raise typer.Exit(EXIT_INVALID) from None


def source_or_exit(catalog: SourceCatalog, key: str) -> SourceConfig:
    """The source `key`, or "unknown source …; known: …" on stderr and exit status 2."""
    try:
        return catalog.get(key)
    except KeyError as exc:
        typer.echo(exc.args[0], err=True)
        raise typer.Exit(EXIT_INVALID) from None


@sources_app.command("list")
def list_sources() -> None:
    """Each source's key, name, homepage and how it discovers articles."""
    catalog = catalog_or_exit()
    table = Table("key", "name", "homepage", "feeds", "sitemaps", "sections", "fixtures")
    for config in catalog.configs():
        d = config.discovery
        table.add_row(
            config.key,
            config.name,
            config.homepage,
            *(str(len(items)) for items in (d.feeds, d.sitemaps, d.sections, config.fixtures)),
        )
    console().print(table)


@sources_app.command("check")
def check_sources() -> None:
    """Validate every source file; exit 2 with one line per problem."""
    catalog = catalog_or_exit()
    folders = ", ".join(str(folder) for folder in source_dirs())
    typer.echo(f"{len(catalog)} source files valid ({folders})")


@sources_app.command("test")
def test_sources(
    key: Annotated[str | None, typer.Argument(help="Only this source (default: all)")] = None,
    update: Annotated[
        bool, typer.Option("--update", help="Rewrite the recorded articles (review the git diff)")
    ] = False,
) -> None:
    """Run each source's saved pages through the extractor; exit 1 if any differs.

    --update rewrites each fixture's recorded article; the reviewed title, date, authors and snippets are still checked, so an update never hides their failure.
    """
    catalog = catalog_or_exit()
    registry = catalog.publishers()
    failed = 0
    for config in [source_or_exit(catalog, key)] if key else catalog.configs():
        for result in check_source(config, registry, update=update):
            typer.echo(f"{result.source}: {result.page}: {result.status}")
            for difference in result.differences:
                typer.echo(f"    {difference}")
            failed += not result.passed
    if failed:
        raise typer.Exit(1)


@sources_app.command("record")
def record(
    key: Annotated[str, typer.Argument(help="Source the page belongs to")],
    page: Annotated[Path, typer.Argument(help="Saved page (.html or .html.gz)", exists=True)],
    url: Annotated[str, typer.Option(help="The URL the page was saved from")],
) -> None:
    """Save a page as a fixture of KEY with the extractor's output as its expected JSON."""
    catalog = catalog_or_exit()
    config = source_or_exit(catalog, key)
    try:
        saved, expected = record_fixture(config, page, url, catalog.publishers())
    except (ExtractionError, OSError, ValueError) as exc:
        typer.echo(f"{page}: cannot record: {exc}", err=True)
        raise typer.Exit(1) from None
    typer.echo(
        f"recorded {saved} and {expected}; review them, then run: syndicate sources test {key}"
    )
