"""Stored articles as the API and JSON Feed show them; HTML is sanitised again on the way out.

Articles' HTML was sanitised at extraction, but a database edited by hand must not be able
to inject markup, so every body is passed through the same `sanitize_html` before it leaves,
and an optional URL (image, original) leaves only if it is http(s).
"""

from __future__ import annotations

import html
from dataclasses import fields
from datetime import UTC, datetime
from typing import Any

from extractors.article import Article, Attribution
from extractors.sanitize import sanitize_html
from storage.reading import StoredArticle, VersionRecord

ATTRIBUTION_KEYS = ("publisher", "original_publisher", "original_source", "original_url", "credit")
# The Article fields an API article has, in order: what cleaning removed and the paywall flag
# stay inside. Read one by one, not with to_dict(), whose deep copy of `removed` (only to drop
# it) was most of the time of exporting many articles.
SHOWN_FIELDS = tuple(f.name for f in fields(Article) if f.name not in ("removed", "paywalled"))


def web_url(url: str | None) -> str | None:
    """`url` if it is http(s), else None: a hand-edited `javascript:` URL never leaves."""
    return url if url and url.strip().lower().startswith(("http://", "https://")) else None


def iso(moment: datetime | None) -> str | None:
    return moment.astimezone(UTC).isoformat(timespec="seconds") if moment else None


def article_json(stored: StoredArticle) -> dict[str, Any]:
    """One article with the documented keys (docs/serving.md); `html` sanitised again."""
    article = stored.article
    data = {name: getattr(article, name) for name in SHOWN_FIELDS}
    data["html"] = sanitize_html(article.html)
    data["image"] = web_url(article.image)
    data["attribution"] = attribution_json(article.attribution)
    data["published_at"] = iso(_parsed(article.published_at))
    data["modified_at"] = iso(_parsed(article.modified_at))
    extra = {"version": stored.version, "original_article_id": stored.original_article_id}
    return {"id": stored.id, **data, **extra, "updated_at": iso(stored.updated_at)}


def attribution_json(attribution: Attribution) -> dict[str, Any]:
    found = {key: getattr(attribution, key) for key in ATTRIBUTION_KEYS}
    return found | {"original_url": web_url(attribution.original_url)}


def version_json(record: VersionRecord, *, full: bool) -> dict[str, Any]:
    """A version summary; `full` adds its text and sanitised HTML."""
    data: dict[str, Any] = {
        "version": record.version,
        "title": record.title,
        "valid_from": iso(record.valid_from),
        "superseded_at": iso(record.superseded_at),
        "content_hash": record.content_hash,
    }
    if full:
        data["text"] = record.text
        data["html"] = sanitize_html(str(record.data.get("html") or ""))
    return data


def credit_html(stored: StoredArticle) -> str:
    """The short "Originally published by X: URL" paragraph, escaped; empty for originals.
    X and URL are the credited ones, else the linked original's (StoredArticle)."""
    attribution = stored.article.attribution
    publisher, url = stored.original_publisher, web_url(stored.original_url)
    if not publisher and not url:
        return ""
    who = html.escape(publisher or "another publisher")
    link = f': <a href="{html.escape(url)}">{html.escape(url)}</a>' if url else ""
    credit = f" Credit: {html.escape(attribution.credit)}" if attribution.credit else ""
    return sanitize_html(f"<p>Originally published by {who}{link}.{credit}</p>")


def _parsed(value: str | None) -> datetime | None:
    return datetime.fromisoformat(value) if value else None
