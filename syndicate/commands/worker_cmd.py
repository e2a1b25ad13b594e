"""`syndicate worker [KEY…] [--exit-when-idle SECONDS] [--db URL]`: join crawls through Redis.

A worker works on the runs that `syndicate crawl KEY` (or the scheduler) started on any
machine sharing `SYNDICATE_REDIS_URL` and the database: it takes requests from the run's
queue in Redis, stores what it fetches, and adds its counts to the run's one row
(docs/distributed.md). Without KEYs it serves every source with a running run whose source
file it has. Exit codes (README): 0 it stopped when idle or by a signal; 1 Redis or the
database is unusable, or either was lost mid-crawl; 2 usage or configuration error.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Annotated

import typer

from syndicate.commands.crawl_cmd import (
    SetOption,
    VerboseOption,
    apply_options,
    check_redis,
    crawl_settings,
    usable_database,
)
from syndicate.commands.db_cmd import DbOption
from syndicate.commands.exits import EXIT_FAILED, fail
from syndicate.commands.sources_cmd import catalog_or_exit, source_or_exit

if TYPE_CHECKING:
    from pipelines.worker_supervisor import LeftRun


def register(app: typer.Typer) -> None:
    app.command("worker")(worker)


def worker(
    keys: Annotated[
        list[str] | None, typer.Argument(help="Sources to work for (default: every source)")
    ] = None,
    *,
    exit_when_idle: Annotated[
        float | None,
        typer.Option(
            "--exit-when-idle",
            min=0,
            help="Exit after SECONDS with no running crawl to join (default: run until stopped)",
        ),
    ] = None,
    verbose: VerboseOption = False,
    db: DbOption = None,
    setting: SetOption = None,
) -> None:
    """Join running crawls from the shared Redis queue (SYNDICATE_REDIS_URL), on any machine."""
    catalog = catalog_or_exit()
    chosen = [source_or_exit(catalog, key).key for key in dict.fromkeys(keys or [])]
    url = usable_database(db, "worker")
    settings = crawl_settings(database=url, limit=0, since=None, refresh=False)
    apply_options("worker", settings, verbose=verbose, setting=setting)
    redis_url = settings.get("SYNDICATE_REDIS_URL")
    if not redis_url:
        fail("worker", "SYNDICATE_REDIS_URL is not set: workers join crawls through Redis")
    check_redis("worker", redis_url)

    import redis
    from scrapy.crawler import CrawlerProcess

    from pipelines.run_board import (
        DEFAULT_PREFIX,
        DEFAULT_TTL_SECONDS,
        PREFIX_SETTING,
        TTL_SETTING,
        RunBoard,
    )
    from pipelines.worker_supervisor import WorkerSupervisor

    board = RunBoard(
        redis.Redis.from_url(redis_url, socket_timeout=10, socket_connect_timeout=5),
        settings.get(PREFIX_SETTING) or DEFAULT_PREFIX,
        settings.getfloat(TTL_SETTING, DEFAULT_TTL_SECONDS) or DEFAULT_TTL_SECONDS,
    )
    supervisor = WorkerSupervisor(
        CrawlerProcess(settings),
        board,
        sources=chosen or None,
        known=set(catalog.keys()),
        exit_when_idle=exit_when_idle,
        on_left=_report,
    )
    supervisor.run()
    if supervisor.lost is not None:
        fail("worker", f"lost {supervisor.lost}: stopped", EXIT_FAILED)


def _report(left: LeftRun) -> None:
    """One line per run this worker leaves: its own share of the run's counts."""
    from pipelines.outcomes import counts

    shares = " ".join(f"{k}={v}" for k, v in counts(left.crawler.stats).items())
    typer.echo(f"{left.source}: left run {left.run_id}: {shares}")
