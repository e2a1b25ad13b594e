"""Dated sitemap URLs: `{YYYY}`, `{MM}`, `{DD}` placeholders expanded over a crawl's date range.

Publishers keep one sitemap per month or day; backfilling a range means fetching
each period's sitemap once, newest first so fresh articles arrive early.
"""

from __future__ import annotations

import re
from datetime import date, timedelta

PLACEHOLDER = re.compile(r"\{([A-Z]+)\}")
KNOWN = frozenset({"YYYY", "MM", "DD"})


def placeholder_problem(url: str) -> str | None:
    """Why `url`'s placeholders cannot be expanded, or None when they can."""
    names = set(PLACEHOLDER.findall(url))
    if unknown := names - KNOWN:
        return f"unknown placeholder(s) {sorted(unknown)} in {url!r}; use {{YYYY}}, {{MM}}, {{DD}}"
    if "DD" in names and "MM" not in names:
        return f"{{DD}} without {{MM}} in {url!r}"
    if names and "YYYY" not in names:
        return f"{{MM}}/{{DD}} without {{YYYY}} in {url!r}"
    return None


def is_dated(url: str) -> bool:
    return bool(PLACEHOLDER.search(url))


def expand(url: str, *, since: date | None, until: date) -> list[str]:
    """Every period's URL from `since` to `until` inclusive (only `until`'s when no `since`)."""
    if not is_dated(url):
        return [url]
    start = since or until
    if start > until:
        return []
    periods = _days(start, until) if "{DD}" in url else _months(start, until)
    if "{MM}" not in url:
        periods = sorted({date(d.year, 1, 1) for d in periods}, reverse=True)
    return [_fill(url, day) for day in periods]


def _fill(url: str, day: date) -> str:
    return (
        url.replace("{YYYY}", f"{day.year:04d}")
        .replace("{MM}", f"{day.month:02d}")
        .replace("{DD}", f"{day.day:02d}")
    )


def _days(start: date, until: date) -> list[date]:
    count = (until - start).days
    return [until - timedelta(days=offset) for offset in range(count + 1)]


def _months(start: date, until: date) -> list[date]:
    months = []
    year, month = until.year, until.month
    while (year, month) >= (start.year, start.month):
        months.append(date(year, month, 1))
        year, month = (year, month - 1) if month > 1 else (year - 1, 12)
    return months
