"""`/api/…` against a real database (SQLite and PostgreSQL) filled through process_page:
every filter, keyset paging while articles arrive, one article and its versions, sources."""

from __future__ import annotations

import json
from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine
from typer.testing import CliRunner

from extractors.source_rules import PublisherRegistry
from syndicate.cli import app
from tests.serve.conftest import GENERATED, Stored, generated_page, store_generated, store_page
from tests.support.sources import T0

ARTICLE_KEYS = {
    "id", "url", "canonical_url", "source", "site_name", "title", "description", "authors",
    "published_at", "modified_at", "language", "section", "tags", "image", "text", "html",
    "word_count", "attribution", "version", "original_article_id",
}  # fmt: skip


def ids(client: TestClient, query: str = "") -> list[int]:
    response = client.get(f"/api/articles?limit=100&{query}")
    assert response.status_code == 200, response.text
    return [article["id"] for article in response.json()["articles"]]


def test_an_article_has_every_documented_field_and_its_attribution(
    client: TestClient, stored: Stored
) -> None:
    articles = {a["id"]: a for a in client.get("/api/articles?limit=100").json()["articles"]}
    assert set(articles) == set(stored.all)
    seed = articles[stored.seed]
    assert set(seed) >= ARTICLE_KEYS
    assert seed["source"] == "globalhappenings"
    assert seed["original_article_id"] == stored.original
    assert seed["attribution"]["original_source"] == "elcomercio"
    assert seed["attribution"]["original_publisher"] == "El Comercio"
    assert seed["version"] == 1 and seed["published_at"].endswith("+00:00")
    assert seed["html"].startswith("<") and "<script" not in seed["html"]


def test_each_filter_selects_exactly_its_articles(client: TestClient, stored: Stored) -> None:
    generated = stored.generated
    everything = set(stored.all)
    assert ids(client) == sorted(everything)
    assert set(ids(client, "source=globalhappenings")) == {stored.seed}
    assert set(ids(client, "source=elcomercio")) == everything - {stored.seed}
    assert set(ids(client, "language=en")) == {stored.seed}
    assert set(ids(client, "language=es")) == everything - {stored.seed}
    # generated page n is published on 2024-01-(n+1) 14:00 UTC
    assert ids(client, "since=2024-01-03") == generated[2:]
    assert ids(client, "since=2024-01-01&until=2024-01-02") == generated[:2]
    older = [stored.original, stored.seed, stored.fujimori]  # published in 2022
    assert ids(client, "until=2024-01-02T14:00:00Z") == [*older, generated[0]]
    assert ids(client, "since=2024-01-02T09:00:00-05:00&until=2024-01-03") == generated[1:3]
    # the three real pages were stored at T0, the generated ones a day later
    later = (T0 + timedelta(hours=1)).isoformat()
    assert ids(client, f"updated_since={later.replace('+00:00', 'Z')}") == generated
    assert ids(client, "source=elcomercio&since=2024-01-05&language=es") == generated[4:]


def test_paging_while_articles_arrive_never_skips_or_repeats(
    client: TestClient, stored: Stored, engine: Engine, registry: PublisherRegistry
) -> None:
    seen: list[int] = []
    arrived: list[int] = []
    cursor: str | None = None
    number = GENERATED
    for _ in range(20):
        query = "limit=4" + (f"&cursor={cursor}" if cursor else "")
        page = client.get(f"/api/articles?{query}").json()
        seen += [article["id"] for article in page["articles"]]
        cursor = page["next"]
        if cursor is None:
            break
        for _ in range(2):  # new articles arrive between two pages
            arrived.append(store_generated(engine, registry, number, T0 + timedelta(days=2)))
            number += 1
        if len(arrived) == 6:
            arrived.append(_update_one(engine, registry, stored.generated[0]))
    assert cursor is None
    assert len(seen) == len(set(seen)), "an article was repeated"
    assert set(seen) == set(stored.all) | set(arrived), "an article was skipped"
    assert seen == sorted(seen)


def _update_one(engine: Engine, registry: PublisherRegistry, article_id: int) -> int:
    """A new version of an article the client has already passed: it keeps its id."""
    page = generated_page(0, seen=T0 + timedelta(days=3), title="Noticia servida 0, corregida")
    assert store_page(engine, registry, page) == article_id
    return article_id


def test_one_article_and_its_versions(
    client: TestClient, stored: Stored, engine: Engine, registry: PublisherRegistry
) -> None:
    first = stored.generated[0]
    page = generated_page(0, seen=T0 + timedelta(days=3), title="Noticia servida 0, corregida")
    store_page(engine, registry, page)
    article = client.get(f"/api/articles/{first}").json()
    assert article["id"] == first and article["version"] == 2
    assert article["title"] == "Noticia servida 0, corregida"
    assert [v["version"] for v in article["versions"]] == [1]
    versions = client.get(f"/api/articles/{first}/versions").json()
    (old,) = versions["versions"]
    assert old["title"] == "Noticia servida 0" and old["text"] and "<p>" in old["html"]
    assert old["superseded_at"] == "2026-11-04T12:00:00+00:00"
    assert client.get(f"/api/articles/{stored.seed}/versions").json()["versions"] == []


def test_sources_carry_the_same_health_as_sources_status(
    client: TestClient, stored: Stored, db_url: str
) -> None:
    listed = {entry["key"]: entry for entry in client.get("/api/sources").json()["sources"]}
    cli = CliRunner().invoke(app, ["sources", "status", "elcomercio", "--json", "--db", db_url])
    assert cli.exit_code == 0, cli.output
    (expected,) = json.loads(cli.stdout)
    elcomercio = listed["elcomercio"]
    assert elcomercio["name"] == "El Comercio"
    assert _without_clock(elcomercio["status"]) == _without_clock(expected)
    assert listed["globalhappenings"]["status"] is None  # stored, but no source file names it


def _without_clock(status: dict[str, Any]) -> dict[str, Any]:
    """A status without the values that move with the clock (the next run, articles lately)."""
    return {
        k: v for k, v in status.items() if k not in ("next_run_at", "articles_24h", "articles_7d")
    }


def test_openapi_and_docs_are_served(client: TestClient) -> None:
    schema = client.get("/openapi.json").json()
    assert {"/api/articles", "/api/articles/{article_id}", "/api/sources"} <= set(schema["paths"])
    assert "swagger" in client.get("/docs").text.lower()


def test_head_answers_like_get_without_a_body(client: TestClient, stored: Stored) -> None:
    get, head = client.get("/api/articles"), client.head("/api/articles")
    assert head.status_code == 200 and head.content == b""
    assert head.headers["etag"] == get.headers["etag"]
    assert json.loads(get.content)["articles"]
