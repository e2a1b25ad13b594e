"""The three real articles the syndication tests store: the seed page (an aggregator's copy
of an El Comercio story), El Comercio's original of it, and an unrelated El Comercio page."""

from __future__ import annotations

import json

from sqlalchemy import Engine

from extractors.source_rules import PublisherRegistry
from pipelines.processing import process_page
from storage.database import session_scope
from storage.records import FetchedPage
from tests.support.pagegen import TEMPLATE, elcomercio_page, paragraphs, url_of
from tests.support.paths import SEED_PAGE
from tests.support.sources import ELCOMERCIO, GLOBALHAPPENINGS, T0

SEED = SEED_PAGE
SEED_URL = json.loads(SEED.with_suffix(".expected.json").read_text())["url"]
# El Comercio's original of the story the seed page translated (same day, Spanish title).
ORIGINAL_SLUG = "putin-visita-a-lukashenko-bielorrusia-rol-mas-activo-invasion-ucrania-noticia"
ORIGINAL_TITLE = (
    "Putin visita a Lukashenko: ¿Bielorrusia tendrá un rol más activo en la invasión de Ucrania?"
)
FUJIMORI_URL = (
    "https://elcomercio.pe/politica/justicia/kenji-fujimori-juicio-contra-excongresista-por-"
    "presunta-compra-de-votos-continuara-el-18-de-mayo-pedro-pablo-kuczynski-ppk-fiscalia-"
    "rmmn-noticia/"
)


def page(url: str, body: bytes) -> FetchedPage:
    return FetchedPage(url, url, 200, {"Content-Type": "text/html"}, body, T0)


def store(engine: Engine, registry: PublisherRegistry, name: str) -> int:
    """Ingest one of the three real pages; returns the article id."""
    if name == "seed":
        fetched, rules = page(SEED_URL, SEED.read_bytes()), GLOBALHAPPENINGS
    elif name == "fujimori":
        fetched, rules = page(FUJIMORI_URL, TEMPLATE.read_bytes()), ELCOMERCIO
    else:
        body = elcomercio_page(
            ORIGINAL_SLUG, ORIGINAL_TITLE, paragraphs(99), "2022-12-19T09:30:00-05:00"
        )
        fetched, rules = page(url_of(ORIGINAL_SLUG), body), ELCOMERCIO
    with session_scope(engine) as session:
        outcome = process_page(session, fetched, rules, registry)
    assert outcome.outcome == "new", outcome.reason
    assert outcome.article_id is not None
    return outcome.article_id
