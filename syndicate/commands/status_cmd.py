"""`syndicate sources status [KEY…] [--json]`: each source's health at a glance, for operators
(a table) and monitoring scripts (one JSON document). Read-only, like `syndicate runs`."""

from __future__ import annotations

import json
from datetime import UTC, datetime, timedelta
from typing import TYPE_CHECKING, Annotated

import typer

from syndicate.commands.db_cmd import DbOption, read_only_engine
from syndicate.commands.exits import EXIT_INVALID
from syndicate.commands.sources_cmd import (
    catalog_or_exit,
    source_or_exit,
    sources_app,
)
from syndicate.console import console

if TYPE_CHECKING:  # the database layer loads when the command runs, not for --help
    from rich.table import Table

    from pipelines.health import SourceStatus
    from spiders.config import SourceConfig
    from storage.records import RunSummary


def register(app: typer.Typer) -> None:
    """`status` joins the `sources` group (sources_cmd puts it on `app`); a module of its
    own keeps sources_cmd small."""
    sources_app.command("status")(status)


def status(
    keys: Annotated[list[str] | None, typer.Argument(help="Only these sources")] = None,
    json_output: Annotated[
        bool, typer.Option("--json", help="One JSON document, for scripts")
    ] = False,
    db: DbOption = None,
) -> None:
    """Each source's last run, last success and failure, articles stored lately, schedule,
    next run and health flags (recent runs failing, storing nothing, dropping most pages)."""
    from pipelines.health import source_statuses
    from pipelines.health_json import status_json
    from pipelines.lease import process_gone
    from storage.database import session_scope

    configs = chosen_sources(keys)
    now = clock()
    engine = read_only_engine("sources status", db)
    try:
        with session_scope(engine) as session:
            statuses = source_statuses(session, configs, now=now, gone=process_gone)
    finally:
        engine.dispose()
    if json_output:
        document = [status_json(s) for s in statuses]
        typer.echo(json.dumps(document, indent=2, ensure_ascii=False))
    else:
        console().print(status_table(statuses, now))


def clock() -> datetime:
    """The time the status is taken at (tests pin it)."""
    return datetime.now(UTC)


def chosen_sources(keys: list[str] | None) -> list[SourceConfig]:
    """The sources asked for (all by default); exit 2 for an unknown key or a bad default."""
    from spiders.schedules import default_interval

    catalog = catalog_or_exit()
    configs = [source_or_exit(catalog, key) for key in keys] if keys else catalog.configs()
    try:
        default_interval()
    except ValueError as exc:
        typer.echo(str(exc), err=True)
        raise typer.Exit(EXIT_INVALID) from None
    return configs


def status_table(statuses: list[SourceStatus], now: datetime) -> Table:
    from rich.table import Table

    from pipelines.health_json import ended

    table = Table("source", "last run", "last success", "last failure", "articles 24 h / 7 d")
    for column in ("schedule", "next run (UTC)", "flags"):
        table.add_column(column)
    for status in statuses:
        facts = status.facts
        success, failure = facts.last_success, facts.last_failure
        table.add_row(
            facts.source,
            last_run_cell(facts.last_run, now),
            ago(success.finished_at, now) if success and success.finished_at else "-",
            f"{ago(ended(failure), now)}: {failure.reason or failure.status}" if failure else "-",
            f"{facts.articles_day} / {facts.articles_week}",
            status.schedule,
            when(status.next_run, now),
            "\n".join(flag.message for flag in status.flags) or "ok",
        )
    return table


def last_run_cell(run: RunSummary | None, now: datetime) -> str:
    if run is None:
        return "-"
    took = f", took {span(timedelta(seconds=run.seconds))}" if run.seconds is not None else ""
    return f"{run.status} {ago(run.started_at, now)}{took}"


def ago(moment: datetime, now: datetime) -> str:
    """ "3h ago": how long ago, as people scan a table (the JSON has the times)."""
    return f"{span(now - moment)} ago"


def when(moment: datetime | None, now: datetime) -> str:
    if moment is None:
        return "-"
    return "now" if moment <= now else f"{moment:%Y-%m-%d %H:%M} (in {span(moment - now)})"


def span(delta: timedelta) -> str:
    """A duration as source files write them: "45s", "50m", "3h", "2d" (rounded down)."""
    seconds = max(0, int(delta.total_seconds()))
    for unit, size in (("d", 86400), ("h", 3600), ("m", 60)):
        if seconds >= size:
            return f"{seconds // size}{unit}"
    return f"{seconds}s"
