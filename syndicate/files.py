"""Reading saved pages from disk: plain or gzipped HTML."""

from __future__ import annotations

import gzip
from pathlib import Path

# A page larger than this (after decompression) is refused: it is not an article.
MAX_PAGE_BYTES = 20 * 1024 * 1024


def read_page_file(path: Path, *, max_bytes: int = MAX_PAGE_BYTES) -> bytes:
    """Bytes of a saved page; `.gz` files are decompressed with a size cap (no gzip bombs)."""
    if path.suffix == ".gz":
        with gzip.open(path, "rb") as handle:
            data = handle.read(max_bytes + 1)
    else:
        with path.open("rb") as handle:
            data = handle.read(max_bytes + 1)
    if len(data) > max_bytes:
        raise OSError(f"{path}: larger than {max_bytes} bytes")
    return data
