"""Is this an article? Pages that are not (index pages, video-only, empty) are dropped with a reason."""

from __future__ import annotations

from extractors.article import Article

# Fewer words than this is not an article (video-only page, stub); callers may pass their own.
MIN_WORDS = 40
# The index-page check needs at least this many paragraphs to judge their average length.
_INDEX_MIN_PARAGRAPHS = 5
# Paragraphs averaging fewer words than this (counted as word_count does) are link-like lines.
_INDEX_MAX_AVERAGE_WORDS = 6


def rejection_reason(article: Article, *, min_words: int = MIN_WORDS) -> str | None:
    """None for a real article, else why it is not one (recorded by the crawl)."""
    if not article.text.strip():
        return "empty body"
    if article.word_count < min_words:
        return f"too short: {article.word_count} words"
    if not article.title:
        return "no title"
    paragraphs = article.text.split("\n\n")
    if (
        len(paragraphs) >= _INDEX_MIN_PARAGRAPHS
        and article.word_count / len(paragraphs) < _INDEX_MAX_AVERAGE_WORDS
    ):
        return "index page: only short link-like lines"
    return None
