"""The source file's schema (DESIGN.md "The source file"), validated with pydantic.

Unknown keys are errors (`extra="forbid"`) so a typo such as `artcle_urls` is reported
instead of silently crawling nothing.
"""

from __future__ import annotations

import re
from importlib.resources.abc import Traversable
from pathlib import Path
from typing import Annotated
from urllib.parse import urlsplit
from zoneinfo import ZoneInfo, ZoneInfoNotFoundError

from cssselect import HTMLTranslator, SelectorError
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from extractors.source_rules import SourceRules
from spiders.dated import placeholder_problem
from spiders.durations import parse_duration

_LANGUAGE = re.compile(r"^[a-zA-Z]{2,3}(-[a-zA-Z0-9]{2,8})*$")

NonEmpty = Annotated[str, Field(min_length=1)]


class _Model(BaseModel):
    model_config = ConfigDict(extra="forbid", frozen=True)


def _check_http_url(url: str) -> str:
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise ValueError(f"not an http(s) URL: {url!r}")
    return url


def _check_regex(pattern: str) -> str:
    try:
        re.compile(pattern)
    except re.error as exc:
        raise ValueError(f"bad regex {pattern!r}: {exc}") from None
    return pattern


def _check_css(selector: str) -> str:
    """Compiled as lxml.html compiles it at extraction, so a typo fails here, not on every page."""
    try:
        HTMLTranslator().css_to_xpath(selector)
    except SelectorError as exc:
        raise ValueError(f"bad CSS selector {selector!r}: {exc}") from None
    return selector


class Discovery(_Model):
    """Where article URLs come from and which URLs are articles."""

    feeds: list[str] = []
    sitemaps: list[str] = []
    sections: list[str] = []
    article_urls: list[str] = Field(min_length=1)
    # Extension: regexes (searched anywhere in the URL) for links never to follow.
    skip_urls: list[str] = []

    @field_validator("feeds", "sections")
    @classmethod
    def _urls(cls, urls: list[str]) -> list[str]:
        return [_check_http_url(url) for url in urls]

    @field_validator("sitemaps")
    @classmethod
    def _sitemaps(cls, urls: list[str]) -> list[str]:
        for url in urls:
            if problem := placeholder_problem(url):
                raise ValueError(problem)
        return [_check_http_url(url) for url in urls]

    @field_validator("article_urls", "skip_urls")
    @classmethod
    def _regexes(cls, patterns: list[str]) -> list[str]:
        return [_check_regex(pattern) for pattern in patterns]

    @model_validator(mode="after")
    def _has_a_start(self) -> Discovery:
        if not (self.feeds or self.sitemaps or self.sections):
            raise ValueError("needs at least one of feeds, sitemaps or sections")
        return self


class Boilerplate(_Model):
    """One extra in-body boilerplate pattern and why it is removed."""

    pattern: NonEmpty
    reason: NonEmpty

    @field_validator("pattern")
    @classmethod
    def _regex(cls, pattern: str) -> str:
        return _check_regex(pattern)


class Extraction(_Model):
    """Optional per-source overrides handed to the extractor as `SourceRules`."""

    body_selector: str | None = None
    title_selector: str | None = None
    date_selector: str | None = None
    author_selector: str | None = None
    strip_selectors: list[str] = []
    boilerplate: list[Boilerplate] = []

    @field_validator("body_selector", "title_selector", "date_selector", "author_selector")
    @classmethod
    def _selector(cls, selector: str | None) -> str | None:
        return None if selector is None else _check_css(selector)

    @field_validator("strip_selectors")
    @classmethod
    def _selectors(cls, selectors: list[str]) -> list[str]:
        return [_check_css(selector) for selector in selectors]


class Crawl(_Model):
    """Politeness for this source (seconds between requests, parallel requests per site) and
    how long one crawl may run before it is stopped (default: SYNDICATE_TIME_LIMIT)."""

    delay: float = Field(default=1.0, ge=0)
    concurrency: int = Field(default=2, ge=1, le=32)
    time_limit: str | None = None

    @field_validator("time_limit")
    @classmethod
    def _time_limit(cls, value: str | None) -> str | None:
        if value is not None:
            parse_duration(value)
        return value

    def time_limit_seconds(self) -> int | None:
        return parse_duration(self.time_limit) if self.time_limit else None


class Schedule(_Model):
    """How often `syndicate schedule` crawls the source: an interval ("30m") or a cron line
    (validated by APScheduler's cron parser, which the scheduler then runs), plus an optional
    random `jitter` so that many sources on one schedule do not start at the same second."""

    interval: str | None = None
    cron: str | None = None
    jitter: str | None = None

    @field_validator("interval", "jitter")
    @classmethod
    def _duration(cls, value: str | None) -> str | None:
        if value is not None:
            parse_duration(value)
        return value

    @field_validator("cron")
    @classmethod
    def _cron(cls, value: str | None) -> str | None:
        if value is not None:
            from apscheduler.triggers.cron import CronTrigger  # only sources with a cron line

            try:
                CronTrigger.from_crontab(value, timezone="UTC")
            except ValueError as exc:
                raise ValueError(f"cron {value!r}: {exc}") from None
        return value

    @model_validator(mode="after")
    def _exactly_one(self) -> Schedule:
        if (self.interval is None) == (self.cron is None):
            raise ValueError("give exactly one of interval or cron")
        return self


class Fixture(_Model):
    """A real saved page and the extractor's expected output (paths relative to the file)."""

    page: NonEmpty
    expected: NonEmpty
    url: str

    @field_validator("url")
    @classmethod
    def _url(cls, url: str) -> str:
        return _check_http_url(url)


class SourceConfig(_Model):
    """One validated source file. `path` is the file on disk (None inside a zipped egg), where
    `sources record` and `--update` write; `folder` is where it was read from, on disk or in
    the egg, and where its fixtures are read from."""

    model_config = ConfigDict(arbitrary_types_allowed=True)

    key: str = Field(pattern=r"^[a-z0-9_-]+$")
    name: NonEmpty
    aliases: list[str] = []
    homepage: str
    language: str
    timezone: str
    discovery: Discovery
    extraction: Extraction = Extraction()
    crawl: Crawl = Crawl()
    schedule: Schedule | None = None
    fixtures: list[Fixture] = []
    path: Path | None = None
    folder: Traversable | None = Field(default=None, exclude=True, repr=False)

    @field_validator("homepage")
    @classmethod
    def _homepage(cls, url: str) -> str:
        return _check_http_url(url)

    @field_validator("language")
    @classmethod
    def _language(cls, value: str) -> str:
        if not _LANGUAGE.match(value):
            raise ValueError(f"{value!r} is not a BCP 47 language tag such as 'es' or 'es-PE'")
        return value

    @field_validator("timezone")
    @classmethod
    def _timezone(cls, value: str) -> str:
        try:
            ZoneInfo(value)
        except (ZoneInfoNotFoundError, ValueError):
            raise ValueError(f"unknown IANA timezone {value!r}") from None
        return value

    def rules(self) -> SourceRules:
        """What the extractor needs of this source."""
        extraction = self.extraction
        return SourceRules(
            key=self.key,
            name=self.name,
            homepage=self.homepage,
            language=self.language,
            timezone=self.timezone,
            aliases=tuple(self.aliases),
            body_selector=extraction.body_selector,
            title_selector=extraction.title_selector,
            date_selector=extraction.date_selector,
            author_selector=extraction.author_selector,
            strip_selectors=tuple(extraction.strip_selectors),
            boilerplate=tuple((b.pattern, b.reason) for b in extraction.boilerplate),
        )

    def fixture_path(self, relative: str) -> Path:
        """A fixture file on disk, named relative to the source file (to record or rewrite it)."""
        base = self.path.parent if self.path else Path.cwd()
        return base / relative

    def fixture_file(self, relative: str) -> Traversable:
        """A fixture to read, wherever the source file was read from (a folder or an egg)."""
        return self.fixture_path(relative) if self.folder is None else self.folder / relative
