"""Publication dates with their offset, never read from the machine's clock or timezone.

ISO 8601 values keep the offset the page gave. Anything else goes through dateparser in
the page's language; a value without an offset takes the source's timezone (UTC when no
source is known), and relative values ("hace 2 horas") count back from the fetch time.
"""

from __future__ import annotations

import re
from datetime import UTC, date, datetime, timedelta, timezone, tzinfo
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

import htmldate
import lxml.html

from extractors.datelines import dateline_texts, day_of, without_label

_ISO = re.compile(r"^\d{4}-\d{2}-\d{2}([T ]\d{2}:\d{2}(:\d{2}(\.\d+)?)?)?(Z|[+-]\d{2}:?\d{2})?$")
# ISO 8601 basic format ("20180619T055000+0900"), which dateparser misreads.
_ISO_BASIC = re.compile(r"^\d{8}T\d{4}(\d{2}(\.\d+)?)?(Z|[+-]\d{2}:?\d{2})?$")
_ARC_TIME = re.compile(r"\b(\d{1,2})H(\d{2})\b")  # El Comercio writes 20H06
_LEADING_WORDS = re.compile(
    r"^\s*(actualizado|publicado|updated|published|posted|last updated|fecha)\b\s*(el|on|at|:)?\s*",
    re.IGNORECASE,
)
_MERIDIEM = re.compile(r"\b([ap])\.\s?m\.", re.IGNORECASE)  # "02:14 a.m." -> "02:14 am"
_FIXED = re.compile(r"^([+-])(\d{2}):?(\d{2})$")
_MIN_YEAR = 1990
_CJK_DATE = re.compile(r"((?:19|20)\d{2})\s*[年년]\s*(\d{1,2})\s*[月월]\s*(\d{1,2})\s*[日일]")
_LATEST_WITHOUT_FETCH = "2099-12-31"  # no fetch time: no bound from the clock either
_MAX_OFFSET = timedelta(hours=14)  # UTC-12 to UTC+14
_OFFSET_STEP = timedelta(minutes=15)  # every offset in use is whole quarter-hours
_UTC = ZoneInfo("UTC")  # what `zone("UTC")` gives
_MAX_AHEAD = timedelta(days=366)  # later than this after the fetch is not a publication date
# Without a fetch time dateparser would fill in "now" from the clock: parse only values
# that carry a full date themselves.
_CLOCK_FREE = {
    "PARSERS": ["timestamp", "custom-formats", "absolute-time"],
    "REQUIRE_PARTS": ["day", "month", "year"],
}


def zone(name: str | None) -> tzinfo:
    """The named timezone ("Europe/Madrid", or a fixed "+09:00"), or UTC when none or unknown."""
    if name and (fixed := _FIXED.match(name)):
        hours, minutes = int(fixed[2]), int(fixed[3])
        sign = -1 if fixed[1] == "-" else 1
        return timezone(sign * timedelta(hours=hours, minutes=minutes))
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
    if fetched_at is not None and fetched_at.tzinfo is None:
        fetched_at = fetched_at.replace(tzinfo=UTC)
    tz = zone(timezone)
    parsed = _as_written(value, language, tz, fetched_at)
    if parsed is None:
        return None
    if parsed.tzinfo is None:
        parsed = parsed.replace(tzinfo=tz)
    if parsed.year < _MIN_YEAR or (fetched_at and parsed > fetched_at + _MAX_AHEAD):
        return None
    return parsed


def _as_written(
    value: str | None, language: str | None, tz: tzinfo, fetched_at: datetime | None
) -> datetime | None:
    """`value` parsed, with an offset only when it states one; `tz` only anchors relative
    values (so without `fetched_at` the result does not depend on it)."""
    if not value or len(value) > 100:
        return None
    text = value.strip()
    iso_like = _ISO.match(text) or _ISO_BASIC.match(text)
    return _parse_iso(text) if iso_like else _parse_free(text, language, tz, fetched_at)


def _parse_iso(text: str) -> datetime | None:
    try:
        return datetime.fromisoformat(text.replace("Z", "+00:00"))
    except ValueError:
        return None


def _parse_free(
    text: str, language: str | None, tz: tzinfo, fetched_at: datetime | None
) -> datetime | None:
    text = _ARC_TIME.sub(r"\1:\2", _LEADING_WORDS.sub("", text))
    text = _MERIDIEM.sub(r"\1m", text)
    settings: dict[str, object] = {"PREFER_DATES_FROM": "past", "STRICT_PARSING": False}
    if fetched_at is not None:
        settings["RELATIVE_BASE"] = fetched_at.astimezone(tz).replace(tzinfo=None)
        # "2019" or "June 2019" (a <time> holding a release year) is no day: dateparser would
        # fill the missing parts in from the fetch time.
        settings["REQUIRE_PARTS"] = ["day", "month"]
    else:
        settings.update(_CLOCK_FREE)
    if language and language.split("-")[0].lower() in {"es", "pt", "fr", "it", "de"}:
        settings["DATE_ORDER"] = "DMY"
    # Without a known language dateparser would try every locale (slow and error-prone).
    languages = list(
        dict.fromkeys([language.split("-")[0].lower() if language else "en", "en", "es"])
    )
    import dateparser  # ~0.1 s to import: only pages with a non-ISO date pay for it

    try:
        return dateparser.parse(text, languages=languages, settings=settings)  # type: ignore[no-any-return]  # untyped library
    except (ValueError, OverflowError, TypeError, KeyError):
        return None


def iso(value: datetime | None) -> str | None:
    """ISO 8601 with offset, seconds precision."""
    return value.replace(microsecond=0).isoformat() if value else None


# Where a page says nothing of its timezone: the zone of its country (by top-level domain,
# then by language), for countries with one zone. Wrong by an hour at worst; UTC is wrong
# by a day for every local midnight east of Greenwich.
_TLD_ZONES = {
    "jp": "Asia/Tokyo", "kr": "Asia/Seoul", "cn": "Asia/Shanghai", "tw": "Asia/Taipei",
    "hk": "Asia/Hong_Kong", "de": "Europe/Berlin", "at": "Europe/Vienna", "ch": "Europe/Zurich",
    "fr": "Europe/Paris", "es": "Europe/Madrid", "it": "Europe/Rome", "nl": "Europe/Amsterdam",
    "be": "Europe/Brussels", "uk": "Europe/London", "ie": "Europe/Dublin", "pl": "Europe/Warsaw",
    "lv": "Europe/Riga", "th": "Asia/Bangkok", "in": "Asia/Kolkata", "pe": "America/Lima",
    "co": "America/Bogota", "cl": "America/Santiago", "ar": "America/Argentina/Buenos_Aires",
    "uy": "America/Montevideo", "bo": "America/La_Paz", "ve": "America/Caracas",
    "ec": "America/Guayaquil", "py": "America/Asuncion", "af": "Asia/Kabul",
}  # fmt: skip
_LANGUAGE_ZONES = {
    "ja": "Asia/Tokyo", "ko": "Asia/Seoul", "zh": "Asia/Shanghai", "de": "Europe/Berlin",
    "fr": "Europe/Paris", "it": "Europe/Rome", "nl": "Europe/Amsterdam", "pl": "Europe/Warsaw",
    "lv": "Europe/Riga", "th": "Asia/Bangkok", "my": "Asia/Yangon",
}  # fmt: skip
_OFFSET = re.compile(r"\d{4}-\d{2}-\d{2}T\d{2}:\d{2}(?::\d{2}(?:\.\d+)?)?([+-]\d{2}:?\d{2})\b")


def local_offset(moment: datetime, shown: list[str | None], *, language: str | None) -> datetime:
    """`moment` in the offset the page itself reveals when it states the instant in UTC and
    the same instant elsewhere as a local wall-clock time without an offset ("2016-12-23T
    00:47:31Z" beside "Thursday, December 22, 2016, 06:47 PM" is UTC-06:00); else `moment`.

    A UTC instant's day is not the day the page was published where it was written.
    """
    if moment.utcoffset() != timedelta(0):
        return moment
    readings = [_reading(value, language) for value in shown]
    if not any(offset_given and when == moment for when, offset_given in readings if when):
        return moment  # `moment` itself was a wall-clock time taken as UTC
    instant = moment.replace(second=0, microsecond=0)
    for when, offset_given in readings:
        if when is None or offset_given:
            continue
        shift = when.replace(second=0, microsecond=0) - instant
        if shift and abs(shift) <= _MAX_OFFSET and not shift % _OFFSET_STEP:
            return moment.astimezone(timezone(shift))
    return moment


def _reading(value: str | None, language: str | None) -> tuple[datetime | None, bool]:
    """`value` read as UTC, and whether it states its own offset (the instant does not move
    with the zone assumed for it). Parsed once: without a fetch time the zone assumed only
    fills in a missing offset, so `parse_date` in any two zones agrees exactly when it has one."""
    parsed = _as_written(value, language, _UTC, None)
    if parsed is None or parsed.year < _MIN_YEAR:
        return None, False
    offset_given = parsed.tzinfo is not None
    return (parsed if offset_given else parsed.replace(tzinfo=_UTC)), offset_given


def page_timezone(
    declared: list[str], host: str, language: str | None, source_zone: str | None
) -> str | None:
    """The timezone for dates without an offset: the source's, else one the page's own
    timestamps show (`declared`: its meta and JSON-LD dates), else its country's."""
    if source_zone:
        return source_zone
    for value in declared:
        if (match := _OFFSET.search(value)) and match[1].replace(":", "") not in {"+0000", "-0000"}:
            sign, digits = match[1][0], match[1][1:].replace(":", "")
            return f"{sign}{digits[:2]}:{digits[2:]}"
    tld = host.rsplit(".", 1)[-1] if "." in host else ""
    return _TLD_ZONES.get(tld) or _LANGUAGE_ZONES.get((language or "").split("-")[0].lower())


def found_date(
    tree: lxml.html.HtmlElement,
    url: str,
    *,
    timezone: str | None,
    fetched_at: datetime | None,
    language: str | None = None,
) -> datetime | None:
    """The publication day htmldate finds (visible datelines, URL paths, page idioms) as
    midnight in `timezone`, else the dateline by the headline, else a CJK date in the text:
    the fallback when the page declares no date of its own.

    The latest date allowed is set from the fetch time, never from the clock.
    """
    latest = (fetched_at + _MAX_AHEAD).date().isoformat() if fetched_at else _LATEST_WITHOUT_FETCH
    try:
        day = htmldate.find_date(
            tree,
            url=url,
            original_date=True,
            extensive_search=False,
            min_date=f"{_MIN_YEAR}-01-01",
            max_date=latest,
        )
    except (ValueError, TypeError, OverflowError):  # a broken page must not cost the article
        return None
    if day and not day.endswith("-01-01"):  # a year alone ("© 2022") comes back as 1 January
        return parse_date(day, timezone=timezone, fetched_at=fetched_at)
    if found := headline_date(tree, language=language, timezone=timezone, latest=latest):
        return found
    day = _cjk_day(tree)
    return parse_date(day, timezone=timezone, fetched_at=fetched_at) if day else None


def headline_date(
    tree: lxml.html.HtmlElement, *, language: str | None, timezone: str | None, latest: str
) -> datetime | None:
    """The first dateline by the headline that names a full date: with its time when the
    line has one ("December 16, 2016, 4:19 PM"), else midnight of its day in `timezone`."""
    last = date.fromisoformat(latest)
    for line in dateline_texts(tree):
        # Clock-free: a dateline must carry its year, month and day itself.
        moment = parse_date(without_label(line), language=language, timezone=timezone)
        day = day_of(line, last)
        if moment is not None and moment.date() <= last and day in {None, moment.date()}:
            return moment
        if day is not None:
            return parse_date(day.isoformat(), timezone=timezone)
    return None


def _cjk_day(tree: lxml.html.HtmlElement) -> str | None:
    """The first "2019年3月5日" / "2019년 3월 5일" in the page's text, which htmldate does not read."""
    body = tree.find("body")
    if body is None:
        return None
    for node in body.iter():
        own = node.text if node.tag not in {"script", "style"} else None
        for text in (own, node.tail):
            if text and (match := _CJK_DATE.search(text)):
                year, month, day = (int(g) for g in match.groups())
                return f"{year:04d}-{month:02d}-{day:02d}"  # an impossible day fails parsing
    return None
