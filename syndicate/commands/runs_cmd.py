"""`syndicate runs [KEY] [--failed] [--json]`: crawl history, newest first, with failures by
reason. Read-only: it never creates or migrates the database (exit 1 names a missing one)."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Annotated

import typer

from syndicate.commands.db_cmd import DbOption, read_only_engine
from syndicate.console import console

if TYPE_CHECKING:  # the database layer loads when the command runs, not for --help
    from rich.table import Table

    from storage.records import RunSummary


def register(app: typer.Typer) -> None:
    app.command("runs")(runs)


def runs(
    key: Annotated[str | None, typer.Argument(help="Only this source's runs")] = None,
    failed: Annotated[
        bool, typer.Option("--failed", help="Only failed, stopped and abandoned runs")
    ] = False,
    json_output: Annotated[bool, typer.Option("--json", help="A JSON list, for scripts")] = False,
    limit: Annotated[int, typer.Option(min=1, help="How many runs")] = 20,
    db: DbOption = None,
) -> None:
    """When each crawl ran, how long, pages, articles new/updated/unchanged, failures by reason."""
    from pipelines.health_json import run_json
    from storage.database import session_scope
    from storage.health import failed_runs
    from storage.runs import list_runs

    engine = read_only_engine("runs", db)
    try:
        with session_scope(engine) as session:
            summaries = (failed_runs if failed else list_runs)(session, key, limit=limit)
    finally:
        engine.dispose()
    if json_output:
        typer.echo(json.dumps([run_json(run) for run in summaries], indent=2, ensure_ascii=False))
    elif not summaries:
        kind = "failed crawl runs" if failed else "crawl runs"
        typer.echo(f"no {kind} yet" + (f" for {key}" if key else ""))
    else:
        console().print(runs_table(summaries))


def runs_table(summaries: list[RunSummary]) -> Table:
    from rich.table import Table

    table = Table("run", "source", "started (UTC)", "seconds", "status", "pages", "new")
    for column in ("updated", "unchanged", "dropped", "failed", "failures by reason", "reason"):
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
            run.reason or "-",
        )
    return table
