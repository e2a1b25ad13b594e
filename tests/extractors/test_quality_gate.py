"""Quality gate (trafilatura-style): extraction must not drop below pinned floors on AEB.

The Article Extraction Benchmark pages (tests/site/aeb, MIT) are scored with the
benchmark's own method. Floors are this version's measured figures rounded down; raise
them when the extractor improves, never lower them to make a change pass.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path

from extractors import ExtractionError
from extractors.extraction import extract
from tests.support.paths import AEB
from tests.support.scoring import score

F1_FLOOR = 0.972
PRECISION_FLOOR = 0.970
RECALL_FLOOR = 0.974


def _extract_text(path: Path, url: str) -> str:
    try:
        return extract(gzip.decompress(path.read_bytes()), url).text
    except ExtractionError:
        return ""


def test_aeb_scores_stay_above_pinned_floors() -> None:
    truth = json.loads((AEB / "ground-truth.json").read_text(encoding="utf-8"))
    predictions = {
        page_id: _extract_text(AEB / "html" / f"{page_id}.html.gz", item["url"])
        for page_id, item in truth.items()
    }
    result = score({k: v["articleBody"] for k, v in truth.items()}, predictions)
    assert len(predictions) == 181
    assert result.precision >= PRECISION_FLOOR, result
    assert result.recall >= RECALL_FLOOR, result
    assert result.f1 >= F1_FLOOR, result
