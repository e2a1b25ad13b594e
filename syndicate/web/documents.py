"""The JSON documents `/api/…` answers, as models for the OpenAPI document only.

Routes still serialise by hand (the body's bytes give the ETag), so these models never touch
a response; they tell clients, /docs and schemathesis (tests/serve/test_schemathesis.py)
what each 200 holds. Keys are those of records.py and docs/serving.md.
"""

from __future__ import annotations

from datetime import datetime
from typing import Any

from pydantic import BaseModel


class AttributionDocument(BaseModel):
    publisher: str | None
    original_publisher: str | None
    original_source: str | None
    original_url: str | None
    credit: str | None


class ArticleDocument(BaseModel):
    """One article (`records.article_json`)."""

    id: int
    url: str
    canonical_url: str
    source: str | None
    site_name: str | None
    title: str | None
    description: str | None
    authors: list[str]
    published_at: datetime | None
    modified_at: datetime | None
    language: str | None
    section: str | None
    tags: list[str]
    image: str | None
    text: str
    html: str
    word_count: int
    attribution: AttributionDocument
    version: int
    original_article_id: int | None
    updated_at: datetime


class ArticlesPage(BaseModel):
    articles: list[ArticleDocument]
    next: str | None


class VersionSummary(BaseModel):
    version: int
    title: str | None
    valid_from: datetime
    superseded_at: datetime
    content_hash: str


class VersionDocument(VersionSummary):
    text: str
    html: str


class ArticleWithVersions(ArticleDocument):
    versions: list[VersionSummary]


class ArticleVersions(BaseModel):
    id: int
    version: int
    versions: list[VersionDocument]


class SourceDocument(BaseModel):
    """A source and its health, `status` as `syndicate sources status --json` (null when
    no source file names it any more)."""

    key: str
    name: str
    homepage: str | None
    language: str | None
    status: dict[str, Any] | None


class SourcesDocument(BaseModel):
    sources: list[SourceDocument]
