"""JSON Feed 1.1 (https://jsonfeed.org/version/1.1), built by hand: it is plain JSON.

Attribution and syndicate's own facts ride in the `_syndicate` extension object of each
item (JSON Feed's rule for extensions: a key starting with an underscore).
"""

from __future__ import annotations

import json
from typing import Any

from storage.reading import StoredArticle
from syndicate.web.feed_data import Feed, content_html
from syndicate.web.records import attribution_json, iso, web_url

VERSION = "https://jsonfeed.org/version/1.1"
REQUIRED = ("version", "title", "items")


def json_feed(built: Feed) -> bytes:
    document = {**head(built), "items": [item(stored) for stored in built.entries]}
    check(document)
    return json.dumps(document, ensure_ascii=False, indent=1).encode()


def head(built: Feed) -> dict[str, Any]:
    """Every top-level member but `items` (an export streams the items after it)."""
    return {
        "version": VERSION,
        "title": built.title,
        "home_page_url": built.home_url,
        "feed_url": built.feed_url,
    }


def item(stored: StoredArticle) -> dict[str, Any]:
    article = stored.article
    data: dict[str, Any] = {
        "id": article.canonical_url,
        "url": article.canonical_url,
        "external_url": web_url(stored.original_url),
        "title": article.title,
        "summary": article.description,
        "content_html": content_html(stored),
        "content_text": article.text,
        "image": web_url(article.image),
        "date_published": article.published_at,
        "date_modified": iso(stored.updated_at),
        "authors": [{"name": name} for name in article.authors],
        "tags": list(article.tags),
        "language": article.language,
        "_syndicate": syndicate_extension(stored),
    }
    return {key: value for key, value in data.items() if value not in (None, [], "")}


def syndicate_extension(stored: StoredArticle) -> dict[str, Any]:
    """Attribution and where the article lives here (its id, version, source)."""
    attribution = stored.article.attribution
    return {
        "article_id": stored.id,
        "source": stored.article.source,
        "version": stored.version,
        "original_article_id": stored.original_article_id,
        **attribution_json(attribution),
        "original_url": web_url(stored.original_url),  # credited, else the linked original's
    }


def check(document: dict[str, Any]) -> None:
    """The fields JSON Feed 1.1 requires: a programming error if one is missing."""
    missing = [key for key in REQUIRED if not document.get(key) and key != "items"]
    missing += [
        f"items[{n}].id" for n, entry in enumerate(document["items"]) if not entry.get("id")
    ]
    if missing or not isinstance(document["items"], list):
        raise ValueError(f"JSON Feed without {', '.join(missing) or 'an items list'}")
