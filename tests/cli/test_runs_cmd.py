"""`syndicate runs [KEY] [--failed] [--json]`: crawl history from a real database (SQLite and
PostgreSQL), and a database that is missing, empty or behind is reported, never created."""

from __future__ import annotations

import json
from datetime import timedelta
from pathlib import Path

import pytest
from alembic import command
from alembic.script import ScriptDirectory
from rich.console import Console
from sqlalchemy import Engine, inspect
from typer.testing import CliRunner, Result

from storage.database import alembic_config, make_engine, session_scope
from storage.runs import finish_run, start_run
from syndicate.cli import app
from syndicate.commands import runs_cmd
from tests.support.sources import T0

STOPPED = "stopped at the crawl's time limit"
NOTHING = "nothing could be fetched"


def add_runs(engine: Engine) -> list[int]:
    """Four ended runs an hour apart (finished, stopped, failed, abandoned) and one running."""
    ids = []
    endings = [("finished", None), ("stopped", STOPPED), ("failed", NOTHING), ("abandoned", None)]
    with session_scope(engine) as session:
        for hour, (status, reason) in enumerate(endings):
            source = "globalhappenings" if status == "failed" else "elcomercio"
            started = T0 + timedelta(hours=hour)
            run_id = start_run(session, source, started, host="crawler-1", pid=100 + hour)
            counts = {"pages": 5, "new": 3, "dropped": 1, "failed": 1}
            failures = {"HTTP 404": 1, "dropped: too short: 12 words": 1}
            finish_run(
                session,
                run_id,
                finished_at=started + timedelta(seconds=90),
                status=status,
                counts=counts,
                failures=failures,
                reason=reason,
            )
            ids.append(run_id)
        ids.append(start_run(session, "elcomercio", T0 + timedelta(hours=5)))
    return ids


def invoke(*args: str) -> Result:
    return CliRunner().invoke(app, ["runs", *args])


def test_runs_as_json(engine: Engine, db_url: str) -> None:
    ids = add_runs(engine)
    result = invoke("--json", "--db", db_url)
    assert result.exit_code == 0, result.output
    shown = json.loads(result.stdout)
    assert [run["id"] for run in shown] == ids[::-1]  # newest first
    assert shown[0]["finished_at"] is None and shown[0]["seconds"] is None
    assert shown[2] == {
        "id": ids[2],
        "source": "globalhappenings",
        "status": "failed",
        "reason": NOTHING,
        "started_at": "2026-11-01T14:00:00+00:00",
        "finished_at": "2026-11-01T14:01:30+00:00",
        "seconds": 90.0,
        "host": "crawler-1",
        "pid": 102,
        "counts": {"pages": 5, "new": 3, "updated": 0, "unchanged": 0, "dropped": 1, "failed": 1},
        "failures": {"HTTP 404": 1, "dropped: too short: 12 words": 1},
    }


def test_failed_runs_only(engine: Engine, db_url: str) -> None:
    ids = add_runs(engine)
    every = json.loads(invoke("--failed", "--json", "--db", db_url).stdout)
    assert [(run["id"], run["status"]) for run in every] == [
        (ids[3], "abandoned"),
        (ids[2], "failed"),
        (ids[1], "stopped"),
    ]
    mine = json.loads(invoke("elcomercio", "--failed", "--json", "--db", db_url).stdout)
    assert [run["id"] for run in mine] == [ids[3], ids[1]]  # the failed run is another source's
    one = json.loads(invoke("--failed", "--json", "--limit", "1", "--db", db_url).stdout)
    assert [run["id"] for run in one] == [ids[3]]


def test_the_table_has_a_reason_column(
    engine: Engine, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    add_runs(engine)
    monkeypatch.setattr(runs_cmd, "console", lambda: Console(width=400))  # rows unwrapped
    result = invoke("--failed", "--db", db_url)
    assert result.exit_code == 0, result.output
    lines = result.stdout.splitlines()
    assert lines[1].split("┃")[-2].strip() == "reason"
    stopped = next(line for line in lines if "│ stopped " in line)
    assert stopped.split("│")[-2].strip() == STOPPED
    assert "│ HTTP 404: 1; dropped: too short: 12 words: 1 │" in stopped


def test_no_runs_yet(engine: Engine, db_url: str) -> None:
    assert invoke("--db", db_url).stdout == "no crawl runs yet\n"
    assert invoke("elcomercio", "--failed", "--db", db_url).stdout == (
        "no failed crawl runs yet for elcomercio\n"
    )
    assert invoke("--json", "--db", db_url).stdout == "[]\n"


def test_a_missing_database_is_one_line_and_is_not_created(tmp_path: Path) -> None:
    path = tmp_path / "missing.db"
    result = invoke("--db", f"sqlite:///{path}")
    assert result.exit_code == 1
    assert result.stderr == f"database sqlite:///{path} does not exist " + (
        "(create it with `syndicate db upgrade`)\n"
    )
    assert not path.exists()


def test_an_empty_or_old_database_is_reported_not_migrated(db_url: str) -> None:
    engine = make_engine(db_url)
    with engine.connect():  # an empty database (on SQLite: an empty file)
        pass
    empty = invoke("--db", db_url)
    assert (empty.exit_code, empty.stdout) == (1, "")
    assert empty.stderr.endswith(" has no schema (create it with `syndicate db upgrade`)\n")
    assert inspect(engine).get_table_names() == []
    config = alembic_config()
    with engine.begin() as connection:
        config.attributes["connection"] = connection
        command.upgrade(config, "0001")
    head = ScriptDirectory.from_config(config).get_current_head()
    old = CliRunner().invoke(app, ["sources", "status", "elcomercio", "--db", db_url])
    assert old.exit_code == 1
    assert old.stderr.endswith(f" is at schema 0001, not {head} (run `syndicate db upgrade`)\n")
    assert "crawl_leases" not in inspect(engine).get_table_names()  # still not migrated
    engine.dispose()


def test_the_password_is_masked_when_the_database_cannot_be_opened() -> None:
    url = "postgresql+psycopg://reader:s3cret@127.0.0.1:1/news"
    result = invoke("--db", url)
    assert result.exit_code == 1
    assert result.stderr.startswith(
        "database postgresql+psycopg://reader:***@127.0.0.1:1/news cannot be opened: "
    )
    assert "s3cret" not in result.output
    assert len(result.stderr.splitlines()) == 1
