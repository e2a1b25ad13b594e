"""Serve benchmark: requests/s and latency of `syndicate serve` under concurrent clients.

    python -m benchmarks.serve_bench [--articles 10000] [--seconds 5] [--clients 8]
                                     [--db URL] [--postgres URL]

It builds a database of --articles articles, stored through
`storage.repository.upsert_article` (so near-duplicate bands, links and the search index
are the real ones; text from tests/support/pagegen.py, and each article also carries one of
100 topic words, `temaN`, so a rare word finds 1% of them): without --db a temporary SQLite
file, and, with --postgres URL (default $TEST_DATABASE_URL), a throwaway schema of that
database. --db URL serves that database instead: an empty or new one is built and kept for
the next run; one holding articles is reused as it is (migrated if need be, nothing else
written). Building takes some minutes for 10,000 articles. Each database is served by
`syndicate serve` started as a real subprocess on 127.0.0.1, and --clients threads (plain
`http.client` keep-alive connections) request each endpoint for --seconds. The reference,
measured in the same run by the same clients, is `/openapi.json`: a static body the
framework caches, so it shows the cost of the server and client loop without a database.
The clients share the machine with the server: on few cores both figures are lower.
"""

from __future__ import annotations

import argparse
import http.client
import json
import os
import socket
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Generator, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import quote

from rich.console import Console
from rich.table import Table

from extractors.article import Article
from storage.database import make_engine, session_scope, upgrade
from storage.reading import ArticleFilters, articles_page
from storage.repository import ensure_source, upsert_article
from tests.support.databases import postgres_schema
from tests.support.pagegen import WORDS, paragraphs, url_of
from tests.support.sources import ELCOMERCIO

BIN = Path(sys.executable).parent
RULES = ELCOMERCIO  # the shared sample source (tests/support/sources.py)
T0 = datetime(2026, 1, 1, 12, 0, tzinfo=UTC)
TOPICS = 100  # topic words temaN: one article in TOPICS has each
BATCH = 500  # articles per transaction while building


Paths = Generator[str, bytes, None]  # yields the next path, is sent the response body


@dataclass(frozen=True)
class Scenario:
    """One measured endpoint: a label and, for each client, its stream of paths."""

    label: str
    paths: Callable[[], Paths]


@dataclass(frozen=True)
class Result:
    label: str
    requests: int
    errors: int
    seconds: float
    latencies: list[float]

    def row(self) -> list[str]:
        cuts = statistics.quantiles(self.latencies, n=100) if len(self.latencies) > 1 else [0] * 99
        return [
            self.label,
            str(self.requests),
            f"{self.requests / self.seconds:.0f}",
            f"{cuts[49] * 1000:.1f}",
            f"{cuts[98] * 1000:.1f}",
            str(self.errors),
        ]


def build(url: str, count: int) -> None:
    """Migrate `url` and store `count` generated articles, BATCH to a transaction."""
    engine = make_engine(url)
    upgrade(engine)
    with session_scope(engine) as session:
        ensure_source(session, RULES)
    for start in range(0, count, BATCH):
        with session_scope(engine) as session:
            for number in range(start, min(start + BATCH, count)):
                seen = T0 + timedelta(minutes=number)
                upsert_article(session, article(number), seen_at=seen)
    engine.dispose()


def article(number: int) -> Article:
    """The number-th generated article: its own title, text, topic word and date."""
    body = paragraphs(number)
    body[-1] += f" Tema{number % TOPICS}."
    text = "\n\n".join(body)
    url = url_of(f"noticia-servida-{number}-rmmn-noticia")
    published = T0 - timedelta(days=30) + timedelta(minutes=number)
    return Article(
        url=url,
        canonical_url=url,
        source=RULES.key,
        site_name=RULES.name,
        title=f"Noticia {number}: {' '.join(paragraphs(number, 1, 6)[0].split())}",
        description=body[0][:160],
        published_at=published.isoformat(),
        language="es",
        text=text,
        html="".join(f"<p>{paragraph}</p>" for paragraph in body),
        word_count=len(text.split()),
    )


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port: int = probe.getsockname()[1]
        return port


@contextmanager
def server(url: str, log: Path) -> Iterator[int]:
    """`syndicate serve` on `url` as a subprocess on 127.0.0.1; yields its port once it answers."""
    port = free_port()
    command = [str(BIN / "syndicate"), "serve", "--db", url, "--host", "127.0.0.1"]
    with log.open("w") as stderr:
        process = subprocess.Popen([*command, "--port", str(port)], stderr=stderr)
    try:
        deadline = time.monotonic() + 60
        while not _answers(port):
            if process.poll() is not None or time.monotonic() > deadline:
                sys.exit(f"syndicate serve did not start: {log.read_text().strip()[-500:]}")
            time.sleep(0.2)
        yield port
    finally:
        process.terminate()
        process.wait(timeout=30)


def _answers(port: int) -> bool:
    try:
        connection = http.client.HTTPConnection("127.0.0.1", port, timeout=2)
        connection.request("GET", "/openapi.json")
        return connection.getresponse().status == 200
    except OSError:
        return False


def scenarios() -> list[Scenario]:
    """The measured endpoints; cursor paging follows each page's `next` as a client would."""

    def repeat(path: str) -> Callable[[], Paths]:
        def paths() -> Paths:
            while True:
                yield path

        return paths

    def words(make: Callable[[int], str]) -> Callable[[], Paths]:
        def paths() -> Paths:
            number = 0
            while True:
                yield f"/api/articles?limit=20&q={quote(make(number))}"
                number += 1

        return paths

    def paging() -> Paths:
        cursor: str | None = None
        while True:
            body = yield "/api/articles?limit=20" + (f"&cursor={cursor}" if cursor else "")
            cursor = json.loads(body).get("next")

    return [
        Scenario("/openapi.json (reference)", repeat("/openapi.json")),
        Scenario("/feeds/all.atom (100 entries)", repeat("/feeds/all.atom")),
        Scenario("/api/articles?limit=20", repeat("/api/articles?limit=20")),
        Scenario("/api/articles cursor paging", paging),
        Scenario("/api/articles?q=common word", words(lambda n: WORDS[n % len(WORDS)])),
        Scenario(f"/api/articles?q=rare word (1/{TOPICS})", words(lambda n: f"tema{n % TOPICS}")),
        Scenario(
            "/api/articles?q=two words",
            words(lambda n: f"{WORDS[n % len(WORDS)]} tema{n % TOPICS}"),
        ),
    ]


def measure(port: int, scenario: Scenario, clients: int, seconds: float) -> Result:
    """`clients` threads, each on its own keep-alive connection, for `seconds`."""
    latencies: list[list[float]] = [[] for _ in range(clients)]
    errors: list[list[int]] = [[0] for _ in range(clients)]
    _requests(port, scenario.paths(), time.perf_counter() + 0.5, [], [0])  # warm up
    ready = threading.Barrier(clients + 1)

    def client(index: int) -> None:
        paths = scenario.paths()
        ready.wait()
        _requests(port, paths, time.perf_counter() + seconds, latencies[index], errors[index])

    threads = [threading.Thread(target=client, args=(i,)) for i in range(clients)]
    for thread in threads:
        thread.start()
    ready.wait()
    began = time.perf_counter()
    for thread in threads:
        thread.join()
    elapsed = time.perf_counter() - began
    every = [latency for own in latencies for latency in own]
    return Result(scenario.label, len(every), sum(e[0] for e in errors), elapsed, every)


def _requests(
    port: int, paths: Paths, stop: float, latencies: list[float], errors: list[int]
) -> None:
    """Request `paths` on one keep-alive connection until `stop`; latencies and errors[0]."""
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    path = next(paths)
    while time.perf_counter() < stop:
        began = time.perf_counter()
        connection.request("GET", path)
        response = connection.getresponse()
        body = response.read()
        latencies.append(time.perf_counter() - began)
        if response.status != 200:
            errors[0] += 1
        path = paths.send(body)
    connection.close()


def _get(port: int, path: str) -> bytes:
    connection = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    connection.request("GET", path)
    return connection.getresponse().read()


def bench(name: str, url: str, args: argparse.Namespace, folder: Path) -> None:
    with server(url, folder / f"serve-{name}.log") as port:
        total = _article_count(port)
        table = Table(
            title=f"syndicate serve on {name}: {total} articles, {args.clients} clients, "
            f"{args.seconds:g} s per endpoint"
        )
        for column in ("endpoint", "requests", "req/s", "p50 ms", "p99 ms", "errors"):
            table.add_column(column, justify="left" if column == "endpoint" else "right")
        for scenario in scenarios():
            table.add_row(*measure(port, scenario, args.clients, args.seconds).row())
    Console(width=120).print(table)


def _article_count(port: int) -> str:
    """How many articles the server holds, by paging ids (shown in the table's title)."""
    count, cursor = 0, None
    while True:
        path = "/api/articles?limit=100" + (f"&cursor={cursor}" if cursor else "")
        page = json.loads(_get(port, path))
        count += len(page["articles"])
        cursor = page["next"]
        if cursor is None:
            return f"{count:,}"


def main() -> None:
    parser = argparse.ArgumentParser(description=(__doc__ or "").splitlines()[0])
    parser.add_argument("--articles", type=int, default=10_000)
    parser.add_argument("--seconds", type=float, default=5.0)
    parser.add_argument("--clients", type=int, default=8)
    parser.add_argument("--db", help="serve this database as it is instead of building one")
    parser.add_argument("--postgres", default=os.environ.get("TEST_DATABASE_URL"))
    args = parser.parse_args()
    with tempfile.TemporaryDirectory() as name:
        folder = Path(name)
        if args.db:
            if not holds_articles(args.db):
                _built(_kind(args.db), args.db, args.articles)
            bench(_kind(args.db), args.db, args, folder)
            return
        sqlite = f"sqlite:///{folder / 'serve-bench.db'}"
        _built("SQLite", sqlite, args.articles)
        bench("SQLite", sqlite, args, folder)
        if args.postgres:
            with postgres_schema(args.postgres) as url:
                _built("PostgreSQL", url, args.articles)
                bench("PostgreSQL", url, args, folder)


def holds_articles(url: str) -> bool:
    """Whether `url` holds any article (migrated to the newest schema first, as serve needs)."""
    engine = make_engine(url)
    upgrade(engine)
    with session_scope(engine) as session:
        found = bool(articles_page(session, ArticleFilters(), 0, 1))
    engine.dispose()
    return found


def _kind(url: str) -> str:
    return "SQLite" if url.startswith("sqlite") else "PostgreSQL"


def _built(name: str, url: str, count: int) -> None:
    started = time.perf_counter()
    build(url, count)
    print(f"{name}: stored {count} articles in {time.perf_counter() - started:.0f} s", flush=True)


if __name__ == "__main__":
    main()
