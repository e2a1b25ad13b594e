"""The one record type that flows through syndicate (contract: field names are JSON keys and columns)."""

from __future__ import annotations

from dataclasses import asdict, dataclass, field
from typing import Any


@dataclass(slots=True)
class Attribution:
    """Who published this copy and, for syndicated copies, who wrote it first."""

    publisher: str | None = None
    original_publisher: str | None = None
    original_source: str | None = None
    original_url: str | None = None
    credit: str | None = None


@dataclass(slots=True)
class Removed:
    """A block that cleaning took out of the body, kept so an operator can see why."""

    text: str
    reason: str


@dataclass(slots=True)
class Article:
    """Clean, attributed article; see DESIGN.md "The Article" for each field's meaning."""

    url: str
    canonical_url: str
    source: str | None = None
    site_name: str | None = None
    title: str | None = None
    description: str | None = None
    authors: list[str] = field(default_factory=list)
    published_at: str | None = None
    modified_at: str | None = None
    language: str | None = None
    section: str | None = None
    tags: list[str] = field(default_factory=list)
    image: str | None = None
    text: str = ""
    html: str = ""
    word_count: int = 0
    attribution: Attribution = field(default_factory=Attribution)
    removed: list[Removed] = field(default_factory=list)
    paywalled: bool | None = None
    # The charset the page's bytes were read as; when it differs from the Content-Type the
    # page was served with, the declaration was wrong (extractors/decoding.py).
    encoding: str | None = None

    def to_dict(self) -> dict[str, Any]:
        """JSON-ready dict with the contract's field names."""
        return asdict(self)

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> Article:
        """Inverse of `to_dict`; unknown keys are ignored so older readers accept newer records."""
        known = {name: data[name] for name in cls.__dataclass_fields__ if name in data}
        known["attribution"] = Attribution(**(data.get("attribution") or {}))
        known["removed"] = [Removed(**item) for item in data.get("removed") or []]
        return cls(**known)
