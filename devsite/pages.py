"""Pages for the local test site: saved real pages placed under their own paths, and variants.

Variants (a real page with its path and title changed) let the benchmark build a site of
thousands of distinct articles from the few hundred real pages we may redistribute.
"""

from __future__ import annotations

import re
from datetime import datetime, timedelta
from pathlib import Path
from urllib.parse import quote, urlsplit

from devsite.server import SitePage
from extractors.page_files import read_page_file

_TITLE = re.compile(rb"<title[^>]*>(.*?)</title>", re.DOTALL | re.IGNORECASE)


def saved_page(file: Path, original_url: str, modified: datetime, *, prefix: str = "") -> SitePage:
    """`file` served at its original URL's path (under `prefix`); links to its site point here.

    With a prefix such as `/news/<host>`, pages of many sites share one server.
    """
    parts = urlsplit(original_url)
    path = prefix + quote(parts.path or "/", safe="/%:@!$&'()*+,;=-._~")
    origin = f"{parts.scheme}://{parts.netloc}".encode()
    other = origin.replace(b"https://", b"http://") if origin.startswith(b"https") else origin
    body = read_page_file(file)
    return SitePage(
        path=path,
        body=body,
        modified=modified,
        title=page_title(body),
        rewrites=((origin, prefix), (other, prefix)),
    )


def page_title(body: bytes) -> str:
    found = _TITLE.search(body)
    if not found:
        return ""
    return " ".join(found.group(1).decode("utf-8", "replace").split())[:200]


def variant(page: SitePage, number: int, title: str) -> SitePage:
    """A distinct article made from `page`: new path (also inside the body) and a new title."""
    prefix = page.rewrites[0][1] if page.rewrites else ""
    own_path = page.path.removeprefix(prefix)  # the path as the page's own links write it
    new_path = _variant_path(own_path, number)
    path = prefix + new_path
    body = page.body.replace(own_path.encode(), new_path.encode())
    if title:
        new_title = f"{title} (edición {number})"
        body = body.replace(title.encode(), new_title.encode())
    return SitePage(
        path=path,
        body=body,
        modified=page.modified + timedelta(minutes=number),
        title=f"{page.title} ({number})",
        content_type=page.content_type,
        rewrites=page.rewrites,
    )


def _variant_path(path: str, number: int) -> str:
    for ending in ("-noticia/", ".html", ".htm", "/"):
        if path.endswith(ending):
            return f"{path.removesuffix(ending)}-v{number}{ending}"
    return f"{path}-v{number}"
