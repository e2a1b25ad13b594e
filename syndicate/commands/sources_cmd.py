"""`syndicate sources list | check | test [KEY]`: which sources exist, are valid, still work."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING, Annotated, NoReturn

import typer

from syndicate.commands.exits import EXIT_INVALID
from syndicate.commands.extract_cmd import http_url
from syndicate.console import console

if TYPE_CHECKING:
    from spiders.config import SourceConfig
    from spiders.registry import SourceCatalog

# Source files are read by the commands (pydantic, cssselect); `sources test` and `record`
# import the extractor themselves: neither is needed for --help.

sources_app = typer.Typer(help="List, validate and test source files.", no_args_is_help=True)


def register(app: typer.Typer) -> None:
    app.add_typer(sources_app, name="sources")


def catalog_or_exit(*, strict: bool = False) -> SourceCatalog:
    """The valid sources, each broken file's problems on stderr as a warning (one line each);
    `strict`: every problem on stderr and exit status 2 instead (`sources check`)."""
    from spiders.registry import SourceFileError, load_catalog

    try:
        catalog = load_catalog(strict=False)
    except SourceFileError as exc:  # a bad $SYNDICATE_BUILTIN_SOURCES: no catalogue at all
        _exit_with(exc.problems)
    if strict and catalog.problems:
        _exit_with(catalog.problems)
    for problem in catalog.problems:
        typer.echo(f"warning: {problem}", err=True)
    return catalog


def _exit_with(problems: Sequence[str]) -> NoReturn:
    for problem in problems:
        typer.echo(problem, err=True)
    raise typer.Exit(EXIT_INVALID)


def source_or_exit(catalog: SourceCatalog, key: str) -> SourceConfig:
    """The source `key`, or its file's problems (or "unknown source …; known: …") on stderr
    and exit status 2."""
    if problems := catalog.problems_of(key):
        _exit_with(problems)
    try:
        return catalog.get(key)
    except KeyError as exc:
        typer.echo(exc.args[0], err=True)
        raise typer.Exit(EXIT_INVALID) from None


@sources_app.command("list")
def list_sources() -> None:
    """Each source's key, name, homepage and how it discovers articles."""
    from rich.table import Table

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
    from spiders.registry import source_dirs

    catalog = catalog_or_exit(strict=True)
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
    from spiders.fixture_check import check_source

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
    url: Annotated[str, typer.Option(help="The URL the page was saved from", callback=http_url)],
    force: Annotated[
        bool, typer.Option("--force", help="Overwrite a fixture's reviewed expected file")
    ] = False,
) -> None:
    """Save a page as a fixture of KEY with the extractor's output as its expected JSON.

    An expected file already there was reviewed by someone: it is kept unless --force."""
    from extractors.errors import ExtractionError
    from spiders.fixture_record import record_fixture

    catalog = catalog_or_exit()
    config = source_or_exit(catalog, key)
    try:
        saved, expected = record_fixture(config, page, url, catalog.publishers(), force=force)
    except (ExtractionError, OSError, ValueError) as exc:
        typer.echo(f"{page}: cannot record: {exc}", err=True)
        raise typer.Exit(1) from None
    typer.echo(
        f"recorded {saved} and {expected}; review them, then run: syndicate sources test {key}"
    )
