"""Held-out gate: on pages we never tuned on, our extractor keeps up with trafilatura alone.

The pages in benchmarks/heldout come from public extraction benchmarks other than the AEB
set the rules were tuned on (see benchmarks/heldout/README.md). Both extractors run in the
same process and are scored with trafilatura's own snippet convention, so a rule that
overfits the tuned fixtures and loses article text elsewhere makes this test fail.
"""

from __future__ import annotations

import pytest

from tests.support.heldout import GROUPS, Result, evaluate, load_pages


@pytest.fixture(scope="module")
def results() -> dict[str, Result]:
    return evaluate(load_pages(), warm_up=False)


def test_gold_names_real_pages_with_snippets_in_every_language_group() -> None:
    pages = load_pages()
    assert all(page.with_ for page in pages), "every page needs text it must keep"
    assert {page.group for page in pages} == set(GROUPS)
    assert sum(page.group == "es" for page in pages) >= 5


def test_our_f1_is_at_least_trafilaturas(results: dict[str, Result]) -> None:
    ours, theirs = results["ours"].overall, results["trafilatura"].overall
    assert ours.pages == theirs.pages == len(load_pages())
    assert ours.f1 >= theirs.f1, (
        f"held-out F1 {ours.f1:.3f} < trafilatura {theirs.f1:.3f} "
        f"(ours tp={ours.tp} fp={ours.fp} fn={ours.fn}; "
        f"trafilatura tp={theirs.tp} fp={theirs.fp} fn={theirs.fn}); "
        "run python -m benchmarks.heldout_bench --worse"
    )
