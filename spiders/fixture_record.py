"""Record a fixture: a saved page and what the extractor gives for it today, for review as a diff.

The expected JSON holds what a person should check by eye (title, date, authors, and the
openings of the first, middle and last paragraphs); edit it where the extractor is wrong
and add `must_not_contain` snippets of the page's boilerplate.
"""

from __future__ import annotations

import json
import shutil
from pathlib import Path

from extractors.article import Article
from extractors.extract import extract
from extractors.source_rules import PublisherRegistry
from spiders.config import SourceConfig
from syndicate.files import read_page_file

SNIPPET_WORDS = 8


def record_fixture(
    config: SourceConfig, page: Path, url: str, registry: PublisherRegistry
) -> tuple[Path, Path]:
    """Copy `page` beside the source file, write its expected JSON, add a [[fixtures]] entry."""
    if config.path is None:
        raise ValueError(f"source {config.key!r} has no file to record into")
    article = extract(read_page_file(page), url, rules=config.rules(), registry=registry)
    folder = config.path.parent / "fixtures"
    folder.mkdir(exist_ok=True)
    saved = folder / page.name
    if saved.resolve() != page.resolve():
        shutil.copyfile(page, saved)
    expected = folder / f"{page.name.split('.')[0]}.expected.json"
    expected.write_text(
        json.dumps(expectation(article, page.name), ensure_ascii=False, indent=2) + "\n",
        encoding="utf-8",
    )
    entry = (
        f'\n[[fixtures]]\npage = "fixtures/{saved.name}"\n'
        f'expected = "fixtures/{expected.name}"\nurl = "{url}"\n'
    )
    text = config.path.read_text(encoding="utf-8")
    if f'page = "fixtures/{saved.name}"' not in text:
        config.path.write_text(text.rstrip("\n") + "\n" + entry, encoding="utf-8")
    return saved, expected


def expectation(article: Article, file_name: str) -> dict[str, object]:
    """The fields a reviewer checks, from the article as extracted now."""
    paragraphs = [p for p in article.text.split("\n\n") if p.strip()]
    picks = [paragraphs[0], paragraphs[len(paragraphs) // 2], paragraphs[-1]] if paragraphs else []
    return {
        "url": article.url,
        "file": file_name,
        "title": article.title,
        "published_at": article.published_at,
        "authors": article.authors,
        "must_contain": list(dict.fromkeys(" ".join(p.split()[:SNIPPET_WORDS]) for p in picks)),
        "must_not_contain": [],
        "origin": "recorded by `syndicate sources record`; review before committing",
    }
