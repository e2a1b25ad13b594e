"""The HTML site: latest articles with a GET form, one article with attribution and
versions, sources; titles are escaped wherever they appear."""

from __future__ import annotations

from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from tests.serve.conftest import Stored

HOSTILE = 'Crime & <b>punishment</b> "quoted"'
ESCAPED = "Crime &amp; &lt;b&gt;punishment&lt;/b&gt; &#34;quoted&#34;"


def test_the_index_lists_the_latest_and_filters_with_a_plain_form(
    client: TestClient, stored: Stored
) -> None:
    page = client.get("/").text
    assert '<form method="get" action="/">' in page and "<script" not in page
    assert page.count('<a href="/articles/') == len(stored.all)
    assert "Noticia servida 5" in page and "Putin visits Lukashenko" in page
    english = client.get("/?source=&language=en").text
    assert english.count('<a href="/articles/') == 1 and "Putin visits Lukashenko" in english
    one = client.get("/?source=elcomercio&language=").text
    assert one.count('<a href="/articles/') == len(stored.all) - 1


def test_titles_are_escaped_everywhere(client: TestClient, stored: Stored, engine: Engine) -> None:
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE articles SET title = :t WHERE id = :id"), {"t": HOSTILE, "id": stored.seed}
        )
    for path in ("/", f"/articles/{stored.seed}"):
        page = client.get(path).text
        assert ESCAPED in page and "<b>punishment" not in page, path
    atom = client.get("/feeds/all.atom").text
    assert "<b>punishment" not in atom and "&lt;b&gt;punishment" in atom


def test_an_article_page_shows_attribution_versions_and_the_original(
    client: TestClient, stored: Stored
) -> None:
    article = client.get(f"/api/articles/{stored.seed}").json()
    page = client.get(f"/articles/{stored.seed}").text
    assert f'<a href="{article["url"]}">Read it at {article["site_name"]}</a>' in page
    original = client.get(f"/api/articles/{stored.original}").json()
    assert f'<a href="{original["url"]}">Original by El Comercio</a>' in page
    assert "Originally published by El Comercio" in page
    assert f'<a href="/articles/{stored.original}">' in page
    assert "version 1 (current)" in page
    assert article["text"].split("\n")[0][:60] in page


def test_the_sources_page_shows_health(client: TestClient, stored: Stored) -> None:
    page = client.get("/sources").text
    assert "El Comercio" in page and "never crawled" in page
    assert '<a href="/feeds/elcomercio.atom">' in page


def test_a_copy_linked_by_its_text_alone_credits_the_originals_publisher(
    client: TestClient, engine: Engine
) -> None:
    """No credit line, no original URL on the page: the near-duplicate link still names who
    published it first, in the page and in the feeds, instead of "another publisher"."""
    from dataclasses import replace

    from extractors.article import Article, Attribution
    from storage.database import session_scope
    from storage.repository import upsert_article
    from tests.support.pagegen import paragraphs
    from tests.support.sources import T0

    body = "\n\n".join(paragraphs(6))
    original = Article(
        url="https://elcomercio.pe/politica/texto-noticia/",
        canonical_url="https://elcomercio.pe/politica/texto-noticia/",
        source="elcomercio",
        site_name="El Comercio",
        title="Congreso debate el presupuesto",
        text=body,
        published_at="2026-10-30T08:00:00-05:00",
    )
    copy = replace(
        original,
        url="https://globalhappenings.example/budget/",
        canonical_url="https://globalhappenings.example/budget/",
        source="globalhappenings",
        site_name="Global Happenings",
        published_at="2026-10-31T08:00:00-05:00",
        attribution=Attribution(publisher="Global Happenings"),
    )
    with session_scope(engine) as session:
        upsert_article(session, original, seen_at=T0)
        copied = upsert_article(session, copy, seen_at=T0)
    page = client.get(f"/articles/{copied.article_id}").text
    assert f'Originally published by El Comercio: <a href="{original.url}"' in page
    assert "another publisher" not in client.get("/feeds/all.atom").text
