"""Atom, RSS and JSON Feed read back by feedparser (and as JSON): every article, its
attribution, authors and dates intact; the newest first; `?limit=`."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

import feedparser
from fastapi.testclient import TestClient

from tests.serve.conftest import Stored

CREDIT = "Originally published by El Comercio"


def articles(client: TestClient) -> dict[str, dict[str, Any]]:
    """The API's articles by canonical URL (the feeds' entry ids)."""
    listed = client.get("/api/articles?limit=100").json()["articles"]
    return {article["canonical_url"]: article for article in listed}


def parsed(client: TestClient, path: str) -> Any:
    response = client.get(path)
    assert response.status_code == 200, response.text
    feed = feedparser.parse(response.content)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


def when(struct: Any) -> datetime:
    year, month, day, hour, minute, second = struct[:6]
    return datetime(year, month, day, hour, minute, second, tzinfo=UTC)


def test_atom_and_rss_carry_every_article_with_attribution_and_dates(
    client: TestClient, stored: Stored
) -> None:
    expected = articles(client)
    for kind in ("atom", "rss"):
        feed = parsed(client, f"/feeds/all.{kind}")
        entries = {entry.id: entry for entry in feed.entries}
        assert set(entries) == set(expected), kind
        for url, article in expected.items():
            entry = entries[url]
            assert entry.title == article["title"]
            assert entry.link == url, kind
            assert when(entry.published_parsed) == datetime.fromisoformat(article["published_at"])
            assert [a["name"] for a in entry.get("authors", [])] == article["authors"]
            assert article["text"].split("\n")[0][:60] in entry.content[0].value
        seed = next(a for a in expected.values() if a["id"] == stored.seed)
        # credited by name only ("Source: Elcomercio"): the link is the stored original's URL
        original = next(a for a in expected.values() if a["id"] == stored.original)
        original_url = original["canonical_url"]
        copy = entries[seed["canonical_url"]]
        assert f'{CREDIT}: <a href="{original_url}"' in copy.content[0].value
        assert copy.source["link" if kind == "atom" else "href"] == original_url
        assert copy.source.title == "El Comercio"
        if kind == "atom":
            assert when(copy.updated_parsed) == datetime.fromisoformat(seed["updated_at"])
            via = [link.href for link in copy.links if link.rel == "via"]
            assert via == [original_url]
            assert copy.link == seed["canonical_url"]
        else:
            assert "source" not in entries[original_url]


def test_feeds_are_newest_first_per_source_and_limited(client: TestClient, stored: Stored) -> None:
    feed = parsed(client, "/feeds/elcomercio.atom?limit=3")
    assert len(feed.entries) == 3
    published = [when(entry.published_parsed) for entry in feed.entries]
    assert published == sorted(published, reverse=True)
    assert feed.feed.title == "El Comercio"
    assert parsed(client, "/feeds/globalhappenings.rss").entries[0].title.startswith("Putin")
    assert len(parsed(client, "/feeds/all.rss?limit=1").entries) == 1


def test_json_feed_has_the_required_fields_and_the_attribution(
    client: TestClient, stored: Stored
) -> None:
    response = client.get("/feeds/all.json")
    assert response.headers["content-type"].startswith("application/feed+json")
    feed = response.json()
    assert feed["version"] == "https://jsonfeed.org/version/1.1"
    assert feed["title"] and feed["feed_url"].endswith("/feeds/all.json")
    assert len(feed["items"]) == len(stored.all)
    assert all(item["id"] and item["content_html"] for item in feed["items"])
    copy = next(i for i in feed["items"] if i["_syndicate"]["article_id"] == stored.seed)
    extension = copy["_syndicate"]
    assert extension["original_publisher"] == "El Comercio"
    assert extension["original_source"] == "elcomercio"
    assert extension["original_article_id"] == stored.original
    original = next(i for i in feed["items"] if i["_syndicate"]["article_id"] == stored.original)
    assert copy["external_url"] == extension["original_url"] == original["url"]
    assert "external_url" not in original
    assert CREDIT in copy["content_html"]
    assert copy["date_published"].endswith("+00:00")
    assert all(item["authors"] for item in feed["items"] if item["id"] != copy["id"])
