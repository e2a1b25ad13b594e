"""Errors the extraction library raises: one type, with a reason a person can act on."""

from __future__ import annotations


class ExtractionError(ValueError):
    """The input cannot be turned into an article; `reason` says why in plain words."""

    def __init__(self, reason: str, *, url: str | None = None) -> None:
        self.reason = reason
        self.url = url
        super().__init__(f"{url}: {reason}" if url else reason)
