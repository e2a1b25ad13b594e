"""The whole extracted Article recorded in a golden page's expected JSON (key "article").

The reviewed assertions (title, date, snippets) catch what a person checked; the snapshot
catches every other change (a lost tag, a new removal, a shifted word count), shown as one
line per field and accepted by rewriting the snapshot, reviewed as a git diff.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

from extractors.article import Article

ARTICLE_KEY = "article"
NO_SNAPSHOT = "no recorded article: run `syndicate sources test --update`"
CONTEXT = 80  # characters shown around the first difference of a long value
_MISSING = object()  # a key one side lacks (None is a real value)


def compare_snapshot(article: Article, expected: dict[str, Any]) -> list[str]:
    """One line per field of the recorded article that the extracted one does not match."""
    recorded = expected.get(ARTICLE_KEY)
    if not isinstance(recorded, dict):
        return [NO_SNAPSHOT]
    return _differences(ARTICLE_KEY, recorded, article.to_dict())


def _differences(prefix: str, want: dict[str, Any], got: dict[str, Any]) -> list[str]:
    """Every key of either side (a field added to Article shows up as unrecorded)."""
    lines: list[str] = []
    for name in list(got) + [k for k in want if k not in got]:
        left, right = want.get(name, _MISSING), got.get(name, _MISSING)
        if isinstance(left, dict) and isinstance(right, dict):
            lines.extend(_differences(f"{prefix}.{name}", left, right))
        elif left != right:
            lines.append(f"{prefix}.{name}: {_describe(left, right)}")
    return lines


def _describe(want: object, got: object) -> str:
    if want is _MISSING:
        return f"not recorded, got {_shown(got, 0)}"
    if got is _MISSING:
        return f"expected {_shown(want, 0)}, the article has no such field"
    left, right = _raw(want), _raw(got)
    if max(len(left), len(right)) <= CONTEXT:
        return f"expected {want!r}, got {got!r}"
    at = _first_difference(left, right)
    return f"expected {_shown(want, at)}, got {_shown(got, at)} (first difference at {at})"


def _raw(value: object) -> str:
    return value if isinstance(value, str) else repr(value)


def _shown(value: object, at: int) -> str:
    """About CONTEXT characters around position `at`, with … outside the quotes where cut."""
    raw = _raw(value)
    start = max(0, at - CONTEXT // 2)  # the same window on both sides
    end = start + CONTEXT
    part = raw[start:end]
    return (
        ("…" if start else "")
        + (repr(part) if isinstance(value, str) else part)
        + ("…" if end < len(raw) else "")
    )


def _first_difference(left: str, right: str) -> int:
    pairs = zip(left, right, strict=False)
    return next((i for i, (a, b) in enumerate(pairs) if a != b), min(len(left), len(right)))


def with_snapshot(expected: dict[str, Any], article: Article) -> dict[str, Any]:
    """`expected` with its "article" replaced (or appended last); other keys keep their order."""
    updated = dict(expected)
    updated[ARTICLE_KEY] = article.to_dict()
    return updated


def dump_expected(expected: dict[str, Any]) -> str:
    """The one on-disk form (deterministic, so an unchanged extraction is an unchanged file)."""
    return json.dumps(expected, ensure_ascii=False, indent=2) + "\n"


def update_snapshot(path: Path, article: Article) -> bool:
    """Rewrite the expected file's snapshot with `article`; True if the file changed."""
    old = path.read_text(encoding="utf-8")
    new = dump_expected(with_snapshot(json.loads(old), article))
    if new == old:
        return False
    path.write_text(new, encoding="utf-8")
    return True
