"""The page this project was born from: an aggregator's English copy of an El Comercio story."""

from __future__ import annotations

import json
import re
from typing import Any

import pytest

from extractors.article import Article
from extractors.extraction import extract
from spiders.registry import load_catalog
from tests.support.paths import FIXTURES

SEED = FIXTURES / "seed"


@pytest.fixture(scope="module")
def expected() -> dict[str, Any]:
    data: dict[str, Any] = json.loads(
        (SEED / "globalhappenings-putin-lukashenko.expected.json").read_text()
    )
    return data


@pytest.fixture(scope="module")
def article(expected: dict[str, Any]) -> Article:
    html = (SEED / "globalhappenings-putin-lukashenko.html").read_bytes()
    return extract(html, expected["url"], registry=load_catalog().publishers())


def _paragraphs(text: str) -> list[str]:
    return [" ".join(p.split()) for p in re.split(r"\n\s*\n", text) if p.strip()]


def test_text_is_exactly_the_article(article: Article, expected: dict[str, Any]) -> None:
    assert _paragraphs(article.text) == _paragraphs(expected["text"])


def test_title_and_metadata(article: Article, expected: dict[str, Any]) -> None:
    assert article.title == expected["title"]
    assert article.authors == []  # the byline is the CMS account "admin"
    assert article.published_at is not None and article.published_at.startswith("2022-12-19")
    assert article.published_at == expected["published_at"]
    assert (article.language, article.site_name, article.section) == (
        "en",
        "Global Happenings",
        "World",
    )


@pytest.mark.parametrize(
    "snippet",
    json.loads((SEED / "globalhappenings-putin-lukashenko.expected.json").read_text())[
        "must_not_contain"
    ],
)
def test_no_boilerplate_survives(article: Article, snippet: str) -> None:
    assert snippet not in article.text
    assert snippet not in article.html


def test_credit_line_becomes_attribution_to_el_comercio(article: Article) -> None:
    assert article.attribution.publisher == "Global Happenings"
    assert article.attribution.original_publisher == "El Comercio"
    assert article.attribution.original_source == "elcomercio"
    assert article.attribution.credit == "Source: Elcomercio"
    # the credit links to a section front, not to the story: no original_url is claimed
    assert article.attribution.original_url is None


def test_every_removal_is_recorded_with_its_reason(article: Article) -> None:
    reasons = {r.text.split(":")[0]: r.reason for r in article.removed}
    assert reasons["READ ALSO"].startswith("teaser")
    assert reasons["MORE IN WORLD"].startswith("teaser")
    assert reasons["Source"].startswith("credit line")


def test_html_is_structural_and_matches_text(article: Article) -> None:
    assert article.html.startswith("<p>Since 2019")
    assert "<h2>More sanctions?</h2>" in article.html
    assert article.html.count("<p>") == len(_paragraphs(article.text)) - 1
    assert article.word_count == len(
        [w for w in article.text.split() if any(c.isalnum() for c in w)]
    )
