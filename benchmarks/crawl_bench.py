"""Crawl benchmark: end-to-end pages/s of `syndicate crawl` beside `syndicate extract` alone.

    python -m benchmarks.crawl_bench [--pages 2000] [--concurrency 16] [--db URL]

Builds a local site of at least --pages distinct articles (variants of the ~200 real
pages in tests/site and tests/fixtures), crawls it with `syndicate crawl` in a
subprocess (discovery through robots.txt, sitemap index, gzipped and news sitemaps,
feed), then runs `syndicate extract` on the very same page bodies saved to files, in
the same run, and prints both rates and the crawl's peak memory (max RSS).
"""

from __future__ import annotations

import argparse
import os
import re
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

from devsite.pages import variant
from devsite.server import NewsSite, SitePage
from tests.support.site_pages import news_source, real_pages

BIN = Path(sys.executable).parent
FAST = ["--set", "AUTOTHROTTLE_ENABLED=False", "--set", "DOWNLOAD_DELAY=0"]


def site_pages(count: int) -> list[SitePage]:
    """At least `count` distinct article pages: the real ones, then numbered variants."""
    real = real_pages()
    pages = list(real)
    number = 1
    while len(pages) < count:
        pages += [variant(page, number, page.title) for page in real]
        number += 1
    return pages


def crawl(site: NewsSite, folder: Path, db: str, concurrency: int) -> tuple[float, str]:
    """Seconds the crawl took and its summary line."""
    (folder / "localnews.toml").write_text(news_source(site.base_url), encoding="utf-8")
    env = {**os.environ, "SYNDICATE_SOURCES_DIR": str(folder)}
    command = [str(BIN / "syndicate"), "crawl", "localnews", "--db", db, *FAST]
    command += ["--set", f"CONCURRENT_REQUESTS_PER_DOMAIN={concurrency}"]
    command += ["--set", f"CONCURRENT_REQUESTS={concurrency}", "--set", "LOG_LEVEL=INFO"]
    started = time.perf_counter()
    result = subprocess.run(command, env=env, capture_output=True, text=True, check=False)
    seconds = time.perf_counter() - started
    if result.returncode != 0:
        sys.exit(f"crawl failed ({result.returncode}):\n{result.stderr[-3000:]}")
    spent = dict(re.findall(r"'syndicate/seconds/(\w+)': ([\d.]+)", result.stderr))
    inside = ", ".join(f"{name} {float(value):.1f} s" for name, value in spent.items())
    return seconds, f"{result.stdout.strip()}\n  time inside the store pipeline: {inside}"


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--pages", type=int, default=2000)
    parser.add_argument("--concurrency", type=int, default=16)
    parser.add_argument("--db", help="database URL (default: a fresh SQLite file)")
    args = parser.parse_args()
    site = NewsSite(site_pages(args.pages))
    with tempfile.TemporaryDirectory() as tmp, site.serve():
        folder = Path(tmp)
        db = args.db or f"sqlite:///{folder / 'bench.db'}"
        crawl_seconds, summary = crawl(site, folder, db, args.concurrency)
        peak_mb = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss / 1024
        (folder / "pages").mkdir()
        extract_seconds, extracted = extract_alone(site, folder / "pages")
    count = len(site.pages)
    print(f"site: {count} article pages; crawl: {summary}")
    print(f"{'':28}{'pages':>8}{'seconds':>10}{'pages/s':>10}")
    print(
        f"{'syndicate crawl (end to end)':28}{count:>8}{crawl_seconds:>10.1f}{count / crawl_seconds:>10.1f}"
    )
    print(
        f"{'syndicate extract alone':28}{extracted:>8}{extract_seconds:>10.1f}{extracted / extract_seconds:>10.1f}"
    )
    print(f"peak memory of the crawl (max RSS): {peak_mb:.0f} MB")


if __name__ == "__main__":
    main()
