"""Unattended operation, end to end: one crawl per source, honest run records and exit codes,
and the scheduler, with real `syndicate` processes against the local news site.

Run on SQLite and on PostgreSQL (a throwaway schema each); pages are served slowly where a
crawl must still be running when the test acts on it.
"""

from __future__ import annotations

import itertools
import os
import signal
import subprocess
import sys
import time
from collections.abc import Callable, Iterator
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from devsite.server import NewsSite, Trouble
from storage.database import make_engine, session_scope
from storage.records import RunSummary
from storage.runs import list_runs
from tests.support.databases import postgres_schema
from tests.support.site_pages import EL_COMERCIO_LISTINGS, el_comercio_pages, el_comercio_source

SYNDICATE = str(Path(sys.executable).parent / "syndicate")
KEY = "elcomercio-local"
FAST = ["--set", "AUTOTHROTTLE_ENABLED=False", "--set", "DOWNLOAD_DELAY=0"]
BEATING = ["--set", "SYNDICATE_HEARTBEAT_SECONDS=1"]


def source_file(base: str, key: str = KEY, **crawl: str) -> str:
    """The El Comercio source pointed at `base`, crawled every 20 s, one page at a time (a
    slow site's crawl lasts), with extra [crawl] keys."""
    text = el_comercio_source(base, key=key).replace('interval = "30m"', 'interval = "20s"')
    extra = "".join(f'{name} = "{value}"\n' for name, value in crawl.items())
    return text.replace("concurrency = 2\n", f"concurrency = 1\n{extra}")


@pytest.fixture
def slow_site() -> Iterator[NewsSite]:
    """Five article pages answering after 2, 4, … 10 s, fetched one at a time: a crawl of
    them lasts about 30 s and stores its articles one by one along the way."""
    pages = el_comercio_pages(4)
    slow = {page.path: 2.0 * number for number, page in enumerate(pages, 1)}
    site = NewsSite(pages, Trouble(slow=slow), listings=EL_COMERCIO_LISTINGS)
    with site.serve():
        yield site


@pytest.fixture
def sources(tmp_path: Path) -> Path:
    folder = tmp_path / "sources"
    folder.mkdir()
    return folder


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def database(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'ops.db'}"
        return
    with postgres_schema(request.getfixturevalue("postgres_url")) as url:
        yield url


def start(args: list[str], sources: Path) -> subprocess.Popen[str]:
    env = {**os.environ, "SYNDICATE_SOURCES_DIR": str(sources)}
    return subprocess.Popen(
        [SYNDICATE, *args], env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True
    )


def run(args: list[str], sources: Path, timeout: float = 120) -> subprocess.CompletedProcess[str]:
    env = {**os.environ, "SYNDICATE_SOURCES_DIR": str(sources)}
    return subprocess.run(
        [SYNDICATE, *args], env=env, capture_output=True, text=True, timeout=timeout, check=False
    )


def runs_of(db: str, key: str = KEY) -> list[RunSummary]:
    engine = make_engine(db)
    try:
        with session_scope(engine) as session:
            return sorted(list_runs(session, key, limit=50), key=lambda r: r.id)
    except Exception:  # the schema may not exist yet while the first crawl migrates
        return []
    finally:
        engine.dispose()


def wait_for(condition: Callable[[], bool], seconds: float = 60) -> None:
    deadline = time.monotonic() + seconds
    while not condition():
        assert time.monotonic() < deadline, "timed out waiting"
        time.sleep(0.2)


def test_a_second_crawl_of_a_busy_source_exits_75_and_wait_waits(
    slow_site: NewsSite, sources: Path, database: str
) -> None:
    (sources / f"{KEY}.toml").write_text(source_file(slow_site.base_url), encoding="utf-8")
    crawl = ["crawl", KEY, "--db", database, *FAST]
    first = start(crawl, sources)
    wait_for(lambda: any(r.status == "running" for r in runs_of(database)))
    (running,) = runs_of(database)
    waiter = start([*crawl, "--wait"], sources)
    second = run(crawl, sources)
    assert second.returncode == 75, second.stderr
    assert first.poll() is None  # it answered at once, while the first crawl still runs
    (line,) = second.stderr.strip().splitlines()
    assert line.startswith(f"syndicate crawl: {KEY} is being crawled by run {running.id} on ")
    assert f"(pid {first.pid}) since {running.started_at:%Y-%m-%d %H:%M}" in line
    first.communicate(timeout=120)
    assert first.returncode == 0
    _, waiter_err = waiter.communicate(timeout=120)
    assert waiter.returncode == 0, waiter_err
    assert f"waiting: {KEY} is being crawled by run {running.id}" in waiter_err
    first_run, waited_run = runs_of(database)
    assert first_run.finished_at is not None
    assert waited_run.started_at >= first_run.finished_at  # never overlapping
    assert [r.status for r in runs_of(database)] == ["finished", "finished"]


def test_kill_9_leaves_an_abandoned_run_with_its_counts_and_the_next_crawl_runs(
    slow_site: NewsSite, sources: Path, database: str
) -> None:
    (sources / f"{KEY}.toml").write_text(source_file(slow_site.base_url), encoding="utf-8")
    crawl = ["crawl", KEY, "--db", database, *FAST, *BEATING]
    victim = start(crawl, sources)
    wait_for(lambda: any(r.counts["new"] >= 1 for r in runs_of(database)))
    victim.send_signal(signal.SIGKILL)
    victim.communicate(timeout=10)
    after = run(crawl, sources)
    assert after.returncode == 0, after.stderr
    killed, next_run = runs_of(database)
    assert killed.status == "abandoned"
    assert killed.counts["new"] >= 1  # what it had stored and written by its heartbeat
    assert killed.finished_at is not None and killed.reason
    assert next_run.status == "finished"


def test_sigterm_records_stopped_and_exits_non_zero(
    slow_site: NewsSite, sources: Path, database: str
) -> None:
    (sources / f"{KEY}.toml").write_text(source_file(slow_site.base_url), encoding="utf-8")
    crawl = start(["crawl", KEY, "--db", database, *FAST], sources)
    wait_for(lambda: any(r.status == "running" for r in runs_of(database)))
    time.sleep(1)
    crawl.send_signal(signal.SIGTERM)
    _, stderr = crawl.communicate(timeout=120)
    assert crawl.returncode == 1, stderr
    (stopped,) = runs_of(database)
    assert (stopped.status, stopped.reason) == (
        "stopped",
        "stopped by a signal (SIGTERM or SIGINT)",
    )


def test_a_site_that_is_down_gives_failed_and_exit_1(sources: Path, database: str) -> None:
    (sources / f"{KEY}.toml").write_text(source_file("http://127.0.0.1:9"), encoding="utf-8")
    result = run(["crawl", KEY, "--db", database, *FAST, "--set", "RETRY_TIMES=0"], sources)
    assert result.returncode == 1, result.stderr
    (failed,) = runs_of(database)
    assert failed.status == "failed"
    assert failed.reason is not None and "listing" in failed.reason
    assert f"{KEY}: run {failed.id} failed" in result.stdout


def test_schedule_crawls_each_source_on_time_and_stops_an_overrunning_one(
    slow_site: NewsSite, sources: Path, tmp_path: Path
) -> None:
    quick = NewsSite(el_comercio_pages(1), listings=EL_COMERCIO_LISTINGS)
    db = f"sqlite:///{tmp_path / 'schedule.db'}"
    with quick.serve():
        (sources / "quick.toml").write_text(source_file(quick.base_url, "quick"), "utf-8")
        slow = source_file(slow_site.base_url, "slow", time_limit="6s")
        (sources / "slow.toml").write_text(slow, "utf-8")
        began = datetime.now(UTC)
        result = run(["schedule", "quick", "slow", "--stop-after", "65s", "--db", db], sources, 240)
    assert result.returncode == 0, result.stderr[-3000:]
    quick_runs, slow_runs = runs_of(db, "quick"), runs_of(db, "slow")
    starts = [line for line in result.stderr.splitlines() if "starting crawl of quick" in line]
    # Due at 0 s, 20 s, 40 s, 60 s; a tick that comes while the last crawl still runs is
    # skipped (never overlapping), so a loaded machine sees fewer, but at least two.
    assert len(starts) >= 2, result.stderr[-3000:]
    assert quick_runs and quick_runs[0].status == "finished"
    first_start = datetime.strptime(starts[0][:23], "%Y-%m-%d %H:%M:%S,%f").replace(tzinfo=UTC)
    assert first_start - began < timedelta(seconds=15)  # due at once, not after an interval
    assert {r.status for r in quick_runs} <= {"finished", "stopped"}
    for earlier, later in itertools.pairwise(quick_runs):
        assert earlier.finished_at is not None and later.started_at >= earlier.finished_at
        assert (later.started_at - earlier.started_at).total_seconds() >= 15
    assert slow_runs[0].status == "stopped"
    assert slow_runs[0].reason == "stopped at the crawl's time limit"
    assert "starting crawl of quick" in result.stderr
    assert "crawl of slow ended with exit 1" in result.stderr
    assert all(r.status != "running" for r in quick_runs + slow_runs)
