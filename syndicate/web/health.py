"""Sources with their health for `/api/sources` and `/sources`: the very facts of
`syndicate sources status --json` (pipelines.health), plus stored sources no source file
names any more (their articles are still served)."""

from __future__ import annotations

from datetime import UTC, datetime
from typing import Any

from sqlalchemy.orm import Session

from pipelines.health import source_statuses
from pipelines.health_json import status_json
from pipelines.lease import process_gone
from spiders.registry import SourceFileError, load_catalog
from storage.reading import stored_sources
from syndicate.web.errors import WebError


def sources_health(session: Session, now: datetime | None = None) -> list[dict[str, Any]]:
    """Every source by key: name, homepage, language and its status (null if no file)."""
    try:
        configs = load_catalog().configs()
    except SourceFileError as exc:
        raise WebError(500, f"invalid source files: {exc.problems[0]}") from None
    at = now or datetime.now(UTC)
    found = {
        status.facts.source: (config, status)
        for config, status in zip(
            configs, source_statuses(session, configs, now=at, gone=process_gone), strict=True
        )
    }
    listed = [
        _entry(c.key, c.name, c.homepage, c.language, status_json(s)) for c, s in found.values()
    ]
    for row in stored_sources(session):
        if row.key not in found:
            listed.append(_entry(row.key, row.name, row.homepage, row.language, None))
    return sorted(listed, key=lambda entry: str(entry["key"]))


def _entry(
    key: str, name: str, homepage: str | None, language: str | None, status: Any
) -> dict[str, Any]:
    return {"key": key, "name": name, "homepage": homepage, "language": language, "status": status}
