"""`syndicate schedule [KEY…] [--stop-after DURATION] [--max-crawls N] [--db URL]`.

Runs until SIGTERM, SIGINT or --stop-after; then stops its running crawls cleanly (they
record `stopped`) and exits 0. Logs what it starts, why, and how each run ended.
"""

from __future__ import annotations

import logging
import signal
import threading
from types import FrameType
from typing import Annotated

import typer

from spiders.durations import parse_duration
from syndicate.commands.crawl_cmd import usable_database
from syndicate.commands.db_cmd import DbOption
from syndicate.commands.exits import fail
from syndicate.commands.sources_cmd import catalog_or_exit, source_or_exit

DEFAULT_MAX_CRAWLS = 4


def register(app: typer.Typer) -> None:
    app.command("schedule")(schedule)


def schedule(
    keys: Annotated[list[str] | None, typer.Argument(help="Only these sources")] = None,
    stop_after: Annotated[
        str | None, typer.Option(help="Stop after this long, like 90s or 8h (default: never)")
    ] = None,
    max_crawls: Annotated[
        int, typer.Option(min=1, help="At most this many crawls at the same time")
    ] = DEFAULT_MAX_CRAWLS,
    db: DbOption = None,
) -> None:
    """Crawl every source on its schedule table (default interval for the others) until stopped."""
    from spiders.schedules import default_interval, default_time_limit
    from syndicate.scheduler import CrawlScheduler  # APScheduler and Scrapy: only when it runs

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(levelname)s %(message)s")
    for chatty in ("alembic", "apscheduler"):  # migrations and job bookkeeping: warnings only
        logging.getLogger(chatty).setLevel(logging.WARNING)
    seconds = _duration("--stop-after", stop_after) if stop_after else None
    catalog = catalog_or_exit()
    configs = [source_or_exit(catalog, key) for key in keys] if keys else catalog.configs()
    try:
        default_interval()
        time_limit = default_time_limit()
    except ValueError as exc:
        fail("schedule", str(exc))
    scheduler = CrawlScheduler(
        configs, database=usable_database(db), default_time_limit=time_limit, max_crawls=max_crawls
    )
    done = threading.Event()
    _on_signals(done)
    scheduler.start()
    done.wait(timeout=seconds)
    logging.getLogger("syndicate.schedule").info("stopping")
    scheduler.stop()


def _on_signals(done: threading.Event) -> None:
    def handler(signum: int, _frame: FrameType | None) -> None:
        logging.getLogger("syndicate.schedule").info("%s received", signal.Signals(signum).name)
        done.set()

    signal.signal(signal.SIGTERM, handler)
    signal.signal(signal.SIGINT, handler)


def _duration(option: str, value: str) -> int:
    try:
        return parse_duration(value)
    except ValueError as exc:
        fail("schedule", f"{option}: {exc}")
    return 0
