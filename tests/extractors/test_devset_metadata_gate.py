"""Floors for title, author and date accuracy on the development set (benchmarks/devset).

Measured after the dateline, byline and title-gap rules (2026-12): titles 0.937, authors
0.955, dates 0.992 (trafilatura.extract_metadata on the same pages: 0.803, 0.545, 0.899). Each
floor is that minus 0.01; raise them when the extractor improves. `python -m benchmarks.dev_bench`
prints the same numbers per language and source.
"""

from __future__ import annotations

from collections.abc import Callable

import pytest

from extractors.article import Article
from extractors.errors import ExtractionError
from extractors.extraction import extract
from tests.support.devset import (
    DevPage,
    authors_match,
    date_matches,
    load_devset,
    title_matches,
)

FLOORS = {"title": 0.927, "authors": 0.945, "date": 0.982}


@pytest.fixture(scope="module")
def results() -> list[tuple[DevPage, Article | None]]:
    found: list[tuple[DevPage, Article | None]] = []
    for page in load_devset():
        if page.title or page.authors or page.date:
            try:
                found.append((page, extract(page.html(), page.url)))
            except ExtractionError:
                found.append((page, None))
    return found


CHECKS: dict[str, Callable[[DevPage, Article], bool]] = {
    "title": lambda page, article: title_matches(page.title or "", article.title),
    "authors": lambda page, article: authors_match(page.authors or (), article.authors),
    "date": lambda page, article: date_matches(page.date or "", article.published_at),
}


@pytest.mark.parametrize("field", sorted(FLOORS))
def test_metadata_accuracy_stays_above_its_floor(
    field: str, results: list[tuple[DevPage, Article | None]]
) -> None:
    having = [(page, article) for page, article in results if getattr(page, field)]
    missed = [
        page.id for page, article in having if article is None or not CHECKS[field](page, article)
    ]
    accuracy = 1 - len(missed) / len(having)
    assert accuracy >= FLOORS[field], f"{field} {accuracy:.3f} < {FLOORS[field]}; missed {missed}"
