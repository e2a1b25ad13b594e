"""Extraction on every core: page bytes go to worker processes, `Extracted` records come back.

A thin layer over `concurrent.futures.ProcessPoolExecutor` shared by crawls (`store`),
`syndicate ingest` and `reextract` (`backfill`). Workers run `processing.extract_step`,
which needs no database, so only bytes and small records cross the process boundary.
`workers=0` extracts in the calling thread (tests, small jobs). One page that raises fails
alone; a worker that dies (a crash in C code) fails the pages it had, and the pool starts
afresh for the next ones.
"""

from __future__ import annotations

import asyncio
import multiprocessing
import multiprocessing.connection
import os
import signal
import threading
from collections import deque
from collections.abc import Callable, Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor
from concurrent.futures.process import BrokenProcessPool
from datetime import UTC, datetime
from typing import TypeVar

from extractors.source_rules import PublisherRegistry, SourceRules
from pipelines.processing import Extracted, extract_step
from storage.records import FetchedPage

T = TypeVar("T")
Task = Callable[[FetchedPage, SourceRules, PublisherRegistry | None], Extracted]
# One page's extraction: the page, its source's rules, the publishers credit lines may name.
Job = tuple[FetchedPage, SourceRules, PublisherRegistry | None]
# Pages handed to the pool ahead of the one being stored, per worker: keeps every worker
# busy while the caller stores, and bounds the bodies held in memory.
AHEAD_PER_WORKER = 4
_WARM_UP = FetchedPage(
    "http://127.0.0.1/warm-up", "http://127.0.0.1/warm-up", 200, {}, b"<html></html>",
    datetime(2000, 1, 1, tzinfo=UTC),
)  # fmt: skip


class ExtractionPool:
    """`workers` processes running the extract step, started at the first page (an unchanged
    recrawl extracts nothing and never starts them); 0 extracts in the calling thread.

    `task` is the function workers run (module-level, so it pickles); tests swap in one that
    raises or dies.
    """

    def __init__(self, workers: int, task: Task = extract_step) -> None:
        self.workers = max(workers, 0)
        self.task = task
        self._executor: ProcessPoolExecutor | None = None
        self._booting: asyncio.Future[None] | None = None

    def submit(self, job: Job) -> Future[Extracted]:
        """The page's extraction, running (or done, in-process)."""
        if self.workers == 0:
            done: Future[Extracted] = Future()
            try:
                done.set_result(self.task(*job))
            except Exception as error:  # as a worker's error would be: this page fails
                done.set_exception(error)
            return done
        try:
            return self._started().submit(self.task, *job)
        except BrokenProcessPool:  # a worker died since the last page: start afresh
            self.close(wait=False)
            return self._started().submit(self.task, *job)

    def result(self, future: Future[Extracted]) -> Extracted:
        """The extraction, or a failed one naming what went wrong in the worker."""
        try:
            return future.result()
        except Exception as error:
            return self._failed(error)

    async def extract(self, job: Job) -> Extracted:
        """`result` for asyncio callers (the crawl): awaits without blocking the reactor."""
        try:
            if self.workers and self._executor is None:
                await self._boot()
            return await asyncio.wrap_future(self.submit(job))
        except Exception as error:
            return self._failed(error)

    async def _boot(self) -> None:
        """Start the first worker in a thread: the first start imports the extractor, which
        takes seconds the reactor spends fetching instead."""
        booting = self._booting
        if booting is None:
            booting = self._booting = asyncio.ensure_future(asyncio.to_thread(self._first_worker))
            booting.add_done_callback(self._booted)
        await asyncio.shield(booting)

    def _first_worker(self) -> None:
        self._started().submit(_ping).result()

    def _booted(self, _: asyncio.Future[None]) -> None:
        self._booting = None

    def extract_all(
        self, items: Iterable[tuple[T, Job | None]]
    ) -> Iterator[tuple[T, Extracted | None]]:
        """(item, extraction) in the items' order; items without a job pass through with None.

        At most AHEAD_PER_WORKER pages per worker are in the pool at once (memory stays
        bounded); in-process, each page is extracted when it is taken.
        """
        ahead = self.workers * AHEAD_PER_WORKER
        window: deque[tuple[T, Future[Extracted] | None]] = deque()
        for key, job in items:
            window.append((key, None if job is None else self.submit(job)))
            while len(window) > ahead:
                yield self._next(window)
        while window:
            yield self._next(window)

    def _next(
        self, window: deque[tuple[T, Future[Extracted] | None]]
    ) -> tuple[T, Extracted | None]:
        key, future = window.popleft()
        return key, None if future is None else self.result(future)

    def close(self, *, wait: bool = True) -> None:
        """Stop the workers (pages still queued are dropped: callers await theirs first)."""
        if self._executor is not None:
            self._executor.shutdown(wait=wait, cancel_futures=True)
            self._executor = None

    def _started(self) -> ProcessPoolExecutor:
        if self._executor is None:
            self._executor = ProcessPoolExecutor(
                self.workers, mp_context=_context(), initializer=_worker_started
            )
        return self._executor

    @staticmethod
    def _failed(error: Exception) -> Extracted:
        if isinstance(error, BrokenProcessPool):  # the next submit starts a fresh pool
            return Extracted(None, "failed", "extraction worker died")
        return Extracted(None, "failed", f"extraction error: {type(error).__name__}: {error}")


def _context() -> multiprocessing.context.BaseContext:
    """forkserver where there is one: workers start from a clean process that has already
    imported the extractor (never a fork of the crawl's threads and sockets)."""
    if "forkserver" not in multiprocessing.get_all_start_methods():
        return multiprocessing.get_context("spawn")
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])
    return context


def _ping() -> None:
    """Nothing: its answer says a worker has started (and warmed up)."""


def _worker_started() -> None:
    """Per worker, once: Ctrl-C is for the crawl (which finishes its pages), not its workers;
    a worker ends with its crawl, even one killed with SIGKILL (else it would wait for work
    forever); one small page loads the extractor's rule files before the first real page."""
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    if (parent := multiprocessing.parent_process()) is not None:
        threading.Thread(target=_end_with, args=(parent.sentinel,), daemon=True).start()
    extract_step(_WARM_UP, SourceRules(key="warm-up", name="warm-up"), None)


def _end_with(parent: int) -> None:
    multiprocessing.connection.wait([parent])  # ready when the crawl process is gone
    os._exit(1)


# Pools shared by the crawls of one process (`syndicate crawl --all` runs every source at
# once): one set of workers per size, given back when its last crawl closes.
_shared: dict[int, tuple[ExtractionPool, int]] = {}


def acquire_shared(workers: int) -> ExtractionPool:
    """The process's pool of `workers` workers, shared with the other crawls running now."""
    pool, users = _shared.get(workers) or (ExtractionPool(workers), 0)
    _shared[workers] = (pool, users + 1)
    return pool


def release_shared(pool: ExtractionPool) -> None:
    """One crawl is done with `pool`; the last one stops its workers."""
    _, users = _shared.get(pool.workers, (pool, 1))
    if users <= 1:
        _shared.pop(pool.workers, None)
        pool.close()
    else:
        _shared[pool.workers] = (pool, users - 1)
