"""Extraction benchmark: our F1 and pages/s beside trafilatura alone, measured in the same run.

    python -m benchmarks.extract_bench [--pages tests/site/aeb/html]
        [--truth tests/site/aeb/ground-truth.json] [--scorer PATH/score.py]

Runs on the AEB pages kept in the repository and scores them with the benchmark's own
method (tests/support/scoring.py). `--scorer` also runs an external copy of the benchmark's
score.py on the same predictions. Writes JSON Lines predictions to --out (default
bench-out/) and prints precision, recall, F1 and a throughput table. Each extractor runs
over all pages once as a warm-up and once timed, page by page in alternating order, so
both see the same machine load. Time is this process's CPU time (pages per CPU-second),
which other processes on a shared machine disturb far less than wall-clock time.
"""

from __future__ import annotations

import argparse
import json
import subprocess
import sys
from pathlib import Path

from tests.support.contenders import (
    Extractor,
    load_pages,
    ours,
    run_interleaved,
    trafilatura_alone,
)
from tests.support.paths import AEB
from tests.support.scoring import score


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--pages", type=Path, default=AEB / "html")
    parser.add_argument("--truth", type=Path, default=AEB / "ground-truth.json")
    parser.add_argument("--scorer", type=Path, help="also run this copy of AEB's score.py")
    parser.add_argument("--out", type=Path, default=Path("bench-out"))
    args = parser.parse_args()
    truth = json.loads(args.truth.read_text(encoding="utf-8"))
    pages = load_pages(args.pages, truth)
    args.out.mkdir(parents=True, exist_ok=True)
    contenders: dict[str, Extractor] = {"syndicate": ours, "trafilatura": trafilatura_alone}
    run_interleaved(contenders, pages)  # warm-up: imports, caches, dateparser locales
    predictions, timings = run_interleaved(contenders, pages)
    gold = {page_id: item["articleBody"] for page_id, item in truth.items()}
    print(f"{'extractor':<14}{'precision':>10}{'recall':>10}{'F1':>10}")
    for name, rows in predictions.items():
        with (args.out / f"{name}.jsonl").open("w", encoding="utf-8") as handle:
            handle.writelines(json.dumps(row, ensure_ascii=False) + "\n" for row in rows)
        result = score(gold, {row["id"]: row["text"] for row in rows})
        print(f"{name:<14}{result.precision:>10.4f}{result.recall:>10.4f}{result.f1:>10.4f}")
    if args.scorer is not None:
        preds = [arg for name in contenders for arg in ("--pred", str(args.out / f"{name}.jsonl"))]
        command = [sys.executable, str(args.scorer), "--truth", str(args.truth), *preds]
        subprocess.run(command, check=True)
    print(f"\n{'extractor':<14}{'pages':>7}{'CPU s':>10}{'pages/s':>10}{'relative':>10}")
    for name, seconds in timings.items():
        rate = len(pages) / seconds
        relative = timings["trafilatura"] / seconds
        print(f"{name:<14}{len(pages):>7}{seconds:>10.2f}{rate:>10.1f}{relative:>9.2f}x")


if __name__ == "__main__":
    main()
