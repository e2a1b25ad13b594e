"""Distributed crawling benchmark: pages/s of 1, 2 and 4 crawl processes sharing one Redis,
against one local site answering every request in 200 ms, without and with a global cap.

    python -m benchmarks.distributed_bench [--articles 40] [--latency 0.2] [--cap 4]

Each process is `syndicate crawl` of its own source file for the same site (into its own
SQLite file), holding at most 2 requests in flight (CONCURRENT_REQUESTS=2). The source's
concurrency, which the Redis limiter holds across all processes together, is 32 (no cap)
or --cap. Throughput should grow with processes until the cap and then hold at it
(cap / latency pages/s). The rate is measured at the site, from its first answer to its
last, so process start-up is left out. The pages are small, so what is measured is fetching
under the shared politeness budget, not extraction (`benchmarks.crawl_bench` measures that).
The `syndicate worker` command (several processes on ONE source's run) is not built yet;
separate sources of one host share the host's budget the same way.

Starts its own redis-server on a free loopback port (no persistence); nothing else is used.
"""

from __future__ import annotations

import argparse
import os
import shutil
import socket
import subprocess
import sys
import tempfile
import time
from datetime import UTC, datetime
from pathlib import Path

from devsite.server import SitePage
from tests.support.site_pages import EL_COMERCIO_LISTINGS, el_comercio_source
from tests.support.slow_site import SlowSite

SYNDICATE = str(Path(sys.executable).parent / "syndicate")
PER_PROCESS = 2  # CONCURRENT_REQUESTS of each crawl process
NO_CAP = 32  # the highest [crawl] concurrency a source file may set
PROCESSES = (1, 2, 4)


def small_pages(count: int) -> list[SitePage]:
    """`count` tiny article pages (they are dropped as too short: only fetching is measured)."""
    modified = datetime(2024, 1, 1, tzinfo=UTC)
    body = b"<html><head><title>Bench</title></head><body><p>Short.</p></body></html>"
    return [SitePage(f"/politica/bench-{n}-noticia/", body, modified) for n in range(count)]


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


def measure(processes: int, cap: int, args: argparse.Namespace, redis: str, work: Path) -> float:
    """Pages/s the site served to `processes` crawls together under the global `cap`."""
    site = SlowSite(small_pages(args.articles), args.latency, listings=EL_COMERCIO_LISTINGS)
    run = work / f"p{processes}-c{cap}"
    sources = run / "sources"
    sources.mkdir(parents=True)
    settings = {
        "AUTOTHROTTLE_ENABLED": "False",
        "DOWNLOAD_DELAY": "0",
        "CONCURRENT_REQUESTS": str(PER_PROCESS),
        "CONCURRENT_REQUESTS_PER_DOMAIN": str(cap),
        "SYNDICATE_EXTRACT_WORKERS": "0",
    }
    options = [item for name, value in settings.items() for item in ("--set", f"{name}={value}")]
    env = {**os.environ, "SYNDICATE_SOURCES_DIR": str(sources), "SYNDICATE_REDIS_URL": redis}
    with site.serve():
        keys = [f"bench-{n}" for n in range(processes)]
        for key in keys:
            (sources / f"{key}.toml").write_text(el_comercio_source(site.base_url, key))
        crawls = [
            subprocess.Popen(
                [SYNDICATE, "crawl", key, "--db", f"sqlite:///{run / key}.db", *options],
                env=env,
                stdout=subprocess.DEVNULL,
                stderr=subprocess.PIPE,
                text=True,
            )
            for key in keys
        ]
        for crawl in crawls:
            _out, err = crawl.communicate(timeout=1800)
            if crawl.returncode != 0:
                sys.exit(f"distributed_bench: a crawl failed:\n{err[-2000:]}")
    print(
        f"  {processes} process(es): {site.rate():6.1f} pages/s"
        f"  (peak {site.peak} in flight, {len(site.answered)} requests)"
    )
    return site.rate()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=40, help="article pages per source")
    parser.add_argument("--latency", type=float, default=0.2, help="seconds per request")
    parser.add_argument("--cap", type=int, default=4, help="the capped source's concurrency")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="distributed-bench-") as folder:
        redis, server = start_redis(Path(folder))
        try:
            for cap, label in ((NO_CAP, "no cap"), (args.cap, f"global cap {args.cap}")):
                ceiling = min(cap, max(PROCESSES) * PER_PROCESS) / args.latency
                print(f"{label} (at most {ceiling:.0f} pages/s at {args.latency * 1000:.0f} ms):")
                for processes in PROCESSES:
                    measure(processes, cap, args, redis, Path(folder))
        finally:
            server.kill()
            server.wait(timeout=10)


if __name__ == "__main__":
    main()
