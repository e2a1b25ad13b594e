"""Author names from the page's signals, with the junk that CMSs put there filtered out."""

from __future__ import annotations

import re
from collections.abc import Iterable

from extractors.source_rules import name_key

# CMS account names and placeholders, not people (compared case- and accent-folded).
_NOT_PEOPLE = {
    "admin", "administrator", "administrador", "root", "user", "usuario", "editor", "webmaster",
    "author", "autor", "guest", "invitado", "anonymous", "anonimo", "unknown", "desconocido",
    "null", "none", "nobody", "staff", "redaccion", "wpadmin", "publisher", "contributor",
}  # fmt: skip
_SPLIT = re.compile(r"\s*(?:,|;|\||&|\band\b|\by\b|/)\s*")
_PREFIX = re.compile(r"^(by|por|written by|escrito por|autor(a)?:?|author:?)\s+", re.IGNORECASE)
_DIGITS = re.compile(r"\d")
# A person's or desk's name has at most this many words; more is a sentence, not a name.
_MAX_NAME_WORDS = 6
# Site names at least this long drop author names containing them; shorter ones match by chance.
_MIN_SITE_NAME_CHARS = 6


def clean_authors(candidates: Iterable[str], *, not_names: Iterable[str] = ()) -> list[str]:
    """Distinct author names in order; account names, site names, URLs and dates are dropped."""
    site_names = {name_key(n) for n in not_names if n}
    authors: list[str] = []
    seen: set[str] = set()
    for candidate in candidates:
        for part in _split(candidate):
            key = name_key(part)
            if key and key not in seen and not _is_excluded(key, site_names) and _plausible(part):
                seen.add(key)
                authors.append(part)
    return authors


def _is_excluded(key: str, site_names: set[str]) -> bool:
    """Account names, and names built on the site's own name ("Noticias El Comercio Perú")."""
    return key in _NOT_PEOPLE or any(
        len(name) >= _MIN_SITE_NAME_CHARS and name in key for name in site_names
    )


def _split(value: str) -> list[str]:
    value = _PREFIX.sub("", " ".join(value.split()))
    if value.startswith(("http://", "https://")) or "@" in value:
        return []
    return [part.strip(" .,-–—") for part in _SPLIT.split(value) if part.strip(" .,-–—")]


def _plausible(name: str) -> bool:
    """A person's or desk's name: short, with letters, no digits (dates, ids) and no markup."""
    words = name.split()
    return (
        0 < len(words) <= _MAX_NAME_WORDS
        and not _DIGITS.search(name)
        and "<" not in name
        and any(c.isalpha() for c in name)
    )
