"""Ingest benchmark: articles/s into SQLite and PostgreSQL, first run and unchanged rerun.

    python -m benchmarks.ingest_bench [--pages 1000] [--postgres URL]

Pages are distinct articles made from the real saved El Comercio page (only title, slug
and paragraphs differ), stored one transaction per page exactly as `syndicate ingest`
does (`pipelines.backfill.ingest_pages` -> `process_page`). Extraction time is measured
apart from database time (storing the raw page, upsert, versions, syndication links).
PostgreSQL runs in a throwaway schema of --postgres (default $TEST_DATABASE_URL) and is
skipped when neither is given.
"""

from __future__ import annotations

import argparse
import os
import tempfile
import time
from datetime import UTC, datetime, timedelta
from pathlib import Path

from rich.console import Console
from rich.table import Table

from pipelines.backfill import Report, ingest_pages
from storage.database import make_engine, upgrade
from storage.records import FetchedPage
from tests.support.databases import postgres_schema
from tests.support.pagegen import numbered_page
from tests.support.sources import ELCOMERCIO

RULES = ELCOMERCIO  # the shared sample source (tests/support/sources.py)
T0 = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)


def pages(count: int, fetched_at: datetime) -> list[tuple[str, FetchedPage]]:
    made = (numbered_page(n) for n in range(count))
    headers = {"Content-Type": "text/html; charset=utf-8"}
    return [(url, FetchedPage(url, url, 200, headers, body, fetched_at)) for url, body in made]


def run(url: str, count: int) -> list[tuple[str, Report, float]]:
    """(label, report, wall seconds) of the first ingest and the unchanged rerun."""
    engine = make_engine(url)
    upgrade(engine)
    results = []
    for label, day in (("first", 0), ("unchanged rerun", 1)):
        batch = pages(count, T0 + timedelta(days=day))
        started = time.perf_counter()
        report = ingest_pages(engine, batch, RULES, None, started_at=T0, clock=lambda: T0)
        results.append((label, report, time.perf_counter() - started))
    engine.dispose()
    return results


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=1000)
    parser.add_argument("--postgres", default=os.environ.get("TEST_DATABASE_URL"))
    args = parser.parse_args()
    table = Table(title=f"ingest of {args.pages} pages (one transaction per page)")
    for column in (
        "database",
        "run",
        "new",
        "unchanged",
        "failed",
        "articles/s",
        "extraction s",
        "database s",
        "articles/s (db only)",
    ):
        table.add_column(column, justify="left" if column in ("database", "run") else "right")
    with tempfile.TemporaryDirectory() as folder:
        targets = [("SQLite", f"sqlite:///{Path(folder) / 'bench.db'}")]
        for name, url in targets:
            _rows(table, name, run(url, args.pages))
    if args.postgres:
        with postgres_schema(args.postgres) as url:
            _rows(table, "PostgreSQL", run(url, args.pages))
    Console(width=150).print(table)


def _rows(table: Table, name: str, results: list[tuple[str, Report, float]]) -> None:
    for label, report, wall in results:
        counts = report.counts
        table.add_row(
            name,
            label,
            str(counts["new"]),
            str(counts["unchanged"]),
            str(counts["failed"]),
            f"{counts['pages'] / wall:.0f}",
            f"{report.extract_seconds:.1f}",
            f"{report.store_seconds:.1f}",
            f"{counts['pages'] / report.store_seconds:.0f}",
        )


if __name__ == "__main__":
    main()
