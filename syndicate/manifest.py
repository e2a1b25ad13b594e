"""Manifests for `syndicate extract --manifest`: saved pages listed with the URL and fetch time
each was saved from, as CSV (header row) or JSON Lines. Plain parsing, no extraction.

Each data row becomes an `Entry` or, when a field is wrong, a `RowProblem` naming its line
and field, so one bad row never stops the others. A manifest that cannot be read at all
(missing, not UTF-8, unknown extension, no `path`/`url` column) raises `ManifestError`.
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

CSV_SUFFIXES = frozenset({".csv"})
JSONL_SUFFIXES = frozenset({".jsonl", ".ndjson"})
REQUIRED = ("path", "url")


class ManifestError(Exception):
    """The manifest as a whole is unusable; the message names it and why."""


@dataclass(frozen=True, slots=True)
class Entry:
    """One saved page: where it is (resolved against the manifest's folder) and its origin."""

    line: int
    path: Path
    url: str
    fetched_at: datetime | None
    source: str | None


@dataclass(frozen=True, slots=True)
class RowProblem:
    """Why the row on `line` cannot run: `field` is the column or key at fault."""

    line: int
    field: str
    why: str


def http_url(value: str) -> str:
    """`value` stripped when it is an absolute http(s) URL; ValueError saying why otherwise."""
    text = value.strip()
    parts = urlsplit(text)
    if parts.scheme.lower() not in {"http", "https"} or not parts.netloc or " " in text:
        raise ValueError(f"{value!r} is not an absolute http(s) URL")
    return text


def fetch_time(value: str) -> datetime:
    """An ISO 8601 time, tz-aware; one without an offset is UTC. ValueError otherwise."""
    try:
        parsed = datetime.fromisoformat(value.strip())
    except ValueError:
        raise ValueError(f"not an ISO 8601 time: {value!r}") from None
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def read_manifest(manifest: Path) -> Iterator[Entry | RowProblem]:
    """The manifest's data rows in order; raises ManifestError before the first row when the
    file itself is unusable, so nothing runs from half a manifest."""
    suffix = manifest.suffix.lower()
    if suffix not in CSV_SUFFIXES | JSONL_SUFFIXES:
        raise ManifestError(
            f"{manifest}: unknown manifest format {suffix or '(no extension)'!r}; "
            "use .csv, .jsonl or .ndjson"
        )
    try:
        text = manifest.read_text(encoding="utf-8-sig")  # Excel's CSV starts with a BOM
    except UnicodeDecodeError as exc:
        raise ManifestError(f"{manifest}: not UTF-8 text: {exc.reason}") from None
    except OSError as exc:
        raise ManifestError(f"{manifest}: cannot read manifest: {exc.strerror or exc}") from None
    rows = _csv_rows(manifest, text) if suffix in CSV_SUFFIXES else _jsonl_rows(text)
    return (_entry(manifest.parent, line, row) for line, row in rows)


def _csv_rows(manifest: Path, text: str) -> Iterator[tuple[int, Mapping[str, object] | str]]:
    reader = csv.DictReader(text.splitlines(keepends=True))
    try:
        header = list(reader.fieldnames or [])
    except csv.Error as exc:
        raise ManifestError(f"{manifest}:1: header: not valid CSV: {exc}") from None
    if missing := [name for name in REQUIRED if name not in header]:
        columns = ("column " if len(missing) == 1 else "columns ") + ", ".join(map(repr, missing))
        raise ManifestError(f"{manifest}:1: header: missing {columns} (found {header})")
    return _csv_records(reader)


def _csv_records(reader: csv.DictReader[str]) -> Iterator[tuple[int, Mapping[str, object] | str]]:
    """Records with the line each ends on (a quoted field may span lines; blank lines skip)."""
    try:
        for record in reader:
            yield reader.line_num, record
    except csv.Error as exc:
        yield reader.line_num, f"not valid CSV: {exc}"


def _jsonl_rows(text: str) -> Iterator[tuple[int, Mapping[str, object] | str]]:
    for line, raw in enumerate(text.splitlines(), start=1):
        if not raw.strip():
            continue
        try:
            record = json.loads(raw)
        except json.JSONDecodeError as exc:
            yield line, f"not valid JSON: {exc.msg}"
            continue
        yield line, record if isinstance(record, dict) else "not a JSON object"


def _entry(folder: Path, line: int, row: Mapping[str, object] | str) -> Entry | RowProblem:
    if isinstance(row, str):
        return RowProblem(line, "row", row)
    field = "path"  # the field being read, named by a problem
    try:
        path = _required(row, field)
        field = "url"
        url = http_url(_required(row, field))
        field = "fetched_at"
        when = _optional(row, field)
        fetched_at = fetch_time(when) if when else None
        field = "source"
        source = _optional(row, field)
    except ValueError as exc:
        return RowProblem(line, field, str(exc))
    return Entry(line, folder / path, url, fetched_at, source)


def _required(row: Mapping[str, object], field: str) -> str:
    if (value := _optional(row, field)) is None:
        raise ValueError("missing (required)")
    return value


def _optional(row: Mapping[str, object], field: str) -> str | None:
    """The field's text; None when absent or empty, ValueError when not a string (JSON)."""
    value = row.get(field)
    if value is None or (isinstance(value, str) and not value.strip()):
        return None
    if not isinstance(value, str):
        raise ValueError(f"not a string: {value!r}")
    return value.strip()
