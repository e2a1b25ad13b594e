"""`syndicate extract FILE… [--url URL] [--source KEY] [--fetched-at T]` or
`syndicate extract --manifest FILE [--source KEY] [--fetched-at T]`: one JSON object per page."""

from __future__ import annotations

import json
import sys
from datetime import datetime
from pathlib import Path
from typing import TYPE_CHECKING, Annotated

import typer

from syndicate import manifest as manifests
from syndicate.commands.exits import EXIT_FAILED, fail

if TYPE_CHECKING:  # the extractor (trafilatura, dateparser) loads when a file is read
    from extractors.source_rules import PublisherRegistry, SourceRules
    from spiders.registry import SourceCatalog


def register(app: typer.Typer) -> None:
    app.command("extract")(extract_files)


def extract_files(
    files: Annotated[
        list[Path] | None, typer.Argument(help="Saved pages: .html or .html.gz")
    ] = None,
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
    manifest: Annotated[
        Path | None,
        typer.Option(
            help="CSV (header row) or JSON Lines (.csv, .jsonl, .ndjson) listing each page's "
            "path, url and optionally fetched_at and source; instead of FILE… and --url. "
            "--source and --fetched-at apply to rows without their own"
        ),
    ] = None,
) -> None:
    """Extract articles from saved pages as JSON Lines, in the order given; a file that fails gives {"file", "error"} (a bad manifest row: one line on stderr), the rest go on, and the exit status is 1."""
    if manifest is not None and (files or url is not None):
        fail("extract", "--manifest gives each page's path and URL: no FILE or --url with it")
    if manifest is None and not files:
        fail("extract", "give the saved pages: FILE… or --manifest FILE")
    when = _fetch_time(fetched_at)
    catalog = _catalog()
    rules = _source_rules(catalog, source)
    registry = catalog.publishers()
    if manifest is not None:
        failed = _extract_manifest(manifest, when, rules, catalog, registry)
    else:
        failed = sum(_emit(_extract_one(path, url, when, rules, registry)) for path in files or [])
    if failed:
        raise typer.Exit(EXIT_FAILED)


def http_url(value: str | None) -> str | None:
    """An option's URL must be absolute http(s): anything else is a usage error (exit 2)."""
    if value is None:
        return None
    try:
        return manifests.http_url(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc)) from None


def _fetch_time(value: str | None) -> datetime | None:
    if value is None:
        return None
    try:
        return manifests.fetch_time(value)
    except ValueError as exc:
        raise typer.BadParameter(str(exc), param_hint="--fetched-at") from None


def _extract_manifest(
    manifest: Path,
    fetched_at: datetime | None,
    rules: SourceRules | None,
    catalog: SourceCatalog,
    registry: PublisherRegistry,
) -> int:
    """Each manifest row in turn; a bad row is one stderr line and counts as a failure."""
    from extractors.page_files import read_page_file

    try:
        rows = manifests.read_manifest(manifest)
    except manifests.ManifestError as exc:
        fail("extract", str(exc))
    rules_of: dict[str, SourceRules | str] = {}  # per source key: its rules, or why none
    failed = 0
    for row in rows:
        if isinstance(row, manifests.RowProblem):
            failed += _row_problem(manifest, row)
            continue
        row_rules = rules
        if row.source is not None:
            if row.source not in rules_of:
                rules_of[row.source] = _rules_or_why(catalog, row.source)
            found = rules_of[row.source]
            if isinstance(found, str):
                failed += _row_problem(manifest, manifests.RowProblem(row.line, "source", found))
                continue
            row_rules = found
        try:
            data = read_page_file(row.path)
        except OSError as exc:
            why = f"cannot read {row.path}: {exc.strerror}" if exc.strerror else str(exc)
            failed += _row_problem(manifest, manifests.RowProblem(row.line, "path", why))
            continue
        when = row.fetched_at or fetched_at
        page = _extract_data(
            row.path, data, row.url, fetched_at=when, rules=row_rules, registry=registry
        )
        failed += _emit(page)
    return failed


def _row_problem(manifest: Path, problem: manifests.RowProblem) -> int:
    """`syndicate extract: MANIFEST:LINE: field: why` on stderr; 1, one failure."""
    typer.echo(
        f"syndicate extract: {manifest}:{problem.line}: {problem.field}: {problem.why}", err=True
    )
    return 1


def _emit(row: dict[str, object]) -> int:
    """Print one JSON Lines row now (a long run shows progress); 1 when it is an error row."""
    sys.stdout.write(json.dumps(row, ensure_ascii=False) + "\n")
    sys.stdout.flush()
    return int("error" in row)


def _extract_one(
    path: Path,
    url: str | None,
    fetched_at: datetime | None,
    rules: SourceRules | None,
    registry: PublisherRegistry | None,
) -> dict[str, object]:
    from extractors.page_files import read_page_file

    try:
        data = read_page_file(path)
    except OSError as exc:
        return {"file": str(path), "error": f"cannot read file: {exc}"}
    page_url = url or path.resolve().as_uri()
    return _extract_data(
        path, data, page_url, fetched_at=fetched_at, rules=rules, registry=registry
    )


def _extract_data(
    path: Path,
    data: bytes,
    url: str,
    *,
    fetched_at: datetime | None,
    rules: SourceRules | None,
    registry: PublisherRegistry | None,
) -> dict[str, object]:
    from extractors import ExtractionError
    from extractors.extraction import extract

    try:
        article = extract(data, url, rules=rules, registry=registry, fetched_at=fetched_at)
    except ExtractionError as exc:
        return {"file": str(path), "error": exc.reason}
    return {"file": str(path), **article.to_dict()}


def _catalog() -> SourceCatalog:
    from syndicate.commands.sources_cmd import catalog_or_exit

    return catalog_or_exit()


def _source_rules(catalog: SourceCatalog, key: str | None) -> SourceRules | None:
    """The rules of `--source KEY`; an unknown or broken source is a usage error (exit 2)."""
    from syndicate.commands.sources_cmd import source_or_exit

    return source_or_exit(catalog, key).rules() if key is not None else None


def _rules_or_why(catalog: SourceCatalog, key: str) -> SourceRules | str:
    """A manifest row's source: its rules, or why there are none (unknown key, broken file)."""
    if problems := catalog.problems_of(key):
        return "; ".join(problems)
    try:
        return catalog.get(key).rules()
    except KeyError as exc:
        return str(exc.args[0])
