"""Golden pages: real saved pages and their reviewed expected output, one test per page.

Each expected file says where its values came from and what was changed from the
upstream gold data and why (`origin`). Sources' own fixtures (El Comercio and the
Spanish publishers) are checked page by page here too, with each source's rules.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from extractors.extract import extract
from extractors.page_files import read_page_file
from extractors.source_rules import SourceRules
from spiders.fixture_check import compare
from spiders.registry import load_catalog
from tests.support.paths import FIXTURES

CATALOG = load_catalog()
REGISTRY = CATALOG.publishers()


def _source_pages() -> list[Any]:
    cases = []
    for key in CATALOG.keys():  # noqa: SIM118  # the catalogue is not a dict
        config = CATALOG.get(key)
        for fixture in config.fixtures:
            page = config.fixture_path(fixture.page)
            expected = config.fixture_path(fixture.expected)
            cases.append(pytest.param(page, expected, fixture.url, key, id=f"{key}:{page.name}"))
    return cases


def _aggregator_pages() -> list[Any]:
    cases = []
    for expected in sorted((FIXTURES / "aggregators" / "golden").glob("*.expected.json")):
        data = json.loads(expected.read_text(encoding="utf-8"))
        page = FIXTURES / "aggregators" / data["file"]
        cases.append(pytest.param(page, expected, data["url"], None, id=f"aggregator:{page.name}"))
    return cases


@pytest.mark.parametrize(
    ("page", "expected_file", "url", "source"), _source_pages() + _aggregator_pages()
)
def test_page_matches_its_golden_file(
    page: Path, expected_file: Path, url: str, source: str | None
) -> None:
    expected = json.loads(expected_file.read_text(encoding="utf-8"))
    rules: SourceRules | None = CATALOG.rules(source) if source else None
    article = extract(read_page_file(page), url, rules=rules, registry=REGISTRY)
    assert compare(article, expected) == []
    for field, value in expected.get("attribution", {}).items():
        assert getattr(article.attribution, field) == value, field


def test_every_aggregator_page_has_a_golden_file() -> None:
    pages = {p.name for p in (FIXTURES / "aggregators").glob("*.html")}
    golden = {
        json.loads(p.read_text())["file"]
        for p in (FIXTURES / "aggregators" / "golden").glob("*.json")
    }
    assert pages == golden
