"""`syndicate sources status`: each source's last run, last success and failure, articles
stored lately, next scheduled run and health flags, read from a real database (SQLite and
PostgreSQL) filled through storage's own functions, at a pinned time."""

from __future__ import annotations

import json
from collections.abc import Iterator
from datetime import datetime, timedelta
from pathlib import Path
from typing import Any

import pytest
from rich.console import Console
from sqlalchemy import Engine
from typer.testing import CliRunner

from extractors.article import Article
from pipelines.health import symptoms
from spiders.registry import extra_source_dir, load_catalog
from storage.database import session_scope
from storage.records import RunSummary
from storage.repository import ensure_source, upsert_article
from storage.runs import finish_run, get_run, heartbeat_run, start_run
from syndicate.cli import app
from syndicate.commands import status_cmd
from tests.support.sources import T0

NOW = T0  # 2026-11-01 12:00 UTC
KEYS = ["healthy", "flaky", "idle", "broken", "dropping", "sinking", "busy", "stuck", "fresh"]
SCHEDULES = dict.fromkeys(KEYS, 'interval = "2h"') | {"morning": 'cron = "0 6 * * *"'}
SOURCE = """key = "{key}"
name = "{key} news"
homepage = "https://{key}.example/"
language = "en"
timezone = "UTC"

[discovery]
feeds = ["https://{key}.example/rss.xml"]
article_urls = ['^https://{key}\\.example/news/']

[schedule]
{schedule}
"""
GOOD = {"pages": 4, "new": 2, "updated": 1, "unchanged": 1}
NOTHING: dict[str, int] = {}  # with discovered=0: the listings named no article
QUIET: dict[str, int] = {}  # with links discovered: every listed article is stored already
DROPPING = {"pages": 10, "new": 2, "dropped": 7, "failed": 1}
LISTING_FAILED = "every listing failed (2): nothing could be discovered"


@pytest.fixture
def sources(tmp_path: Path) -> Iterator[list[str]]:
    """The test sources as source files, in the catalog beside the built-in ones."""
    folder = tmp_path / "sources"
    folder.mkdir()
    for key, schedule in SCHEDULES.items():
        text = SOURCE.format(key=key, schedule=schedule)
        (folder / f"{key}.toml").write_text(text, encoding="utf-8")
    with extra_source_dir(folder):
        yield list(SCHEDULES)


@pytest.fixture
def filled(engine: Engine, sources: list[str], monkeypatch: pytest.MonkeyPatch) -> Engine:
    """A database where each test source has the history its name says, the clock at NOW."""
    monkeypatch.setattr(status_cmd, "clock", lambda: NOW)
    catalog = load_catalog()
    with session_scope(engine) as session:
        for key in sources:
            ensure_source(session, catalog.rules(key))
    add_runs(engine)
    return engine


def run(
    engine: Engine,
    source: str,
    hours_ago: float,
    status: str,
    counts: dict[str, int],
    *,
    reason: str | None = None,
    discovered: int = 10,
) -> int:
    """One run that started `hours_ago` and took ten minutes."""
    started = NOW - timedelta(hours=hours_ago)
    with session_scope(engine) as session:
        run_id = start_run(session, source, started, host="crawler-1", pid=100)
        finish_run(
            session,
            run_id,
            finished_at=started + timedelta(minutes=10),
            status=status,
            counts=counts,
            failures={"HTTP 404": counts.get("failed", 0)} if counts.get("failed") else {},
            reason=reason,
            discovered=discovered,
        )
    return run_id


def add_runs(engine: Engine) -> None:
    run(engine, "healthy", 7, "failed", {}, reason=LISTING_FAILED)
    for hours in (5, 3, 1):
        run(engine, "healthy", hours, "finished", GOOD)
    run(engine, "flaky", 5, "finished", GOOD)
    run(engine, "flaky", 3, "finished", GOOD)
    run(engine, "flaky", 1, "failed", {}, reason=LISTING_FAILED)
    run(engine, "idle", 7, "finished", GOOD)
    for hours in (5, 3, 1):
        run(engine, "idle", hours, "finished", NOTHING, discovered=0)
    run(engine, "broken", 5, "failed", {}, reason="nothing could be fetched")
    run(engine, "broken", 3, "abandoned", {"pages": 1}, reason="its process stopped")
    run(engine, "broken", 1, "failed", {}, reason=LISTING_FAILED)
    for hours in (7, 5, 3):
        run(engine, "dropping", hours, "finished", DROPPING)
    run(engine, "dropping", 1, "stopped", GOOD, reason="stopped at the crawl's time limit")
    run(engine, "sinking", 5, "finished", NOTHING, discovered=0)
    run(engine, "sinking", 3, "failed", {}, reason=LISTING_FAILED)
    run(engine, "sinking", 1, "finished", NOTHING, discovered=0)
    run(engine, "morning", 30, "finished", GOOD)


def running(engine: Engine, source: str, started: datetime, beat: datetime) -> int:
    """A run still going on another host, whose last heartbeat was at `beat`."""
    with session_scope(engine) as session:
        run_id = start_run(session, source, started, host="crawler-2", pid=4242)
        heartbeat_run(session, run_id, now=beat, counts={"pages": 3, "new": 3}, failures={})
    return run_id


def store_articles(engine: Engine, source: str, ages: list[timedelta]) -> None:
    """One article per age, first stored that long before NOW."""
    with session_scope(engine) as session:
        for number, age in enumerate(ages):
            url = f"https://{source}.example/news/{number}"
            article = Article(url=url, canonical_url=url, source=source, title="t", text="x y z")
            upsert_article(session, article, seen_at=NOW - age)


def status_json(*args: str, db: str) -> dict[str, dict[str, Any]]:
    result = CliRunner().invoke(app, ["sources", "status", "--json", "--db", db, *args])
    assert result.exit_code == 0, result.output
    return {entry["source"]: entry for entry in json.loads(result.stdout)}


def codes(entry: dict[str, Any]) -> list[str]:
    return [flag["code"] for flag in entry["flags"]]


def test_a_healthy_source_shows_its_runs_articles_and_next_run(filled: Engine, db_url: str) -> None:
    ages = [timedelta(hours=h) for h in (2, 20, 30, 3 * 24, 10 * 24)]
    store_articles(filled, "healthy", ages)
    store_articles(filled, "idle", [timedelta(days=8)])
    healthy = status_json("healthy", db=db_url)["healthy"]
    assert healthy["last_run"] == {
        "id": healthy["last_run"]["id"],
        "source": "healthy",
        "status": "finished",
        "reason": None,
        "started_at": "2026-11-01T11:00:00+00:00",
        "finished_at": "2026-11-01T11:10:00+00:00",
        "seconds": 600.0,
        "host": "crawler-1",
        "pid": 100,
        "counts": {"pages": 4, "new": 2, "updated": 1, "unchanged": 1, "dropped": 0, "failed": 0},
        "failures": {},
    }
    assert healthy["last_success_at"] == "2026-11-01T11:10:00+00:00"
    assert healthy["last_failure"] == {
        "id": healthy["last_failure"]["id"],
        "status": "failed",
        "at": "2026-11-01T05:10:00+00:00",
        "reason": LISTING_FAILED,
    }
    assert (healthy["articles_24h"], healthy["articles_7d"]) == (2, 4)
    assert healthy["schedule"] == "every 2h"
    assert healthy["next_run_at"] == "2026-11-01T13:00:00+00:00"  # last start + 2 h
    assert healthy["flags"] == []


def test_sites_that_changed_are_flagged(filled: Engine, db_url: str) -> None:
    shown = status_json("idle", "broken", "dropping", "sinking", "flaky", db=db_url)
    assert codes(shown["idle"]) == ["stored_nothing"]
    assert shown["idle"]["flags"][0]["message"] == (
        "all of the last 3 runs found or stored no article"
    )
    assert shown["idle"]["last_failure"] is None
    assert codes(shown["broken"]) == ["failing"]
    assert shown["broken"]["last_failure"]["reason"] == LISTING_FAILED
    assert shown["broken"]["last_success_at"] is None
    # A stopped run says nothing about the site: the three finished runs before it judge.
    assert codes(shown["dropping"]) == ["dropping_pages"]
    assert shown["dropping"]["last_run"]["status"] == "stopped"
    assert shown["dropping"]["last_failure"]["reason"] == "stopped at the crawl's time limit"
    # Every recent run bad, in different ways: each kind of trouble is named, with how often.
    assert [flag["message"] for flag in shown["sinking"]["flags"]] == [
        "1 of the last 3 runs ended failed or abandoned",
        "2 of the last 3 runs found or stored no article",
    ]
    # One failed run after good ones is no flag, but it is the last failure.
    assert codes(shown["flaky"]) == []
    assert shown["flaky"]["last_failure"]["id"] == shown["flaky"]["last_run"]["id"]


def test_never_crawled_and_cron_sources(filled: Engine, db_url: str) -> None:
    shown = status_json("fresh", "morning", db=db_url)
    fresh = shown["fresh"]
    assert (fresh["last_run"], fresh["last_success_at"], fresh["last_failure"]) == (
        None,
        None,
        None,
    )
    assert codes(fresh) == ["never_crawled"]
    assert fresh["next_run_at"] == "2026-11-01T12:00:00+00:00"  # due now
    assert shown["morning"]["schedule"] == "cron 0 6 * * *"
    assert shown["morning"]["next_run_at"] == "2026-11-02T06:00:00+00:00"


def test_running_runs_and_those_that_look_abandoned(filled: Engine, db_url: str) -> None:
    started = NOW - timedelta(minutes=10)
    busy = running(filled, "busy", started, beat=NOW - timedelta(seconds=20))
    stuck = running(filled, "stuck", started, beat=NOW - timedelta(minutes=5))
    shown = status_json("busy", "stuck", db=db_url)
    assert shown["busy"]["flags"] == [
        {"code": "running", "message": f"run {busy} running on crawler-2 (pid 4242)"}
    ]
    assert shown["busy"]["last_run"]["finished_at"] is None
    assert codes(shown["stuck"]) == ["running", "looks_abandoned"]
    assert "no heartbeat for 300 s" in shown["stuck"]["flags"][1]["message"]
    with session_scope(filled) as session:  # display only: the run is not marked
        stuck_run = get_run(session, stuck)
    assert stuck_run is not None
    assert stuck_run.status == "running"


def test_every_source_by_default_and_the_table(
    filled: Engine, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    shown = status_json(db=db_url)
    assert set(SCHEDULES) <= set(shown)
    assert "elcomercio" in shown  # a built-in source, never crawled here
    monkeypatch.setattr(status_cmd, "console", lambda: Console(width=400))  # rows unwrapped
    table = CliRunner().invoke(app, ["sources", "status", "broken", "healthy", "--db", db_url])
    assert table.exit_code == 0, table.output
    broken, healthy = (line for line in table.stdout.splitlines() if "every 2h" in line)
    assert "│ failed 1h ago, took 10m " in broken
    assert f"│ 50m ago: {LISTING_FAILED} " in broken
    assert "│ all of the last 3 runs ended failed or abandoned " in broken
    assert "│ finished 1h ago, took 10m │ 50m ago " in healthy
    assert "│ 2026-11-01 13:00 (in 1h) │ ok " in healthy


def test_an_unknown_source_is_a_usage_error(filled: Engine, db_url: str) -> None:
    result = CliRunner().invoke(app, ["sources", "status", "healthy", "nosuch", "--db", db_url])
    assert result.exit_code == 2
    assert len(result.stderr.splitlines()) == 1
    assert "unknown source 'nosuch'" in result.stderr


def test_a_missing_database_is_one_line_and_is_not_created(tmp_path: Path) -> None:
    path = tmp_path / "missing.db"
    result = CliRunner().invoke(app, ["sources", "status", "--db", f"sqlite:///{path}"])
    assert result.exit_code == 1
    assert result.stderr == f"database sqlite:///{path} does not exist " + (
        "(create it with `syndicate db upgrade`)\n"
    )
    assert not path.exists()


def test_a_quiet_site_is_not_a_symptom_but_listings_that_name_nothing_are() -> None:
    def ended(counts: dict[str, int], discovered: int | None) -> RunSummary:
        return RunSummary(1, "x", NOW, NOW, "finished", counts, {}, discovered=discovered)

    assert symptoms(ended(QUIET, discovered=12)) == set()  # every listed article known
    assert symptoms(ended(NOTHING, discovered=0)) == {"stored_nothing"}
    assert symptoms(ended({"pages": 3, "dropped": 3}, discovered=3)) == {
        "stored_nothing",
        "dropping_pages",
    }
    assert symptoms(ended(GOOD, discovered=None)) == set()  # an ingest: no listings
