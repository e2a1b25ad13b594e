"""Where extraction time goes: a profile of `extractors.extract` over the AEB pages.

    python -m benchmarks.profile_extract [--pages tests/site/aeb/html] [--top 25]

Every page is extracted once as a warm-up (imports, caches, dateparser locales), then once
under cProfile. Prints the CPU time of our extraction beside trafilatura alone on the same
pages (pages per CPU-second, measured in this run, outside the profiler), the time by
package (trafilatura, lxml, our own modules, htmldate, …: functions' own time), and the top
functions by own time and by cumulative time.
"""

from __future__ import annotations

import argparse
import cProfile
import json
import pstats
import time
from collections import defaultdict
from pathlib import Path

from tests.support.contenders import load_pages, ours, trafilatura_alone
from tests.support.paths import AEB


def package_of(filename: str) -> str:
    """A readable owner for a profiled function's file: a site-package, or our module."""
    path = Path(filename)
    parts = path.parts
    if "site-packages" in parts:
        return parts[parts.index("site-packages") + 1].removesuffix(".py")
    if "extractors" in parts:
        return "extractors." + path.stem
    if filename.startswith("<") or filename == "~":
        return "builtins"
    return "python (" + path.stem + ")"


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--pages", type=Path, default=AEB / "html")
    parser.add_argument("--truth", type=Path, default=AEB / "ground-truth.json")
    parser.add_argument("--top", type=int, default=25)
    args = parser.parse_args()
    truth = json.loads(args.truth.read_text(encoding="utf-8"))
    pages = load_pages(args.pages, truth)
    for _, url, html in pages:  # warm-up
        ours(html, url)
        trafilatura_alone(html, url)
    cpu = {"syndicate": 0.0, "trafilatura": 0.0}
    for index, (_, url, html) in enumerate(pages):  # alternating order, same load for both
        order = [("syndicate", ours), ("trafilatura", trafilatura_alone)]
        for name, run in order if index % 2 else reversed(order):
            start = time.process_time()
            run(html, url)
            cpu[name] += time.process_time() - start
    print(f"{len(pages)} pages, CPU time (pages per CPU-second):")
    for name, seconds in cpu.items():
        print(f"  {name:<12} {seconds:7.2f} s  {len(pages) / seconds:6.1f} pages/s")
    print(f"  ratio        {cpu['trafilatura'] / cpu['syndicate']:.2f}x trafilatura's speed\n")

    profiler = cProfile.Profile()
    profiler.enable()
    for _, url, html in pages:
        ours(html, url)
    profiler.disable()
    stats = pstats.Stats(profiler)
    raw = stats.stats  # type: ignore[attr-defined]  # pstats keeps its table here
    by_package: dict[str, float] = defaultdict(float)
    total = 0.0
    for (filename, _line, _name), (_cc, _nc, own, _cum, _callers) in raw.items():
        by_package[package_of(filename)] += own
        total += own
    print(f"own time by package (profiled total {total:.2f} s):")
    for package, seconds in sorted(by_package.items(), key=lambda kv: -kv[1])[: args.top]:
        print(f"  {package:<34} {seconds:7.2f} s  {100 * seconds / total:5.1f}%")
    for key, title in (("tottime", "own time"), ("cumulative", "cumulative time")):
        print(f"\ntop {args.top} functions by {title}:")
        stats.sort_stats(key).print_stats(args.top)


if __name__ == "__main__":
    main()
