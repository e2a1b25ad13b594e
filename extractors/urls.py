"""URL normalisation shared by extraction (canonical_url) and storage (one article per URL)."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

from courlan import normalize_url

# Tracking and variant parameters that never change which article a URL names.
_DROP_PARAMS = frozenset((
    "fbclid", "gclid", "dclid", "msclkid", "yclid", "mc_cid", "mc_eid", "igshid", "_ga", "ref",
    "ref_src", "ref_url", "cmpid", "ncid", "ocid", "sr_share", "smid", "ito", "outputtype",
    "amp", "dicbo", "partner", "src", "source", "mod", "rss", "utm",
))  # fmt: skip
_AMP_PATH = re.compile(r"(?<=/)amp/?$|/amp(?=/)|\.amp(?=\.html?$|$)", re.IGNORECASE)


def normalize_article_url(url: str) -> str:
    """Strip tracking parameters and fragments; fold AMP and mobile variants onto the article."""
    try:
        cleaned = normalize_url(url, strict=False, trailing_slash=True)
    except (ValueError, AttributeError):
        return url
    parts = urlsplit(cleaned)
    host = parts.hostname or ""
    for prefix in ("amp.", "m.", "mobile."):
        if host.startswith(prefix) and host.count(".") >= 2:
            host = "www." + host[len(prefix) :] if host.count(".") == 2 else host[len(prefix) :]
    netloc = host + (f":{parts.port}" if parts.port else "")
    path = _AMP_PATH.sub("", parts.path) or "/"
    query = _clean_query(parts.query)
    return urlunsplit((parts.scheme, netloc, path, query, ""))


def _clean_query(query: str) -> str:
    pairs = [
        (name, value)
        for name, value in parse_qsl(query, keep_blank_values=True)
        if name.lower() not in _DROP_PARAMS and not name.lower().startswith("utm_")
    ]
    return urlencode(sorted(pairs))


def absolute(url: str | None, base: str) -> str | None:
    """`url` resolved against the page URL; None for empty or non-http values."""
    if not url:
        return None
    joined = urljoin(base, url.strip())
    return joined if joined.startswith(("http://", "https://")) else None
