"""Refusals are a 4xx with one line of JSON; ETag and Last-Modified give 304s; the server
writes nothing and refuses a database that is missing or not migrated."""

from __future__ import annotations

import base64
import json
from pathlib import Path

from fastapi.testclient import TestClient
from sqlalchemy import Engine, text
from typer.testing import CliRunner

from syndicate.cli import app
from tests.serve.conftest import Stored

BAD = [
    ("/api/articles?source=nosuch", 404, "unknown source 'nosuch'"),
    ("/feeds/nosuch.atom", 404, "unknown source 'nosuch'"),
    ("/feeds/all.xml", 404, "no feed"),
    ("/api/articles?since=yesterday", 400, "since: not an ISO 8601"),
    ("/api/articles?until=2024-13-01", 400, "until: not an ISO 8601"),
    ("/api/articles?updated_since=2024-01-01T25:00", 400, "updated_since: not an ISO 8601"),
    ("/api/articles?cursor=not-a-cursor", 400, "cursor: not a cursor"),
    (
        "/api/articles?cursor=" + base64.urlsafe_b64encode(b'{"v":1,"after":-3}').decode(),
        400,
        "cursor",
    ),
    ("/api/articles?cursor=" + base64.urlsafe_b64encode(b"[1]").decode(), 400, "cursor"),
    ("/api/articles?limit=101", 400, "limit: must be between 1 and 100"),
    ("/api/articles?limit=0", 400, "limit: must be between 1 and 100"),
    ("/api/articles?limit=ten", 400, "limit: "),
    ("/feeds/all.atom?limit=501", 400, "limit: must be between 1 and 500"),
    ("/api/articles/999999", 404, "unknown article 999999"),
    ("/api/articles/999999/versions", 404, "unknown article 999999"),
    ("/api/articles/abc", 400, "article_id: "),
    ("/articles/999999", 404, "unknown article 999999"),
    ("/nothing/here", 404, "Not Found"),
]


def test_each_bad_request_gets_its_status_and_one_line_of_json(
    client: TestClient, stored: Stored
) -> None:
    for path, status, message in BAD:
        response = client.get(path)
        assert response.status_code == status, path
        assert response.headers["content-type"] == "application/json", path
        assert "\n" not in response.text, path
        assert set(response.json()) == {"error"}, path
        assert message in response.json()["error"], path


def test_only_get_and_head_are_allowed(client: TestClient, stored: Stored) -> None:
    for method in ("POST", "PUT", "PATCH", "DELETE"):
        for path in ("/api/articles", f"/api/articles/{stored.seed}", "/feeds/all.atom", "/"):
            response = client.request(method, path)
            assert response.status_code == 405, (method, path)
            assert response.json() == {"error": "method not allowed: only GET and HEAD"}


def test_etag_and_last_modified_give_304(client: TestClient, stored: Stored) -> None:
    paths = [
        "/api/articles",
        f"/api/articles/{stored.seed}",
        "/feeds/all.atom",
        "/feeds/elcomercio.json",
        "/",
    ]
    for path in paths:
        first = client.get(path)
        etag, modified = first.headers["etag"], first.headers["last-modified"]
        again = client.get(path, headers={"If-None-Match": etag})
        assert again.status_code == 304 and again.content == b"", path
        assert again.headers["etag"] == etag
        assert client.get(path, headers={"If-None-Match": '"other"'}).status_code == 200
        assert client.get(path, headers={"If-Modified-Since": modified}).status_code == 304
        earlier = "Mon, 01 Jan 2001 00:00:00 GMT"
        assert client.get(path, headers={"If-Modified-Since": earlier}).status_code == 200


def test_the_etag_changes_with_the_content(
    client: TestClient, stored: Stored, engine: Engine
) -> None:
    before = client.get("/feeds/all.atom").headers["etag"]
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE articles SET title = 'Changed' WHERE id = :id"), {"id": stored.seed}
        )
    response = client.get("/feeds/all.atom", headers={"If-None-Match": before})
    assert response.status_code == 200 and response.headers["etag"] != before


def test_html_edited_into_the_database_is_sanitised_on_the_way_out(
    client: TestClient, stored: Stored, engine: Engine
) -> None:
    evil = '<p onclick="steal()">Hi<script>alert(1)</script><a href="javascript:x()">l</a></p>'
    with engine.begin() as connection:
        connection.execute(
            text("UPDATE articles SET html = :h WHERE id = :id"), {"h": evil, "id": stored.seed}
        )
    served = [
        client.get(f"/api/articles/{stored.seed}").json()["html"],
        client.get("/feeds/all.json").text,
        client.get("/feeds/all.atom").text,
        client.get(f"/articles/{stored.seed}").text,
    ]
    for body in served:
        assert "Hi" in body
        for bad in ("<script", "onclick", "javascript:", "&lt;script"):
            assert bad not in body


def test_the_server_writes_nothing(client: TestClient, stored: Stored, engine: Engine) -> None:
    def snapshot() -> list[object]:
        with engine.connect() as connection:
            return [
                connection.execute(text(f"SELECT * FROM {table} ORDER BY 1")).all()
                for table in ("articles", "article_versions", "sources", "crawl_runs", "pages")
            ]

    before = snapshot()
    for path in ("/api/articles", "/api/sources", "/feeds/all.rss", "/", "/sources"):
        assert client.get(path).status_code == 200
    assert snapshot() == before


def test_serve_refuses_a_missing_or_unmigrated_database(tmp_path: Path) -> None:
    missing = tmp_path / "missing.db"
    result = CliRunner().invoke(app, ["serve", "--db", f"sqlite:///{missing}", "--port", "1"])
    assert result.exit_code == 1
    assert result.stderr.strip().count("\n") == 0 and "does not exist" in result.stderr
    assert not missing.exists()
    empty = tmp_path / "empty.db"
    empty.touch()
    result = CliRunner().invoke(app, ["serve", "--db", f"sqlite:///{empty}"])
    assert result.exit_code == 1 and "has no schema" in result.stderr
    assert json.dumps(result.stderr).count("\\n") == 1
