"""Crawl runs are recorded with counts; old raw pages are pruned except those articles use."""

from __future__ import annotations

import gzip
from datetime import timedelta

import pytest
from sqlalchemy import Engine, select
from sqlalchemy.exc import StatementError

from extractors.article import Article
from storage.database import session_scope
from storage.models import Page
from storage.pages import latest_pages, load_page, prune_pages, store_page
from storage.records import FetchedPage
from storage.repository import upsert_article
from storage.runs import finish_run, list_runs, start_run
from storage.types import NaiveDatetimeError
from tests.support.pagegen import numbered_page, paragraphs
from tests.support.sources import T0


def test_runs_are_listed_newest_first_with_counts(engine: Engine) -> None:
    with session_scope(engine) as session:
        first = start_run(session, "elcomercio", T0)
        finish_run(
            session,
            first,
            finished_at=T0 + timedelta(minutes=3),
            status="finished",
            counts={"pages": 5, "new": 3, "dropped": 1, "failed": 1},
            failures={"HTTP 404": 1, "dropped: too short: 12 words": 1},
        )
        second = start_run(session, "globalhappenings", T0 + timedelta(hours=1))
    with session_scope(engine) as session:
        runs = list_runs(session)
        only = list_runs(session, "elcomercio")
    assert [r.id for r in runs] == [second, first]
    assert (runs[0].status, runs[0].seconds) == ("running", None)
    assert [r.id for r in only] == [first]
    assert only[0].seconds == 180
    assert only[0].counts == {
        "pages": 5,
        "new": 3,
        "updated": 0,
        "unchanged": 0,
        "dropped": 1,
        "failed": 1,
    }
    assert only[0].failures == {"HTTP 404": 1, "dropped: too short: 12 words": 1}


def test_unknown_count_key_is_refused(engine: Engine) -> None:
    with session_scope(engine) as session:
        run = start_run(session, "elcomercio", T0)
        with pytest.raises(ValueError, match="unknown count keys \\['skipped'\\]"):
            finish_run(
                session, run, finished_at=T0, status="finished", counts={"skipped": 1}, failures={}
            )


def test_naive_time_is_refused(engine: Engine) -> None:
    with (
        pytest.raises(StatementError, match="naive datetime") as error,
        session_scope(engine) as session,
    ):
        start_run(session, "elcomercio", T0.replace(tzinfo=None))
    assert isinstance(error.value.orig, NaiveDatetimeError)


def test_pages_are_compressed_and_pruned_unless_in_use(engine: Engine) -> None:
    url, body = numbered_page(1)
    old = FetchedPage(url, url, 200, {"Content-Type": "text/html"}, body, T0)
    newer = FetchedPage(url, url, 200, {}, body + b"<!-- changed -->", T0 + timedelta(days=30))
    article = Article(
        url=url, canonical_url=url, source="elcomercio", title="t", text="\n\n".join(paragraphs(1))
    )
    with session_scope(engine) as session:
        old_id = store_page(session, "elcomercio", old)
        assert store_page(session, "elcomercio", old) == old_id
        new_id = store_page(session, "elcomercio", newer)
        upsert_article(session, article, seen_at=newer.fetched_at, page_id=new_id)
        stored = session.get(Page, old_id)
        assert stored is not None
        assert gzip.decompress(stored.body) == body
        assert len(stored.body) < len(body) / 3
        assert load_page(session, old_id) == old
        assert [p.id for p in latest_pages(session, "elcomercio")] == [new_id]
    with session_scope(engine) as session:
        removed = prune_pages(session, before=T0 + timedelta(days=60))
        left = session.execute(select(Page.id)).scalars().all()
    assert (removed, left) == (1, [new_id])


def test_refetch_of_same_body_keeps_the_newest_response_headers(engine: Engine) -> None:
    url, body = numbered_page(2)
    first = FetchedPage(url, url, 200, {"ETag": '"v1"'}, body, T0)
    again = FetchedPage(url, url + "?r=1", 200, {"ETag": '"v2"'}, body, T0 + timedelta(days=1))
    with session_scope(engine) as session:
        page_id = store_page(session, "elcomercio", first)
        assert store_page(session, "elcomercio", again) == page_id
        assert store_page(session, "elcomercio", first) == page_id  # older: changes nothing
        stored = session.get(Page, page_id)
        assert stored is not None
        assert load_page(session, page_id) == again
