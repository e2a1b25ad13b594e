"""`syndicate db upgrade` and `syndicate db prune` from the command line."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import inspect
from typer.testing import CliRunner

from storage.database import ENV_VAR, database_url, make_engine
from storage.pages import RETENTION_ENV
from syndicate.cli import app


def test_db_upgrade_twice_then_prune(db_url: str) -> None:
    runner = CliRunner()
    for _ in range(2):
        result = runner.invoke(app, ["db", "upgrade", "--db", db_url])
        assert result.exit_code == 0, result.output
        assert "newest schema" in result.output
    engine = make_engine(db_url)
    assert "articles" in inspect(engine).get_table_names()
    engine.dispose()
    pruned = runner.invoke(app, ["db", "prune", "--days", "30", "--db", db_url])
    assert pruned.exit_code == 0, pruned.output
    assert "deleted 0 raw pages older than 30 days" in pruned.output


def test_prune_needs_a_retention(db_url: str, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv(RETENTION_ENV, raising=False)
    result = CliRunner().invoke(app, ["db", "prune", "--db", db_url])
    assert result.exit_code != 0
    assert "--days" in result.output


def test_database_url_precedence(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.delenv(ENV_VAR, raising=False)
    assert database_url() == "sqlite:///syndicate.db"
    monkeypatch.setenv(ENV_VAR, f"sqlite:///{tmp_path / 'env.db'}")
    assert database_url() == f"sqlite:///{tmp_path / 'env.db'}"
    assert database_url("sqlite:///cli.db") == "sqlite:///cli.db"
