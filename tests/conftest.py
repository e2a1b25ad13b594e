"""Shared fixtures: paths to saved pages and the external services (PostgreSQL, Redis).

Service tests skip with a clear reason when their URL is unset; under CI
(`SYNDICATE_REQUIRE_SERVICES=1`) a missing service fails instead, so a green run
always means the PostgreSQL and Redis tests really ran.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

FIXTURES = Path(__file__).parent / "fixtures"


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
