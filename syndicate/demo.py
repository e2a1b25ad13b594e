"""The offline demo: the built-in sources' saved pages served locally, one source file for them.

Everything it needs ships with the package (the pages are the sources' fixtures), so
`syndicate demo` works from an installed wheel without network access.
"""

from __future__ import annotations

import json
import re
from datetime import UTC, datetime, timedelta
from urllib.parse import urlsplit

from spiders.registry import BUILTIN_DIR
from syndicate.testsite import NewsSite, Trouble
from syndicate.testsite_pages import saved_page

FIXTURES = BUILTIN_DIR / "fixtures"
DEMO_KEY = "demo"
START = datetime(2024, 1, 1, tzinfo=UTC)


def demo_site() -> NewsSite:
    """Every built-in fixture page under /news/<its host>/, plus a 404 to show a failure."""
    pages = []
    for number, expected in enumerate(sorted(FIXTURES.glob("*.expected.json"))):
        data = json.loads(expected.read_text(encoding="utf-8"))
        host = urlsplit(data["url"]).hostname or "unknown"
        modified = START + timedelta(hours=number)
        page = saved_page(FIXTURES / data["file"], data["url"], modified, prefix=f"/news/{host}")
        pages.append(page)
    return NewsSite(pages, Trouble(missing=["/news/gone.example/deleted-story.html"]))


def demo_source(base: str) -> str:
    """The demo source file: the local site's feed, robots.txt sitemaps and homepage."""
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
