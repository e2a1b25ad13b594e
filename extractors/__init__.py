"""Turn article HTML into a clean, attributed `Article`: a plain library (no Scrapy, no SQL, no network)."""

from __future__ import annotations

from extractors.article import Article, Attribution, Removed
from extractors.errors import ExtractionError

__all__ = ["Article", "Attribution", "ExtractionError", "Removed", "extract"]


def __getattr__(name: str) -> object:
    # `extract` pulls in trafilatura/dateparser; import lazily so that
    # code needing only the record types (storage, pipelines) stays cheap.
    if name == "extract":
        from extractors.extract import extract

        return extract
    raise AttributeError(name)
