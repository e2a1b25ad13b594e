"""Canonical article URLs, the one normalisation behind `Article.canonical_url` and storage's
"one article per canonical URL": trackers and fragments stripped, AMP and mobile variants folded."""

from __future__ import annotations

import re
from urllib.parse import parse_qsl, urlencode, urljoin, urlsplit, urlunsplit

# Query parameters that select an AMP/print/app rendering of the same article.
_VARIANT_PARAMS = {"outputtype", "output", "amp"}
_VARIANT_VALUES = {"amp", "1", "true", ""}
# Tracking parameters courlan does not know (it handles utm_*, fbclid, gclid and the like).
_ALWAYS_DROP = {
    "ref", "ref_src", "ref_url", "cmpid", "ncid", "ocid", "smid", "spm", "ito", "sr_share",
    "igshid", "mc_cid", "mc_eid", "_ga", "dicbo", "amp_js_v", "usqp", "_amp",
}  # fmt: skip
# Host prefixes of mobile and AMP mirrors: m.example.com, amp.example.com, mobile.example.com.
_MIRROR_HOST = re.compile(r"^(?:m|amp|mobile)\.(?=[^.]+\.[^.]+)")
# An `amp` path segment at the start or end (/amp/story/, /story/amp/), or story.amp.html.
_LEADING_AMP = re.compile(r"^/amp(?=/)")
_TRAILING_AMP = re.compile(r"/amp/?$")
_AMP_SUFFIX = re.compile(r"\.amp(?=\.html?$)", re.IGNORECASE)


class InvalidURLError(ValueError):
    """The URL cannot identify an article (no http(s) scheme or no host)."""


def canonical_url(url: str) -> str:
    """Normalised form of `url`: trackers and fragment stripped, AMP and mobile variants folded.

    courlan removes tracking parameters (utm_*, fbclid, gclid, ...) and lowercases the host;
    w3lib sorts and percent-encodes the query; the AMP/mobile folding is ours.
    """
    from courlan import normalize_url  # here: reading source files needs only host_of
    from w3lib.url import canonicalize_url

    parts = urlsplit(url.strip())
    if parts.scheme not in {"http", "https"} or not parts.hostname:
        raise InvalidURLError(f"not an absolute http(s) URL: {url!r}")
    cleaned = normalize_url(url.strip(), strict=False, trailing_slash=True)
    parts = urlsplit(cleaned)
    host = _MIRROR_HOST.sub("", parts.netloc)
    path = _TRAILING_AMP.sub("/", _LEADING_AMP.sub("", _AMP_SUFFIX.sub("", parts.path))) or "/"
    query = urlencode([(k, v) for k, v in parse_qsl(parts.query, True) if _keeps(k, v)])
    return canonicalize_url(urlunsplit((parts.scheme, host, path, query, "")))


def _keeps(name: str, value: str) -> bool:
    lowered = name.lower()
    if lowered in _ALWAYS_DROP:
        return False
    return not (lowered in _VARIANT_PARAMS and value.lower() in _VARIANT_VALUES)


def host_of(url: str | None) -> str:
    """The URL's host, lower-cased and without `www.` ("" when there is none or it is broken)."""
    try:
        return (urlsplit(url or "").hostname or "").removeprefix("www.")
    except ValueError:  # e.g. "http://[::1/x": an unclosed IPv6 bracket
        return ""


def absolute(url: str | None, base: str) -> str | None:
    """`url` resolved against the page URL; None for empty, broken or non-http values, so one
    bad metadata URL drops that field and never the article."""
    if not url:
        return None
    try:
        joined = urljoin(base, url.strip())
    except ValueError:  # e.g. "http://[::1/x.jpg": an unclosed IPv6 bracket
        return None
    return joined if joined.startswith(("http://", "https://")) else None
