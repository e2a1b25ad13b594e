"""Dates keep their offset, take the source's timezone when the page gives none, and never read the clock."""

from __future__ import annotations

from datetime import UTC, datetime

import pytest

from extractors.dates import iso, parse_date
from extractors.extract import extract
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
