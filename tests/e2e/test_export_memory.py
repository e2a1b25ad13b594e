"""`syndicate export` streams: exporting 100,000 articles takes no more memory than 10,000.

The database holds two articles stored through the real processing path (an El Comercio
original and an aggregator's credited copy of it) and then many copies of the credited one,
inserted by SQL with their own URLs and short bodies, so every exported entry goes through
the attribution lookup. Each export runs in its own process; its peak RSS is read from the
kernel (getrusage), for JSON Lines and for Atom. About a minute on two idle cores.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from sqlalchemy import Engine, String, cast, insert, literal, select

from extractors.source_rules import PublisherRegistry
from storage.database import make_engine, session_scope, upgrade
from storage.models import ArticleRow
from storage.repository import ensure_source
from tests.support import stored_articles
from tests.support.paths import REPOSITORY
from tests.support.sources import ELCOMERCIO, GLOBALHAPPENINGS

SMALL, LARGE = 10_000, 100_000
ALLOWED_GROWTH_MB = 30.0
KINDS = ("jsonl", "atom")
# Runs the command in its arguments (its output discarded) and prints that child's peak RSS.
LAUNCHER = """
import resource, subprocess, sys
done = subprocess.run(sys.argv[1:], stdout=subprocess.DEVNULL)
print(resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)
sys.exit(done.returncode)
"""
SENTENCE = ": Putin visits Lukashenko; will Belarus take a more active role in the war?"


def add_copies(engine: Engine, article_id: int, first: int, stop: int) -> None:
    """Copies `first` to `stop - 1` of a stored article, made by one INSERT … SELECT (fast):
    the same attribution and linked original, their own URL and a short body."""
    table, template = ArticleRow.__table__, ArticleRow.__table__.alias("template")
    numbers = select(literal(first).label("n")).cte("numbers", recursive=True)
    numbers = numbers.union_all(select(numbers.c.n + 1).where(numbers.c.n < stop - 1))
    number = cast(numbers.c.n, String)
    url = literal("https://globalhappenings.example/copy-") + number + literal("/")
    text = literal("Copy ") + number + literal(SENTENCE)
    changed = {"url": url, "canonical_url": url, "text": text}
    changed["html"] = literal("<p>") + text + literal("</p>")
    names = [column.name for column in table.columns if column.name != "id"]
    rows = select(*(changed.get(name, template.c[name]) for name in names))
    rows = rows.select_from(numbers).join(template, template.c.id == article_id)
    with engine.begin() as connection:
        connection.execute(insert(ArticleRow).from_select(names, rows))


def peak_rss_mb(url: str, expected: int) -> dict[str, float]:
    """Peak resident memory in MB of a JSON Lines and an Atom export, run side by side; exit
    status and counts checked. Each export is started by a small launcher process: a child
    forked from pytest would count pytest's own memory in its peak (Linux keeps the high-water
    mark across exec)."""
    launch = [sys.executable, "-c", LAUNCHER, sys.executable, "-m", "syndicate", "export"]
    processes = {
        kind: subprocess.Popen(
            [*launch, "--format", kind, "--db", url],
            cwd=REPOSITORY,
            stdout=subprocess.PIPE,
            stderr=subprocess.PIPE,
            text=True,
        )
        for kind in KINDS
    }
    peaks = {}
    for kind, process in processes.items():
        peak, stderr = process.communicate()
        assert process.returncode == 0, stderr
        assert stderr == f"exported {expected} articles to stdout\n"
        peaks[kind] = int(peak) / 1024  # kilobytes on Linux
    return peaks


@pytest.mark.timeout(600)  # a loaded machine; about a minute on two idle cores
def test_exporting_ten_times_more_articles_takes_no_more_memory(
    tmp_path: Path, registry: PublisherRegistry
) -> None:
    url = f"sqlite:///{tmp_path / 'many.db'}"
    engine = make_engine(url)
    upgrade(engine)
    with session_scope(engine) as session:
        ensure_source(session, ELCOMERCIO)
        ensure_source(session, GLOBALHAPPENINGS)
    stored_articles.store(engine, registry, "original")
    copy = stored_articles.store(engine, registry, "seed")
    add_copies(engine, copy, 1, SMALL - 1)
    small = peak_rss_mb(url, SMALL)
    add_copies(engine, copy, SMALL - 1, LARGE - 1)
    engine.dispose()
    large = peak_rss_mb(url, LARGE)
    growth = {kind: large[kind] - small[kind] for kind in small}
    print(f"peak RSS MB: {SMALL:,} articles {small}, {LARGE:,} articles {large}")
    assert all(grown < ALLOWED_GROWTH_MB for grown in growth.values()), growth
