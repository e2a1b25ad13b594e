"""The plain `alembic` command works from the repository root (alembic.ini) on the database
$SYNDICATE_DATABASE_URL names, and offline `--sql` prints reviewable migration SQL."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

import pytest
from alembic.script import ScriptDirectory
from sqlalchemy import inspect

from storage.database import alembic_config, make_engine
from tests.support.paths import REPOSITORY

ALEMBIC = str(Path(sys.executable).parent / "alembic")
HEAD = ScriptDirectory.from_config(alembic_config()).get_current_head()


def alembic(*args: str, db: str) -> subprocess.CompletedProcess[str]:
    env = os.environ | {"SYNDICATE_DATABASE_URL": db}
    return subprocess.run(
        [ALEMBIC, *args],
        cwd=REPOSITORY,
        env=env,
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )


def test_upgrade_current_and_check_through_alembic_ini(db_url: str) -> None:
    assert alembic("current", db=db_url).stdout.strip() == ""
    upgraded = alembic("upgrade", "head", db=db_url)
    assert upgraded.returncode == 0, upgraded.stderr
    current = alembic("current", db=db_url)
    assert current.returncode == 0, current.stderr
    assert current.stdout.strip() == f"{HEAD} (head)"
    check = alembic("check", db=db_url)
    assert check.returncode == 0, check.stderr
    assert "No new upgrade operations detected" in check.stdout + check.stderr
    engine = make_engine(db_url)
    assert "articles" in inspect(engine).get_table_names()
    engine.dispose()


@pytest.mark.parametrize(
    ("url", "dialect_marker"),
    [
        ("sqlite:///never-created.db", "CREATE TABLE articles"),
        ("postgresql+psycopg://nobody@127.0.0.1:1/none", "JSONB"),
    ],
)
def test_offline_sql_needs_no_database(url: str, dialect_marker: str) -> None:
    result = alembic("upgrade", "head", "--sql", db=url)
    assert result.returncode == 0, result.stderr
    assert "CREATE TABLE articles" in result.stdout
    assert dialect_marker in result.stdout
    assert "CREATE VIEW public_articles" in result.stdout
    assert f"UPDATE alembic_version SET version_num='{HEAD}'" in result.stdout
    assert not (REPOSITORY / "never-created.db").exists()
