"""Run a source's saved pages through the real extractor and compare with their expected JSON.

Used by `syndicate sources test` and the parametrized test over every source: a source
whose site changed shows up here as a concrete list of differences, before any crawl.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from typing import Any

from extractors.article import Article
from extractors.errors import ExtractionError
from extractors.extract import extract
from extractors.page_files import read_page_file
from extractors.source_rules import PublisherRegistry
from spiders.config import Fixture, SourceConfig


@dataclass(slots=True)
class FixtureResult:
    """One fixture's verdict: what differs from the expected output (empty = passed)."""

    source: str
    page: str
    differences: list[str] = field(default_factory=list)

    @property
    def passed(self) -> bool:
        return not self.differences


def check_source(config: SourceConfig, registry: PublisherRegistry) -> list[FixtureResult]:
    """Every fixture of one source; a source without fixtures gets one failing result."""
    if not config.fixtures:
        return [FixtureResult(config.key, "(none)", ["source has no [[fixtures]]"])]
    return [check_fixture(config, fixture, registry) for fixture in config.fixtures]


def check_fixture(
    config: SourceConfig, fixture: Fixture, registry: PublisherRegistry
) -> FixtureResult:
    result = FixtureResult(config.key, fixture.page)
    try:
        expected = json.loads(config.fixture_path(fixture.expected).read_text(encoding="utf-8"))
        html = read_page_file(config.fixture_path(fixture.page))
    except (OSError, ValueError) as exc:
        result.differences.append(f"cannot read fixture: {exc}")
        return result
    try:
        article = extract(html, fixture.url, rules=config.rules(), registry=registry)
    except ExtractionError as exc:
        result.differences.append(f"extraction failed: {exc.reason}")
        return result
    result.differences.extend(compare(article, expected))
    return result


def compare(article: Article, expected: dict[str, Any]) -> list[str]:
    """Differences between an extracted article and the expected fields, one line each."""
    problems: list[str] = []
    if "title" in expected and _norm(article.title) != _norm(expected["title"]):
        problems.append(f"title: expected {expected['title']!r}, got {article.title!r}")
    if "published_at" in expected and not _same_time(article.published_at, expected):
        problems.append(
            f"published_at: expected {expected['published_at']!r}, got {article.published_at!r}"
        )
    if "authors" in expected and list(article.authors) != list(expected["authors"]):
        problems.append(f"authors: expected {expected['authors']!r}, got {article.authors!r}")
    text = " ".join(article.text.split())
    problems.extend(
        f"text lacks {snippet!r}"
        for snippet in expected.get("must_contain", [])
        if " ".join(snippet.split()) not in text
    )
    problems.extend(
        f"text still has {snippet!r}"
        for snippet in expected.get("must_not_contain", [])
        if " ".join(snippet.split()) in text
    )
    return problems


def _norm(value: str | None) -> str:
    return " ".join((value or "").split())


def _same_time(got: str | None, expected: dict[str, Any]) -> bool:
    """A full timestamp must be the same instant; a bare date must be the article's local date."""
    want = str(expected["published_at"])
    if got is None:
        return False
    try:
        got_time = datetime.fromisoformat(got)
        if len(want) == len("YYYY-MM-DD"):
            return got_time.date() == date.fromisoformat(want)
        return got_time == datetime.fromisoformat(want)
    except ValueError:
        return False
