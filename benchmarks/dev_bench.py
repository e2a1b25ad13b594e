"""Development-set benchmark: ours beside trafilatura (default and precision) and readability-lxml.

    python -m benchmarks.dev_bench [--language LANG] [--source OWNER/NAME] [--out DIR]

Runs every extractor on every page of benchmarks/devset (see its README), page by page in
alternating order so machine noise hits all alike, and prints in the same run:

- pages with a full gold text: precision, recall and F1 of word 4-grams, the AEB method
  (tests/support/scoring.py), overall, per language and per source project;
- pages with gold snippets: precision, recall and F1 of snippet decisions (a must snippet
  found is a true positive, a must-not snippet found a false positive), same groups;
- titles (exact), authors (same names) and dates (same day) against the gold, for ours and
  for trafilatura's metadata (`trafilatura.extract_metadata`).

Exit codes: 0 done, 2 bad arguments or an unreadable manifest.
"""

from __future__ import annotations

import argparse
import json
import logging
import sys
import time
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import trafilatura
from readability import Document

from extractors import ExtractionError
from extractors.decoding import decode_html
from extractors.extraction import extract
from tests.support.devset import (
    DevPage,
    ManifestError,
    authors_match,
    date_matches,
    load_devset,
    score_snippets,
    title_matches,
)
from tests.support.heldout import Counts
from tests.support.scoring import score


@dataclass
class Output:
    """What one extractor gave for one page; metadata only for the extractors that read it."""

    text: str
    title: str | None = None
    authors: tuple[str, ...] = ()
    date: str | None = None
    failed: bool = False


Extractor = Callable[[bytes, str], Output]


def ours(html: bytes, url: str) -> Output:
    try:
        article = extract(html, url)
    except ExtractionError:
        return Output("")
    return Output(article.text, article.title, tuple(article.authors), article.published_at)


def trafilatura_default(html: bytes, url: str) -> Output:
    # Comments off, as ours: reader comments are not the article (the gold of trafilatura's
    # own test pages sometimes expects them, which would reward keeping them).
    return Output(trafilatura.extract(html, url=url, include_comments=False) or "")


def trafilatura_precision(html: bytes, url: str) -> Output:
    return Output(
        trafilatura.extract(html, url=url, include_comments=False, favor_precision=True) or ""
    )


def readability_lxml(html: bytes, url: str) -> Output:
    # readability-lxml 0.8.4 cannot sniff the charset of bytes (it fails on every page), so it
    # gets the page decoded the way ours is.
    try:
        summary = Document(decode_html(html), url=url).summary()
    except Exception:  # a reference extractor's failure on a page counts as an empty answer
        return Output("", failed=True)
    return Output(trafilatura.html2txt(summary) if summary else "")


def trafilatura_metadata(html: bytes, url: str) -> Output:
    """trafilatura's own metadata reader, for the title / author / date comparison."""
    tree = trafilatura.load_html(html)
    meta = trafilatura.extract_metadata(tree, default_url=url) if tree is not None else None
    if meta is None:
        return Output("")
    authors = tuple(a.strip() for a in (meta.author or "").split(";") if a.strip())
    return Output("", meta.title, authors, meta.date)


CONTENDERS: dict[str, Extractor] = {
    "ours": ours,
    "trafilatura": trafilatura_default,
    "traf-precision": trafilatura_precision,
    "readability": readability_lxml,
}


@dataclass
class Run:
    """Every contender's output per page id, and its CPU time."""

    outputs: dict[str, dict[str, Output]] = field(default_factory=dict)
    seconds: dict[str, float] = field(default_factory=dict)


def run_interleaved(contenders: dict[str, Extractor], pages: list[DevPage]) -> Run:
    """Each page goes through every extractor back to back, in alternating order."""
    run = Run({name: {} for name in contenders}, dict.fromkeys(contenders, 0.0))
    for index, page in enumerate(pages):
        html = page.html()
        order = list(contenders.items())
        for name, extractor in order if index % 2 else reversed(order):
            start = time.process_time()
            run.outputs[name][page.id] = extractor(html, page.url)
            run.seconds[name] += time.process_time() - start
    return run


def groups(pages: list[DevPage]) -> list[tuple[str, list[DevPage]]]:
    """All pages, then one group per language, then one per source project."""
    found: list[tuple[str, list[DevPage]]] = [("all", pages)]
    for field_name, label in (("language", "lang"), ("source", "src")):
        for value in sorted({getattr(p, field_name) for p in pages}):
            members = [p for p in pages if getattr(p, field_name) == value]
            found.append((f"{label} {value}", members))
    return found


def text_table(pages: list[DevPage], run: Run) -> None:
    members = [p for p in pages if p.gold == "text"]
    if not members:
        return
    print(f"\nFull gold text ({len(members)} pages): word 4-gram precision / recall / F1")
    _header()
    for label, group in groups(members):
        truth = {p.id: p.text or "" for p in group}
        cells = []
        for name in CONTENDERS:
            result = score(truth, {p.id: run.outputs[name][p.id].text for p in group})
            cells.append((result.precision, result.recall, result.f1))
        _row(label, len(group), cells)


def snippet_table(pages: list[DevPage], run: Run) -> None:
    members = [p for p in pages if p.gold == "snippets"]
    if not members:
        return
    must = sum(len(p.must) for p in members)
    must_not = sum(len(p.must_not) for p in members)
    print(
        f"\nGold snippets ({len(members)} pages, {must} must, {must_not} must-not):"
        " snippet precision / recall / F1"
    )
    _header()
    for label, group in groups(members):
        cells = []
        for name in CONTENDERS:
            counts = Counts()
            for page in group:
                counts.add(score_snippets(run.outputs[name][page.id].text, page))
            cells.append((counts.precision, counts.recall, counts.f1))
        _row(label, len(group), cells)


def metadata_table(pages: list[DevPage], run: Run, reader: dict[str, Output]) -> None:
    print("\nMetadata against the gold: share of pages with that gold where it matches")
    print(f"{'field':<42}{'pages':>6}{'ours':>9}{'trafilatura':>13}")
    for label, group in groups(pages):
        for kind in ("title", "authors", "date"):
            having = [p for p in group if getattr(p, kind)]
            if not having:
                continue
            mine = sum(_meta_ok(kind, p, run.outputs["ours"][p.id]) for p in having)
            theirs = sum(_meta_ok(kind, p, reader[p.id]) for p in having)
            print(
                f"{label + ' ' + kind:<42}{len(having):>6}"
                f"{mine / len(having):>9.3f}{theirs / len(having):>13.3f}"
            )


def _meta_ok(kind: str, page: DevPage, found: Output) -> bool:
    if kind == "title":
        return title_matches(page.title or "", found.title)
    if kind == "authors":
        return authors_match(page.authors or (), found.authors)
    return date_matches(page.date or "", found.date)


def _header() -> None:
    names = "".join(f"{name:>24}" for name in CONTENDERS)
    print(f"{'group':<34}{'pages':>6}{names}")
    print(f"{'':<40}" + "".join(f"{'P':>8}{'R':>8}{'F1':>8}" for _ in CONTENDERS))


def _row(label: str, count: int, cells: Iterable[tuple[float, float, float]]) -> None:
    numbers = "".join(f"{p:>8.3f}{r:>8.3f}{f:>8.3f}" for p, r, f in cells)
    print(f"{label:<34}{count:>6}{numbers}")


def timing_table(pages: list[DevPage], run: Run) -> None:
    print(f"\n{'extractor':<16}{'pages':>7}{'empty':>7}{'failed':>8}{'CPU s':>9}{'pages/s':>9}")
    for name, seconds in run.seconds.items():
        outputs = run.outputs[name].values()
        empty = sum(not out.text.strip() for out in outputs)
        failed = sum(out.failed for out in outputs)
        rate = len(pages) / seconds if seconds else 0.0
        print(f"{name:<16}{len(pages):>7}{empty:>7}{failed:>8}{seconds:>9.1f}{rate:>9.1f}")


def write_outputs(folder: Path, run: Run) -> None:
    """One JSON Lines file per extractor: page id, text and metadata, for diffing runs."""
    folder.mkdir(parents=True, exist_ok=True)
    for name, outputs in run.outputs.items():
        with (folder / f"dev-{name}.jsonl").open("w", encoding="utf-8") as handle:
            for page_id, out in outputs.items():
                row: dict[str, object] = {"id": page_id, "text": out.text, "title": out.title}
                row |= {"authors": list(out.authors), "date": out.date}
                handle.write(json.dumps(row, ensure_ascii=False) + "\n")


def select(pages: list[DevPage], language: str | None, source: str | None) -> list[DevPage]:
    return [
        p
        for p in pages
        if (language is None or p.language == language) and (source is None or p.source == source)
    ]


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0] if __doc__ else None)
    parser.add_argument("--language", help="only pages in this language (e.g. de)")
    parser.add_argument("--source", help="only pages from this source project (owner/name)")
    parser.add_argument("--out", type=Path, help="also write every output here as JSON Lines")
    args = parser.parse_args()
    logging.getLogger("readability").setLevel(logging.CRITICAL)  # its failures are counted
    try:
        pages = select(load_devset(), args.language, args.source)
    except (ManifestError, OSError) as exc:
        print(f"dev_bench: cannot read the development set: {exc}", file=sys.stderr)
        sys.exit(2)
    if not pages:
        print("dev_bench: no page matches --language / --source", file=sys.stderr)
        sys.exit(2)
    run_interleaved(CONTENDERS, pages[:10])  # warm-up: imports, caches, date parser locales
    run = run_interleaved(CONTENDERS, pages)
    reader = {p.id: trafilatura_metadata(p.html(), p.url) for p in pages}
    print(
        f"{len(pages)} pages, {len({p.publisher for p in pages})} publishers, "
        f"{len({p.language for p in pages})} languages"
    )
    text_table(pages, run)
    snippet_table(pages, run)
    metadata_table(pages, run, reader)
    timing_table(pages, run)
    if args.out is not None:
        write_outputs(args.out, run)


if __name__ == "__main__":
    main()
