"""Record a fixture: a saved page and what the extractor gives for it today, for review as a diff.

The expected JSON holds what a person should check by eye (title, date, authors, and the
openings of the first, middle and last paragraphs); edit it where the extractor is wrong
and add `must_not_contain` snippets of the page's boilerplate. Its "article" is the whole
extraction, so any later change to any field shows up in `syndicate sources test`.
"""

from __future__ import annotations

import shutil
from pathlib import Path
from typing import Any

import tomli_w

from extractors.article import Article
from extractors.extraction import extract
from extractors.page_files import read_page_file
from extractors.source_rules import PublisherRegistry
from spiders.config import Fixture, SourceConfig
from spiders.registry import SourceFileError, read_source_file
from spiders.snapshots import dump_expected, with_snapshot

SNIPPET_WORDS = 8


class ReviewedFixtureError(ValueError):
    """The fixture's expected file exists: someone reviewed (and maybe corrected) it."""


def record_fixture(
    config: SourceConfig, page: Path, url: str, registry: PublisherRegistry, *, force: bool = False
) -> tuple[Path, Path]:
    """Copy `page` beside the source file, write its expected JSON, add a [[fixtures]] entry.

    An existing expected file holds a person's review; it is replaced only when `force`.
    """
    if config.path is None:  # built from code, or read from inside a zipped egg
        raise ValueError(f"source {config.key!r} has no file on disk to record into")
    article = extract(read_page_file(page), url, rules=config.rules(), registry=registry)
    folder = config.path.parent / "fixtures"
    folder.mkdir(exist_ok=True)
    saved, expected = fixture_names(config, page, folder)
    if expected.exists() and not force:
        raise ReviewedFixtureError(
            f"{expected} exists and holds a reviewed expectation; give --force to overwrite it"
        )
    entry = Fixture(page=f"fixtures/{saved.name}", expected=f"fixtures/{expected.name}", url=url)
    if saved.resolve() != page.resolve():
        shutil.copyfile(page, saved)
    expected.write_text(dump_expected(expectation(article, page.name)), encoding="utf-8")
    if entry.page not in {fixture.page for fixture in config.fixtures}:
        text = config.path.read_text(encoding="utf-8").rstrip("\n")
        table = tomli_w.dumps(entry.model_dump())  # escapes quotes and backslashes in the URL
        config.path.write_text(f"{text}\n\n[[fixtures]]\n{table}", encoding="utf-8")
    return saved, expected


def page_stem(name: str) -> str:
    """`elcomercio.pe-nota.html.gz` -> `elcomercio.pe-nota`: only the page suffixes go."""
    return name.removesuffix(".gz").removesuffix(".html").removesuffix(".htm")


def fixture_names(config: SourceConfig, page: Path, folder: Path) -> tuple[Path, Path]:
    """The page's own name, unless that would overwrite a different page or another source's
    fixture (the source files of one folder share its fixtures/); then prefixed with the key."""
    claimed = _claimed_by_others(config)
    for name in (page.name, f"{config.key}-{page.name}"):
        saved, expected = folder / name, folder / f"{page_stem(name)}.expected.json"
        if not _holds_another_page(saved, page) and not {saved.name, expected.name} & claimed:
            return saved, expected
    raise ValueError(f"{saved} already holds a different page; rename {page.name}")


def _holds_another_page(saved: Path, page: Path) -> bool:
    if not saved.exists() or saved.resolve() == page.resolve():
        return False
    return saved.read_bytes() != page.read_bytes()


def _claimed_by_others(config: SourceConfig) -> set[str]:
    """File names the other source files of this folder use as fixtures."""
    assert config.path is not None  # checked by record_fixture
    names: set[str] = set()
    for other in sorted(config.path.parent.glob("*.toml")):
        if other.resolve() == config.path.resolve():
            continue
        try:
            fixtures = read_source_file(other).fixtures
        except SourceFileError:  # an invalid file claims nothing; `sources check` reports it
            continue
        names.update(Path(name).name for f in fixtures for name in (f.page, f.expected))
    return names


def expectation(article: Article, file_name: str) -> dict[str, Any]:
    """The fields a reviewer checks, then the whole article, as extracted now."""
    paragraphs = [p for p in article.text.split("\n\n") if p.strip()]
    picks = [paragraphs[0], paragraphs[len(paragraphs) // 2], paragraphs[-1]] if paragraphs else []
    reviewed = {
        "url": article.url,
        "file": file_name,
        "title": article.title,
        "published_at": article.published_at,
        "authors": article.authors,
        "must_contain": list(dict.fromkeys(" ".join(p.split()[:SNIPPET_WORDS]) for p in picks)),
        "must_not_contain": [],
        "origin": "recorded by `syndicate sources record`; review before committing",
    }
    return with_snapshot(reviewed, article)
