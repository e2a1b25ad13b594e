"""`syndicate crawl KEY… | --all [--limit N] [--since DATE] [--refresh] [--wait] [--db URL]`.

Runs Scrapy in this process with the project's settings and reports the runs THIS process
created. Exit codes (README): 0 every crawl finished; 1 a crawl failed or was stopped (or
the database or the shared Redis is unusable); 2 usage or configuration error; 75 a source is being crawled
by another run (one line names it; `--wait` waits for it instead).
"""

from __future__ import annotations

import time
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import TYPE_CHECKING, Annotated

import typer

from syndicate.commands.db_cmd import DbOption, migrated_database, shown
from syndicate.commands.exits import EXIT_BUSY, EXIT_FAILED, fail
from syndicate.commands.sources_cmd import catalog_or_exit, source_or_exit

if TYPE_CHECKING:  # Scrapy, SQLAlchemy and storage load when a crawl runs, not for --help
    from scrapy.crawler import Crawler
    from scrapy.settings import Settings
    from sqlalchemy.orm import Session

    from storage.leases import LeaseInfo

SETTINGS_MODULE = "syndicate.scrapy_settings"
# Options `crawl` and `worker` share.
VerboseOption = Annotated[
    bool, typer.Option("--verbose", "-v", help="Scrapy's log (and stats) on stderr")
]
SetOption = Annotated[
    list[str] | None, typer.Option("--set", help="Scrapy setting NAME=VALUE (repeatable)")
]
WAIT_POLL_SECONDS = 2.0


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
    wait: Annotated[
        bool, typer.Option(help="Wait for a crawl of the same source to end instead of exit 75")
    ] = False,
    verbose: VerboseOption = False,
    db: DbOption = None,
    setting: SetOption = None,
) -> None:
    """Crawl sources now: discover, fetch, extract, store; every page's outcome is recorded."""
    from storage.leases import describe

    chosen = _chosen_keys(keys or [], all_sources)
    url = usable_database(db)
    settings = crawl_settings(database=url, limit=limit, since=_since(since), refresh=refresh)
    apply_options("crawl", settings, verbose=verbose, setting=setting)
    check_redis("crawl", settings.get("SYNDICATE_REDIS_URL"))
    busy = _wait_until_free(url, chosen) if wait else _busy(url, chosen)
    for info in busy:
        typer.echo(f"syndicate crawl: {describe(info)}", err=True)
    free = [key for key in chosen if key not in {info.source for info in busy}]
    outcomes = run_crawls(settings, free) if free else []
    raise typer.Exit(report(url, outcomes, busy=bool(busy)))


@dataclass(frozen=True, slots=True)
class CrawlOutcome:
    """What one crawler of this process did: its run, or the holder that kept it out."""

    source: str
    run_id: int | None
    busy: str | None
    unrecorded: bool = False  # the database was gone when the run ended


def run_crawls(settings: Settings, keys: list[str]) -> list[CrawlOutcome]:
    """Crawl `keys` in one Scrapy process, with progress on stderr; each crawler's outcome."""
    from scrapy.crawler import CrawlerProcess

    from syndicate.progress import SETTING as PROGRESS_SETTING
    from syndicate.progress import ProgressBoard

    with ProgressBoard() as board:
        settings.set(PROGRESS_SETTING, board, priority="cmdline")
        extensions = settings.getdict("EXTENSIONS") | {"syndicate.progress.CrawlProgress": 600}
        settings.set("EXTENSIONS", extensions, priority="cmdline")
        process = CrawlerProcess(settings)
        crawlers: list[Crawler] = [process.create_crawler(key) for key in keys]
        for crawler in crawlers:
            process.crawl(crawler)
        process.start()
    return [_outcome(key, crawler) for key, crawler in zip(keys, crawlers, strict=True)]


def _outcome(key: str, crawler: Crawler) -> CrawlOutcome:
    from pipelines.runs import BUSY_STAT, RUN_ID_STAT, UNRECORDED_STAT

    stats = crawler.stats.get_stats() if crawler.stats is not None else {}
    run_id = stats.get(RUN_ID_STAT)
    return CrawlOutcome(
        key,
        int(run_id) if run_id is not None else None,
        stats.get(BUSY_STAT),
        unrecorded=bool(stats.get(UNRECORDED_STAT)),
    )


def crawl_settings(*, database: str, limit: int, since: date | None, refresh: bool) -> Settings:
    """The project's Scrapy settings with this crawl's options on top."""
    from scrapy.settings import Settings

    settings = Settings()
    try:
        settings.setmodule(SETTINGS_MODULE, priority="project")
    except ValueError as exc:  # a bad $SYNDICATE_TIME_LIMIT or similar
        fail("crawl", f"invalid setting: {exc}")
    overrides = {
        "SYNDICATE_DATABASE_URL": database,
        "SYNDICATE_LIMIT": limit,
        "SYNDICATE_REFRESH": refresh,
        "SYNDICATE_SINCE": since.isoformat() if since else None,
    }
    settings.setdict(overrides, priority="cmdline")
    return settings


def apply_options(
    command: str, settings: Settings, *, verbose: bool, setting: list[str] | None
) -> None:
    """--verbose and every --set NAME=VALUE onto the crawl settings (exit 2 on a bad one)."""
    settings.set("LOG_LEVEL", "INFO" if verbose else "WARNING", priority="cmdline")
    for item in setting or []:
        name, sep, value = item.partition("=")
        if not sep:
            fail(command, f"--set {item!r}: expected NAME=VALUE")
        settings.set(name, value, priority="cmdline")


def _busy(url: str, keys: list[str]) -> list[LeaseInfo]:
    """The sources of `keys` another live run is crawling now."""
    from pipelines.lease import process_gone
    from storage.database import make_engine, session_scope
    from storage.leases import holder_of

    engine = make_engine(url)
    try:
        with session_scope(engine) as session:
            now = datetime.now(UTC)
            found = [holder_of(session, key, now=now, gone=process_gone) for key in keys]
    finally:
        engine.dispose()
    return [info for info in found if info is not None]


def _wait_until_free(url: str, keys: list[str]) -> list[LeaseInfo]:
    """Wait (saying so once per source) until no other run holds any of `keys`."""
    from storage.leases import describe

    told: set[str] = set()
    while busy := _busy(url, keys):
        for info in busy:
            if info.source not in told:
                typer.echo(f"syndicate crawl: waiting: {describe(info)}", err=True)
                told.add(info.source)
        time.sleep(WAIT_POLL_SECONDS)
    return []


def _chosen_keys(keys: list[str], all_sources: bool) -> list[str]:
    catalog = catalog_or_exit()
    if all_sources == bool(keys):
        fail("crawl", "give source keys or --all (not both)")
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
        fail("crawl", f"--since {value!r} is not a date like 2024-01-31")
    return None


def check_redis(command: str, url: str | None) -> None:
    """With a shared Redis configured, it must answer before any run starts: else one line
    naming it (password hidden) and why, and exit 1."""
    if not url:
        return
    from pipelines.redis_health import redis_problem

    if (problem := redis_problem(url)) is not None:
        fail(command, f"cannot use Redis {shown(url)}: {problem}", EXIT_FAILED)


def usable_database(cli_value: str | None, command: str = "crawl") -> str:
    """The database URL, migrated to the current schema; one line (password hidden) and
    exit 2 (bad URL or driver) or 1 (unreachable) if it cannot be used."""
    from pipelines.database import migrate_once

    return migrated_database(command, cli_value, migrate_once)


def report(url: str, outcomes: list[CrawlOutcome], *, busy: bool = False) -> int:
    """One line per crawl from the run it created; the exit code they add up to."""
    from sqlalchemy.exc import SQLAlchemyError

    from storage.database import make_engine, session_scope

    unrecorded = [outcome for outcome in outcomes if outcome.unrecorded]
    recorded = [outcome for outcome in outcomes if not outcome.unrecorded]
    codes = [_database_lost(unrecorded)] if unrecorded else []
    engine = make_engine(url)
    try:
        with session_scope(engine) as session:
            codes += [_report_one(session, outcome) for outcome in recorded]
    except SQLAlchemyError:
        codes.append(_database_lost(recorded))
    finally:
        engine.dispose()
    if EXIT_FAILED in codes:
        return EXIT_FAILED
    return EXIT_BUSY if busy or EXIT_BUSY in codes else 0


def _database_lost(outcomes: list[CrawlOutcome]) -> int:
    """The database went away: say which runs could not be recorded (exit 1). A crawler
    turned away as busy is still reported as such."""
    from pipelines.run_status import DATABASE_LOST

    for outcome in outcomes:
        if outcome.busy is not None:
            typer.echo(f"syndicate crawl: {outcome.busy}", err=True)
        elif outcome.run_id is not None:
            typer.echo(
                f"{outcome.source}: run {outcome.run_id} failed ({DATABASE_LOST}): its record "
                "could not be written; the next crawl of the source marks it abandoned",
                err=True,
            )
    return EXIT_FAILED


def _report_one(session: Session, outcome: CrawlOutcome) -> int:
    """Print what one crawler did; its exit code."""
    from storage.runs import get_run

    if outcome.busy is not None:
        typer.echo(f"syndicate crawl: {outcome.busy}", err=True)
        return EXIT_BUSY
    run = get_run(session, outcome.run_id) if outcome.run_id is not None else None
    if run is None:
        typer.echo(f"{outcome.source}: the crawl did not start; see the log above", err=True)
        return EXIT_FAILED
    counts = " ".join(f"{k}={v}" for k, v in run.counts.items())
    why = f" ({run.reason})" if run.reason else ""
    typer.echo(f"{outcome.source}: run {run.id} {run.status}{why}: {counts}")
    for reason, count in sorted(run.failures.items()):
        typer.echo(f"    {count} × {reason}")
    return 0 if run.status == "finished" else EXIT_FAILED
