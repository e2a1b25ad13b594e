"""Page sets and source files for end-to-end crawls against the local news site.

The pages are the article extraction benchmark's 181 real pages (tests/site/aeb, MIT, see
its LICENSE) and the saved pages in tests/fixtures and the built-in sources' fixtures.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

import lxml.html

from devsite.pages import saved_page, variant
from devsite.server import SitePage
from extractors.page_files import read_page_file
from tests.support.paths import AEB, EL_COMERCIO_PAGE, FIXTURES, SOURCE_FIXTURES

BUILTIN_SOURCES = SOURCE_FIXTURES.parent
START = datetime(2024, 1, 1, tzinfo=UTC)

EL_COMERCIO_FILE = EL_COMERCIO_PAGE
EL_COMERCIO_URL = (
    "https://elcomercio.pe/politica/justicia/kenji-fujimori-juicio-contra-excongresista-por-"
    "presunta-compra-de-votos-continuara-el-18-de-mayo-pedro-pablo-kuczynski-ppk-fiscalia-"
    "rmmn-noticia/"
)
EL_COMERCIO_TITLE = "Kenji Fujimori: juicio por presunta compra de votos continuará el 18 de mayo"
# The listing URLs the built-in El Comercio source file names, served by the local site.
EL_COMERCIO_LISTINGS = {
    "/robots.txt": "robots",
    "/sitemap_index.xml": "index",
    "/arcio/rss/*": "rss",
    "/arcio/google-news-feed/": "news",
    "/sitemap/*": "index",
    "/": "home",
}


def el_comercio_pages(variants: int = 3) -> list[SitePage]:
    """The real El Comercio page and `variants` distinct articles made from it."""
    page = saved_page(EL_COMERCIO_FILE, EL_COMERCIO_URL, START)
    return [page, *(variant(page, n, EL_COMERCIO_TITLE) for n in range(1, variants + 1))]


def el_comercio_source(base: str, key: str = "elcomercio-local") -> str:
    """The built-in El Comercio source file with its hosts pointed at the local site."""
    text = (BUILTIN_SOURCES / "elcomercio.toml").read_text(encoding="utf-8")
    text = text.replace("https://elcomercio.pe", base)
    text = text.replace(r"https://elcomercio\.pe", re.escape(base))
    text = text.replace('key = "elcomercio"', f'key = "{key}"')
    return text.split("[[fixtures]]")[0]


def real_pages() -> list[SitePage]:
    """Every real article page in the repository: the 181 AEB pages and the fixture pages."""
    found = [(path, url) for path, url in _aeb_pages()] + _fixture_pages()
    pages = []
    for number, (path, url) in enumerate(found):
        host = urlsplit(url).hostname or "unknown"
        modified = START + timedelta(minutes=number)
        pages.append(saved_page(path, url, modified, prefix=f"/news/{host}"))
    return _unique_paths(pages)


def _aeb_pages() -> list[tuple[Path, str]]:
    truth = json.loads((AEB / "ground-truth.json").read_text(encoding="utf-8"))
    return [(AEB / "html" / f"{key}.html.gz", v["url"]) for key, v in truth.items()]


def _fixture_pages() -> list[tuple[Path, str]]:
    meta = json.loads((FIXTURES / "spanish-es" / "meta.info").read_text(encoding="utf-8"))
    pages = [
        (SOURCE_FIXTURES / name, info["url"])
        for name, info in meta.items()
        if (SOURCE_FIXTURES / name).exists()
    ]
    pages.append((EL_COMERCIO_FILE, EL_COMERCIO_URL))
    seed = FIXTURES / "seed" / "globalhappenings-putin-lukashenko.html"
    pages.append((seed, json.loads(seed.with_suffix(".expected.json").read_text())["url"]))
    pages += [
        (path, _canonical(path)) for path in sorted((FIXTURES / "aggregators").glob("*.html"))
    ]
    return pages


def _canonical(path: Path) -> str:
    for link in lxml.html.fromstring(read_page_file(path)).iter("link"):
        if link.get("rel") == "canonical":
            return str(link.get("href"))
    raise ValueError(f"{path}: no canonical link")


def _unique_paths(pages: list[SitePage]) -> list[SitePage]:
    seen: set[str] = set()
    unique = []
    for page in pages:
        if page.path in seen:
            page.path = f"{page.path.rstrip('/')}-{len(seen)}"
        seen.add(page.path)
        unique.append(page)
    return unique


def news_source(base: str, key: str = "localnews") -> str:
    """A source file for the /news/ site: feed, robots.txt sitemaps and the homepage."""
    return f"""
key = "{key}"
name = "Local News"
homepage = "{base}/"
language = "en"
timezone = "UTC"

[discovery]
feeds = ["{base}/rss.xml"]
sitemaps = ["{base}/robots.txt"]
sections = ["{base}/"]
article_urls = ['^{re.escape(base)}/(news|old)/']
"""
