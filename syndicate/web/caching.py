"""HTTP validators: a strong ETag of the body and Last-Modified of the newest change, so
readers that poll get `304 Not Modified` without the body.

The ETag decides (If-None-Match wins over If-Modified-Since, as RFC 9110 says);
Last-Modified is the newest `updated_at` among what the response shows.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterable
from datetime import UTC, datetime
from email.utils import format_datetime, parsedate_to_datetime

from fastapi import Request, Response

CACHE_CONTROL = "public, no-cache"  # may be stored, but revalidated each time


def etag_of(body: bytes) -> str:
    return '"' + hashlib.sha256(body).hexdigest()[:32] + '"'


def newest(moments: Iterable[datetime]) -> datetime | None:
    return max(moments, default=None)


def cached(
    request: Request, body: bytes, media_type: str, last_modified: datetime | None
) -> Response:
    """The response for `body`, or an empty 304 when the client's copy is current."""
    headers = {"ETag": etag_of(body), "Cache-Control": CACHE_CONTROL}
    if last_modified is not None:
        headers["Last-Modified"] = format_datetime(last_modified.astimezone(UTC), usegmt=True)
    if not_modified(request, headers["ETag"], last_modified):
        return Response(status_code=304, headers=headers)
    return Response(body, media_type=media_type, headers=headers)


def not_modified(request: Request, etag: str, last_modified: datetime | None) -> bool:
    match = request.headers.get("if-none-match")
    if match is not None:
        tags = {tag.strip().removeprefix("W/") for tag in match.split(",")}
        return "*" in tags or etag in tags
    since = request.headers.get("if-modified-since")
    if since is None or last_modified is None:
        return False
    try:
        client = parsedate_to_datetime(since)
    except (TypeError, ValueError):
        return False
    client = client if client.tzinfo else client.replace(tzinfo=UTC)
    return last_modified.replace(microsecond=0) <= client
