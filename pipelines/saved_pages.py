"""Saved pages on disk as `FetchedPage`s: HTML, `.html.gz`, and WARC archives (response records).

A file that cannot be read yields an `InputError` in its place, so one bad file
never stops a backfill.
"""

from __future__ import annotations

from collections.abc import Iterator
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

from warcio.archiveiterator import ArchiveIterator

from extractors.page_files import MAX_PAGE_BYTES, read_page_file
from storage.records import FetchedPage

WARC_SUFFIXES = (".warc", ".warc.gz")


@dataclass(frozen=True, slots=True)
class InputError:
    """A file (or WARC record) that could not be read, and why."""

    label: str
    reason: str


def is_warc(path: Path) -> bool:
    return path.name.endswith(WARC_SUFFIXES)


def iter_pages(
    paths: list[Path], *, url: str | None = None, fetched_at: datetime | None = None
) -> Iterator[tuple[str, FetchedPage | InputError]]:
    """(label, page-or-error) for every page in `paths`, in order.

    A plain file's URL is `url` (else the file's own file:// URL, so only a page that declares
    its canonical URL can be stored); its fetch time is `fetched_at`, else the file's mtime.
    """
    for path in paths:
        if is_warc(path):
            yield from _warc_pages(path)
        else:
            yield str(path), _file_page(path, url, fetched_at)


def _file_page(
    path: Path, url: str | None, fetched_at: datetime | None
) -> FetchedPage | InputError:
    try:
        body = read_page_file(path)
        when = fetched_at or datetime.fromtimestamp(path.stat().st_mtime, UTC)
    except OSError as exc:
        return InputError(str(path), f"cannot read file: {exc}")
    page_url = url or path.resolve().as_uri()
    return FetchedPage(page_url, page_url, 200, {}, body, when)


def _warc_pages(path: Path) -> Iterator[tuple[str, FetchedPage | InputError]]:
    """HTML response records of a WARC file; other records (requests, images, ...) are skipped.

    A bad record fails alone; a file that breaks off (truncated or corrupt gzip) keeps the
    records read before the break and fails from there.
    """
    count, unread = 0, 0
    try:
        with path.open("rb") as stream:
            archive = ArchiveIterator(stream)
            for count, record in enumerate(archive, 1):
                if (found := _labelled(path, count, record)) is not None:
                    yield found
            unread = path.stat().st_size - archive.offset  # warcio stops quietly mid-record
    # warcio raises assorted errors on a broken archive (even AttributeError): the file fails.
    except Exception as exc:
        yield str(path), InputError(str(path), f"cannot read WARC: {_short(exc)}")
        return
    if count == 0 or unread > 0:
        broken = f"breaks off after record {count}" if count else "no records in the file"
        yield str(path), InputError(str(path), f"cannot read WARC: {broken}")


def _labelled(path: Path, number: int, record: Any) -> tuple[str, FetchedPage | InputError] | None:
    """(label, page) for an HTML response, (label, error) for a bad record, else None."""
    label = f"{path}: record {number}"
    try:
        page = _warc_page(record)
    except ValueError as exc:  # a missing or malformed header in this record only
        return label, InputError(label, f"bad WARC record: {exc}")
    return None if page is None else (f"{path}: {page.url}", page)


def _warc_page(record: Any) -> FetchedPage | None:  # warcio records are untyped
    """The record as a page, None if it is not an HTML response; ValueError names what is wrong."""
    if record.format != "warc":  # warcio also reads ARC, and takes any text for one
        raise ValueError(f"not a WARC record (reads as {record.format})")
    if record.rec_type != "response" or record.http_headers is None:
        return None
    content_type = record.http_headers.get_header("Content-Type")  # any case
    if content_type and "html" not in content_type.lower():
        return None
    url = _required(record, "WARC-Target-URI")
    fetched = datetime.fromisoformat(_required(record, "WARC-Date").replace("Z", "+00:00"))
    body = record.content_stream().read(MAX_PAGE_BYTES)
    missing = getattr(record.raw_stream, "limit", 0)  # warcio ends a cut-off record quietly
    if missing and len(body) < MAX_PAGE_BYTES:
        raise ValueError(f"record breaks off: {missing} of its {record.length} bytes missing")
    status = int(record.http_headers.get_statuscode() or 0)
    headers = dict(record.http_headers.headers)
    return FetchedPage(
        url, url, status, headers, body, fetched.replace(tzinfo=fetched.tzinfo or UTC)
    )


def _short(exc: Exception) -> str:
    """Error type and the start of its message (warcio quotes whole binary lines)."""
    message = " ".join(str(exc).split())[:120]
    return f"{type(exc).__name__}: {message}" if message else type(exc).__name__


def _required(record: Any, name: str) -> str:
    value = record.rec_headers.get_header(name)
    if not value:
        raise ValueError(f"no {name} header")
    return str(value)
