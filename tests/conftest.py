"""Shared fixtures: the external services (PostgreSQL, Redis) and freshly migrated databases.

Service tests skip with a clear reason when their URL is unset; under CI
(`SYNDICATE_REQUIRE_SERVICES=1`) a missing service fails instead, so a green run
always means the PostgreSQL and Redis tests really ran. Every test under tests/e2e is
marked `e2e`, so `pytest -m "not e2e"` is the fast run.
"""

from __future__ import annotations

import os
from collections.abc import Iterator
from pathlib import Path

import pytest
from sqlalchemy import Engine

from extractors.source_rules import PublisherRegistry
from spiders.registry import load_catalog
from storage.database import make_engine, session_scope, upgrade
from storage.repository import ensure_source
from tests.support.databases import postgres_schema
from tests.support.paths import FIXTURES
from tests.support.sources import ELCOMERCIO, GLOBALHAPPENINGS

E2E_DIR = Path(__file__).parent / "e2e"


def pytest_addoption(parser: pytest.Parser) -> None:
    parser.addoption(
        "--update-golden",
        action="store_true",
        help="rewrite the golden pages' recorded articles instead of comparing (review the diff)",
    )


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    for item in items:
        if E2E_DIR in item.path.parents:
            item.add_marker(pytest.mark.e2e)


def _service_url(var: str, what: str) -> str:
    url = os.environ.get(var)
    if url:
        return url
    reason = f"{var} is not set: {what} tests need a running {what}"
    if os.environ.get("SYNDICATE_REQUIRE_SERVICES") == "1":
        pytest.fail(f"{reason} (SYNDICATE_REQUIRE_SERVICES=1 forbids skipping)")
    pytest.skip(reason)


@pytest.fixture(scope="session")
def fixtures_dir() -> Path:
    return FIXTURES


@pytest.fixture(scope="session")
def postgres_url() -> str:
    """SQLAlchemy URL of a PostgreSQL database tests may freely write to."""
    return _service_url("TEST_DATABASE_URL", "PostgreSQL")


@pytest.fixture(scope="session")
def redis_url() -> str:
    """URL of a Redis database tests may flush."""
    return _service_url("TEST_REDIS_URL", "Redis")


@pytest.fixture(scope="module")
def registry() -> PublisherRegistry:
    """Every built-in source as a publisher, for attribution."""
    return load_catalog().publishers()


@pytest.fixture(params=["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)])
def db_url(request: pytest.FixtureRequest, tmp_path: Path) -> Iterator[str]:
    """URL of an empty database (not yet migrated) of each supported kind: SQLite always,
    PostgreSQL as a throwaway schema of its own (isolated and repeatable)."""
    if request.param == "sqlite":
        yield f"sqlite:///{tmp_path / 'test.db'}"
        return
    with postgres_schema(request.getfixturevalue("postgres_url")) as url:
        yield url


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
