"""How the development set's snippets are matched: the same rule for every extractor."""

from __future__ import annotations

import dataclasses

from tests.support.devset import DevPage, load_devset, score_snippets


def _page_with(must: tuple[str, ...], must_not: tuple[str, ...] = ()) -> DevPage:
    page = next(p for p in load_devset() if p.gold == "snippets")
    return dataclasses.replace(page, must=must, must_not=must_not)


def test_spaces_a_tokeniser_put_beside_punctuation_do_not_hide_a_snippet() -> None:
    page = _page_with(("explanation for Vladimir Putin 's alleged", '" How Four Drinking'))
    text = 'An explanation for Vladimir Putin\'s alleged role. "How Four Drinking Buddies"'
    assert score_snippets(text, page).tp == 2


def test_glued_or_missing_words_still_count_as_missing() -> None:
    page = _page_with(("the bridge was closed",), must_not=("Read more",))
    counts = score_snippets("Yesterday thebridge was closed. Readmore", page)
    assert (counts.tp, counts.fn, counts.fp) == (0, 1, 0)
