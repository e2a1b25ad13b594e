"""A failed page leaves nothing behind: its raw body is not kept, so binaries and oversized
pages do not pile up and the next crawl tries the URL again; dropped and stored pages stay."""

from __future__ import annotations

from sqlalchemy import Engine, func, select

from extractors.article import Article
from pipelines.processing import Extracted, process_page, store_step
from storage.database import session_scope
from storage.models import ArticleRow, Page
from storage.records import FetchedPage
from tests.support.pagegen import elcomercio_page, paragraphs, url_of
from tests.support.sources import ELCOMERCIO, T0

HTML = {"Content-Type": "text/html; charset=utf-8"}


def counts(engine: Engine) -> tuple[int, int]:
    with session_scope(engine) as session:
        pages = session.execute(select(func.count()).select_from(Page)).scalar_one()
        articles = session.execute(select(func.count()).select_from(ArticleRow)).scalar_one()
        return int(pages), int(articles)


def test_an_unextractable_page_is_not_kept(engine: Engine) -> None:
    binary = bytes(range(256)) * 64  # control bytes: not an HTML page
    page = FetchedPage(url_of("binario-noticia"), url_of("binario-noticia"), 200, HTML, binary, T0)
    with session_scope(engine) as session:
        outcome = process_page(session, page, ELCOMERCIO, None)
    assert outcome.outcome == "failed"
    assert counts(engine) == (0, 0)


def test_a_page_whose_article_cannot_be_stored_is_not_kept(engine: Engine) -> None:
    url = url_of("roto-noticia")
    page = FetchedPage(url, url, 200, HTML, b"<html><body><p>x</p></body></html>", T0)
    broken = Article(url=url, canonical_url="not a url", source="elcomercio", text="x")
    with session_scope(engine) as session:
        outcome = store_step(session, "elcomercio", page, Extracted(broken, "article"))
    assert outcome.outcome == "failed" and outcome.reason is not None
    assert "canonical_url" in outcome.reason
    assert counts(engine) == (0, 0)


def test_stored_and_dropped_pages_are_kept(engine: Engine) -> None:
    good_url = url_of("bueno-noticia")
    good = elcomercio_page("bueno-noticia", "Una noticia completa", paragraphs(4))
    index = b"<html><head><title>Portada</title></head><body><p>Hola.</p></body></html>"
    with session_scope(engine) as session:
        stored = process_page(
            session, FetchedPage(good_url, good_url, 200, HTML, good, T0), ELCOMERCIO, None
        )
        home = url_of("portada-noticia")
        dropped = process_page(
            session, FetchedPage(home, home, 200, HTML, index, T0), ELCOMERCIO, None
        )
    assert (stored.outcome, dropped.outcome) == ("new", "dropped")
    assert counts(engine) == (2, 1)
