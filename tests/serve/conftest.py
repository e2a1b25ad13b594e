"""A migrated database filled through the real processing path, and a client of the server.

Articles: the seed page (Global Happenings' English copy of an El Comercio story, credited
back to it), El Comercio's original, the Fujimori page, and generated El Comercio pages
with their own titles, publication times and fetch times.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime, timedelta

import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine

from extractors.source_rules import PublisherRegistry
from pipelines.processing import process_page
from storage.database import session_scope
from storage.records import FetchedPage
from syndicate.web import create_app
from tests.support import stored_articles
from tests.support.pagegen import elcomercio_page, paragraphs, url_of
from tests.support.sources import ELCOMERCIO, T0

GENERATED = 6  # generated El Comercio pages stored at the start


@dataclass(frozen=True)
class Stored:
    """Ids of what the fixture stored."""

    seed: int
    original: int
    fujimori: int
    generated: list[int]

    @property
    def all(self) -> list[int]:
        return sorted([self.seed, self.original, self.fujimori, *self.generated])


def generated_page(number: int, *, seen: datetime, title: str | None = None) -> FetchedPage:
    """The number-th generated page, published `number` days after 2024-01-01."""
    slug = f"noticia-servida-{number}-rmmn-noticia"
    published = (datetime(2024, 1, 1, 9) + timedelta(days=number)).isoformat() + "-05:00"
    body = elcomercio_page(
        slug, title or f"Noticia servida {number}", paragraphs(1000 + number), published
    )
    return FetchedPage(url_of(slug), url_of(slug), 200, {"Content-Type": "text/html"}, body, seen)


def store_page(engine: Engine, registry: PublisherRegistry, page: FetchedPage) -> int:
    with session_scope(engine) as session:
        outcome = process_page(session, page, ELCOMERCIO, registry)
    assert outcome.article_id is not None, outcome.reason
    return outcome.article_id


def store_generated(
    engine: Engine, registry: PublisherRegistry, number: int, seen: datetime
) -> int:
    return store_page(engine, registry, generated_page(number, seen=seen))


@pytest.fixture
def stored(engine: Engine, registry: PublisherRegistry) -> Stored:
    original = stored_articles.store(engine, registry, "original")
    seed = stored_articles.store(engine, registry, "seed")
    fujimori = stored_articles.store(engine, registry, "fujimori")
    later = T0 + timedelta(days=1)
    generated = [store_generated(engine, registry, n, later) for n in range(GENERATED)]
    return Stored(seed, original, fujimori, generated)


@pytest.fixture
def client(db_url: str, engine: Engine) -> Iterator[TestClient]:
    """The server on the fixture's database (migrated by `engine`)."""
    with TestClient(create_app(db_url)) as test_client:
        yield test_client
