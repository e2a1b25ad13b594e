"""What spiders yield: raw pages and page failures. Pipelines decide what becomes of them.

Spiders never import storage; these records carry everything the pipelines need.
"""

from __future__ import annotations

from dataclasses import dataclass
from datetime import datetime


@dataclass(slots=True)
class RawPage:
    """An article page as fetched (body raw and uncompressed; `url` is the one requested)."""

    source: str
    url: str
    final_url: str
    status: int
    headers: dict[str, str]
    body: bytes
    fetched_at: datetime


@dataclass(slots=True)
class NotModified:
    """The server answered 304 to a conditional request: the stored copy is current."""

    source: str
    url: str


@dataclass(slots=True)
class PageFailure:
    """A page (article or listing) that could not be fetched, and why in plain words."""

    source: str
    url: str
    reason: str
    listing: bool = False
