"""The extractors the benchmarks and quality gates compare, and the interleaved runner.

Each page goes through every contender back to back, in alternating order, so machine
noise hits all alike; time is this process's CPU time.
"""

from __future__ import annotations

import gzip
import time
from collections.abc import Callable
from pathlib import Path

import trafilatura

from extractors import ExtractionError
from extractors.extraction import extract

Extractor = Callable[[bytes, str], str]


def ours(html: bytes, url: str) -> str:
    try:
        return extract(html, url).text
    except ExtractionError:
        return ""


def trafilatura_alone(html: bytes, url: str) -> str:
    return trafilatura.extract(html, url=url) or ""


def load_pages(pages: Path, truth: dict[str, dict[str, str]]) -> list[tuple[str, str, bytes]]:
    loaded = []
    for path in sorted(pages.glob("*.html*")):
        page_id = path.name.split(".html")[0]
        raw = gzip.decompress(path.read_bytes()) if path.suffix == ".gz" else path.read_bytes()
        loaded.append((page_id, truth.get(page_id, {}).get("url", ""), raw))
    return loaded


def run_interleaved(
    contenders: dict[str, Extractor], pages: list[tuple[str, str, bytes]]
) -> tuple[dict[str, list[dict[str, str]]], dict[str, float]]:
    """Each page goes through every extractor back to back, so machine noise hits all alike."""
    predictions: dict[str, list[dict[str, str]]] = {name: [] for name in contenders}
    seconds = dict.fromkeys(contenders, 0.0)
    for index, (page_id, url, html) in enumerate(pages):
        order = list(contenders.items())
        for name, extractor in order if index % 2 else reversed(order):
            start = time.process_time()
            text = extractor(html, url)
            seconds[name] += time.process_time() - start
            predictions[name].append({"id": page_id, "text": text})
    return predictions, seconds
