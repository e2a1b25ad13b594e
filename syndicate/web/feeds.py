"""`/feeds/{KEY}.atom|.rss|.json` (KEY a source or `all`): the newest articles, full content.

Each entry carries the sanitised HTML, authors, published and updated dates, and its
attribution twice: a short "Originally published by X: URL" paragraph in the content, and
proper elements (Atom `<source>` and `<link rel="via">`, RSS `<source>`, JSON Feed
`_syndicate`). Atom and RSS come from feedgen; JSON Feed 1.1 is plain JSON (jsonfeed.py).
"""

from __future__ import annotations

import html
from datetime import datetime
from typing import Annotated

from fastapi import APIRouter, Query, Request, Response
from feedgen.entry import FeedEntry
from feedgen.feed import FeedGenerator

from storage.reading import StoredArticle
from syndicate.web import params
from syndicate.web.caching import cached
from syndicate.web.db import read
from syndicate.web.errors import WebError, refusals
from syndicate.web.feed_data import Feed, content_html, gather, xml_text
from syndicate.web.feed_origin import OriginEntry, OriginFeed
from syndicate.web.jsonfeed import json_feed
from syndicate.web.records import web_url

router = APIRouter(prefix="/feeds", tags=["feeds"])
MAX_LIMIT = 500
MEDIA = {
    "atom": "application/atom+xml",
    "rss": "application/rss+xml",
    "json": "application/feed+json",
}


@router.get(
    "/{name}",
    summary="Atom, RSS or JSON Feed of a source (or `all`)",
    response_class=Response,
    responses={
        200: {"description": "The feed", "content": {media: {} for media in MEDIA.values()}},
        **refusals(304, 400, 404),
    },
)
def feed(
    request: Request, name: str, limit: Annotated[int, Query(description=f"1 to {MAX_LIMIT}")] = 100
) -> Response:
    key, _, kind = name.rpartition(".")
    if kind not in MEDIA or not key:
        raise WebError(404, f"no feed {name!r}: use /feeds/KEY.atom, .rss or .json")
    size = params.bounded("limit", limit, MAX_LIMIT)
    built = read(request, lambda session: gather(session, request, key, size))
    document = {"atom": atom_feed, "rss": rss_feed, "json": json_feed}[kind](built)
    return cached(request, document, MEDIA[kind], built.updated if built.entries else None)


def generator(built: Feed, updated: datetime | None = None) -> FeedGenerator:
    """The feed with its entries; `updated` is the entries' newest unless given (an export
    streams its entries, so it passes the newest of all of them)."""
    gen = FeedGenerator()
    gen.id(built.feed_url)
    gen.title(xml_text(built.title))
    gen.link(href=built.home_url, rel="alternate")
    gen.link(href=built.feed_url, rel="self")
    gen.description(xml_text(f"Articles of {built.title}, cleaned and attributed"))
    gen.updated(updated or built.updated)
    gen.generator("syndicate")
    gen.load_extension("dc", atom=False, rss=True)
    gen.register_extension("origin", OriginFeed, OriginEntry)
    for stored in built.entries:
        add_entry(gen, stored)
    return gen


def add_entry(gen: FeedGenerator, stored: StoredArticle) -> FeedEntry:
    """Append the article's entry to `gen` and return it (an export serialises it alone)."""
    article = stored.article
    entry = gen.add_entry(order="append")
    entry.id(article.canonical_url)
    entry.guid(article.canonical_url, permalink=True)
    entry.title(xml_text(article.title) or article.canonical_url)
    entry.link(href=article.canonical_url, rel="alternate")
    entry.updated(stored.updated_at)
    if article.published_at:
        entry.published(datetime.fromisoformat(article.published_at))
    for author in filter(None, map(xml_text, article.authors)):
        entry.author(name=author)
        entry.dc.dc_creator(author)
    # A summary always, so RSS keeps the full body in content:encoded (feedgen puts the body
    # in <description> when an entry has no summary). It is text escaped as HTML: readers
    # render RSS <description> as HTML, and article text may quote markup ("<script>").
    summary = html.escape(xml_text(article.description or teaser(article.text)), quote=False)
    entry.summary(summary, type="html")
    entry.content(content_html(stored), type="html")
    if original_url := web_url(stored.original_url):
        entry.origin.original(original_url, xml_text(stored.original_publisher))
    return entry


def teaser(text: str, length: int = 280) -> str:
    """The first words of the text, for an article without a description."""
    return text if len(text) <= length else text[:length].rsplit(" ", 1)[0] + " …"


def atom_feed(built: Feed) -> bytes:
    return bytes(generator(built).atom_str(pretty=True))


def rss_feed(built: Feed) -> bytes:
    return bytes(generator(built).rss_str(pretty=True))
