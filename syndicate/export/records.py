"""JSON Lines and CSV: one API article (`syndicate.web.records.article_json`) per line or row.

CSV is flat: every key of the article is a column, in the API's order; lists and
objects (`authors`, `tags`, `attribution`) are JSON text in their cell, and an empty cell
is a missing value (null in JSON Lines).
"""

from __future__ import annotations

import csv
import json
from collections.abc import Iterable
from datetime import UTC, datetime
from typing import Any, TextIO

from extractors.article import Article
from storage.reading import StoredArticle
from syndicate.web.records import article_json

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)


def columns() -> tuple[str, ...]:
    """The API article's keys, in its order: read off a blank record, so the CSV gains a
    column whenever the API gains a key."""
    article = Article(url="", canonical_url="")
    blank = StoredArticle(
        id=0,
        article=article,
        version=1,
        original_article_id=None,
        first_seen_at=EPOCH,
        updated_at=EPOCH,
    )
    return tuple(article_json(blank))


def write_jsonl(out: TextIO, articles: Iterable[StoredArticle]) -> int:
    """One JSON object per line, UTF-8 as is (no \\u escapes)."""
    count = 0
    for stored in articles:
        out.write(json.dumps(article_json(stored), ensure_ascii=False) + "\n")
        count += 1
    return count


def write_csv(out: TextIO, articles: Iterable[StoredArticle]) -> int:
    """A header row, then one row per article (RFC 4180 quoting, CRLF line ends)."""
    rows = csv.DictWriter(out, fieldnames=columns())
    rows.writeheader()
    count = 0
    for stored in articles:
        rows.writerow({key: cell(value) for key, value in article_json(stored).items()})
        count += 1
    return count


def cell(value: Any) -> Any:
    """Lists and objects as JSON text; everything else as the csv module writes it."""
    if isinstance(value, list | dict):
        return json.dumps(value, ensure_ascii=False)
    return value
