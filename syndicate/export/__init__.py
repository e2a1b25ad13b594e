"""`syndicate export`: stored articles written out as they are read, in five formats.

Each writer takes a text stream and an iterable of records and returns how many it wrote.
It holds one article at a time, so memory stays flat however many there are. The records
are the server's (syndicate.web): a JSON Lines or CSV row is an API article, an Atom, RSS or
JSON Feed entry is a feed entry, with the same attribution and sanitised HTML.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable
from functools import partial
from typing import TextIO

from storage.reading import StoredArticle
from syndicate.export.feeds import FeedNames, write_atom, write_json_feed, write_rss
from syndicate.export.records import write_csv, write_jsonl

Write = Callable[[TextIO, Iterable[StoredArticle]], int]
FEED_WRITERS = {"atom": write_atom, "rss": write_rss, "jsonfeed": write_json_feed}


def writer(kind: str, names: FeedNames) -> Write:
    """The writer of `kind` (jsonl, csv, atom, rss, jsonfeed); feeds are named by `names`."""
    if kind == "jsonl":
        return write_jsonl
    if kind == "csv":
        return write_csv
    return partial(FEED_WRITERS[kind], names=names)
