"""Golden pages: real saved pages and their reviewed expected output, one test per page.

Each expected file says where its values came from and what was changed from the
upstream gold data and why (`origin`), and records the whole extracted article
(`article`; `pytest --update-golden` rewrites it, to be reviewed as a git diff). These are
the pages no source owns (aggregators, the seed), extracted without source rules; the
sources' own fixtures are tests/spiders/test_source_fixtures.py's.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from extractors.extraction import extract
from extractors.page_files import read_page_file
from spiders.fixture_check import compare, compare_reviewed
from spiders.registry import load_catalog
from spiders.snapshots import update_snapshot
from tests.support.paths import FIXTURES

REGISTRY = load_catalog().publishers()
AGGREGATORS = FIXTURES / "aggregators"
GOLDEN_FOLDERS = (AGGREGATORS, FIXTURES / "seed")  # pages here, expected files in golden/


def _golden_pages() -> list[Any]:
    cases = []
    for folder in GOLDEN_FOLDERS:
        for expected in sorted((folder / "golden").glob("*.expected.json")):
            data = json.loads(expected.read_text(encoding="utf-8"))
            page = folder / data["file"]
            cases.append(pytest.param(page, expected, data["url"], id=f"{folder.name}:{page.name}"))
    return cases


@pytest.mark.parametrize(("page", "expected_file", "url"), _golden_pages())
def test_page_matches_its_golden_file(
    page: Path, expected_file: Path, url: str, request: pytest.FixtureRequest
) -> None:
    expected = json.loads(expected_file.read_text(encoding="utf-8"))
    article = extract(read_page_file(page), url, rules=None, registry=REGISTRY)
    if request.config.getoption("--update-golden"):
        update_snapshot(expected_file, article)
        assert compare_reviewed(article, expected) == []
    else:
        assert compare(article, expected) == [], "accept changes with pytest --update-golden"
    for field, value in expected.get("attribution", {}).items():
        assert getattr(article.attribution, field) == value, field


def test_every_aggregator_page_has_a_golden_file() -> None:
    pages = {p.name for p in AGGREGATORS.glob("*.html")}
    golden = {json.loads(p.read_text())["file"] for p in (AGGREGATORS / "golden").glob("*.json")}
    assert pages == golden


def test_the_seed_page_has_a_golden_file_of_the_given_result() -> None:
    seed = FIXTURES / "seed"
    given = json.loads((seed / "globalhappenings-putin-lukashenko.expected.json").read_text())
    golden = [json.loads(p.read_text()) for p in (seed / "golden").glob("*.expected.json")]
    assert [(g["file"], g["url"], g["title"]) for g in golden] == [
        ("globalhappenings-putin-lukashenko.html", given["url"], given["title"])
    ]
