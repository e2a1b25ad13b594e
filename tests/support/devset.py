"""The extraction development set (benchmarks/devset): its pages, their gold, and what
"equal to the gold" means for titles, authors and dates.

Read by `python -m benchmarks.dev_bench` and by tests/extractors/test_devset_integrity.py.
Each manifest line describes one page (see benchmarks/devset/README.md); a malformed line
is an error naming the line, never a silently skipped page.
"""

from __future__ import annotations

import gzip
import json
import re
import unicodedata
from dataclasses import dataclass
from datetime import UTC, date, datetime, timedelta
from pathlib import Path
from typing import Any

from tests.support.heldout import Counts
from tests.support.paths import REPOSITORY

DEVSET = REPOSITORY / "benchmarks" / "devset"
MANIFEST = DEVSET / "manifest.jsonl"
GOLD_KINDS = ("text", "snippets")
REQUIRED = (
    *("id", "file", "url", "domain", "publisher", "language", "source", "source_path"),
    *("gold_from", "licence", "gold"),
)


class ManifestError(ValueError):
    """A manifest line that does not describe a usable page."""


@dataclass(frozen=True)
class DevPage:
    """One page of the development set and its gold (full text, or must / must-not snippets)."""

    id: str
    file: Path
    url: str
    domain: str
    publisher: str
    language: str
    source: str
    source_path: str
    source_commit: str | None
    gold_from: str
    licence: str
    gold: str
    text: str | None
    must: tuple[str, ...]
    must_not: tuple[str, ...]
    title: str | None
    authors: tuple[str, ...] | None
    date: str | None

    def html(self) -> bytes:
        """The page's bytes as saved (gzip-compressed files are decompressed)."""
        raw = self.file.read_bytes()
        return gzip.decompress(raw) if self.file.suffix == ".gz" else raw


def load_devset(manifest: Path = MANIFEST, root: Path = REPOSITORY) -> list[DevPage]:
    """Every page of the manifest; file paths in it are relative to the repository root."""
    pages = []
    for number, line in enumerate(manifest.read_text(encoding="utf-8").splitlines(), 1):
        if line.strip():
            try:
                pages.append(_page(json.loads(line), root))
            except (ValueError, KeyError, TypeError) as exc:
                raise ManifestError(f"{manifest}:{number}: {exc}") from exc
    return pages


def _page(row: dict[str, Any], root: Path) -> DevPage:
    missing = [name for name in REQUIRED if not row.get(name)]
    if missing:
        raise ManifestError(f"missing {', '.join(missing)}")
    if row["gold"] not in GOLD_KINDS:
        raise ManifestError(f"gold must be one of {GOLD_KINDS}, not {row['gold']!r}")
    text = None
    if row["gold"] == "text":
        text = (root / row["gold_file"]).read_text(encoding="utf-8")
    must = tuple(normalise(s) for s in row.get("must") or ())
    if row["gold"] == "snippets" and not must:
        raise ManifestError("a snippets page needs at least one must snippet")
    return DevPage(
        id=row["id"],
        file=root / row["file"],
        url=row["url"],
        domain=row["domain"],
        publisher=row["publisher"],
        language=row["language"],
        source=row["source"],
        source_path=row["source_path"],
        source_commit=row.get("source_commit"),
        gold_from=row["gold_from"],
        licence=row["licence"],
        gold=row["gold"],
        text=text,
        must=must,
        must_not=tuple(normalise(s) for s in row.get("must_not") or ()),
        title=row.get("title"),
        authors=tuple(row["authors"]) if row.get("authors") else None,
        date=row.get("date"),
    )


def normalise(text: str) -> str:
    """NFC and single spaces: how the gold and the extracted text are compared."""
    return " ".join(unicodedata.normalize("NFC", text).split())


_SPACE_AT_PUNCTUATION = re.compile(r"\s*([^\w\s])\s*")


def unspaced_at_punctuation(text: str) -> str:
    """Without the spaces beside punctuation: several projects' gold snippets were cut from
    tokenised text ("Putin 's", "Combinator -backed", '" How'), which no extractor's output
    reproduces. Spaces between words stay, so glued words still count as missing."""
    return _SPACE_AT_PUNCTUATION.sub(r"\1", text)


def score_snippets(text: str, page: DevPage) -> Counts:
    """A must snippet found is a true positive, a must-not snippet found a false positive.
    Found means present after normalisation, spaces beside punctuation aside (same rule for
    every extractor)."""
    body = unspaced_at_punctuation(normalise(text))
    found = sum(unspaced_at_punctuation(snippet) in body for snippet in page.must)
    leaked = sum(unspaced_at_punctuation(snippet) in body for snippet in page.must_not)
    return Counts(
        tp=found, fn=len(page.must) - found, fp=leaked, tn=len(page.must_not) - leaked, pages=1
    )


def title_matches(gold: str, found: str | None) -> bool:
    """Exact, after Unicode NFC and whitespace normalisation."""
    return found is not None and normalise(gold) == normalise(found)


def authors_match(gold: tuple[str, ...], found: list[str] | tuple[str, ...]) -> bool:
    """The same set of names, ignoring case and spacing (order of the byline does not matter)."""
    return {normalise(n).casefold() for n in gold} == {
        normalise(n).casefold() for n in found if n.strip()
    }


def date_matches(gold: str, found: str | None) -> bool:
    """The same calendar day.

    A gold date without a time (or without an offset) is a local day: the found date's own
    day must equal it. A gold instant (with an offset, e.g. Mercury's UTC times) is compared
    in the found date's offset when it has one; a found date without an offset matches if
    some real offset (UTC-12 to UTC+14) puts the gold instant on that day.
    """
    found_day, found_moment = _parse(found) if found else (None, None)
    gold_day, gold_moment = _parse(gold)
    if found_day is None or gold_day is None:
        return False
    if gold_moment is None or gold_moment.tzinfo is None:
        return found_day == gold_day
    if found_moment is not None and found_moment.tzinfo is not None:
        return found_day == gold_moment.astimezone(found_moment.tzinfo).date()
    utc = gold_moment.astimezone(UTC)
    return any((utc + timedelta(hours=h)).date() == found_day for h in range(-12, 15))


def _parse(value: str) -> tuple[date | None, datetime | None]:
    value = value.strip()
    try:
        moment = datetime.fromisoformat(value)
    except ValueError:
        try:
            return date.fromisoformat(value[:10]), None
        except ValueError:
            return None, None
    if len(value) <= 10:
        return moment.date(), None
    return moment.date(), moment
