"""`syndicate export`: every format read back (feedparser, json, csv) from a database filled
through the real processing path, equal to the server's articles and feed entries for the
same database; `--since` and KEY; bad input is one line with the documented exit code and
never leaves a file, nor creates a database. (The memory test is tests/e2e/test_export_memory.py.)
"""

from __future__ import annotations

import csv
import errno
import io
import json
import os
import pty
import subprocess
import sys
from collections.abc import Iterator
from dataclasses import dataclass
from datetime import datetime
from pathlib import Path
from typing import Any

import feedparser
import pytest
from fastapi.testclient import TestClient
from sqlalchemy import Engine
from typer.testing import CliRunner, Result

from extractors.source_rules import PublisherRegistry
from pipelines.processing import process_page
from storage.database import make_engine, session_scope, upgrade
from storage.records import FetchedPage
from storage.repository import ensure_source
from syndicate.cli import app
from syndicate.export import records
from syndicate.web import create_app
from syndicate.web.jsonfeed import check
from syndicate.web.records import article_json
from tests.support import stored_articles
from tests.support.jsonfeed_spec import JsonFeed
from tests.support.pagegen import elcomercio_page, paragraphs, url_of
from tests.support.paths import REPOSITORY
from tests.support.sources import ELCOMERCIO, T0

CREDIT = "Originally published by El Comercio"
JSON_COLUMNS = ("authors", "tags", "attribution")
INT_COLUMNS = ("id", "word_count", "version", "original_article_id")


@dataclass(frozen=True)
class Filled:
    seed: int
    original: int
    others: list[int]

    @property
    def all(self) -> set[int]:
        return {self.seed, self.original, *self.others}


def store_dated(engine: Engine, registry: PublisherRegistry, day: int) -> int:
    """An El Comercio page published on 2024-01-`day` at 09:00 Lima (14:00 UTC)."""
    slug = f"noticia-exportada-{day}-rmmn-noticia"
    published = f"2024-01-{day:02d}T09:00:00-05:00"
    body = elcomercio_page(slug, f"Noticia exportada {day}", paragraphs(2000 + day), published)
    page = FetchedPage(url_of(slug), url_of(slug), 200, {"Content-Type": "text/html"}, body, T0)
    with session_scope(engine) as session:
        outcome = process_page(session, page, ELCOMERCIO, registry)
    assert outcome.article_id is not None, outcome.reason
    return outcome.article_id


@pytest.fixture
def filled(engine: Engine, registry: PublisherRegistry) -> Filled:
    """The seed page (a credited copy), its El Comercio original, the Fujimori page and three
    dated El Comercio pages."""
    original = stored_articles.store(engine, registry, "original")
    seed = stored_articles.store(engine, registry, "seed")
    others = [stored_articles.store(engine, registry, "fujimori")]
    others += [store_dated(engine, registry, day) for day in (2, 3, 4)]
    return Filled(seed, original, others)


@pytest.fixture
def server(db_url: str, engine: Engine) -> Iterator[TestClient]:
    with TestClient(create_app(db_url)) as client:
        yield client


def export(*args: str) -> Result:
    return CliRunner().invoke(app, ["export", *args])


def exported(tmp_path: Path, db_url: str, kind: str, *args: str) -> tuple[str, int]:
    """The file an export wrote, and the count its summary line gives."""
    target = tmp_path / f"export.{kind}"
    result = export("--format", kind, "--output", str(target), "--db", db_url, *args)
    assert result.exit_code == 0, result.output
    words = result.stderr.split()
    assert result.stderr == f"exported {words[1]} {words[2]} to {target}\n"
    assert [p.name for p in tmp_path.iterdir() if p.name.startswith(".")] == []
    return target.read_bytes().decode("utf-8"), int(words[1])


def api_articles(server: TestClient, query: str = "") -> dict[int, dict[str, Any]]:
    listed = server.get(f"/api/articles?limit=100{query}").json()["articles"]
    return {article["id"]: article for article in listed}


def parsed_feed(document: str | bytes) -> Any:
    feed = feedparser.parse(document)
    assert not feed.bozo, feed.get("bozo_exception")
    return feed


def from_csv_row(row: dict[str, str]) -> dict[str, Any]:
    """A CSV row back as the API article: JSON cells decoded, numbers parsed, empty is None."""
    article: dict[str, Any] = {}
    for key, value in row.items():
        if key in JSON_COLUMNS:
            article[key] = json.loads(value)
        elif key in INT_COLUMNS:
            article[key] = int(value) if value else None
        else:
            article[key] = value or None
    return article


def test_json_lines_and_csv_hold_the_api_articles(
    filled: Filled, server: TestClient, db_url: str, tmp_path: Path
) -> None:
    expected = api_articles(server)
    assert set(expected) == filled.all
    text, count = exported(tmp_path, db_url, "jsonl")
    lines = [json.loads(line) for line in text.splitlines()]
    assert count == len(lines) == len(expected)
    assert [line["id"] for line in lines] == sorted(expected)  # id order
    assert {line["id"]: line for line in lines} == expected
    copy = expected[filled.seed]["attribution"]
    assert copy["original_publisher"] == "El Comercio"
    assert copy["original_source"] == "elcomercio"

    text, count = exported(tmp_path, db_url, "csv")
    reader = csv.DictReader(io.StringIO(text, newline=""))
    rows = [from_csv_row(row) for row in reader]
    assert reader.fieldnames == list(expected[filled.seed]) == list(records.columns())
    assert count == len(rows) == len(expected)
    assert {row["id"]: row for row in rows} == expected
    assert "\r\n" in text and any("\n" in row["text"] for row in rows)  # quoted multi-line cells


@pytest.mark.parametrize("kind", ["atom", "rss"])
def test_atom_and_rss_entries_are_the_served_entries(
    kind: str, filled: Filled, server: TestClient, db_url: str, tmp_path: Path
) -> None:
    served = parsed_feed(server.get(f"/feeds/all.{kind}?limit=500").content)
    text, count = exported(tmp_path, db_url, kind)
    feed = parsed_feed(text)
    entries = {entry.id: entry for entry in feed.entries}
    assert count == len(feed.entries) == len(entries) == len(filled.all)
    assert entries == {entry.id: entry for entry in served.entries}
    articles = api_articles(server)
    original_url = articles[filled.original]["canonical_url"]
    copy = entries[articles[filled.seed]["canonical_url"]]
    assert f'{CREDIT}: <a href="{original_url}"' in copy.content[0].value
    assert copy.source["link" if kind == "atom" else "href"] == original_url
    assert copy.source.title == "El Comercio"
    assert feed.feed.title == "syndicate: all sources"
    assert feed.feed.links[-1].href == f"http://127.0.0.1:8080/feeds/all.{kind}"
    if kind == "atom":
        newest = max(datetime.fromisoformat(a["updated_at"]) for a in articles.values())
        assert datetime.fromisoformat(feed.feed.updated) == newest


def test_json_feed_items_are_the_served_items(
    filled: Filled, server: TestClient, db_url: str, tmp_path: Path
) -> None:
    served = server.get("/feeds/all.json?limit=500").json()
    text, count = exported(tmp_path, db_url, "jsonfeed", "--base-url", "https://news.example/")
    document = json.loads(text)
    check(document)
    JsonFeed.model_validate_json(text)  # the spec, not only our own check
    assert count == len(document["items"]) == len(filled.all)
    items = {item["id"]: item for item in document["items"]}
    assert items == {item["id"]: item for item in served["items"]}
    assert document["feed_url"] == "https://news.example/feeds/all.json"
    copy = next(i for i in items.values() if i["_syndicate"]["article_id"] == filled.seed)
    assert copy["_syndicate"]["original_article_id"] == filled.original
    assert CREDIT in copy["content_html"]


def test_since_and_key_select_as_the_api_does(
    filled: Filled, server: TestClient, db_url: str, tmp_path: Path
) -> None:
    for since in ("2024-01-03", "2024-01-03T09:00:01-05:00"):
        result = export("--since", since, "--db", db_url)  # to stdout
        assert result.exit_code == 0, result.output
        ids = [json.loads(line)["id"] for line in result.stdout.splitlines()]
        expected = api_articles(server, f"&since={since.replace('+', '%2B')}")
        assert ids == sorted(expected)
        assert 0 < len(ids) < len(filled.all)
        noun = "article" if len(ids) == 1 else "articles"
        assert result.stderr == f"exported {len(ids)} {noun} to stdout\n"

    text, count = exported(tmp_path, db_url, "atom", "globalhappenings")
    feed = parsed_feed(text)
    assert count == 1
    assert [entry.title for entry in feed.entries] == [api_articles(server)[filled.seed]["title"]]
    assert feed.feed.title == "Global Happenings"
    assert feed.feed.id == "http://127.0.0.1:8080/feeds/globalhappenings.atom"

    text, count = exported(tmp_path, db_url, "jsonl", "elcomercio", "--since", "2024-01-04")
    assert [json.loads(line)["title"] for line in text.splitlines()] == ["Noticia exportada 4"]


def test_an_empty_selection_is_a_valid_empty_feed(
    engine: Engine, db_url: str, tmp_path: Path
) -> None:
    for kind in ("atom", "rss"):
        text, count = exported(tmp_path, db_url, kind)
        assert count == 0
        assert parsed_feed(text).entries == []
    text, count = exported(tmp_path, db_url, "jsonfeed", "elcomercio")
    check(json.loads(text))
    assert JsonFeed.model_validate_json(text).items == []
    text, _ = exported(tmp_path, db_url, "csv")
    assert text == ",".join(records.columns()) + "\r\n"


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["--since", "last week"], "--since 'last week' is not an ISO 8601 date or time"),
        (["--since", "2024-13-01"], "--since '2024-13-01' is not an ISO 8601 date or time"),
        (["nosuchsource"], "unknown source 'nosuchsource'"),
        (["--base-url", "news.example"], "--base-url 'news.example' is not an http(s) URL"),
        (["--output", "{tmp}/missing/out.jsonl"], "cannot write {tmp}/missing/out.jsonl: No such"),
        (["--output", "{tmp}"], "cannot write {tmp}: Is a directory"),
    ],
)
def test_bad_input_is_one_line_exit_2_and_no_file(
    args: list[str], message: str, engine: Engine, db_url: str, tmp_path: Path
) -> None:
    out = tmp_path / "out"
    out.mkdir()
    args = [arg.format(tmp=out) for arg in args]
    if "--output" not in args:
        args += ["--output", str(out / "export.jsonl")]
    result = export(*args, "--db", db_url)
    assert result.exit_code == 2, result.output
    assert result.stderr.startswith(f"syndicate export: {message.format(tmp=out)}")
    assert result.stderr.count("\n") == 1 and "Traceback" not in result.stderr
    assert result.stdout == ""
    assert list(out.iterdir()) == []


def test_a_missing_database_is_reported_and_not_created(tmp_path: Path) -> None:
    database, target = tmp_path / "missing.db", tmp_path / "export.jsonl"
    result = export("--db", f"sqlite:///{database}", "--output", str(target))
    assert result.exit_code == 1, result.output
    assert "does not exist" in result.stderr and result.stderr.count("\n") == 1
    assert list(tmp_path.iterdir()) == []


def test_a_failed_export_keeps_the_previous_file_whole(
    engine: Engine,
    registry: PublisherRegistry,
    db_url: str,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    for name in ("original", "fujimori"):
        stored_articles.store(engine, registry, name)
    (tmp_path / "out").mkdir()
    target = tmp_path / "out" / "export.jsonl"
    target.write_text("the previous export\n")
    calls: list[int] = []
    real = article_json

    def disk_fills_up(stored: Any) -> dict[str, Any]:
        calls.append(stored.id)
        if len(calls) == 2:
            raise OSError(errno.ENOSPC, os.strerror(errno.ENOSPC))
        return real(stored)

    monkeypatch.setattr("syndicate.export.records.article_json", disk_fills_up)
    result = export("--db", db_url, "--output", str(target))
    assert result.exit_code == 1, result.output
    assert result.stderr == f"syndicate export: cannot write {target}: No space left on device\n"
    assert target.read_text() == "the previous export\n"
    assert [p.name for p in target.parent.iterdir()] == ["export.jsonl"]


def test_a_terminal_gets_a_progress_bar(registry: PublisherRegistry, tmp_path: Path) -> None:
    """On SQLite only: the bar does not depend on the database."""
    engine = make_engine(f"sqlite:///{tmp_path / 'bar.db'}")
    upgrade(engine)
    with session_scope(engine) as session:
        ensure_source(session, ELCOMERCIO)
    stored_articles.store(engine, registry, "fujimori")
    engine.dispose()
    primary, secondary = pty.openpty()
    command = [sys.executable, "-m", "syndicate", "export", "--db", str(engine.url)]
    with subprocess.Popen(
        [*command, "--output", str(tmp_path / "a.jsonl")],
        cwd=REPOSITORY,
        stdout=subprocess.DEVNULL,
        stderr=secondary,
    ) as process:
        os.close(secondary)
        shown = b""
        while chunk := _read(primary):
            shown += chunk
    os.close(primary)
    assert process.returncode == 0
    text = shown.decode()
    assert "exporting" in text and "1/1" in text  # rich's bar, with the count known up front
    assert text.rstrip().endswith(f"exported 1 article to {tmp_path / 'a.jsonl'}")


def _read(fd: int) -> bytes:
    try:
        return os.read(fd, 4096)
    except OSError:  # EIO: the child closed the terminal
        return b""
