"""The offline demo: the built-in sources' saved pages served locally, one source file for them.

Everything it needs ships with the package (the pages are the sources' fixtures), so
`syndicate demo` works from an installed wheel without network access.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from pathlib import Path
from urllib.parse import urlsplit

from devsite.pages import saved_page
from devsite.server import NewsSite, Trouble
from spiders.registry import BUILTIN_DIR

FIXTURES = BUILTIN_DIR / "fixtures"
DEMO_PAGES = Path(__file__).parent / "demo_pages"
DEMO_KEY = "demo"
# Where the demo site is published, whatever port it runs on: stored URLs stay the same from
# one run to the next, so rerunning the demo finds its articles unchanged (RFC 6761 keeps
# .localhost for loopback; the crawl reaches it through the server as an HTTP proxy).
DEMO_ORIGIN = "http://demo.localhost"
START = datetime(2024, 1, 1, tzinfo=UTC)


def demo_site() -> NewsSite:
    """Every built-in fixture page and the demo pages under /news/<host>/, plus a 404."""
    found = [_read(expected) for expected in sorted(FIXTURES.glob("*.expected.json"))]
    listed = json.loads((DEMO_PAGES / "pages.json").read_text(encoding="utf-8"))
    found += [(DEMO_PAGES / item["file"], item["url"]) for item in listed]
    pages = []
    for number, (file, url) in enumerate(found):
        host = urlsplit(url).hostname or "unknown"
        modified = START + timedelta(hours=number)
        pages.append(saved_page(file, url, modified, prefix=f"/news/{host}"))
    trouble = Trouble(missing=["/news/gone.example/deleted-story.html"])
    return NewsSite(pages, trouble, public_origin=DEMO_ORIGIN)


def _read(expected: Path) -> tuple[Path, str]:
    data = json.loads(expected.read_text(encoding="utf-8"))
    return FIXTURES / data["file"], str(data["url"])


def demo_source(base: str = DEMO_ORIGIN) -> str:
    """The demo source file: the demo site's feed, robots.txt sitemaps and homepage."""
    return f"""# Written by `syndicate demo` for its local test site.
key = "{DEMO_KEY}"
name = "Demo News"
homepage = "{base}/"
language = "es"
timezone = "Europe/Madrid"

[discovery]
feeds = ["{base}/rss.xml"]
sitemaps = ["{base}/robots.txt"]
sections = ["{base}/"]
article_urls = ['^{re.escape(base)}/news/']

[crawl]
delay = 0
concurrency = 4
"""
