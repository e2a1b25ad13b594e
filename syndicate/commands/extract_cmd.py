"""`syndicate extract FILE… [--url URL] [--source KEY] [--fetched-at T]`: one JSON object per file."""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated
from urllib.parse import urlsplit

import typer

from syndicate.commands.exits import EXIT_FAILED

if TYPE_CHECKING:  # the extractor (trafilatura, dateparser) loads when a file is read
    from extractors.source_rules import PublisherRegistry, SourceRules


def register(app: typer.Typer) -> None:
    app.command("extract")(extract_files)


def extract_files(
    files: Annotated[list[Path], typer.Argument(help="Saved pages: .html or .html.gz")],
    url: Annotated[
        str | None,
        typer.Option(help="URL the page(s) came from (default: the file's URL)", callback=http_url),
    ] = None,
    source: Annotated[
        str | None, typer.Option(help="Source key whose rules, language and timezone apply")
    ] = None,
    fetched_at: Annotated[
        str | None,
        typer.Option(
            help="When the page(s) were fetched (ISO 8601; UTC if no offset): resolves "
            "relative dates such as 'hace 2 horas', which are left out without it"
        ),
    ] = None,
) -> None:
    """Extract articles from saved pages as JSON Lines, in the order given; a file that fails gives {"file", "error"}, the rest go on, and the exit status is 1."""
    rules, registry = _source_context(source)
    when = _fetch_time(fetched_at)
    failed = 0
    for path in files:
        row = _extract_one(path, url, when, rules, registry)
        failed += "error" in row
        sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
        sys.stdout.flush()
    if failed:
        raise typer.Exit(EXIT_FAILED)


def http_url(value: str | None) -> str | None:
    """An option's URL must be absolute http(s): anything else is a usage error (exit 2)."""
    if value is None:
        return None
    parts = urlsplit(value.strip())
    if parts.scheme.lower() not in {"http", "https"} or not parts.netloc or " " in value.strip():
        raise typer.BadParameter(f"{value!r} is not an absolute http(s) URL")
    return value.strip()


def _fetch_time(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        parsed = datetime.fromisoformat(value)
    except ValueError as exc:
        raise typer.BadParameter(
            f"not an ISO 8601 time: {value!r}", param_hint="--fetched-at"
        ) from exc
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


def _extract_one(
    path: Path,
    url: str | None,
    fetched_at: datetime | None,
    rules: SourceRules | None,
    registry: PublisherRegistry | None,
) -> dict[str, object]:
    from extractors import ExtractionError
    from extractors.extract import extract
    from extractors.page_files import read_page_file

    try:
        data = read_page_file(path)
        page_url = url or path.resolve().as_uri()
        article = extract(data, page_url, rules=rules, registry=registry, fetched_at=fetched_at)
    except (OSError, ExtractionError) as exc:
        reason = exc.reason if isinstance(exc, ExtractionError) else f"cannot read file: {exc}"
        return {"file": str(path), "error": reason}
    return {"file": str(path), **article.to_dict()}


def _source_context(key: str | None) -> tuple[SourceRules | None, PublisherRegistry | None]:
    from syndicate.commands.sources_cmd import catalog_or_exit, source_or_exit

    catalog = catalog_or_exit()
    if key is None:
        return None, catalog.publishers()
    return source_or_exit(catalog, key).rules(), catalog.publishers()
