"""When each source is crawled: its `[schedule]` as an APScheduler trigger (interval or
cron, with jitter), or the default interval for sources without one.

`syndicate schedule` runs these triggers; `syndicate sources status` asks them for the next
run, so both always agree.
"""

from __future__ import annotations

import os
from datetime import UTC, datetime, timedelta

from apscheduler.triggers.base import BaseTrigger
from apscheduler.triggers.cron import CronTrigger
from apscheduler.triggers.interval import IntervalTrigger

from spiders.config import SourceConfig
from spiders.durations import parse_duration

DEFAULT_INTERVAL_ENV = "SYNDICATE_DEFAULT_INTERVAL"
DEFAULT_INTERVAL = "1h"
TIME_LIMIT_ENV = "SYNDICATE_TIME_LIMIT"
DEFAULT_TIME_LIMIT = "2h"


def default_time_limit() -> int:
    """Seconds one crawl may run unless its source says otherwise: $SYNDICATE_TIME_LIMIT,
    else 2h; ValueError naming the variable when it is not a duration."""
    value = os.environ.get(TIME_LIMIT_ENV) or DEFAULT_TIME_LIMIT
    try:
        return parse_duration(value)
    except ValueError as exc:
        raise ValueError(f"${TIME_LIMIT_ENV}: {exc}") from None


def default_interval() -> str:
    """The interval of sources without `[schedule]`: $SYNDICATE_DEFAULT_INTERVAL, else 1h;
    ValueError naming the variable when it is not a duration."""
    value = os.environ.get(DEFAULT_INTERVAL_ENV) or DEFAULT_INTERVAL
    try:
        parse_duration(value)
    except ValueError as exc:
        raise ValueError(f"${DEFAULT_INTERVAL_ENV}: {exc}") from None
    return value


def _cron(config: SourceConfig) -> str | None:
    return config.schedule.cron if config.schedule is not None else None


def _interval_seconds(config: SourceConfig) -> int:
    """The source's interval, else the default one (for a source without `[schedule]`)."""
    schedule = config.schedule
    return parse_duration(
        schedule.interval if schedule and schedule.interval else default_interval()
    )


def trigger_for(config: SourceConfig, *, first: datetime | None = None) -> BaseTrigger:
    """The source's trigger. An interval's first crawl is at `first` (default: now), which
    the scheduler sets from the source's last run (`next_run`), so a restarted scheduler
    does not recrawl every source at once."""
    schedule = config.schedule
    jitter = parse_duration(schedule.jitter) if schedule and schedule.jitter else None
    if (cron := _cron(config)) is not None:
        trigger = CronTrigger.from_crontab(cron, timezone=config.timezone)
        trigger.jitter = jitter
        return trigger
    start = first or datetime.now(UTC)
    return IntervalTrigger(
        seconds=_interval_seconds(config), start_date=start, timezone=UTC, jitter=jitter
    )


def describe_schedule(config: SourceConfig) -> str:
    """How the source is scheduled, as the status table shows it."""
    schedule = config.schedule
    if schedule is not None and schedule.cron is not None:
        text = f"cron {schedule.cron}"
    else:
        interval = schedule.interval if schedule and schedule.interval else None
        text = f"every {interval}" if interval else f"every {default_interval()} (default)"
    return text + (f" ±{schedule.jitter}" if schedule and schedule.jitter else "")


def next_run(
    config: SourceConfig, *, last_start: datetime | None, now: datetime
) -> datetime | None:
    """When the scheduler will next start the source, given its last run's start."""
    if _cron(config) is not None:
        result = trigger_for(config).get_next_fire_time(None, now)
        return result if isinstance(result, datetime) else None
    if last_start is None:
        return now
    return max(now, last_start + timedelta(seconds=_interval_seconds(config)))
