"""Every source's saved pages give their expected output (Fundus-style: one case per source).

A source without fixtures fails: nobody can tell whether it still works.
"""

from __future__ import annotations

import pytest

from extractors.article import Article
from spiders.fixture_check import check_source, compare
from spiders.registry import load_catalog

CATALOG = load_catalog()


@pytest.mark.parametrize("key", CATALOG.keys())
def test_source_fixtures_match_expected_output(key: str) -> None:
    results = check_source(CATALOG.get(key), CATALOG.publishers())
    differences = [f"{r.page}: {d}" for r in results for d in r.differences]
    assert differences == []


def test_a_source_without_fixtures_fails() -> None:
    config = CATALOG.get("elpais").model_copy(update={"fixtures": []})
    results = check_source(config, CATALOG.publishers())
    assert [r.passed for r in results] == [False]
    assert results[0].differences == ["source has no [[fixtures]]"]


def test_compare_reports_each_kind_of_difference() -> None:
    article = Article(
        url="https://example.org/a",
        canonical_url="https://example.org/a",
        title="Right title",
        authors=["A. Writer"],
        published_at="2024-10-15T08:22:57+02:00",
        text="First paragraph.\n\nMIRA: teaser",
    )
    expected = {
        "title": "Right  title ",
        "published_at": "2024-10-15T06:22:57+00:00",
        "authors": ["B. Writer"],
        "must_contain": ["First paragraph."],
        "must_not_contain": ["MIRA:"],
    }
    assert compare(article, expected) == [
        "authors: expected ['B. Writer'], got ['A. Writer']",
        "text still has 'MIRA:'",
    ]
    assert compare(article, {"published_at": "2024-10-16"}) == [
        "published_at: expected '2024-10-16', got '2024-10-15T08:22:57+02:00'"
    ]
