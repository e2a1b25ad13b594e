"""One bad file or WARC record never stops an ingest: it is failed with its reason and every
other page is stored."""

from __future__ import annotations

import gzip
import io
from pathlib import Path

from sqlalchemy import Engine, select
from warcio.statusandheaders import StatusAndHeaders
from warcio.warcwriter import WARCWriter

from pipelines.backfill import ingest_pages
from pipelines.saved_pages import iter_pages
from storage.database import session_scope
from storage.models import ArticleRow
from tests.support.pagegen import numbered_page
from tests.support.sources import ELCOMERCIO, T0


def write_warc(path: Path, pages: list[tuple[str, bytes, str | None]]) -> None:
    """Response records; a None date leaves the record without its WARC-Date header."""
    with path.open("wb") as stream:
        writer = WARCWriter(stream, gzip=True)
        for url, body, date in pages:
            headers = StatusAndHeaders("200 OK", [("content-type", "text/html")], "HTTP/1.1")
            record = writer.create_warc_record(
                url, "response", payload=io.BytesIO(body), length=len(body), http_headers=headers
            )
            record.rec_headers.remove_header("WARC-Date")
            if date is not None:
                record.rec_headers.add_header("WARC-Date", date)
            writer.write_record(record)


def test_bad_files_and_records_fail_alone(engine: Engine, tmp_path: Path) -> None:
    pages = [numbered_page(n) for n in range(4)]
    warc = tmp_path / "pages.warc.gz"
    dates = ["2026-11-01T12:00:00Z", None, "2026-11-01T12:00:00"]  # no offset: UTC
    write_warc(warc, [(url, body, date) for (url, body), date in zip(pages, dates, strict=False)])
    truncated = tmp_path / "cut.html.gz"
    truncated.write_bytes(gzip.compress(pages[3][1])[:-100])
    broken = tmp_path / "broken.warc"  # no WARC at all
    broken.write_bytes(b"<html>saved under the wrong name</html>\n")
    empty = tmp_path / "empty.warc"
    empty.write_bytes(b"")
    cut_record, cut_file = tmp_path / "cut-record.warc.gz", tmp_path / "cut-file.warc.gz"
    write_warc(cut_record, [(url, body, dates[0]) for url, body in pages[:2]])
    write_warc(cut_file, [(pages[0][0], pages[0][1], dates[0])])
    whole = cut_record.read_bytes()
    cut_file.write_bytes(whole[: cut_file.stat().st_size + 30])  # second record: 30 bytes
    cut_record.write_bytes(whole[:-2000])  # the second record's body breaks off
    report = ingest_pages(
        engine,
        iter_pages([warc, truncated, broken, empty, cut_record, cut_file], fetched_at=T0),
        ELCOMERCIO,
        None,
        started_at=T0,
        clock=lambda: T0,
    )
    assert (report.counts["pages"], report.counts["new"], report.counts["failed"]) == (10, 2, 6)
    broken_off = {r for r in report.failures if r.startswith("bad WARC record: record breaks off")}
    assert set(report.failures) - broken_off == {
        "bad WARC record: no WARC-Date header",
        "bad WARC record: not a WARC record (reads as arc)",
        "cannot read WARC: no records in the file",
        "cannot read WARC: breaks off after record 1",
        f"cannot read file: {truncated}: truncated or corrupt gzip: "
        "Compressed file ended before the end-of-stream marker was reached",
    }
    assert len(broken_off) == 1
    with session_scope(engine) as session:
        stored = session.execute(select(ArticleRow.url, ArticleRow.first_seen_at)).all()
    assert sorted(stored) == sorted([(pages[0][0], T0), (pages[2][0], T0)])
