"""Extraction benchmark: our F1 and pages/s beside trafilatura alone, measured in the same run.

    python -m benchmarks.extract_bench [--pages ../shared/bench/aeb/html]
        [--truth ../shared/bench/aeb/ground-truth.json] [--scorer ../shared/bench/score.py]

Writes JSON Lines predictions to --out (default bench-out/) and prints the scorer's table
(precision, recall, F1) plus a throughput table. Each extractor runs over all pages once
as a warm-up and once timed, page by page in alternating order, so both see the same
machine load. Time is this process's CPU time (pages per CPU-second), which other
processes on a shared machine disturb far less than wall-clock time.
"""

from __future__ import annotations

import argparse
import gzip
import json
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import trafilatura

from extractors import ExtractionError
from extractors.extract import extract

SHARED = Path(__file__).resolve().parents[2] / "shared" / "bench"
Extractor = Callable[[bytes, str], str]


def ours(html: bytes, url: str) -> str:
    try:
        return extract(html, url).text
    except ExtractionError:
        return ""


def trafilatura_alone(html: bytes, url: str) -> str:
    return trafilatura.extract(html, url=url) or ""


def load_pages(pages: Path, truth: dict[str, dict[str, str]]) -> list[tuple[str, str, bytes]]:
    loaded = []
    for path in sorted(pages.glob("*.html*")):
        page_id = path.name.split(".html")[0]
        raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
        loaded.append((page_id, truth.get(page_id, {}).get("url", ""), raw))
    return loaded


def run_interleaved(
    contenders: dict[str, Extractor], pages: list[tuple[str, str, bytes]]
) -> tuple[dict[str, list[dict[str, str]]], dict[str, float]]:
    """Each page goes through every extractor back to back, so machine noise hits all alike."""
    predictions: dict[str, list[dict[str, str]]] = {name: [] for name in contenders}
    seconds = dict.fromkeys(contenders, 0.0)
    for index, (page_id, url, html) in enumerate(pages):
        order = list(contenders.items())
        for name, extractor in order if index % 2 else reversed(order):
            start = time.process_time()
            text = extractor(html, url)
            seconds[name] += time.process_time() - start
            predictions[name].append({"id": page_id, "text": text})
    return predictions, seconds


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--pages", type=Path, default=SHARED / "aeb" / "html")
    parser.add_argument("--truth", type=Path, default=SHARED / "aeb" / "ground-truth.json")
    parser.add_argument("--scorer", type=Path, default=SHARED / "score.py")
    parser.add_argument("--out", type=Path, default=Path("bench-out"))
    args = parser.parse_args()
    truth = json.loads(args.truth.read_text(encoding="utf-8"))
    pages = load_pages(args.pages, truth)
    args.out.mkdir(parents=True, exist_ok=True)
    contenders: dict[str, Extractor] = {"syndicate": ours, "trafilatura": trafilatura_alone}
    run_interleaved(contenders, pages)  # warm-up: imports, caches, dateparser locales
    predictions, timings = run_interleaved(contenders, pages)
    for name, rows in predictions.items():
        with (args.out / f"{name}.jsonl").open("w", encoding="utf-8") as handle:
            handle.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
    preds = [arg for name in contenders for arg in ("--pred", str(args.out / f"{name}.jsonl"))]
    subprocess.run(
        [sys.executable, str(args.scorer), "--truth", str(args.truth), *preds], check=True
    )
    print(f"\n{'extractor':<14}{'pages':>7}{'CPU s':>10}{'pages/s':>10}{'relative':>10}")
    for name, seconds in timings.items():
        rate = len(pages) / seconds
        relative = timings["trafilatura"] / seconds
        print(f"{name:<14}{len(pages):>7}{seconds:>10.2f}{rate:>10.1f}{relative:>9.2f}x")


if __name__ == "__main__":
    main()
