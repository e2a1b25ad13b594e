"""`syndicate extract FILE… [--url URL] [--source KEY]`: print one JSON object per file (JSON Lines)."""

from __future__ import annotations

import json
import sys
from pathlib import Path
from typing import Annotated

import typer

from extractors import ExtractionError
from extractors.extract import extract
from extractors.source_rules import PublisherRegistry, SourceRules
from syndicate.files import read_page_file


def register(app: typer.Typer) -> None:
    app.command("extract")(extract_files)


def extract_files(
    files: Annotated[list[Path], typer.Argument(help="Saved pages: .html or .html.gz")],
    url: Annotated[
        str | None, typer.Option(help="URL the page(s) came from (default: the file's URL)")
    ] = None,
    source: Annotated[
        str | None, typer.Option(help="Source key whose rules, language and timezone apply")
    ] = None,
) -> None:
    """Extract articles from saved pages; a file that fails gives {"file", "error"} and the rest go on."""
    rules, registry = _source_context(source)
    for path in files:
        sys.stdout.write(json.dumps(_extract_one(path, url, rules, registry), ensure_ascii=False))
        sys.stdout.write("\n")
        sys.stdout.flush()


def _extract_one(
    path: Path, url: str | None, rules: SourceRules | None, registry: PublisherRegistry | None
) -> dict[str, object]:
    try:
        data = read_page_file(path)
        page_url = url or path.resolve().as_uri()
        article = extract(data, page_url, rules=rules, registry=registry)
    except (OSError, ExtractionError) as exc:
        reason = exc.reason if isinstance(exc, ExtractionError) else f"cannot read file: {exc}"
        return {"file": str(path), "error": reason}
    return {"file": str(path), **article.to_dict()}


def _source_context(key: str | None) -> tuple[SourceRules | None, PublisherRegistry | None]:
    from spiders.registry import load_catalog  # spiders own the source files

    catalog = load_catalog()
    if key is None:
        return None, catalog.publishers()
    if key not in catalog:
        raise typer.BadParameter(f"unknown source {key!r}; known: {', '.join(catalog.keys())}")
    return catalog.rules(key), catalog.publishers()
