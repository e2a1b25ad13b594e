"""Each source's health as an operator reads it: plain states (never crawled, running, looks
abandoned) and the flags that usually mean the site changed (recent runs that fail, store
nothing or drop most pages), with its schedule and next run. Pure rules over `SourceFacts`;
`source_statuses` only gathers them. Display only: nothing here writes.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from datetime import datetime, timedelta

from sqlalchemy.orm import Session

from pipelines.lease import DEFAULT_LEASE_SECONDS
from spiders.config import SourceConfig
from spiders.schedules import describe_schedule, next_run
from storage.health import SourceFacts, source_facts
from storage.leases import ProcessGone
from storage.records import RunSummary

# The last N ended runs (finished, failed, abandoned) judge a source: one bad run is
# often the network, N in a row is the site. Flags show only when EVERY one of them is bad.
RECENT_RUNS = 3
# A run that dropped or failed more than this share of its pages: the pages still come but
# no longer extract (new markup, a consent wall), the usual sign of a redesign.
DROPPED_SHARE = 0.5
# A live crawl renews its heartbeat every 10 s; none for a whole lease TTL (60 s) and the
# lease can be taken over, so the run looks abandoned (the next crawl will mark it so).
STALE_HEARTBEAT = timedelta(seconds=DEFAULT_LEASE_SECONDS)

NEVER_CRAWLED = "never_crawled"
RUNNING = "running"
LOOKS_ABANDONED = "looks_abandoned"
FAILING = "failing"
STORED_NOTHING = "stored_nothing"
DROPPING_PAGES = "dropping_pages"
_SYMPTOMS = {  # code -> what "k of the last n runs …" says of them
    FAILING: "ended failed or abandoned",
    STORED_NOTHING: "found or stored no article",
    DROPPING_PAGES: f"dropped or failed over {DROPPED_SHARE:.0%} of their pages",
}


@dataclass(frozen=True, slots=True)
class Flag:
    code: str  # stable, for monitoring scripts
    message: str  # for people


@dataclass(frozen=True, slots=True)
class SourceStatus:
    facts: SourceFacts
    schedule: str  # describe_schedule
    next_run: datetime | None  # when `syndicate schedule` will next start it
    flags: tuple[Flag, ...]


def source_statuses(
    session: Session, configs: Sequence[SourceConfig], *, now: datetime, gone: ProcessGone
) -> list[SourceStatus]:
    """The status of each source, in the order given."""
    facts = source_facts(session, [c.key for c in configs], now=now, recent=RECENT_RUNS)
    return [status_of(c, f, now=now, gone=gone) for c, f in zip(configs, facts, strict=True)]


def status_of(
    config: SourceConfig, facts: SourceFacts, *, now: datetime, gone: ProcessGone
) -> SourceStatus:
    last_start = facts.last_run.started_at if facts.last_run else None
    return SourceStatus(
        facts=facts,
        schedule=describe_schedule(config),
        next_run=next_run(config, last_start=last_start, now=now),
        flags=(*state_flags(facts.last_run, now=now, gone=gone), *site_flags(facts.recent)),
    )


def state_flags(last: RunSummary | None, *, now: datetime, gone: ProcessGone) -> list[Flag]:
    """Never crawled; running (where); a running run without a recent heartbeat."""
    if last is None:
        return [Flag(NEVER_CRAWLED, "never crawled")]
    if last.status != "running":
        return []
    where = f"on {last.host or '?'} (pid {last.pid if last.pid is not None else '?'})"
    flags = [Flag(RUNNING, f"run {last.id} running {where}")]
    beat = last.heartbeat_at or last.started_at
    if now - beat > STALE_HEARTBEAT:
        silent = int((now - beat).total_seconds())
        flags.append(Flag(LOOKS_ABANDONED, f"no heartbeat for {silent} s: looks abandoned"))
    elif last.host is not None and last.pid is not None and gone(last.host, last.pid):
        flags.append(Flag(LOOKS_ABANDONED, f"its process is gone {where}: looks abandoned"))
    return flags


def site_flags(recent: Sequence[RunSummary]) -> list[Flag]:
    """When every recent ended run is bad, one flag per kind of trouble, with how many."""
    found = [symptoms(run) for run in recent]
    if not found or not all(found):
        return []
    flags = []
    for code, what in _SYMPTOMS.items():
        count = sum(code in run for run in found)
        if count:
            flags.append(Flag(code, f"{_share(count, len(found))} {what}"))
    return flags


def _share(count: int, total: int) -> str:
    if total == 1:
        return "the last run"
    return f"{'all' if count == total else count} of the last {total} runs"


def symptoms(run: RunSummary) -> set[str]:
    """What was wrong with one ended run (an empty set: nothing)."""
    found = set()
    if run.status in ("failed", "abandoned"):
        return {FAILING}  # whatever else it shows follows from that
    if run.discovered == 0 or (run.counts.get("pages", 0) and stored(run) == 0):
        # Its listings named no article at all (the site changed its feeds or URLs), or pages
        # came and none became an article. A run that fetched nothing because every listed
        # article is stored already is a quiet site, not a symptom.
        found.add(STORED_NOTHING)
    pages = run.counts.get("pages", 0)
    lost = run.counts.get("dropped", 0) + run.counts.get("failed", 0)
    if pages and lost / pages > DROPPED_SHARE:
        found.add(DROPPING_PAGES)
    return found


def stored(run: RunSummary) -> int:
    return sum(run.counts.get(key, 0) for key in ("new", "updated", "unchanged"))
