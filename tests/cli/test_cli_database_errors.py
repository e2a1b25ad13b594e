"""A database a command cannot use is one stderr line naming it (password hidden), exit 2 for
a bad URL or driver, 1 for an unreachable database or a migration lock held too long."""

from __future__ import annotations

import uuid
from collections.abc import Iterator

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url
from typer.testing import CliRunner, Result

from storage.database import LOCK_TIMEOUT_ENV, MIGRATION_LOCK
from storage.pages import RETENTION_ENV
from syndicate.cli import app

COMMANDS = [
    ["db", "upgrade"],
    ["db", "prune", "--days", "30"],
    ["ingest", "--source", "elcomercio", "page.html"],
    ["reextract"],
    ["crawl", "elcomercio"],
]
UNREACHABLE = ["postgresql+psycopg://user:s3cret@127.0.0.1:1/x", "sqlite:////nonexistent/dir/x.db"]
MISCONFIGURED = ["not a url", "nosuch://user:s3cret@host/x", "postgresql+nosuch://u:s3cret@h/x"]


def invoke(args: list[str]) -> Result:
    return CliRunner().invoke(app, args)


def one_clean_line(result: Result, command: list[str]) -> str:
    assert result.stdout == ""
    lines = result.stderr.strip().splitlines()
    assert len(lines) == 1, result.stderr
    assert "Traceback" not in result.output
    assert "s3cret" not in result.output
    name = " ".join(command[:2]) if command[0] == "db" else command[0]
    assert lines[0].startswith(f"syndicate {name}: ")
    return lines[0]


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c[:2]))
@pytest.mark.parametrize("url", UNREACHABLE)
def test_unreachable_database_is_exit_1(command: list[str], url: str) -> None:
    result = invoke([*command, "--db", url])
    assert result.exit_code == 1, result.output
    line = one_clean_line(result, command)
    assert f"cannot use database {make_url(url).render_as_string(hide_password=True)}" in line


@pytest.mark.parametrize("command", COMMANDS, ids=lambda c: " ".join(c[:2]))
@pytest.mark.parametrize("url", MISCONFIGURED)
def test_bad_url_or_driver_is_exit_2(command: list[str], url: str) -> None:
    result = invoke([*command, "--db", url])
    assert result.exit_code == 2, result.output
    assert "cannot use database" in one_clean_line(result, command)


READ_ONLY = [["runs"], ["sources", "status"], ["serve"]]


@pytest.mark.parametrize("command", READ_ONLY, ids=" ".join)
@pytest.mark.parametrize("url", MISCONFIGURED)
def test_read_only_commands_refuse_a_bad_url_in_one_line(command: list[str], url: str) -> None:
    result = invoke([*command, "--db", url])
    assert result.exit_code == 2, result.output
    assert result.stdout == ""
    (line,) = result.stderr.strip().splitlines()
    assert line.startswith(f"syndicate {' '.join(command)}: cannot use database ")
    assert "Traceback" not in result.output and "s3cret" not in result.output


def test_prune_of_a_fresh_database(tmp_path: object) -> None:
    result = invoke(["db", "prune", "--days", "3", "--db", f"sqlite:///{tmp_path}/fresh.db"])
    assert result.exit_code == 0, result.output
    assert "deleted 0 raw pages" in result.stdout


def test_retention_that_is_not_a_number(monkeypatch: pytest.MonkeyPatch, tmp_path: object) -> None:
    monkeypatch.setenv(RETENTION_ENV, "ninety")
    result = invoke(["db", "prune", "--db", f"sqlite:///{tmp_path}/x.db"])
    assert result.exit_code == 2
    assert one_clean_line(result, ["db", "prune"]).endswith(
        f"${RETENTION_ENV}='ninety' is not a whole number of days"
    )


@pytest.fixture
def reader_holding_lock(engine: Engine, db_url: str) -> Iterator[str]:
    """A session of a read-only role (docs/schema.md) holding the migration lock; its role."""
    role = f"reader_{uuid.uuid4().hex[:8]}"
    with engine.begin() as conn:
        conn.exec_driver_sql(f"CREATE ROLE {role} LOGIN")
        conn.exec_driver_sql(f"ALTER ROLE {role} SET default_transaction_read_only = on")
    reader = create_engine(make_url(db_url).set(username=role, password=None))
    try:
        with reader.connect() as conn:
            conn.execute(text("SELECT pg_advisory_lock(:key)"), {"key": MIGRATION_LOCK})
            yield role
            conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": MIGRATION_LOCK})
    finally:
        reader.dispose()
        with engine.begin() as conn:
            conn.exec_driver_sql(f"DROP ROLE {role}")


@pytest.mark.parametrize("db_url", ["postgresql"], indirect=True)
def test_held_migration_lock(
    reader_holding_lock: str, db_url: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    """`runs` never migrates so it never waits; `db upgrade` gives up naming the holder."""
    monkeypatch.setenv(LOCK_TIMEOUT_ENV, "1")
    runs = invoke(["runs", "--db", db_url])
    assert runs.exit_code == 0, runs.output
    result = invoke(["db", "upgrade", "--db", db_url])
    assert result.exit_code == 1, result.output
    line = one_clean_line(result, ["db", "upgrade"])
    assert "migration lock held for over 1 s by pid" in line
    assert f"role {reader_holding_lock}" in line
