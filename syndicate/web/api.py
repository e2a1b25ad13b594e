"""`/api/…`: articles (keyset pages, one, its versions) and sources with their health.

Paging is by id ascending with an opaque cursor "after id N": ids only grow, so a client
paging while articles arrive sees each exactly once (new ones at the end). An article
updated after the client passed it keeps its place: the client saw the older content and
catches the change with `updated_since` on its next sync (docs/serving.md).
"""

from __future__ import annotations

import json
from typing import Annotated, Any

from fastapi import APIRouter, Query, Request, Response
from sqlalchemy.orm import Session

from storage.reading import (
    StoredArticle,
    VersionRecord,
    article_by_id,
    article_versions,
    articles_page,
)
from syndicate.web import documents, params
from syndicate.web.caching import cached, newest
from syndicate.web.db import read
from syndicate.web.errors import WebError, refusals
from syndicate.web.health import sources_health
from syndicate.web.records import article_json, version_json

router = APIRouter(prefix="/api", tags=["api"])
MAX_LIMIT = 100
JSON = "application/json"


def body(document: object) -> bytes:
    return json.dumps(document, ensure_ascii=False, separators=(",", ":")).encode()


@router.get(
    "/articles",
    summary="Articles, oldest id first, a page at a time",
    response_model=documents.ArticlesPage,
    responses=refusals(304, 400, 404),
)
def list_articles(
    request: Request,
    *,
    source: str | None = None,
    language: str | None = None,
    since: Annotated[str | None, Query(description="published at or after (ISO 8601)")] = None,
    until: Annotated[str | None, Query(description="published before (ISO 8601)")] = None,
    updated_since: Annotated[str | None, Query(description="content stored at or after")] = None,
    q: Annotated[str | None, Query(description="words all in title, description or text")] = None,
    limit: Annotated[int, Query(description=f"1 to {MAX_LIMIT}")] = 20,
    cursor: Annotated[str | None, Query(description="`next` of the previous page")] = None,
) -> Response:
    """Filtered articles by id ascending; `next` continues after this page, null at the end."""
    size, after = params.bounded("limit", limit, MAX_LIMIT), params.decode_cursor(cursor)

    def work(session: Session) -> list[StoredArticle]:
        chosen = params.filters(
            session,
            source=source,
            language=language,
            since=since,
            until=until,
            updated_since=updated_since,
            q=q,
        )
        return articles_page(session, chosen, after, size + 1)

    found = read(request, work)
    shown = found[:size]
    following = params.encode_cursor(shown[-1].id) if len(found) > size else None
    document = {"articles": [article_json(a) for a in shown], "next": following}
    return cached(request, body(document), JSON, newest(a.updated_at for a in shown))


@router.get(
    "/articles/{article_id}",
    summary="One article with a summary of its versions",
    response_model=documents.ArticleWithVersions,
    responses=refusals(304, 400, 404),
)
def one_article(request: Request, article_id: params.ArticleId) -> Response:
    stored, versions = with_versions(request, article_id)
    document = article_json(stored) | {"versions": [version_json(v, full=False) for v in versions]}
    return cached(request, body(document), JSON, stored.updated_at)


@router.get(
    "/articles/{article_id}/versions",
    summary="Earlier versions of one article",
    response_model=documents.ArticleVersions,
    responses=refusals(304, 400, 404),
)
def versions_of(request: Request, article_id: params.ArticleId) -> Response:
    stored, versions = with_versions(request, article_id)
    document: dict[str, Any] = {"id": article_id, "version": stored.version}
    document["versions"] = [version_json(v, full=True) for v in versions]
    return cached(request, body(document), JSON, stored.updated_at)


def with_versions(request: Request, article_id: int) -> tuple[StoredArticle, list[VersionRecord]]:
    """The article and its earlier versions, or a 404 naming the id."""
    stored, versions = read(
        request, lambda s: (article_by_id(s, article_id), article_versions(s, article_id))
    )
    if stored is None:
        raise WebError(404, f"unknown article {article_id}")
    return stored, versions


@router.get(
    "/sources",
    summary="Every source with its health (as `sources status --json`)",
    response_model=documents.SourcesDocument,
    responses=refusals(304),
)
def sources(request: Request) -> Response:
    return cached(request, body({"sources": read(request, sources_health)}), JSON, None)
