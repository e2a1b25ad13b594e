"""The held-out pages (benchmarks/heldout) and their snippet scoring, for the held-out gate
and `python -m benchmarks.heldout_bench`.

Scoring follows trafilatura's own evaluation convention: a "with" snippet found in the
text is a true positive (missing: false negative), a "without" snippet found is a false
positive (absent: true negative). Text and snippets are whitespace-normalised first.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path

from tests.support.contenders import Extractor, ours, run_interleaved, trafilatura_alone
from tests.support.paths import HELDOUT

CONTENDERS: dict[str, Extractor] = {"ours": ours, "trafilatura": trafilatura_alone}
GROUPS = ("en", "es", "other")


@dataclass(frozen=True)
class Page:
    """One held-out page: its HTML bytes and the snippets its text must / must not contain."""

    name: str
    url: str
    html: bytes
    language: str
    with_: tuple[str, ...]
    without: tuple[str, ...]

    @property
    def group(self) -> str:
        return self.language if self.language in GROUPS else "other"


@dataclass
class Counts:
    """Snippet decisions summed over pages (trafilatura's tp/fp/tn/fn convention)."""

    tp: int = 0
    fp: int = 0
    tn: int = 0
    fn: int = 0
    pages: int = 0
    seconds: float = 0.0

    def add(self, other: Counts) -> None:
        self.tp += other.tp
        self.fp += other.fp
        self.tn += other.tn
        self.fn += other.fn
        self.pages += other.pages
        self.seconds += other.seconds

    @property
    def precision(self) -> float:
        return self.tp / (self.tp + self.fp) if self.tp + self.fp else 0.0

    @property
    def recall(self) -> float:
        return self.tp / (self.tp + self.fn) if self.tp + self.fn else 0.0

    @property
    def f1(self) -> float:
        p, r = self.precision, self.recall
        return 2 * p * r / (p + r) if p + r else 0.0

    @property
    def accuracy(self) -> float:
        total = self.tp + self.fp + self.tn + self.fn
        return (self.tp + self.tn) / total if total else 0.0


@dataclass
class Result:
    """Per-extractor counts overall and per language group, plus per-page counts."""

    overall: Counts = field(default_factory=Counts)
    groups: dict[str, Counts] = field(default_factory=dict)
    per_page: dict[str, Counts] = field(default_factory=dict)
    texts: dict[str, str] = field(default_factory=dict)


def normalise(text: str) -> str:
    return " ".join(text.split())


def load_pages(folder: Path = HELDOUT) -> list[Page]:
    """Read gold.json and the HTML it names; a gold entry without its page is an error."""
    gold = json.loads((folder / "gold.json").read_text(encoding="utf-8"))
    pages = []
    for name, entry in sorted(gold.items()):
        path = folder / name
        if not path.is_file():
            raise FileNotFoundError(f"{folder / 'gold.json'}: {name!r} has no page file {path}")
        pages.append(
            Page(
                name=name,
                url=entry["url"],
                html=path.read_bytes(),
                language=entry["language"],
                with_=tuple(normalise(s) for s in entry["with"]),
                without=tuple(normalise(s) for s in entry["without"]),
            )
        )
    return pages


def score(text: str, page: Page) -> Counts:
    """Count which gold snippets the extracted text contains."""
    body = normalise(text)
    found = sum(snippet in body for snippet in page.with_)
    leaked = sum(snippet in body for snippet in page.without)
    return Counts(
        tp=found,
        fn=len(page.with_) - found,
        fp=leaked,
        tn=len(page.without) - leaked,
        pages=1,
    )


def evaluate(pages: list[Page], *, warm_up: bool = True) -> dict[str, Result]:
    """Run every extractor on every page (interleaved per language group) and score it."""
    results = {name: Result() for name in CONTENDERS}
    if warm_up:
        run_interleaved(CONTENDERS, [(p.name, p.url, p.html) for p in pages])
    for group in GROUPS:
        members = [p for p in pages if p.group == group]
        predictions, seconds = run_interleaved(
            CONTENDERS, [(p.name, p.url, p.html) for p in members]
        )
        for name, rows in predictions.items():
            _record(results[name], group, members, rows, seconds[name])
    return results


def _record(
    result: Result, group: str, members: list[Page], rows: list[dict[str, str]], seconds: float
) -> None:
    counts = Counts(seconds=seconds)
    for page, row in zip(members, rows, strict=True):
        page_counts = score(row["text"], page)
        result.per_page[page.name] = page_counts
        result.texts[page.name] = row["text"]
        counts.add(page_counts)
    result.groups[group] = counts
    result.overall.add(counts)
