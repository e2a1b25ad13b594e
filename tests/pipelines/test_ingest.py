"""Saved pages through the real extract -> validate -> store path (`process_page`, `syndicate ingest`)."""

from __future__ import annotations

import gzip
import io
import os
from collections.abc import Iterator
from datetime import timedelta
from pathlib import Path

from sqlalchemy import Engine, func, select
from typer.testing import CliRunner
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from pipelines.backfill import ingest_pages
from pipelines.processing import process_page
from pipelines.saved_pages import InputError
from storage.database import make_engine, session_scope
from storage.models import ArticleRow, ArticleVersion, CrawlRun, Page
from storage.records import FetchedPage
from storage.runs import list_runs
from syndicate.cli import app
from tests.support.pagegen import elcomercio_page, numbered_page, paragraphs, url_of
from tests.support.sources import ELCOMERCIO, T0


def fetched(url: str, body: bytes, days: int = 0) -> FetchedPage:
    headers = {"Content-Type": "text/html; charset=utf-8"}
    return FetchedPage(url, url, 200, headers, body, T0 + timedelta(days=days))


def rows(engine: Engine, model: type[object]) -> int:
    with session_scope(engine) as session:
        return int(session.execute(select(func.count()).select_from(model)).scalar_one())


def test_same_pages_three_times_leave_one_row_each(engine: Engine) -> None:
    pages = [numbered_page(n) for n in range(5)]
    outcomes = []
    for day in range(3):
        for url, body in pages:
            with session_scope(engine) as session:
                outcomes.append(process_page(session, fetched(url, body, day), ELCOMERCIO, None))
    assert [o.outcome for o in outcomes] == ["new"] * 5 + ["unchanged"] * 10
    assert rows(engine, ArticleRow) == 5
    assert rows(engine, Page) == 5  # same URL and body: one raw page, fetch time moved on
    with session_scope(engine) as session:
        seen = session.execute(select(ArticleRow.last_seen_at).distinct()).scalars().all()
        fetched_at = session.execute(select(Page.fetched_at).distinct()).scalars().all()
    assert seen == [T0 + timedelta(days=2)]
    assert fetched_at == [T0 + timedelta(days=2)]


def test_changed_paragraph_gives_version_two(engine: Engine) -> None:
    slug = "congreso-aprueba-presupuesto-rmmn-noticia"
    body = paragraphs(7)
    changed = [*body[:3], "El Congreso corrigió la cifra del presupuesto aprobado.", *body[4:]]
    first = elcomercio_page(slug, "Congreso aprueba el presupuesto", body)
    second = elcomercio_page(slug, "Congreso aprueba el presupuesto", changed)
    with session_scope(engine) as session:
        new = process_page(session, fetched(url_of(slug), first), ELCOMERCIO, None)
    with session_scope(engine) as session:
        updated = process_page(session, fetched(url_of(slug), second, 1), ELCOMERCIO, None)
    assert (new.outcome, updated.outcome, updated.article_id) == ("new", "updated", new.article_id)
    with session_scope(engine) as session:
        article = session.execute(select(ArticleRow)).scalar_one()
        old = session.execute(select(ArticleVersion)).scalar_one()
    assert article.version == 2
    assert "corrigió la cifra" in article.text
    assert (old.version, old.superseded_at) == (1, T0 + timedelta(days=1))
    assert body[3] in old.text
    assert "corrigió la cifra" not in old.text
    assert rows(engine, Page) == 2  # both raw pages kept for reextract


def test_bad_pages_are_recorded_and_the_rest_stored(engine: Engine) -> None:
    good_url, good = numbered_page(1)
    with session_scope(engine) as session:
        results = [
            process_page(
                session, fetched("https://elcomercio.pe/x-noticia/", b""), ELCOMERCIO, None
            ),
            process_page(session, fetched(good_url, good), ELCOMERCIO, None),
            process_page(
                session, FetchedPage(good_url, good_url, 404, {}, b"gone", T0), ELCOMERCIO, None
            ),
        ]
    assert [r.outcome for r in results] == ["failed", "new", "failed"]
    assert results[0].reason
    assert results[2].reason == "HTTP 404"
    assert rows(engine, ArticleRow) == 1


def _warc(path: Path, pages: list[tuple[str, bytes]]) -> None:
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        for url, body in pages:
            headers = StatusAndHeaders(
                "200 OK", [("Content-Type", "text/html; charset=utf-8")], protocol="HTTP/1.1"
            )
            record = writer.create_warc_record(
                url,
                "response",
                payload=io.BytesIO(body),
                length=len(body),
                http_headers=headers,
                warc_headers_dict={"WARC-Date": "2026-11-01T12:00:00Z"},
            )
            writer.write_record(record)


def test_cli_ingests_html_gz_and_warc_then_reextracts(db_url: str, tmp_path: Path) -> None:
    html = tmp_path / "one.html"
    html.write_bytes(numbered_page(1)[1])
    gz = tmp_path / "two.html.gz"
    gz.write_bytes(gzip.compress(numbered_page(2)[1]))
    warc = tmp_path / "pages.warc.gz"
    _warc(warc, [numbered_page(3), numbered_page(4)])
    runner = CliRunner()
    args = ["ingest", str(html), str(gz), str(warc), "--source", "elcomercio", "--db", db_url]
    first = runner.invoke(app, [*args, "--fetched-at", "2026-11-01T12:00:00+00:00"])
    assert first.exit_code == 0, first.output
    again = runner.invoke(app, [*args, "--fetched-at", "2026-11-02T12:00:00+00:00"])
    assert again.exit_code == 0, again.output
    rebuilt = runner.invoke(app, ["reextract", "elcomercio", "--db", db_url])
    assert rebuilt.exit_code == 0, rebuilt.output
    engine = make_engine(db_url)
    with session_scope(engine) as session:
        urls = session.execute(select(ArticleRow.canonical_url)).scalars().all()
        runs = session.execute(select(CrawlRun).order_by(CrawlRun.id)).scalars().all()
        versions = session.execute(select(ArticleRow.version).distinct()).scalars().all()
    engine.dispose()
    assert sorted(urls) == sorted(numbered_page(n)[0] for n in range(1, 5))
    assert [(r.pages, r.new, r.unchanged) for r in runs] == [(4, 4, 0), (4, 0, 4)]
    assert versions == [1]  # the extractor did not change: reextract finds nothing new


def test_older_fetch_from_an_archive_does_not_replace_newer_content(engine: Engine) -> None:
    slug = "congreso-aprueba-presupuesto-rmmn-noticia"
    current = elcomercio_page(slug, "Congreso aprueba el presupuesto", paragraphs(7))
    archived = elcomercio_page(slug, "Congreso debate el presupuesto", paragraphs(6))
    with session_scope(engine) as session:
        process_page(session, fetched(url_of(slug), current, days=10), ELCOMERCIO, None)
    with session_scope(engine) as session:
        backfill = process_page(session, fetched(url_of(slug), archived), ELCOMERCIO, None)
    assert backfill.outcome == "unchanged"
    with session_scope(engine) as session:
        row = session.execute(select(ArticleRow)).scalar_one()
    assert (row.title, row.version) == ("Congreso aprueba el presupuesto", 1)
    assert (row.first_seen_at, row.last_seen_at) == (T0, T0 + timedelta(days=10))
    assert rows(engine, Page) == 2  # the archived page is kept for the record


def test_cli_refuses_unknown_source_and_one_url_for_many_files(tmp_path: Path) -> None:
    db = f"sqlite:///{tmp_path / 'x.db'}"
    page = tmp_path / "one.html"
    page.write_bytes(numbered_page(1)[1])
    runner = CliRunner()
    unknown = runner.invoke(app, ["ingest", str(page), "--source", "nope", "--db", db])
    assert unknown.exit_code != 0
    assert "unknown source 'nope'" in unknown.output
    args = ["ingest", str(page), str(page), "--source", "elcomercio", "--url", url_of("x")]
    many = runner.invoke(app, [*args, "--db", db])
    assert many.exit_code != 0
    assert "give one file" in many.output


def test_an_ingest_writes_its_counts_as_it_goes(engine: Engine) -> None:
    """A long backfill that is killed leaves a run with the counts it had: each heartbeat
    (every 10 s of the ingest's clock) writes them, before the run ends."""
    ticks = iter(T0 + timedelta(seconds=6 * n) for n in range(100))
    seen: list[tuple[str, int]] = []

    def pages() -> Iterator[tuple[str, FetchedPage | InputError]]:
        for number in range(4):
            url, body = numbered_page(number)
            yield url, fetched(url, body)
            with session_scope(engine) as session:
                (run,) = list_runs(session, "elcomercio")
            seen.append((run.status, run.counts["new"]))

    report = ingest_pages(
        engine, pages(), ELCOMERCIO, None, started_at=T0, clock=lambda: next(ticks)
    )
    assert report.counts["new"] == 4
    assert {status for status, _ in seen} == {"running"}
    written = [new for _, new in seen]
    assert written == sorted(written) and 0 < written[-1] < 4  # some, before the end
    with session_scope(engine) as session:
        (run,) = list_runs(session, "elcomercio")
    assert (run.status, run.counts["new"], run.pid) == ("finished", 4, os.getpid())
