"""Saved pages on disk (plain or gzipped HTML) as bytes for `extract`, for the CLI, fixtures and ingest."""

from __future__ import annotations

import gzip
import zlib
from pathlib import Path

from extractors.parsing import DEFAULT_MAX_BYTES

# Same cap as `extract`: a page larger than this (after decompression) is not an article.
MAX_PAGE_BYTES = DEFAULT_MAX_BYTES


def read_page_file(path: Path, *, max_bytes: int = MAX_PAGE_BYTES) -> bytes:
    """Bytes of a saved page; `.gz` files are decompressed with a size cap (no gzip bombs).

    Every failure is an OSError naming the file: missing, unreadable, truncated or
    corrupt gzip, or over the cap, so callers handle one exception type per file.
    """
    try:
        if path.suffix == ".gz":
            with gzip.open(path, "rb") as handle:
                data = handle.read(max_bytes + 1)
        else:
            with path.open("rb") as handle:
                data = handle.read(max_bytes + 1)
    except (EOFError, zlib.error, gzip.BadGzipFile) as exc:
        raise OSError(f"{path}: truncated or corrupt gzip: {exc}") from exc
    if len(data) > max_bytes:
        raise OSError(f"{path}: larger than {max_bytes} bytes")
    return data
