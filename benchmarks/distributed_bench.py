"""Distributed crawling benchmark: one source's run worked by 1, 2 and 4 processes.

Pages/s of `syndicate crawl KEY` plus N-1 `syndicate worker KEY` on ONE run, against one
local site answering every request in 200 ms, without and with a global cap.

    python -m benchmarks.distributed_bench [--articles 80] [--latency 0.2] [--cap 4] [--db URL]

The workers start first (they poll Redis for runs), then the crawl, which owns the run: it
seeds the shared Redis queue from discovery and works on it too; the workers take requests
from it and add their counts to the run's one `crawl_runs` row. Each process holds at most 2
requests in flight (CONCURRENT_REQUESTS=2); the source's `[crawl] concurrency`, which the
Redis limiter holds across all processes together, is 32 (no cap) or --cap. Throughput should
grow with processes until the cap and then hold at it (cap / latency pages/s). The rate is
measured at the site, from its first answer to its last, so process start-up is left out
(the workers' joining is not). The pages are small articles, so what is measured is fetching
under the shared politeness budget, not extraction (`benchmarks.crawl_bench` measures that).
Each case checks that the run row counts every article once and every article is stored once.

All processes of a case share one database: a fresh schema of the PostgreSQL database given
by --db or TEST_DATABASE_URL, else one SQLite file (WAL). Starts its own redis-server on a
free loopback port (no persistence). Exit codes: 0 every check passed; 1 a process failed or
a check did not hold; 2 bad arguments.
"""

from __future__ import annotations

import argparse
import os
import random
import shutil
import signal
import socket
import subprocess
import sys
import tempfile
import time
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

import redis
from sqlalchemy import text

from devsite.server import SitePage
from storage.database import make_engine, session_scope
from storage.runs import list_runs
from tests.support.databases import postgres_schema
from tests.support.site_pages import EL_COMERCIO_LISTINGS, el_comercio_source
from tests.support.slow_site import SlowSite

SYNDICATE = str(Path(sys.executable).parent / "syndicate")
PER_PROCESS = 2  # CONCURRENT_REQUESTS of each process
NO_CAP = 32  # the highest [crawl] concurrency a source file may set
PROCESSES = (1, 2, 4)
# Long enough never to end a worker before the crawl posts its run; the bench stops each
# worker itself (SIGTERM) once it has said it left the run.
IDLE_SECONDS = "300"
# Plain SQL: only storage uses the ORM rows (the import contracts).
COPIES = text("SELECT url, COUNT(*) FROM articles GROUP BY url")
PROSE = (
    "el congreso aprobó hoy una reforma que cambia la forma en que se eligen los jueces del "
    "país según informaron fuentes oficiales durante la sesión de la tarde mientras la "
    "oposición pidió más tiempo para revisar el texto y los gremios anunciaron protestas"
)


@dataclass(frozen=True, slots=True)
class Case:
    """What one case measured and what it found stored."""

    rate: float
    peak: int
    requests: int
    status: str
    run_pages: int
    stored: int
    most_copies: int
    shares: list[int | None]  # each worker's pages (None: it never joined the run)
    ready: float  # seconds until the workers were polling Redis
    wall: float  # seconds the crawl process ran
    total: float  # seconds the whole case took, workers' start and stop included


def small_pages(count: int) -> list[SitePage]:
    """`count` small distinct articles: stored, but cheap to extract (fetching is measured)."""
    modified = datetime(2024, 1, 1, tzinfo=UTC)
    pages = []
    for n in range(count):
        words = random.Random(n).choices(PROSE.split(), k=60)
        text = "".join(f"<p>{' '.join(words[i : i + 20])}.</p>" for i in range(0, 60, 20))
        title = f"Reforma judicial, nota {n}"
        body = (
            f'<html lang="es"><head><meta charset="utf-8"><title>{title}</title>'
            '<meta property="article:published_time" content="2024-01-01T10:00:00Z">'
            f"</head><body><article><h1>{title}</h1>{text}</article></body></html>"
        )
        pages.append(SitePage(f"/politica/bench-{n}-noticia/", body.encode(), modified, title))
    return pages


def start_redis(folder: Path) -> tuple[str, subprocess.Popen[bytes]]:
    server = shutil.which("redis-server")
    if server is None:
        sys.exit("distributed_bench: redis-server is not installed")
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = int(probe.getsockname()[1])
    args = [server, "--port", str(port), "--bind", "127.0.0.1", "--save", "", "--appendonly", "no"]
    process = subprocess.Popen(args, cwd=folder, stdout=subprocess.DEVNULL)
    for _ in range(200):
        try:
            socket.create_connection(("127.0.0.1", port), timeout=0.5).close()
            break
        except OSError:
            time.sleep(0.05)
    return f"redis://127.0.0.1:{port}/0", process


@contextmanager
def case_database(postgres: str | None, folder: Path) -> Iterator[str]:
    """A fresh database for one case: a PostgreSQL schema of its own, else a SQLite file."""
    if postgres:
        with postgres_schema(postgres) as url:
            yield url
    else:
        yield f"sqlite:///{folder / 'crawl.db'}"


def source_file(base: str, key: str, concurrency: int) -> str:
    """The El Comercio source file pointed at the local site, with the given concurrency."""
    text = el_comercio_source(base, key)
    for line, value in (
        ("concurrency = 2", f"concurrency = {concurrency}"),
        ("delay = 1.0", "delay = 0"),
    ):
        if line not in text:
            sys.exit(f"distributed_bench: elcomercio.toml: no `{line}` line to change")
        text = text.replace(line, value)
    return text


def wait_for_clients(redis_url: str, count: int, timeout: float = 120) -> None:
    """Until `count` other clients are connected: the workers are up and polling for runs."""
    server = redis.Redis.from_url(redis_url)
    try:
        deadline = time.monotonic() + timeout
        while len(server.client_list()) - 1 < count and time.monotonic() < deadline:
            time.sleep(0.1)
    finally:
        server.close()


def left_line(out: Path, process: subprocess.Popen[bytes], timeout: float) -> str | None:
    """The worker's "left run" line, once it has written it (None if it never does)."""
    deadline = time.monotonic() + timeout
    while time.monotonic() < deadline and process.poll() is None:
        for line in out.read_text(encoding="utf-8").splitlines():
            if ": left run " in line:
                return line
        time.sleep(0.1)
    lines = [ln for ln in out.read_text(encoding="utf-8").splitlines() if ": left run " in ln]
    return lines[0] if lines else None


def leave(folder: Path, name: str, worker: subprocess.Popen[bytes]) -> int | None:
    """Stop a worker once it has left the run; its pages (None if it never joined)."""
    line = left_line(folder / f"{name}.out", worker, timeout=60)
    worker.send_signal(signal.SIGTERM)
    if worker.wait(timeout=60) != 0:
        raise BenchError(f"{name} failed (logs in {folder}):\n{tail(folder / f'{name}.err')}")
    return int(line.split("pages=")[1].split()[0]) if line else None


def tail(path: Path) -> str:
    return path.read_text(encoding="utf-8", errors="replace")[-3000:]


class BenchError(Exception):
    """A process of a case failed; the message names it and ends with its log."""


def measure(processes: int, cap: int, args: argparse.Namespace, redis_url: str, work: Path) -> Case:
    """One run of one source by the crawl and `processes - 1` workers under the global `cap`."""
    opened = time.monotonic()
    site = SlowSite(small_pages(args.articles), args.latency, listings=EL_COMERCIO_LISTINGS)
    key = f"bench-p{processes}-c{cap}"
    folder = work / key
    sources = folder / "sources"
    sources.mkdir(parents=True)
    settings = {
        "AUTOTHROTTLE_ENABLED": "False",
        "DOWNLOAD_DELAY": "0",
        "CONCURRENT_REQUESTS": str(PER_PROCESS),
        "SYNDICATE_EXTRACT_WORKERS": "0",
    }
    options = [item for name, value in settings.items() for item in ("--set", f"{name}={value}")]
    env = {
        **os.environ,
        "SYNDICATE_SOURCES_DIR": str(sources),
        "SYNDICATE_REDIS_URL": redis_url,
        "PYTHONUNBUFFERED": "1",
    }

    def start(name: str, command: list[str], db: str) -> subprocess.Popen[bytes]:
        with (folder / f"{name}.out").open("wb") as out, (folder / f"{name}.err").open("wb") as err:
            return subprocess.Popen(
                [SYNDICATE, *command, "--db", db, *options], env=env, stdout=out, stderr=err
            )

    with case_database(args.db, folder) as db, site.serve():
        (sources / f"{key}.toml").write_text(source_file(site.base_url, key, cap), encoding="utf-8")
        names = [f"worker{n}" for n in range(1, processes)]
        workers = [
            start(name, ["worker", key, "--exit-when-idle", IDLE_SECONDS], db) for name in names
        ]
        try:
            began = time.monotonic()
            wait_for_clients(redis_url, len(workers))
            ready = time.monotonic() - began
            owner = start("crawl", ["crawl", key], db)
            if owner.wait(timeout=1800) != 0:
                raise BenchError(
                    f"the crawl failed (logs in {folder}):\n{tail(folder / 'crawl.err')}"
                )
            wall = time.monotonic() - began - ready
            shares = [
                leave(folder, name, worker) for name, worker in zip(names, workers, strict=True)
            ]
        finally:
            for worker in workers:
                if worker.poll() is None:
                    worker.kill()
                    worker.wait(timeout=30)
        urls = {site.url(path) for path in site.pages}
        status, run_pages, stored, most = stored_counts(db, key, urls)
    rate = site.rate()
    total = time.monotonic() - opened
    found = (status, run_pages, stored, most)
    return Case(rate, site.peak, len(site.answered), *found, shares, ready, wall, total)


def stored_counts(db: str, key: str, urls: set[str]) -> tuple[str, int, int, int]:
    """The run's status and pages (its one row), how many of `urls` are stored, and the most
    copies of one stored URL."""
    engine = make_engine(db)
    try:
        with session_scope(engine) as session:
            runs = list_runs(session, key)
            copies = {str(url): int(n) for url, n in session.execute(COPIES)}
    finally:
        engine.dispose()
    stored = len(urls & set(copies))
    most = max(copies.values(), default=0)
    if len(runs) != 1:
        return f"{len(runs)} run rows", sum(r.counts["pages"] for r in runs), stored, most
    return runs[0].status, runs[0].counts["pages"], stored, most


def problems(case: Case, articles: int, ceiling: int) -> list[str]:
    """What does not hold: at most `ceiling` in flight, one finished run counting every
    article, each stored once."""
    found = []
    if case.peak > ceiling:
        found.append(f"peak {case.peak} in flight > {ceiling}")
    if case.status != "finished":
        found.append(f"run {case.status}")
    if case.run_pages != articles:
        found.append(f"run pages {case.run_pages} != {articles} articles")
    if case.stored != articles:
        found.append(f"{case.stored} of {articles} articles stored")
    if case.most_copies != 1:
        found.append(f"an article stored {case.most_copies} times")
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=80, help="article pages of the site")
    parser.add_argument("--latency", type=float, default=0.2, help="seconds per request")
    parser.add_argument("--cap", type=int, default=4, help="the capped source's concurrency")
    parser.add_argument(
        "--db",
        default=os.environ.get("TEST_DATABASE_URL"),
        help="PostgreSQL URL, a fresh schema per case (default TEST_DATABASE_URL; else SQLite)",
    )
    parser.add_argument(
        "--processes", type=int, nargs="+", default=list(PROCESSES), help="cases to run"
    )
    args = parser.parse_args()
    if args.articles < 1 or args.latency <= 0 or not 1 <= args.cap <= NO_CAP:
        parser.error(f"--articles must be >= 1, --latency > 0, --cap 1..{NO_CAP}")
    if any(n < 1 for n in args.processes):
        parser.error("--processes must be >= 1")
    print(
        f"database: {'PostgreSQL, a schema per case' if args.db else 'SQLite (WAL), a file per case'}"
    )
    failed = False
    results: dict[int, list[Case]] = {n: [] for n in args.processes}
    folder = tempfile.mkdtemp(prefix="distributed-bench-")
    redis_url, server = start_redis(Path(folder))
    try:
        for cap, label in ((NO_CAP, "no cap"), (args.cap, f"global cap {args.cap}")):
            ceiling = min(cap, max(args.processes) * PER_PROCESS) / args.latency
            print(f"{label} (at most {ceiling:.0f} pages/s at {args.latency * 1000:.0f} ms):")
            for processes in args.processes:
                case = measure(processes, cap, args, redis_url, Path(folder))
                wrong = problems(case, args.articles, min(cap, processes * PER_PROCESS))
                failed |= bool(wrong)
                shares = ", ".join("not joined" if n is None else str(n) for n in case.shares)
                print(
                    f"  {processes} process(es): {case.rate:6.1f} pages/s"
                    f"  (peak {case.peak} in flight, {case.requests} requests)"
                    f"  run {case.status}, pages={case.run_pages},"
                    f" stored {case.stored}, copies<={case.most_copies}:"
                    f" {'ok' if not wrong else 'WRONG: ' + ', '.join(wrong)}"
                    f"  [workers' pages: {shares or '-'}; workers up {case.ready:.1f} s,"
                    f" crawl ran {case.wall:.1f} s, case {case.total:.1f} s]",
                    flush=True,
                )
                results[processes].append(case)
    except BenchError as failure:
        sys.exit(f"distributed_bench: {failure}")
    finally:
        server.kill()
        server.wait(timeout=10)
    shutil.rmtree(folder, ignore_errors=True)
    print(
        f"\n| processes | no cap: pages/s, peak in flight | cap {args.cap}: pages/s, peak in flight |"
    )
    print("|---|---|---|")
    for n, (free, capped) in results.items():
        print(f"| {n} | {free.rate:.1f}, {free.peak} | {capped.rate:.1f}, {capped.peak} |")
    if failed:
        sys.exit(1)


if __name__ == "__main__":
    main()
