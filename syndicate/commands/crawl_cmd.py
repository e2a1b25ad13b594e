"""`syndicate crawl KEY… | --all [--limit N] [--since DATE] [--refresh] [--db URL]`.

Runs Scrapy in this process with the project's settings. Exit 0 when the crawl ran,
even if pages failed (they are recorded in `crawl_runs`); exit 2 when it could not
start (unknown source, bad date, invalid source files), 1 when the database is unusable.
"""

from __future__ import annotations

from datetime import date
from typing import Annotated

import typer
from scrapy.crawler import CrawlerProcess
from scrapy.settings import Settings

from pipelines.database import migrate_once
from storage.database import database_url, make_engine, session_scope
from storage.runs import list_runs
from syndicate.commands.db_cmd import DbOption
from syndicate.commands.sources_cmd import EXIT_INVALID, catalog_or_exit, source_or_exit

SETTINGS_MODULE = "syndicate.scrapy_settings"


def register(app: typer.Typer) -> None:
    app.command("crawl")(crawl)


def crawl(
    keys: Annotated[list[str] | None, typer.Argument(help="Source keys to crawl")] = None,
    *,
    all_sources: Annotated[bool, typer.Option("--all", help="Crawl every source")] = False,
    limit: Annotated[int, typer.Option(min=0, help="At most N article pages per source")] = 0,
    since: Annotated[
        str | None, typer.Option(help="Backfill dated sitemaps from YYYY-MM-DD")
    ] = None,
    refresh: Annotated[bool, typer.Option(help="Fetch stored articles again")] = False,
    db: DbOption = None,
    setting: Annotated[
        list[str] | None, typer.Option("--set", help="Scrapy setting NAME=VALUE (repeatable)")
    ] = None,
) -> None:
    """Crawl sources now: discover, fetch, extract, store; every page's outcome is recorded."""
    chosen = _chosen_keys(keys or [], all_sources)
    settings = crawl_settings(
        database=usable_database(db), limit=limit, since=_since(since), refresh=refresh
    )
    for item in setting or []:
        name, sep, value = item.partition("=")
        if not sep:
            _fail(f"--set {item!r}: expected NAME=VALUE")
        settings.set(name, value, priority="cmdline")
    process = CrawlerProcess(settings)
    for key in chosen:
        process.crawl(key)
    process.start()
    report(settings.get("SYNDICATE_DATABASE_URL"), chosen)


def crawl_settings(*, database: str, limit: int, since: date | None, refresh: bool) -> Settings:
    """The project's Scrapy settings with this crawl's options on top."""
    settings = Settings()
    settings.setmodule(SETTINGS_MODULE, priority="project")
    overrides = {
        "SYNDICATE_DATABASE_URL": database,
        "SYNDICATE_LIMIT": limit,
        "SYNDICATE_REFRESH": refresh,
        "SYNDICATE_SINCE": since.isoformat() if since else None,
    }
    settings.setdict(overrides, priority="cmdline")
    return settings


def _fail(message: str, code: int = EXIT_INVALID) -> None:
    typer.echo(f"syndicate crawl: {message}", err=True)
    raise typer.Exit(code)


def _chosen_keys(keys: list[str], all_sources: bool) -> list[str]:
    catalog = catalog_or_exit()
    if all_sources == bool(keys):
        _fail("give source keys or --all (not both)")
    return (
        catalog.keys()
        if all_sources
        else [source_or_exit(catalog, key).key for key in dict.fromkeys(keys)]
    )


def _since(value: str | None) -> date | None:
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        _fail(f"--since {value!r} is not a date like 2024-01-31")
    return None


def usable_database(cli_value: str | None) -> str:
    """The database URL, migrated to the current schema; a clear error if it cannot be opened."""
    url = database_url(cli_value)
    try:
        migrate_once(url)
    except Exception as exc:  # any driver or URL error: report it plainly, do not crawl
        _fail(f"cannot use database {url}: {exc}", code=1)
    return url


def report(url: str, keys: list[str]) -> None:
    """One line per source from its newest run; exit 1 if a crawl never started."""
    engine = make_engine(url)
    missing = []
    with session_scope(engine) as session:
        for key in keys:
            runs = list_runs(session, key, limit=1)
            if not runs or runs[0].status == "running":
                missing.append(key)
                continue
            run = runs[0]
            counts = " ".join(f"{k}={v}" for k, v in run.counts.items())
            typer.echo(f"{key}: run {run.id} {run.status}: {counts}")
            for reason, count in sorted(run.failures.items()):
                typer.echo(f"    {count} × {reason}")
    engine.dispose()
    if missing:
        _fail(f"the crawl of {', '.join(missing)} did not run to the end; see the log above", 1)
