"""Errors the extraction library raises: one type, with a reason a person can act on."""

from __future__ import annotations


class ExtractionError(ValueError):
    """The input cannot be turned into an article; `reason` says why in plain words."""

    def __init__(self, reason: str, *, url: str | None = None) -> None:
        super().__init__(reason)
        self.reason = reason
        self.url = url  # filled in by `extract` when raised deeper down

    def __str__(self) -> str:
        return f"{self.url}: {self.reason}" if self.url else self.reason
