"""Dates keep their offset, take the source's timezone when the page gives none, and never read the clock."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from extractors.dates import iso, parse_date
from extractors.extraction import extract
from extractors.source_rules import SourceRules

FETCHED = datetime(2025, 1, 10, 15, 0, tzinfo=UTC)


@pytest.mark.parametrize(
    ("value", "language", "timezone", "expected"),
    [
        ("2022-12-19T21:04:11+00:00", "en", "America/Lima", "2022-12-19T21:04:11+00:00"),
        ("2022-05-07T20:06:23-05:00", "es", None, "2022-05-07T20:06:23-05:00"),
        ("2024-12-02T01:20:33Z", None, "Europe/Madrid", "2024-12-02T01:20:33+00:00"),
        ("07/05/2022 20H06", "es", "America/Lima", "2022-05-07T20:06:00-05:00"),
        ("Actualizado el 08/05/2022 02:14 p.m.", "es", "America/Lima", "2022-05-08T14:14:00-05:00"),
        ("lunes, 2 de diciembre de 2024", "es", "Europe/Madrid", "2024-12-02T00:00:00+01:00"),
        ("December 19, 2022", "en", None, "2022-12-19T00:00:00+00:00"),
        ("hace 2 horas", "es", "America/Lima", "2025-01-10T08:00:00-05:00"),
        ("3 hours ago", "en", "UTC", "2025-01-10T12:00:00+00:00"),
    ],
)
def test_parse_date(value: str, language: str | None, timezone: str | None, expected: str) -> None:
    assert (
        iso(parse_date(value, language=language, timezone=timezone, fetched_at=FETCHED)) == expected
    )


@pytest.mark.parametrize("value", ["", "garbage", "1850-01-01", "2031-01-01T00:00:00Z", "x" * 200])
def test_implausible_values_give_no_date(value: str) -> None:
    assert parse_date(value, language="en", fetched_at=FETCHED) is None


@pytest.mark.parametrize(
    "value", ["hace 2 horas", "2 hours ago", "yesterday", "5 de marzo", "March 5"]
)
def test_without_fetch_time_values_needing_now_give_no_date(value: str) -> None:
    # Resolving these would need the machine's clock; the design forbids it.
    assert parse_date(value, language="es" if " de " in value or "hace" in value else "en") is None


def test_without_fetch_time_full_dates_still_parse() -> None:
    assert iso(parse_date("5 de marzo de 2024", language="es", timezone="Europe/Madrid")) == (
        "2024-03-05T00:00:00+01:00"
    )


@pytest.mark.parametrize(
    "fetched_at",
    [datetime(2024, 2, 29, 12, 0, tzinfo=UTC), datetime(2024, 2, 29, 12, 0)],
    ids=["leap-day", "naive-is-utc"],
)
def test_fetch_time_on_a_leap_day_or_naive(fetched_at: datetime) -> None:
    assert iso(
        parse_date("hace 2 horas", language="es", timezone="UTC", fetched_at=fetched_at)
    ) == ("2024-02-29T10:00:00+00:00")
    assert parse_date("2025-03-02T00:00:00Z", fetched_at=fetched_at) is None


def test_visible_date_uses_source_timezone_and_selector() -> None:
    html = (
        "<html lang='es'><head><title>Nota</title></head><body><article><h1>Nota</h1>"
        "<div class='s-aut__time'><time>07/05/2022 20H06</time></div>"
        + "<p>"
        + "Texto de la nota con suficientes palabras para ser un artículo. " * 8
        + "</p>"
        + "</article></body></html>"
    )
    rules = SourceRules(
        key="ec",
        name="EC",
        timezone="America/Lima",
        language="es",
        date_selector=".s-aut__time time",
    )
    article = extract(
        html.encode(), "https://ec.example/a-noticia/", rules=rules, fetched_at=FETCHED
    )
    assert article.published_at == "2022-05-07T20:06:00-05:00"


_BODY = "<p>" + "The council met on Tuesday and voted on the new budget for the city. " * 8 + "</p>"


def _undated_page(head: str = "", body: str = "", lang: str = "en") -> bytes:
    return (
        f"<html lang='{lang}'><head><title>Budget</title>{head}</head><body><article>"
        f"<h1>Council passes the budget</h1>{body}{_BODY}</article></body></html>"
    ).encode()


def test_date_in_the_url_path_when_the_page_declares_none() -> None:
    article = extract(
        _undated_page(), "https://news.example/2019/03/14/budget/", fetched_at=FETCHED
    )
    assert article.published_at == "2019-03-14T00:00:00+00:00"


def test_visible_dateline_when_the_page_declares_none() -> None:
    html = _undated_page(body="<p class='dateline'>Published March 14, 2019</p>")
    article = extract(html, "https://news.example/budget", fetched_at=FETCHED)
    assert article.published_at is not None
    assert article.published_at.startswith("2019-03-14")


def test_found_day_takes_the_country_zone_of_the_page() -> None:
    # A Japanese page's "2019/03/05" is that day in Tokyo, not in UTC.
    html = _undated_page(body="<p class='date'>2019/03/05</p>", lang="ja")
    article = extract(html, "https://news.example.jp/article/123", fetched_at=FETCHED)
    assert article.published_at == "2019-03-05T00:00:00+09:00"


def test_page_offset_is_used_for_a_local_date_without_one() -> None:
    html = _undated_page(
        "<meta property='article:published_time' content='2019-03-05 08:00'>"
        "<meta property='article:modified_time' content='2019-03-06T10:00:00+09:00'>"
    )
    article = extract(html, "https://news.example/budget", fetched_at=FETCHED)
    assert article.published_at == "2019-03-05T08:00:00+09:00"


def test_source_timezone_wins_over_the_page_country() -> None:
    rules = SourceRules(key="x", name="X", timezone="America/Lima", language="ja")
    html = _undated_page(
        "<meta property='article:published_time' content='2019-03-05 08:00'>", lang="ja"
    )
    article = extract(html, "https://news.example.jp/a", rules=rules, fetched_at=FETCHED)
    assert article.published_at == "2019-03-05T08:00:00-05:00"


def test_a_year_alone_is_not_a_publication_day() -> None:
    html = _undated_page(body="<footer>© 2019 News</footer>")
    assert (
        extract(html, "https://news.example/article/123", fetched_at=FETCHED).published_at is None
    )


@pytest.mark.parametrize(
    ("dateline", "lang", "host", "expected"),
    [
        ("公開日：2019年3月5日 10:00", "ja", "news.example.jp", "2019-03-05T00:00:00+09:00"),
        ("입력 2019년 3월 5일", "ko", "news.example.kr", "2019-03-05T00:00:00+09:00"),
    ],
)
def test_cjk_dateline_when_the_page_declares_none(
    dateline: str, lang: str, host: str, expected: str
) -> None:
    html = _undated_page(body=f"<p class='date'>{dateline}</p>", lang=lang)
    assert extract(html, f"https://{host}/article/123", fetched_at=FETCHED).published_at == expected


def test_fallback_never_reads_the_clock_for_its_latest_date() -> None:
    # Fetched in 2018: a 2024 date in the URL is after the fetch and is not a publication date.
    fetched = datetime(2018, 1, 1, tzinfo=UTC)
    article = extract(
        _undated_page(), "https://news.example/2024/03/14/budget/", fetched_at=fetched
    )
    assert article.published_at is None


@pytest.mark.parametrize(
    ("name", "expected"),
    [("+09:00", "2019-03-05T00:00:00+09:00"), ("-0530", "2019-03-05T00:00:00-05:30")],
)
def test_fixed_offsets_are_zones(name: str, expected: str) -> None:
    assert iso(parse_date("March 5, 2019", language="en", timezone=name)) == expected
