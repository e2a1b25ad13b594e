"""What an operator sees while `syndicate crawl` runs: one live line per source on a terminal
(rich), or a plain log line per source every half minute without one (cron, systemd).

`ProgressBoard` is made by the command and handed to the `CrawlProgress` extension of every
crawl through the SYNDICATE_PROGRESS_BOARD setting; the extension only reads Scrapy's stats.
"""

from __future__ import annotations

import sys
import time
from dataclasses import dataclass, field
from typing import Any

from rich.console import Console
from rich.live import Live
from rich.table import Table
from scrapy import signals
from scrapy.crawler import Crawler
from scrapy.exceptions import NotConfigured
from scrapy.utils.asyncio import create_looping_call

from pipelines.outcomes import counts

SETTING = "SYNDICATE_PROGRESS_BOARD"
COLUMNS = ("new", "updated", "unchanged", "dropped", "failed")
LIVE_SECONDS = 1.0  # refresh of the terminal display
PLAIN_SECONDS = 30.0  # one log line per source this often without a terminal


@dataclass(slots=True)
class _Line:
    started: float
    counts: dict[str, int] = field(default_factory=dict)
    state: str = "crawling"


class ProgressBoard:
    """Per-source counts; drawn live on a terminal, logged as plain lines elsewhere."""

    def __init__(self, *, live: bool | None = None) -> None:
        self.lines: dict[str, _Line] = {}
        self.is_live = sys.stderr.isatty() if live is None else live
        self.console = Console(stderr=True)
        self.live = Live(console=self.console, transient=True) if self.is_live else None
        self.interval = LIVE_SECONDS if self.is_live else PLAIN_SECONDS

    def __deepcopy__(self, memo: dict[int, Any]) -> ProgressBoard:
        """Scrapy copies its settings for each crawler; every crawler shares this one board."""
        return self

    def __enter__(self) -> ProgressBoard:
        if self.live is not None:
            self.live.start()
        return self

    def __exit__(self, *exc: object) -> None:
        if self.live is not None:
            self.live.stop()

    def update(self, source: str, counts: dict[str, int], state: str = "crawling") -> None:
        line = self.lines.setdefault(source, _Line(started=time.monotonic()))
        line.counts, line.state = counts, state
        if self.live is not None:
            self.live.update(self._table())
        else:
            self.console.print(
                f"{source}: {state}: {self._summary(line)}", highlight=False, soft_wrap=True
            )

    def _table(self) -> Table:
        table = Table("source", "state", "pages", *COLUMNS, "pages/s")
        for source, line in self.lines.items():
            table.add_row(
                source,
                line.state,
                str(line.counts.get("pages", 0)),
                *(str(line.counts.get(key, 0)) for key in COLUMNS),
                f"{self._rate(line):.1f}",
            )
        return table

    def _summary(self, line: _Line) -> str:
        parts = [f"pages={line.counts.get('pages', 0)}"]
        parts += [f"{key}={line.counts.get(key, 0)}" for key in COLUMNS]
        return " ".join(parts) + f" ({self._rate(line):.1f} pages/s)"

    @staticmethod
    def _rate(line: _Line) -> float:
        elapsed = max(time.monotonic() - line.started, 1e-6)
        return line.counts.get("pages", 0) / elapsed


class CrawlProgress:
    """Extension (switched on by `syndicate crawl`): feeds one source's counts to the board."""

    def __init__(self, crawler: Crawler, board: ProgressBoard) -> None:
        self.crawler = crawler
        self.board = board
        self.task: Any = None

    @classmethod
    def from_crawler(cls, crawler: Crawler) -> CrawlProgress:
        board = crawler.settings.get(SETTING)
        if not isinstance(board, ProgressBoard):
            raise NotConfigured("no progress board (only `syndicate crawl` shows progress)")
        extension = cls(crawler, board)
        crawler.signals.connect(extension.spider_opened, signal=signals.spider_opened)
        crawler.signals.connect(extension.spider_closed, signal=signals.spider_closed)
        return extension

    def spider_opened(self, spider: Any) -> None:
        self.board.update(spider.name, {})
        self.task = create_looping_call(self.tick, spider.name)
        self.task.start(self.board.interval, now=False)

    def tick(self, source: str) -> None:
        self.board.update(source, self._counts())

    def spider_closed(self, spider: Any, reason: str) -> None:
        if self.task is not None and self.task.running:
            self.task.stop()
        self.board.update(spider.name, self._counts(), state=f"closed ({reason})")

    def _counts(self) -> dict[str, int]:
        return counts(self.crawler.stats)
