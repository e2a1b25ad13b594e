"""The article-body scorer of the public extraction benchmarks (word 4-gram shingles).

Same method as the benchmark's own score.py (published with AEB):
per page, true/false positives and negatives are normalised by the page's total, so long
pages weigh no more than short ones; precision and recall are averaged over pages (a page
with an empty prediction counts for recall only) and F1 is taken from the two means.
Kept here so the quality gate and `benchmarks.extract_bench` need nothing outside the repository.
"""

from __future__ import annotations

import re
import statistics
from collections import Counter
from collections.abc import Mapping
from dataclasses import dataclass

_WORD = re.compile(r"\w+", re.UNICODE)
_N = 4


@dataclass(frozen=True, slots=True)
class Score:
    precision: float
    recall: float

    @property
    def f1(self) -> float:
        total = self.precision + self.recall
        return 2 * self.precision * self.recall / total if total else 0.0


def _shingles(text: str) -> Counter[tuple[str, ...]]:
    words = _WORD.findall(text or "")
    if len(words) < _N:
        return Counter([tuple(words)]) if words else Counter()
    return Counter(tuple(words[i : i + _N]) for i in range(len(words) - _N + 1))


def score(truth: Mapping[str, str], predictions: Mapping[str, str]) -> Score:
    """Mean precision and recall over the pages of `truth` (missing predictions are empty)."""
    precisions: list[float] = []
    recalls: list[float] = []
    for page_id, expected in truth.items():
        t, p = _shingles(expected), _shingles(predictions.get(page_id, ""))
        tp, fp, fn = sum((t & p).values()), sum((p - t).values()), sum((t - p).values())
        if tp + fp:  # an empty prediction counts for recall only
            precisions.append(tp / (tp + fp))
        if tp + fn:  # a page without a body in the truth counts for precision only
            recalls.append(tp / (tp + fn))
    return Score(statistics.fmean(precisions or [0.0]), statistics.fmean(recalls or [0.0]))
