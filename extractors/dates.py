"""Publication dates with their offset, never read from the machine's clock or timezone.

ISO 8601 values keep the offset the page gave. Anything else goes through dateparser in
the page's language; a value without an offset takes the source's timezone (UTC when no
source is known), and relative values ("hace 2 horas") count back from the fetch time.
"""

from __future__ import annotations

import re
from datetime import UTC, datetime, timedelta
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import dateparser

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$")
_ARC_TIME = re.compile(r"\b(\d{1,2})H(\d{2})\b")  # El Comercio writes 20H06
_LEADING_WORDS = re.compile(
    r"^\s*(actualizado|publicado|updated|published|posted|last updated|fecha)\b\s*(el|on|at|:)?\s*",
    re.IGNORECASE,
)
_MERIDIEM = re.compile(r"\b([ap])\.\s?m\.", re.IGNORECASE)  # "02:14 a.m." -> "02:14 am"
_MIN_YEAR = 1990
_MAX_AHEAD = timedelta(days=366)  # later than this after the fetch is not a publication date
# Without a fetch time dateparser would fill in "now" from the clock: parse only values
# that carry a full date themselves.
_CLOCK_FREE = {
    "PARSERS": ["timestamp", "custom-formats", "absolute-time"],
    "REQUIRE_PARTS": ["day", "month", "year"],
}


def zone(name: str | None) -> ZoneInfo:
    """The named timezone, or UTC when none (or an unknown one) is given."""
    try:
        return ZoneInfo(name) if name else ZoneInfo("UTC")
    except (ZoneInfoNotFoundError, ValueError):
        return ZoneInfo("UTC")


def parse_date(
    value: str | None,
    *,
    language: str | None = None,
    timezone: str | None = None,
    fetched_at: datetime | None = None,
) -> datetime | None:
    """A tz-aware datetime for `value`, or None when it is not a plausible publication date.

    Without `fetched_at`, values that need "now" (relative, or without a year) give None
    rather than being resolved against the machine's clock. A naive `fetched_at` is UTC.
    """
    if not value or len(value) > 100:
        return None
    if fetched_at is not None and fetched_at.tzinfo is None:
        fetched_at = fetched_at.replace(tzinfo=UTC)
    tz = zone(timezone)
    text = value.strip()
    parsed = _parse_iso(text) if _ISO.match(text) else _parse_free(text, language, tz, fetched_at)
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=tz)
    if parsed.year < _MIN_YEAR or (fetched_at and parsed > fetched_at + _MAX_AHEAD):
        return None
    return parsed


def _parse_iso(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def _parse_free(
    text: str, language: str | None, tz: ZoneInfo, fetched_at: datetime | None
) -> datetime | None:
    text = _ARC_TIME.sub(r"\1:\2", _LEADING_WORDS.sub("", text))
    text = _MERIDIEM.sub(r"\1m", text)
    settings: dict[str, object] = {"PREFER_DATES_FROM": "past", "STRICT_PARSING": False}
    if fetched_at is not None:
        settings["RELATIVE_BASE"] = fetched_at.astimezone(tz).replace(tzinfo=None)
    else:
        settings.update(_CLOCK_FREE)
    if language and language.split("-")[0].lower() in {"es", "pt", "fr", "it", "de"}:
        settings["DATE_ORDER"] = "DMY"
    # Without a known language dateparser would try every locale (slow and error-prone).
    languages = list(
        dict.fromkeys([language.split("-")[0].lower() if language else "en", "en", "es"])
    )
    try:
        return dateparser.parse(text, languages=languages, settings=settings)  # type: ignore[no-any-return]  # untyped library
    except (ValueError, OverflowError, TypeError, KeyError):
        return None


def iso(value: datetime | None) -> str | None:
    """ISO 8601 with offset, seconds precision."""
    return value.replace(microsecond=0).isoformat() if value else None
