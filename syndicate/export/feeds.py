"""Atom, RSS and JSON Feed written entry by entry, so the whole feed is never in memory.

The header and footer are those of the server's feed with no entries (feedgen's own
output, cut where the entries go); each entry is the server's (`add_entry`, `item`),
serialised on its own as soon as it is built. Entries come in id order, not newest first.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import datetime
from typing import TextIO

from feedgen.feed import FeedGenerator
from lxml import etree

from storage.reading import StoredArticle
from syndicate.web.feed_data import Feed
from syndicate.web.feeds import add_entry, generator
from syndicate.web.jsonfeed import check, head, item

INDENT = "  "  # as feedgen's pretty output


@dataclass(frozen=True, slots=True)
class FeedNames:
    """What names a feed: the source (or `all`), its title, the address the feed is served
    from (its id and links, as `syndicate serve` there would give them), and the newest
    `updated_at` of the articles it will hold (None when there are none)."""

    key: str
    title: str
    base_url: str
    updated: datetime | None

    def feed(self, extension: str) -> Feed:
        """The server's feed record, without entries: they are streamed."""
        base = self.base_url.rstrip("/")
        return Feed(self.key, self.title, f"{base}/", f"{base}/feeds/{self.key}.{extension}", [])


def write_atom(out: TextIO, articles: Iterable[StoredArticle], *, names: FeedNames) -> int:
    return _write_xml(out, generator(names.feed("atom"), names.updated), articles, "atom")


def write_rss(out: TextIO, articles: Iterable[StoredArticle], *, names: FeedNames) -> int:
    return _write_xml(out, generator(names.feed("rss"), names.updated), articles, "rss")


def _write_xml(
    out: TextIO, gen: FeedGenerator, articles: Iterable[StoredArticle], kind: str
) -> int:
    """The empty feed up to its closing tag, each entry, then the rest of the empty feed."""
    empty = gen.atom_str(pretty=True) if kind == "atom" else gen.rss_str(pretty=True)
    document, closing = empty.decode("utf-8"), "</feed>" if kind == "atom" else "</channel>"
    cut = document.rindex("\n", 0, document.rindex(closing)) + 1
    level = (document.index(closing, cut) - cut) // len(INDENT) + 1
    # Entries are serialised inside an element declaring the feed's prefixes, so RSS keeps
    # `content:encoded` and `dc:creator` (each entry re-declares them: still valid XML).
    prefixes = {k: v for k, v in etree.fromstring(empty).nsmap.items() if k}
    holder = etree.Element("holder", nsmap=prefixes)
    out.write(document[:cut])
    count = 0
    for stored in articles:
        entry = add_entry(gen, stored)
        gen.remove_entry(entry)  # the generator never holds more than this one entry
        element = entry.atom_entry() if kind == "atom" else entry.rss_entry()
        holder.append(element)
        etree.indent(element, space=INDENT, level=level)
        out.write(INDENT * level + etree.tostring(element, encoding="unicode", with_tail=False))
        out.write("\n")
        holder.remove(element)
        count += 1
    out.write(document[cut:])
    return count


def write_json_feed(out: TextIO, articles: Iterable[StoredArticle], *, names: FeedNames) -> int:
    """JSON Feed 1.1: the top-level members, then `items` one per line."""
    top = head(names.feed("json"))
    empty = json.dumps({**top, "items": []}, ensure_ascii=False, indent=1)
    check({**top, "items": []})
    cut = empty.rindex("[]") + 1
    out.write(empty[:cut])
    count = 0
    for stored in articles:
        entry = item(stored)
        check({**top, "items": [entry]})
        out.write(("," if count else "") + "\n" + INDENT + json.dumps(entry, ensure_ascii=False))
        count += 1
    out.write(("\n " if count else "") + empty[cut:] + "\n")
    return count
