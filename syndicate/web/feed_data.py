"""What every feed format is built from: the newest entries of a source (or all), with the
body each entry carries (sanitised again, attribution paragraph appended)."""

from __future__ import annotations

import re
from dataclasses import dataclass
from datetime import UTC, datetime

from fastapi import Request
from sqlalchemy.orm import Session

from extractors.sanitize import sanitize_html
from storage.reading import ArticleFilters, StoredArticle, latest_articles, stored_sources
from syndicate.web.caching import newest
from syndicate.web.errors import WebError
from syndicate.web.records import credit_html

ALL = "all"
EPOCH = datetime(1970, 1, 1, tzinfo=UTC)  # `updated` of an empty feed (stable, so is its ETag)
_NOT_XML = re.compile("[\x00-\x08\x0b\x0c\x0e-\x1f\ufffe\uffff]")


@dataclass(frozen=True, slots=True)
class Feed:
    """What every format needs: names, links and the entries, newest first."""

    key: str
    title: str
    home_url: str
    feed_url: str
    entries: list[StoredArticle]

    @property
    def updated(self) -> datetime:
        return newest(e.updated_at for e in self.entries) or EPOCH


def gather(session: Session, request: Request, key: str, limit: int) -> Feed:
    """The feed's entries and names; a 404 for a key that is neither a source nor `all`."""
    title = "syndicate: all sources"
    if key != ALL:
        found = stored_sources(session, [key])
        if not found:
            raise WebError(404, f"unknown source {key!r}")
        title = found[0].name
    entries = latest_articles(session, ArticleFilters(source=None if key == ALL else key), limit)
    base = str(request.base_url).rstrip("/")
    return Feed(key, title, f"{base}/", base + request.url.path, entries)


def xml_text(value: str | None) -> str:
    """Text XML can carry: characters XML 1.0 forbids are dropped."""
    return _NOT_XML.sub("", value or "")


def content_html(stored: StoredArticle) -> str:
    """The entry's body, sanitised again, with the attribution paragraph after it."""
    return xml_text(sanitize_html(stored.article.html) + credit_html(stored))
