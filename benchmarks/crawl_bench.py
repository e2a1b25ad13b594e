"""Crawl benchmark: end-to-end pages/s of `syndicate crawl` beside `syndicate extract` alone.

    python -m benchmarks.crawl_bench [--pages 2000] [--concurrency 16] [--workers N] [--db URL]
    python -m benchmarks.crawl_bench --pages 20000 --memory-only   # does memory stay flat?

Builds a local site of at least --pages distinct articles (variants of the ~200 real
pages in tests/site and tests/fixtures), crawls it with `syndicate crawl` in a
subprocess (discovery through robots.txt, sitemap index, gzipped and news sitemaps,
feed), crawls it again unchanged, then runs `syndicate extract` (one process) on the very
same page bodies saved to files, in the same run. Prints both rates, the recrawl's, the
crawl's peak memory and its memory every 1,000 pages, and where its CPU time went.

Memory and CPU are read from /proc while the crawl runs (Linux): memory of the crawl process
alone and with its extraction workers, CPU per thread of the crawl process and per worker.
The pages count is the article pages the site served.
"""

from __future__ import annotations

import argparse
import os
import re
import subprocess
import sys
import tempfile
import threading
import time
from dataclasses import dataclass, field
from pathlib import Path

from devsite.pages import variant
from devsite.server import NewsSite, SitePage
from tests.support.site_pages import news_source, real_pages

BIN = Path(sys.executable).parent
FAST = ["--set", "AUTOTHROTTLE_ENABLED=False", "--set", "DOWNLOAD_DELAY=0"]
SAMPLE_EVERY = 1000  # pages
POLL_SECONDS = 0.2
TICKS = os.sysconf("SC_CLK_TCK")
PAGE_MB = os.sysconf("SC_PAGE_SIZE") / 2**20


def site_pages(count: int) -> list[SitePage]:
    """At least `count` distinct article pages: the real ones, then numbered variants."""
    real = real_pages()
    pages = list(real)
    number = 1
    while len(pages) < count:
        pages += [variant(page, number, page.title) for page in real]
        number += 1
    return pages


@dataclass
class Usage:
    """The crawl's processes as /proc showed them: memory by pages served, CPU per process."""

    samples: list[tuple[int, float, float]] = field(default_factory=list)  # pages, MB, MB
    peak_main: float = 0.0
    peak_all: float = 0.0
    cpu: dict[int, float] = field(default_factory=dict)  # worker pid -> CPU seconds
    threads: dict[int, float] = field(default_factory=dict)  # crawl thread id -> CPU seconds
    main_pid: int = 0

    def reactor_cpu(self) -> float:
        """The crawl's main thread: Scrapy, fetching, discovery (and in-process extraction)."""
        return self.threads.get(self.main_pid, 0.0)

    def other_threads_cpu(self) -> float:
        """The crawl's other threads: the storage writer, and pickling pages to and from
        the workers (DNS lookups too, none on 127.0.0.1)."""
        return sum(sec for tid, sec in self.threads.items() if tid != self.main_pid)

    def workers_cpu(self) -> float:
        return sum(self.cpu.values())


def _read(path: str) -> str:
    try:
        return Path(path).read_text(encoding="ascii", errors="replace")
    except OSError:  # the process ended between two reads
        return ""


def _tree(pid: int) -> list[int]:
    """`pid` and every process under it (the forkserver and its extraction workers)."""
    found, todo = [], [pid]
    while todo:
        current = todo.pop()
        found.append(current)
        for task in Path(f"/proc/{current}/task").glob("*/children"):
            todo += [int(child) for child in _read(str(task)).split()]
    return found


def _rss_mb(pid: int) -> float:
    fields = _read(f"/proc/{pid}/statm").split()
    return int(fields[1]) * PAGE_MB if len(fields) > 1 else 0.0


def _peak_mb(pid: int) -> float:
    """The process's own high-water mark (VmHWM). Not getrusage's ru_maxrss: a child
    started by exec inherits its parent's peak there, and this parent holds the whole site."""
    for line in _read(f"/proc/{pid}/status").splitlines():
        if line.startswith("VmHWM:"):
            return int(line.split()[1]) / 1024
    return 0.0


def _cpu_seconds(pid: int, tid: int | None = None) -> float | None:
    stat = _read(f"/proc/{pid}/stat" if tid is None else f"/proc/{pid}/task/{tid}/stat")
    if not stat:
        return None
    fields = stat.rsplit(")", 1)[1].split()  # after the command name, which may hold spaces
    return (int(fields[11]) + int(fields[12])) / TICKS  # utime, stime


def watch(process: subprocess.Popen[str], site: NewsSite, usage: Usage) -> None:
    """Poll until the crawl ends: RSS at every SAMPLE_EVERY pages served, peaks, CPU."""
    usage.main_pid, next_sample = process.pid, SAMPLE_EVERY
    articles = set(site.pages)
    while process.poll() is None:
        tree = _tree(process.pid)
        main, everything = _rss_mb(process.pid), sum(_rss_mb(pid) for pid in tree)
        usage.peak_main = max(usage.peak_main, _peak_mb(process.pid))
        usage.peak_all = max(usage.peak_all, everything)
        for pid in tree[1:]:
            if (seconds := _cpu_seconds(pid)) is not None:
                usage.cpu[pid] = max(usage.cpu.get(pid, 0.0), seconds)
        for task in Path(f"/proc/{process.pid}/task").glob("*"):
            if (seconds := _cpu_seconds(process.pid, int(task.name))) is not None:
                usage.threads[int(task.name)] = max(usage.threads.get(int(task.name), 0.0), seconds)
        served = sum(1 for path, status in site.requests() if status == 200 and path in articles)
        while served >= next_sample:
            usage.samples.append((next_sample, main, everything))
            next_sample += SAMPLE_EVERY
        time.sleep(POLL_SECONDS)


@dataclass
class Crawl:
    seconds: float
    summary: str
    stage_seconds: dict[str, float]
    usage: Usage


def crawl(site: NewsSite, folder: Path, db: str, args: argparse.Namespace) -> Crawl:
    """One `syndicate crawl` of the site, watched from outside."""
    (folder / "localnews.toml").write_text(news_source(site.base_url), encoding="utf-8")
    env = {**os.environ, "SYNDICATE_SOURCES_DIR": str(folder)}
    command = [str(BIN / "syndicate"), "crawl", "localnews", "--db", db, *FAST]
    command += ["--set", f"CONCURRENT_REQUESTS_PER_DOMAIN={args.concurrency}"]
    command += ["--set", f"CONCURRENT_REQUESTS={args.concurrency}", "--set", "LOG_LEVEL=INFO"]
    if args.workers is not None:
        command += ["--set", f"SYNDICATE_EXTRACT_WORKERS={args.workers}"]
    site.clear_log()
    usage = Usage()
    with tempfile.TemporaryFile("w+") as log:
        started = time.perf_counter()
        process = subprocess.Popen(command, env=env, stdout=subprocess.PIPE, stderr=log, text=True)
        watcher = threading.Thread(target=watch, args=(process, site, usage), daemon=True)
        watcher.start()
        stdout, _ = process.communicate()
        seconds = time.perf_counter() - started
        watcher.join()
        log.seek(0)
        stderr = log.read()
    if process.returncode != 0:
        sys.exit(f"crawl failed ({process.returncode}):\n{stderr[-3000:]}")
    spent = re.findall(r"'syndicate/seconds/(\w+)': ([\d.]+)", stderr)
    return Crawl(seconds, stdout.strip(), {name: float(value) for name, value in spent}, usage)


def extract_alone(site: NewsSite, folder: Path) -> tuple[float, int]:
    """Seconds `syndicate extract` takes over the same bodies the site served, and the count."""
    files = []
    for number, page in enumerate(site.pages.values()):
        status, _, body = site.respond(page.path, {})
        assert status == 200
        path = folder / f"{number:05d}.html"
        path.write_bytes(body)
        files.append(str(path))
    started = time.perf_counter()
    result = subprocess.run(
        [str(BIN / "syndicate"), "extract", *files], capture_output=True, check=False
    )
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"extract failed: {result.stderr.decode()[-3000:]}")
    return seconds, result.stdout.count(b"\n")


def shares(first: Crawl, in_process: bool) -> str:
    """Where the first crawl's CPU went, as /proc counted it per thread and process."""
    usage = first.usage
    if in_process:  # extraction ran in the main thread: its own timings tell it apart
        extract = first.stage_seconds.get("extract", 0.0)
        fetch = usage.reactor_cpu() - extract
    else:
        extract, fetch = usage.workers_cpu(), usage.reactor_cpu()
    parts = [
        ("extract (workers)", extract),
        ("store and hand-over (crawl's other threads)", usage.other_threads_cpu()),
        ("fetch and crawl (Scrapy's thread)", fetch),
    ]
    total = max(sum(seconds for _, seconds in parts), 1e-9)
    return ", ".join(f"{name} {sec:.1f} s ({100 * sec / total:.0f}%)" for name, sec in parts)


def row(label: str, pages: int, seconds: float) -> str:
    return f"{label:34}{pages:>8}{seconds:>10.1f}{pages / seconds:>10.1f}"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--workers", type=int, help="SYNDICATE_EXTRACT_WORKERS (default: cores)")
    parser.add_argument("--db", help="database URL (default: a fresh SQLite file)")
    parser.add_argument(
        "--memory-only",
        action="store_true",
        help="one crawl, memory every 1,000 pages and its growth (for --pages 20000)",
    )
    args = parser.parse_args()
    site = NewsSite(site_pages(args.pages))
    if args.memory_only:
        memory_run(site, args)
        return
    load = os.getloadavg()[0]
    with tempfile.TemporaryDirectory() as tmp, site.serve():
        folder = Path(tmp)
        db = args.db or f"sqlite:///{folder / 'bench.db'}"
        first = crawl(site, folder, db, args)
        again = crawl(site, folder, db, args)
        (folder / "pages").mkdir()
        extract_seconds, extracted = extract_alone(site, folder / "pages")
    count = len(site.pages)
    cores = len(os.sched_getaffinity(0))
    print(f"site: {count} article pages; {cores} cores; load average {load:.1f} before the run")
    print(f"first crawl: {first.summary}")
    print(f"unchanged recrawl: {again.summary}")
    inside = ", ".join(f"{name} {value:.1f} s" for name, value in first.stage_seconds.items())
    print(f"  per-page wall time, summed (workers and writer overlap): {inside}")
    print(f"  CPU time of the first crawl: {shares(first, args.workers == 0)}")
    print(f"{'':34}{'pages':>8}{'seconds':>10}{'pages/s':>10}")
    print(row("syndicate crawl (end to end)", count, first.seconds))
    print(row("syndicate extract alone (1 proc)", extracted, extract_seconds))
    print(row("unchanged recrawl", count, again.seconds))
    rate, alone = count / first.seconds, extracted / extract_seconds
    print(
        f"crawl / extract alone: {rate / alone:.2f}x; recrawl / crawl: {first.seconds / again.seconds:.1f}x"
    )
    print(
        f"peak memory: crawl process {first.usage.peak_main:.0f} MB (VmHWM); crawl process "
        f"with its extraction workers {first.usage.peak_all:.0f} MB (largest sampled RSS sum)"
    )
    print("memory by article pages served (crawl process / with workers):")
    for pages, main_mb, all_mb in first.usage.samples:
        print(f"  {pages:>7} pages: {main_mb:6.0f} MB / {all_mb:6.0f} MB")


def memory_run(site: NewsSite, args: argparse.Namespace) -> None:
    """The first crawl only: does memory stay flat as pages go by? (Peak RSS from page 5,000
    to the end, of the crawl process and of it with its extraction workers.)"""
    with tempfile.TemporaryDirectory() as tmp, site.serve():
        folder = Path(tmp)
        first = crawl(site, folder, args.db or f"sqlite:///{folder / 'bench.db'}", args)
    print(f"first crawl: {first.summary}")
    print("memory by article pages served (crawl process / with workers):")
    for pages, main_mb, all_mb in first.usage.samples:
        print(f"  {pages:>7} pages: {main_mb:6.0f} MB / {all_mb:6.0f} MB")
    later = [(main, every) for pages, main, every in first.usage.samples if pages >= 5000]
    if later:
        (main_5k, all_5k), (main_end, all_end) = later[0], later[-1]
        print(
            f"growth from 5,000 pages to the end: crawl process {main_5k:.0f} -> {main_end:.0f} MB "
            f"({100 * (main_end / main_5k - 1):+.1f}%), with workers {all_5k:.0f} -> {all_end:.0f} MB "
            f"({100 * (all_end / all_5k - 1):+.1f}%); peak {first.usage.peak_main:.0f} MB (VmHWM)"
        )


if __name__ == "__main__":
    main()
