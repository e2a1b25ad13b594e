"""Held-out benchmark: our extractor beside trafilatura alone on pages we never tuned on.

    python -m benchmarks.heldout_bench [--pages benchmarks/heldout] [--worse]

The pages and their gold snippets come from public extraction benchmarks other than
the AEB set (see benchmarks/heldout/README.md). Scoring follows trafilatura's own
evaluation convention: a "with" snippet found in the text is a true positive (missing:
false negative), a "without" snippet found is a false positive (absent: true negative).
Text and snippets are whitespace-normalised before matching. Both extractors run page
by page in alternating order (tests.support.contenders.run_interleaved), once as a
warm-up and once timed.
"""

from __future__ import annotations

import argparse
from pathlib import Path

from tests.support.heldout import GROUPS, Page, Result, evaluate, load_pages, normalise
from tests.support.paths import HELDOUT


def print_table(results: dict[str, Result]) -> None:
    head = f"{'extractor':<13}{'group':<7}{'pages':>6}{'prec':>8}{'recall':>8}{'F1':>8}{'acc':>8}{'pages/s':>9}"
    print(head)
    for group in ("all", *GROUPS):
        for name, result in results.items():
            counts = result.overall if group == "all" else result.groups[group]
            rate = counts.pages / counts.seconds if counts.seconds else 0.0
            print(
                f"{name:<13}{group:<7}{counts.pages:>6}{counts.precision:>8.3f}"
                f"{counts.recall:>8.3f}{counts.f1:>8.3f}{counts.accuracy:>8.3f}{rate:>9.1f}"
            )


def print_worse(pages: list[Page], results: dict[str, Result]) -> None:
    """Pages where we get fewer snippet decisions right than trafilatura, and which ones."""
    mine, theirs = results["ours"], results["trafilatura"]
    worse = 0
    for page in pages:
        a, b = mine.per_page[page.name], theirs.per_page[page.name]
        if a.tp + a.tn >= b.tp + b.tn:
            continue
        worse += 1
        print(
            f"\n{page.name} ({page.language}) ours tp={a.tp} fp={a.fp}, trafilatura tp={b.tp} fp={b.fp}"
        )
        ours_text, their_text = normalise(mine.texts[page.name]), normalise(theirs.texts[page.name])
        for snippet in page.with_:
            if snippet in their_text and snippet not in ours_text:
                print(f"  missed (trafilatura keeps it): {snippet!r}")
        for snippet in page.without:
            if snippet in ours_text and snippet not in their_text:
                print(f"  leaked (trafilatura drops it): {snippet!r}")
    print(f"\npages where ours is worse than trafilatura: {worse} of {len(pages)}")
    for page in pages:
        a = mine.per_page[page.name]
        if a.fp or a.fn:
            print(f"  ours not perfect on {page.name}: fn={a.fn} fp={a.fp}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--pages", type=Path, default=HELDOUT)
    parser.add_argument("--worse", action="store_true", help="list pages where we lose")
    args = parser.parse_args()
    pages = load_pages(args.pages)
    results = evaluate(pages)
    print_table(results)
    if args.worse:
        print_worse(pages, results)


if __name__ == "__main__":
    main()
