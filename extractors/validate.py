"""Is this an article? Pages that are not (index pages, video-only, empty) are dropped with a reason."""

from __future__ import annotations

from extractors.article import Article

MIN_WORDS = 40


def rejection_reason(article: Article, *, min_words: int = MIN_WORDS) -> str | None:
    """None for a real article, else why it is not one (recorded by the crawl)."""
    if not article.text.strip():
        return "empty body"
    if article.word_count < min_words:
        return f"too short: {article.word_count} words"
    if not article.title:
        return "no title"
    paragraphs = article.text.split("\n\n")
    if len(paragraphs) >= 5 and article.word_count / len(paragraphs) < 6:
        return "index page: only short link-like lines"
    return None
