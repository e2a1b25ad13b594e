"""The spider's `RawPage` and storage's `FetchedPage` are two records (spiders never import
storage) with one conversion; this keeps their page fields from drifting apart."""

from __future__ import annotations

from dataclasses import fields
from datetime import UTC, datetime

from spiders.items import RawPage
from storage.records import FetchedPage


def test_raw_page_has_every_page_field_with_the_same_type() -> None:
    raw = {f.name: f.type for f in fields(RawPage)}
    assert {f.name: f.type for f in fields(FetchedPage)}.items() <= raw.items()
    assert set(raw) - {f.name for f in fields(FetchedPage)} == {"source"}


def test_a_raw_page_converts_field_for_field() -> None:
    when = datetime(2026, 11, 1, tzinfo=UTC)
    item = RawPage(
        "elcomercio", "https://e.pe/a", "https://e.pe/b", 200, {"ETag": "x"}, b"<p>", when
    )
    page = FetchedPage.of(item)
    assert page == FetchedPage("https://e.pe/a", "https://e.pe/b", 200, {"ETag": "x"}, b"<p>", when)
