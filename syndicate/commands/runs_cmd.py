"""`syndicate runs [KEY]`: crawl history, newest first, with failures by reason."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.table import Table

from storage.database import database_url, make_engine, session_scope, upgrade
from storage.records import RunSummary
from storage.runs import list_runs
from syndicate.commands.db_cmd import DbOption
from syndicate.console import console


def register(app: typer.Typer) -> None:
    app.command("runs")(runs)


def runs(
    key: Annotated[str | None, typer.Argument(help="Only this source's runs")] = None,
    limit: Annotated[int, typer.Option(min=1, help="How many runs")] = 20,
    db: DbOption = None,
) -> None:
    """When each crawl ran, how long, pages, articles new/updated/unchanged, failures by reason."""
    engine = make_engine(database_url(db))
    upgrade(engine)
    with session_scope(engine) as session:
        summaries = list_runs(session, key, limit=limit)
    engine.dispose()
    if not summaries:
        typer.echo("no crawl runs yet" + (f" for {key}" if key else ""))
        return
    console().print(runs_table(summaries))


def runs_table(summaries: list[RunSummary]) -> Table:
    table = Table("run", "source", "started (UTC)", "seconds", "status", "pages", "new")
    for column in ("updated", "unchanged", "dropped", "failed", "failures by reason"):
        table.add_column(column)
    for run in summaries:
        seconds = f"{run.seconds:.1f}" if run.seconds is not None else "-"
        failures = "; ".join(f"{reason}: {n}" for reason, n in sorted(run.failures.items()))
        table.add_row(
            str(run.id),
            run.source,
            run.started_at.strftime("%Y-%m-%d %H:%M:%S"),
            seconds,
            run.status,
            *(str(run.counts.get(k, 0)) for k in ("pages", "new", "updated", "unchanged")),
            *(str(run.counts.get(k, 0)) for k in ("dropped", "failed")),
            failures or "-",
        )
    return table
