"""The local news site with a latency per request and a gauge of requests in flight, to see
from the publisher's side how hard crawl processes hit it together (tests, benchmarks)."""

from __future__ import annotations

import threading
import time
from typing import Any

from devsite.server import NewsSite, SitePage
from tests.support.site_pages import EL_COMERCIO_LISTINGS, el_comercio_pages


class SlowSite(NewsSite):
    """Every request takes `latency` seconds; `peak` is the most ever answered at once."""

    def __init__(self, pages: list[SitePage], latency: float, **kw: Any) -> None:
        super().__init__(pages, **kw)
        self.latency = latency
        self.in_flight = 0
        self.peak = 0
        self.answered: list[float] = []  # time.monotonic() of each answer
        self._gauge = threading.Lock()

    def rate(self) -> float:
        """Answers per second between the first and the last answer."""
        with self._gauge:
            times = list(self.answered)
        span = times[-1] - times[0] if len(times) > 1 else 0.0
        return (len(times) - 1) / span if span > 0 else 0.0

    def respond(self, path: str, headers: Any) -> tuple[int, dict[str, str], bytes]:
        with self._gauge:
            self.in_flight += 1
            self.peak = max(self.peak, self.in_flight)
        try:
            time.sleep(self.latency)
            return super().respond(path, headers)
        finally:
            with self._gauge:
                self.in_flight -= 1
                self.answered.append(time.monotonic())


def slow_el_comercio(articles: int, latency: float) -> SlowSite:
    """The El Comercio site (its listings, `articles` distinct articles) answering slowly."""
    return SlowSite(el_comercio_pages(articles - 1), latency, listings=EL_COMERCIO_LISTINGS)
