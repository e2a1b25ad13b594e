"""The small HTML site: latest articles (filters by a plain GET form), one article with its
attribution and versions, and source health. No JavaScript; Jinja2 escapes every value,
and article bodies are sanitised again before they are marked safe."""

from __future__ import annotations

from functools import cache
from importlib.resources import files

from fastapi import APIRouter, Request, Response
from jinja2 import DictLoader, Environment, select_autoescape
from markupsafe import Markup
from sqlalchemy.orm import Session

from extractors.sanitize import sanitize_html
from storage.reading import article_by_id, article_versions, latest_articles, stored_sources
from syndicate.web import params
from syndicate.web.caching import cached, newest
from syndicate.web.db import read
from syndicate.web.errors import WebError
from syndicate.web.health import sources_health
from syndicate.web.records import credit_html

router = APIRouter(include_in_schema=False)
HTML = "text/html; charset=utf-8"
LATEST = 50


@cache
def templates() -> Environment:
    """The templates shipped in syndicate.web.templates, autoescaped."""
    folder = files("syndicate.web.templates")
    sources = {
        e.name: e.read_text(encoding="utf-8") for e in folder.iterdir() if e.name.endswith(".html")
    }
    env = Environment(loader=DictLoader(sources), autoescape=select_autoescape(default=True))
    env.filters["http_url"] = http_url
    return env


def http_url(url: str | None) -> str:
    """Only http(s) links reach a page: a hand-edited `javascript:` URL becomes "#"."""
    return url if url and url.lower().startswith(("http://", "https://")) else "#"


def render(request: Request, name: str, **context: object) -> bytes:
    return templates().get_template(name).render(request=request, **context).encode()


@router.get("/")
def index(
    request: Request, source: str | None = None, language: str | None = None, q: str | None = None
) -> Response:
    """Latest articles, optionally of one source and language and with some words (an empty
    field means any)."""

    def work(session: Session) -> dict[str, object]:
        chosen = params.filters(session, source=source or None, language=language or None, q=q)
        return {
            "articles": latest_articles(session, chosen, LATEST),
            "sources": stored_sources(session),
        }

    found = read(request, work)
    shown = {"source": source or "", "language": language or "", "q": q or ""}
    page = render(request, "index.html", **shown, **found)
    articles = found["articles"]
    assert isinstance(articles, list)
    return cached(request, page, HTML, newest(a.updated_at for a in articles))


@router.get("/articles/{article_id}")
def article_page(request: Request, article_id: params.ArticleId) -> Response:
    stored, versions = read(
        request, lambda s: (article_by_id(s, article_id), article_versions(s, article_id))
    )
    if stored is None:
        raise WebError(404, f"unknown article {article_id}")
    body = Markup(sanitize_html(stored.article.html))
    credit = Markup(credit_html(stored))
    page = render(
        request, "article.html", stored=stored, body=body, credit=credit, versions=versions
    )
    return cached(request, page, HTML, stored.updated_at)


@router.get("/sources")
def sources_page(request: Request) -> Response:
    return cached(
        request, render(request, "sources.html", sources=read(request, sources_health)), HTML, None
    )
