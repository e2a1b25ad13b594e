"""Turn article HTML into a clean, attributed `Article`: a plain library (no Scrapy, no SQL, no network)."""

from __future__ import annotations

from typing import TYPE_CHECKING

from extractors.article import Article, Attribution, Removed
from extractors.errors import ExtractionError

if TYPE_CHECKING:  # the real type for checkers; at run time `__getattr__` imports it lazily
    from extractors.extraction import extract

__all__ = ["Article", "Attribution", "ExtractionError", "Removed", "extract"]


def __getattr__(name: str) -> object:
    # `extract` pulls in trafilatura/dateparser; import lazily so that
    # code needing only the record types (storage, pipelines) stays cheap.
    # The submodule is `extraction`, not `extract`: importing a submodule sets the
    # package attribute of its name, which would shadow this function with a module.
    if name == "extract":
        from extractors.extraction import extract

        return extract
    raise AttributeError(name)
