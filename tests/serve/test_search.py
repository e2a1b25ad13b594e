"""`q`: full-text search of title, description and text on SQLite (FTS5) and PostgreSQL
(tsvector), checked against the words of the articles the API itself returns."""

from __future__ import annotations

import re
import unicodedata
from datetime import timedelta
from typing import Any

from fastapi.testclient import TestClient
from sqlalchemy import Engine, text

from extractors.source_rules import PublisherRegistry
from storage.records import FetchedPage
from tests.serve.conftest import GENERATED, Stored, store_page
from tests.support.pagegen import WORDS, elcomercio_page, paragraphs, url_of
from tests.support.paths import REPOSITORY
from tests.support.sources import T0

HOSTILE = [
    '"', "*", "NEAR(", "NEAR(a b)", "a OR", "OR", "AND NOT", "-", "-congreso", "'", "''",
    "(", ")", "^", ":", "title:congreso", "congreso*", "a & b", "a | b", "!a", "a <-> b",
    "\\", "%", "_", "{", "\u0301", "\U0001f600", "\ufffd", "a\tb\nc",
    '"unterminated', "congreso\" OR \"x", "x" * 200, "palabra " * 25,
]  # fmt: skip
TOO_LONG = "x" * 201


def articles(client: TestClient, query: str = "") -> list[dict[str, Any]]:
    response = client.get(f"/api/articles?limit=100&{query}")
    assert response.status_code == 200, response.text
    found: list[dict[str, Any]] = response.json()["articles"]
    return found


def found(client: TestClient, q: str, query: str = "") -> list[int]:
    return [a["id"] for a in articles(client, f"{query}&q={q}" if query else f"q={q}")]


def words_of(article: dict[str, Any]) -> set[str]:
    """The reference: lower-cased runs of letters and digits of the three searched fields."""
    fields = (article["title"], article["description"], article["text"])
    return set(re.findall(r"[^\W_]+", " ".join(f for f in fields if f).lower()))


def having(everything: list[dict[str, Any]], *words: str) -> list[int]:
    return [a["id"] for a in everything if set(words) <= words_of(a)]


def test_every_word_finds_exactly_the_articles_holding_it(
    client: TestClient, stored: Stored
) -> None:
    everything = articles(client)
    hits = {word: having(everything, word) for word in WORDS}
    assert any(0 < len(ids) < len(everything) for ids in hits.values())
    for word, ids in hits.items():
        assert found(client, word) == ids, word
    pair = sorted(hits, key=lambda w: len(hits[w]))[len(hits) // 2 : len(hits) // 2 + 2]
    assert found(client, " ".join(pair)) == having(everything, *pair)  # every word, not any


def test_a_word_of_the_title_alone_is_found(client: TestClient, stored: Stored) -> None:
    everything = articles(client)
    assert not any("servida" in (a["text"] + (a["description"] or "")) for a in everything)
    assert found(client, "servida") == stored.generated == having(everything, "servida")
    three = having(everything, "noticia", "servida", "3")
    assert found(client, "Noticia%20servida%203") == three == [stored.generated[3]]


def test_case_is_folded_and_accents_are_kept(client: TestClient, stored: Stored) -> None:
    everything = articles(client)
    accented = [w for w in WORDS if not w.isascii()]
    word = max(accented, key=lambda w: len(having(everything, w)))
    plain = "".join(c for c in unicodedata.normalize("NFD", word) if c.isascii())  # futbol
    assert having(everything, word) and having(everything, plain) != having(everything, word)
    assert found(client, word) == found(client, word.upper()) == having(everything, word)
    assert found(client, plain) == having(everything, plain)
    assert found(client, "LUKASHENKO") == found(client, "lukashenko") != []


def test_search_combines_with_every_filter(client: TestClient, stored: Stored) -> None:
    everything = articles(client)
    both = having(everything, "lukashenko")
    assert stored.seed in both and stored.original in both
    assert found(client, "lukashenko", "source=globalhappenings") == [stored.seed]
    assert found(client, "lukashenko", "source=elcomercio") == [i for i in both if i != stored.seed]
    assert found(client, "lukashenko", "language=en") == [stored.seed]
    common = max(WORDS, key=lambda w: len(having(everything, w)))
    for query in (
        "source=elcomercio&since=2024-01-03&until=2024-01-04",
        "language=es&until=2023-01-01",
        f"updated_since={(T0 + timedelta(hours=1)).isoformat().replace('+00:00', 'Z')}",
    ):
        alone = {a["id"] for a in articles(client, query)}
        expected = [i for i in having(everything, common) if i in alone]
        assert 0 < len(expected) < len(alone | set(having(everything, common))), query
        assert found(client, common, query) == expected, query
    unknown = client.get("/api/articles?q=congreso&source=nowhere")
    assert unknown.status_code == 404


def test_paging_search_results_one_at_a_time_has_no_gap_or_repeat(
    client: TestClient, stored: Stored
) -> None:
    everything = articles(client)
    common = max(WORDS, key=lambda w: len(having(everything, w)))
    expected = having(everything, common)
    assert 2 < len(expected) < len(everything)
    seen: list[int] = []
    cursor = ""
    for _ in range(len(everything) + 1):
        page = client.get(f"/api/articles?limit=1&q={common}{cursor}").json()
        seen += [a["id"] for a in page["articles"]]
        if page["next"] is None:
            break
        cursor = f"&cursor={page['next']}"
    assert seen == expected


def test_a_new_version_is_found_by_its_new_words_only(
    client: TestClient, stored: Stored, engine: Engine, registry: PublisherRegistry
) -> None:
    target = stored.generated[3]
    (before,) = [a for a in articles(client) if a["id"] == target]
    heading = words_of(before | {"text": ""})
    gone = sorted((words_of(before) - heading) & set(WORDS))[0]  # a word of the text alone
    assert target in found(client, gone) and target in found(client, "servida")
    store_page(engine, registry, _rewritten(3, gone))
    after = articles(client)
    assert [a["version"] for a in after if a["id"] == target] == [2]
    assert found(client, "zarzamoras") == [target] == found(client, "renovada")
    assert target not in found(client, gone) and found(client, gone) == having(after, gone)
    assert target not in found(client, "servida")
    _assert_index_matches_articles(engine)


def test_a_deleted_article_leaves_nothing_behind_for_the_next_one(
    client: TestClient, stored: Stored, engine: Engine, registry: PublisherRegistry
) -> None:
    extra = store_page(engine, registry, _rewritten(GENERATED, "fútbol"))
    assert found(client, "zarzamoras") == [extra]
    with engine.begin() as connection:
        connection.execute(text("DELETE FROM articles WHERE id = :id"), {"id": extra})
    assert found(client, "zarzamoras") == []
    again = store_page(engine, registry, _rewritten(GENERATED + 1, "fútbol", "arándanos"))
    assert again == extra or engine.dialect.name != "sqlite"  # SQLite reuses the highest id
    assert found(client, "zarzamoras") == [] and found(client, "arándanos") == [again]
    _assert_index_matches_articles(engine)


def test_search_syntax_is_read_as_words_and_never_fails(client: TestClient, stored: Stored) -> None:
    for q in HOSTILE:
        response = client.get("/api/articles", params={"q": q})
        assert response.status_code == 200, (q, response.text)
    everything = articles(client)
    assert found(client, "lukashenko%20OR%20zzz") == []  # OR is a word like any other
    assert found(client, "-lukashenko") == having(everything, "lukashenko")  # not a NOT
    assert found(client, "%22lukashenko%22") == having(everything, "lukashenko")
    assert found(client, "lukashenko*") == having(everything, "lukashenko")
    assert found(client, "*") == found(client, "-") == []  # no word: nothing matches
    assert found(client, "%20%20") == [a["id"] for a in everything]  # blank: no search
    invalid_utf8 = found(client, "%ED%A0%80lukashenko")  # read as replacement characters
    assert invalid_utf8 == having(everything, "lukashenko")


def test_an_unusable_search_is_a_one_line_400(client: TestClient) -> None:
    for q, error in ((TOO_LONG, "q: at most 200 characters"), ("a\x00b", "q: must not")):
        for path in ("/api/articles", "/"):
            response = client.get(path, params={"q": q})
            assert response.status_code == 400, (path, q)
            assert response.json()["error"].startswith(error)
            assert "\n" not in response.text


def test_the_index_page_searches_and_keeps_the_words_in_its_form(
    client: TestClient, stored: Stored
) -> None:
    page = client.get("/", params={"q": "servida"}).text
    assert page.count('<a href="/articles/') == len(stored.generated)
    assert 'name="q" value="servida"' in page and "Putin" not in page
    hostile = client.get("/", params={"q": '"><script>x'}).text
    assert "<script>x" not in hostile and "&#34;&gt;&lt;script&gt;x" in hostile


def test_the_documented_search_sql_agrees_with_the_api(
    client: TestClient, stored: Stored, engine: Engine
) -> None:
    doc = (REPOSITORY / "docs/schema.md").read_text(encoding="utf-8")
    name = f"-- query: search ({engine.dialect.name})\n"
    sql = next(b for b in re.findall(r"```sql\n(.*?)```", doc, re.S) if b.startswith(name))
    words = '"putin" "lukashenko"' if engine.dialect.name == "sqlite" else "Putin Lukashenko"
    with engine.connect() as connection:
        rows = connection.execute(text(sql.removeprefix(name)), {"words": words}).all()
    assert [row[0] for row in rows] == found(client, "Putin%20Lukashenko") != []


def _rewritten(number: int, gone: str, extra: str = "zarzamoras") -> FetchedPage:
    """Generated page `number` with a new title and a text without `gone`, with `extra`."""
    slug = f"noticia-servida-{number}-rmmn-noticia"
    kept = [w for w in WORDS if w != gone]
    body = [
        " ".join(kept[(7 * i + j) % len(kept)] for j in range(45)).capitalize() + f" {extra}."
        for i in range(len(paragraphs(0)))
    ]
    published = f"2024-01-{number + 1:02d}T09:00:00-05:00"
    page = elcomercio_page(slug, f"Crónica renovada {number}", body, published)
    seen = T0 + timedelta(days=5)
    return FetchedPage(url_of(slug), url_of(slug), 200, {"Content-Type": "text/html"}, page, seen)


def _assert_index_matches_articles(engine: Engine) -> None:
    """SQLite: FTS5 compares its index with the articles (PostgreSQL's column is generated)."""
    if engine.dialect.name != "sqlite":
        return
    with engine.begin() as connection:
        connection.execute(
            text("INSERT INTO articles_search(articles_search, rank) VALUES ('integrity-check', 1)")
        )
