"""What counts as an article: non-articles are dropped with a reason the crawl records."""

from __future__ import annotations

import pytest

from extractors.article import Article
from extractors.blocks import count_words
from extractors.validate import rejection_reason


def _article(text: str, title: str | None = "A title") -> Article:
    return Article(
        url="https://x.example/a",
        canonical_url="https://x.example/a",
        title=title,
        text=text,
        word_count=count_words(text),
    )


@pytest.mark.parametrize(
    ("text", "expected"),
    [("Hello, world — 2,000 people", 4), ("東京で地震が発生しました", 12), ("", 0), ("— | —", 0)],
)
def test_count_words_also_in_scripts_without_spaces(text: str, expected: int) -> None:
    assert count_words(text) == expected


@pytest.mark.parametrize(
    ("text", "title", "reason"),
    [
        ("", "T", "empty body"),
        ("Only a few words here.", "T", "too short: 5 words"),
        ("word " * 60, None, "no title"),
        (
            "\n\n".join(
                ["Home", "World news", "Sports", "Weather today", "Contact us", "About"] * 10
            ),
            "T",
            "index page",
        ),
    ],
)
def test_non_articles_get_a_reason(text: str, title: str | None, reason: str) -> None:
    found = rejection_reason(_article(text, title))
    assert found is not None and found.startswith(reason)


def test_real_articles_pass_including_japanese() -> None:
    assert (
        rejection_reason(_article("The council met on Tuesday and agreed the budget. " * 8)) is None
    )
    assert (
        rejection_reason(
            _article(
                "東京都は本日、新しい防災計画を発表しました。計画では地震と洪水への備えを強化します。"
                * 2
            )
        )
        is None
    )
