"""Run a source's saved pages through the real extractor and compare with their expected JSON.

Used by `syndicate sources test` and the parametrized test over every fixture: a source
whose site changed shows up here as a concrete list of differences, before any crawl.
With `update`, the recorded article is rewritten instead (the reviewed assertions still apply).
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from datetime import date, datetime
from importlib.resources import as_file
from typing import Any

from extractors.article import Article
from extractors.errors import ExtractionError
from extractors.extraction import extract
from extractors.page_files import read_page_file
from extractors.source_rules import PublisherRegistry
from spiders.config import Fixture, SourceConfig
from spiders.snapshots import compare_snapshot, update_snapshot


@dataclass(slots=True)
class FixtureResult:
    """One fixture's verdict: what differs from the expected output (empty = passed).

    `updated` is None unless the snapshot was rewritten (True) or already current (False).
    """

    source: str
    page: str
    differences: list[str] = field(default_factory=list)
    updated: bool | None = None

    @property
    def passed(self) -> bool:
        return not self.differences

    @property
    def status(self) -> str:
        """`ok` / `DIFFERS`, or `updated` / `unchanged` once the snapshot was written."""
        if self.updated is not None:
            return "updated" if self.updated else "unchanged"
        return "ok" if self.passed else "DIFFERS"


def check_source(
    config: SourceConfig, registry: PublisherRegistry, *, update: bool = False
) -> list[FixtureResult]:
    """Every fixture of one source; a source without fixtures gets one failing result."""
    if not config.fixtures:
        return [FixtureResult(config.key, "(none)", ["source has no [[fixtures]]"])]
    return [check_fixture(config, fixture, registry, update=update) for fixture in config.fixtures]


def check_fixture(
    config: SourceConfig, fixture: Fixture, registry: PublisherRegistry, *, update: bool = False
) -> FixtureResult:
    """No `fetched_at`: relative dates stay unresolved, so the result never depends on the clock.

    The files are read through the source's folder, so a source packaged in an egg checks too.
    """
    result = FixtureResult(config.key, fixture.page)
    try:
        expected = json.loads(config.fixture_file(fixture.expected).read_text(encoding="utf-8"))
        with as_file(config.fixture_file(fixture.page)) as page:  # a temporary copy from an egg
            html = read_page_file(page)
    except (OSError, ValueError) as exc:
        result.differences.append(f"cannot read fixture: {exc}")
        return result
    try:
        article = extract(html, fixture.url, rules=config.rules(), registry=registry)
    except ExtractionError as exc:
        result.differences.append(f"extraction failed: {exc.reason}")
        return result
    if update:
        _update(result, config, fixture, article)
        result.differences.extend(compare_reviewed(article, expected))
    else:
        result.differences.extend(compare(article, expected))
    return result


def _update(
    result: FixtureResult, config: SourceConfig, fixture: Fixture, article: Article
) -> None:
    """Record `article` as the snapshot; what a person reviewed is still compared after."""
    if config.path is None and config.folder is not None:
        result.differences.append("cannot write the snapshot: the source file is not on disk")
        return
    try:
        result.updated = update_snapshot(config.fixture_path(fixture.expected), article)
    except OSError as exc:
        result.differences.append(f"cannot write the snapshot: {exc}")


def compare(article: Article, expected: dict[str, Any]) -> list[str]:
    """Differences between an extracted article and the expected file, one line each: the
    reviewed assertions first, then each field of the recorded article that changed."""
    return compare_reviewed(article, expected) + compare_snapshot(article, expected)


def compare_reviewed(article: Article, expected: dict[str, Any]) -> list[str]:
    """Differences from what a person checked (title, date, authors, snippets)."""
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
