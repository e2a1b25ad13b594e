"""Storage fixtures: each test gets a freshly migrated database: SQLite always, PostgreSQL too
when TEST_DATABASE_URL is set (a throwaway schema per test: isolated and repeatable)."""

from __future__ import annotations

import uuid
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path

import pytest
from sqlalchemy import Engine, create_engine, text
from sqlalchemy.engine import make_url

from extractors.source_rules import SourceRules
from storage.database import make_engine, session_scope, upgrade
from storage.repository import ensure_source

T0 = datetime(2026, 11, 1, 12, 0, tzinfo=UTC)

ELCOMERCIO = SourceRules(
    key="elcomercio",
    name="El Comercio",
    homepage="https://elcomercio.pe/",
    language="es",
    timezone="America/Lima",
    aliases=("Elcomercio", "elcomercio.pe"),
)
GLOBALHAPPENINGS = SourceRules(
    key="globalhappenings",
    name="Global Happenings",
    homepage="https://globalhappenings.example/",
    language="en",
    timezone="UTC",
)


def _postgres_schema_url(base: str, schema: str) -> str:
    url = make_url(base)
    return url.update_query_dict({"options": f"-csearch_path={schema}"}).render_as_string(
        hide_password=False
    )


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """URL of an empty database (not yet migrated) of each supported kind."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    base = request.getfixturevalue("postgres_url")
    schema = f"t_{uuid.uuid4().hex[:12]}"
    admin = create_engine(base)
    with admin.begin() as conn:
        conn.execute(text(f"CREATE SCHEMA {schema}"))
    try:
        yield _postgres_schema_url(base, schema)
    finally:
        with admin.begin() as conn:
            conn.execute(text(f"DROP SCHEMA {schema} CASCADE"))
        admin.dispose()


@pytest.fixture
def engine(db_url: str) -> Iterator[Engine]:
    """A migrated database with the two sources the fixtures belong to."""
    engine = make_engine(db_url)
    upgrade(engine)
    with session_scope(engine) as session:
        ensure_source(session, ELCOMERCIO)
        ensure_source(session, GLOBALHAPPENINGS)
    yield engine
    engine.dispose()
