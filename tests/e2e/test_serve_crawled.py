"""`syndicate serve` over a database filled by a real crawl of the local news site, read over
HTTP on 127.0.0.1: feeds as feedparser sees them, the JSON Feed against the 1.1 spec, the
API paged while articles arrive, conditional requests, every refusal, and the pages in a
headless Chromium (Debian's, driven by selenium; no download, loopback only).

One crawl per database kind (SQLite, and PostgreSQL when TEST_DATABASE_URL is set) and
one server for the module. Expectations are read from the database at the time of each
test, so the articles the paging test adds do not upset the others.
"""

from __future__ import annotations

import base64
import calendar
import json
import os
import shutil
import struct
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from email.utils import format_datetime
from pathlib import Path
from typing import Any

import feedparser
import lxml.html
import pytest
from selenium import webdriver
from selenium.webdriver.chrome.options import Options
from selenium.webdriver.chrome.service import Service
from selenium.webdriver.common.by import By
from selenium.webdriver.support import expected_conditions
from selenium.webdriver.support.wait import WebDriverWait
from sqlalchemy import Engine

from pipelines.processing import process_page
from storage.database import make_engine, session_scope
from storage.reading import ArticleFilters, StoredArticle, articles_page
from storage.records import FetchedPage
from tests.support.crawled_site import ELCOMERCIO, NEWS, crawl, publishers
from tests.support.databases import postgres_schema
from tests.support.jsonfeed_spec import JsonFeed
from tests.support.pagegen import numbered_page
from tests.support.serve_process import Answer, Server, serving
from tests.support.sources import ELCOMERCIO as ELCOMERCIO_RULES
from tests.support.stored_articles import ORIGINAL_TITLE

KINDS = ["sqlite", pytest.param("postgresql", marks=pytest.mark.postgres)]
FEED_KEYS = ["all", NEWS]
SCREENSHOT_DIR = "SYNDICATE_SCREENSHOT_DIR"  # also save the article screenshot there (docs/img)


@dataclass(frozen=True)
class Served:
    """The crawled database and the server reading it."""

    server: Server
    engine: Engine
    sources: Path


@pytest.fixture(scope="module", params=KINDS)
def served(
    request: pytest.FixtureRequest, tmp_path_factory: pytest.TempPathFactory
) -> Iterator[Served]:
    folder = tmp_path_factory.mktemp(f"served-{request.param}")
    with ExitStack() as stack:
        if request.param == "sqlite":
            db_url = f"sqlite:///{folder / 'crawl.db'}"
        else:
            db_url = stack.enter_context(postgres_schema(request.getfixturevalue("postgres_url")))
        crawled = crawl(db_url, folder / "sources")
        assert crawled.returncode == 0, crawled.stderr[-3000:]
        engine = make_engine(db_url)
        stack.callback(engine.dispose)
        server = stack.enter_context(serving(db_url, folder / "serve.log"))
        yield Served(server, engine, folder / "sources")
    assert "Traceback" not in (folder / "serve.log").read_text(errors="replace")


def stored(served: Served, source: str | None = None) -> list[StoredArticle]:
    """Every stored article (of `source`), id ascending, as the database has it now."""
    with session_scope(served.engine) as session:
        return articles_page(session, ArticleFilters(source=source), 0, 10_000)


def feed_source(key: str) -> str | None:
    return None if key == "all" else key


def words(text: str) -> str:
    return " ".join(text.split())


def the_copy(articles: list[StoredArticle]) -> StoredArticle:
    """The seed page's copy (credited "Source: Elcomercio"), linked to the crawled original."""
    return next(a for a in articles if a.article.attribution.original_source == ELCOMERCIO)


def ok(answer: Answer) -> bytes:
    assert answer.status == 200, answer.body[:500]
    return answer.body


def test_the_crawl_linked_the_copy_to_its_original(served: Served) -> None:
    articles = stored(served)
    assert {a.article.source for a in articles} == {ELCOMERCIO, NEWS}
    original = next(a for a in articles if a.article.title == ORIGINAL_TITLE)
    copy = the_copy(articles)
    assert copy.article.source == NEWS
    assert copy.original_article_id == original.id
    assert copy.original_url == original.article.canonical_url
    assert copy.article.attribution.original_publisher == "El Comercio"


def moment(struct_time: Any) -> datetime:
    """feedparser's UTC time tuple as an aware datetime."""
    return datetime.fromtimestamp(calendar.timegm(struct_time), UTC)


def html_of(markup: str) -> lxml.html.HtmlElement:
    return lxml.html.fromstring(f"<div>{markup}</div>")


def text_of(element: lxml.html.HtmlElement) -> str:
    return words("".join(element.itertext()))


def seconds(iso: str | datetime) -> datetime:
    value = datetime.fromisoformat(iso) if isinstance(iso, str) else iso
    return value.astimezone(UTC).replace(microsecond=0)


def check_attribution(kind: str, entry: Any, article: StoredArticle) -> None:
    """The credit paragraph at the end of the content, and the feed's own elements."""
    last = html_of(entry.content[0].value).findall(".//p")[-1]
    attribution, url = article.article.attribution, article.original_url
    if url is None and attribution.original_publisher is None:
        assert not text_of(last).startswith("Originally published by")
        assert "source" not in entry
        return
    who = article.original_publisher or "another publisher"
    credit = f" Credit: {attribution.credit}" if attribution.credit else ""
    expected = f"Originally published by {who}{f': {url}' if url else ''}.{credit}"
    assert text_of(last) == expected
    assert [a.get("href") for a in last.iter("a")] == ([url] if url else [])
    if url is None:
        assert "source" not in entry  # RSS <source> needs a URL; Atom's would name nothing
        return
    assert entry.source.title == who
    if kind == "atom":
        assert entry.source.link == url
        assert [link.href for link in entry.links if link.rel == "via"] == [url]
    else:
        assert entry.source.href == url


@pytest.mark.parametrize("kind", ["atom", "rss"])
@pytest.mark.parametrize("key", FEED_KEYS)
def test_feeds_carry_every_crawled_article_intact(served: Served, kind: str, key: str) -> None:
    expected = {a.article.canonical_url: a for a in stored(served, feed_source(key))}
    feed = feedparser.parse(ok(served.server.request(f"/feeds/{key}.{kind}?limit=500")))
    assert not feed.bozo, feed.get("bozo_exception")
    assert len(feed.entries) == len(expected)
    assert {entry.id for entry in feed.entries} == set(expected)
    for entry in feed.entries:
        article = expected[entry.id]
        assert entry.link == article.article.canonical_url
        assert entry.title == article.article.title
        assert [a.name for a in entry.get("authors", [])] == article.article.authors
        if article.article.published_at is None:
            assert entry.get("published_parsed") is None
        else:
            assert moment(entry.published_parsed) == seconds(article.article.published_at)
        if kind == "atom":
            assert moment(entry.updated_parsed) == seconds(article.updated_at)
        content = text_of(html_of(entry.content[0].value))
        assert words(article.article.text.split("\n")[0])[:80] in content
        check_attribution(kind, entry, article)
    newest_first = [
        seconds(article.article.published_at or article.first_seen_at)
        for article in (expected[entry.id] for entry in feed.entries)
    ]
    assert newest_first == sorted(newest_first, reverse=True)
    assert the_copy(stored(served)).article.canonical_url in expected  # both feeds have it


@pytest.mark.parametrize("key", FEED_KEYS)
def test_json_feed_meets_the_1_1_spec_with_the_syndicate_extension(
    served: Served, key: str
) -> None:
    expected = {a.article.canonical_url: a for a in stored(served, feed_source(key))}
    answer = served.server.request(f"/feeds/{key}.json?limit=500")
    assert answer.headers["content-type"].startswith("application/feed+json")
    feed = JsonFeed.model_validate_json(ok(answer))
    assert feed.feed_url == f"{served.server.base_url}/feeds/{key}.json"
    assert {item.id for item in feed.items} == set(expected)
    assert len(feed.items) == len(expected)
    for item in feed.items:
        article = expected[item.id]
        assert item.title == article.article.title
        assert item.content_text == article.article.text
        assert item.date_modified == seconds(article.updated_at)
        published = article.article.published_at
        assert item.date_published == (datetime.fromisoformat(published) if published else None)
        assert item.external_url == article.original_url
        attribution = article.article.attribution
        assert item.extension("syndicate") == {
            "article_id": article.id,
            "source": article.article.source,
            "version": article.version,
            "original_article_id": article.original_article_id,
            "publisher": attribution.publisher,
            "original_publisher": attribution.original_publisher,
            "original_source": attribution.original_source,
            "original_url": article.original_url,
            "credit": attribution.credit,
        }
    copy = the_copy(stored(served))
    item = next(i for i in feed.items if i.id == copy.article.canonical_url)
    assert copy.original_url is not None and item.external_url == copy.original_url
    assert item.extension("syndicate")["original_publisher"] == "El Comercio"


def http_date(moment: datetime) -> str:
    return format_datetime(moment.astimezone(UTC), usegmt=True)


@pytest.mark.parametrize(
    "path",
    ["/feeds/all.atom", f"/feeds/{NEWS}.json", "/api/articles?limit=10", "/api/articles/{copy}"],
)
def test_etag_and_last_modified_give_304(served: Served, path: str) -> None:
    server, path = served.server, path.format(copy=the_copy(stored(served)).id)
    first = server.request(path)
    ok(first)
    etag, modified = first.headers["etag"], first.headers["last-modified"]
    if path.startswith("/api/articles?"):
        newest = max(a.updated_at for a in stored(served)[:10])
        assert modified == http_date(newest)  # the newest change among what it shows
    same = server.request(path, headers={"If-None-Match": etag})
    assert (same.status, same.body, same.headers["etag"]) == (304, b"", etag)
    assert server.request(path, headers={"If-Modified-Since": modified}).status == 304
    earlier = http_date(datetime.strptime(modified, "%a, %d %b %Y %H:%M:%S GMT") - timedelta(1))
    assert ok(server.request(path, headers={"If-Modified-Since": earlier})) == first.body
    # The ETag decides: a stale one gets the body even with a current If-Modified-Since.
    stale = {"If-None-Match": '"stale"', "If-Modified-Since": modified}
    assert ok(server.request(path, headers=stale)) == first.body
    head = server.request(path, "HEAD")
    assert (head.status, head.body, head.headers["etag"]) == (200, b"", etag)


def forged_cursor() -> str:
    """A cursor of another version than the server issues (well-formed otherwise)."""
    return base64.urlsafe_b64encode(b'{"v":2,"after":1}').decode().rstrip("=")


REFUSALS = [
    ("GET", "/api/articles?source=nosuch", 404, "unknown source 'nosuch'"),
    ("GET", "/feeds/nosuch.atom", 404, "unknown source 'nosuch'"),
    ("GET", "/feeds/nosuch.json", 404, "unknown source 'nosuch'"),
    ("GET", "/?source=nosuch", 404, "unknown source 'nosuch'"),
    ("GET", "/feeds/all.xml", 404, "no feed 'all.xml'"),
    ("GET", "/api/articles?since=yesterday", 400, "since: not an ISO 8601"),
    ("GET", "/api/articles?until=2024-02-30", 400, "until: not an ISO 8601"),
    ("GET", "/api/articles?updated_since=2024-01-01T25:00", 400, "updated_since: not an ISO"),
    ("GET", "/api/articles?cursor=not-a-cursor", 400, "cursor: not a cursor this server"),
    ("GET", f"/api/articles?cursor={forged_cursor()}", 400, "cursor: not a cursor this server"),
    ("GET", "/api/articles?limit=101", 400, "limit: must be between 1 and 100"),
    ("GET", "/api/articles?limit=0", 400, "limit: must be between 1 and 100"),
    ("GET", "/api/articles?limit=ten", 400, "limit: "),
    ("GET", "/feeds/all.rss?limit=501", 400, "limit: must be between 1 and 500"),
    ("GET", "/api/articles/999999", 404, "unknown article 999999"),
    ("GET", "/api/articles/999999/versions", 404, "unknown article 999999"),
    ("GET", "/articles/999999", 404, "unknown article 999999"),
    ("GET", "/api/articles/first", 400, "article_id: "),
    ("POST", "/api/articles", 405, "method not allowed: only GET and HEAD"),
    ("PUT", "/api/articles/1", 405, "method not allowed: only GET and HEAD"),
    ("DELETE", "/api/articles/1", 405, "method not allowed: only GET and HEAD"),
    ("PATCH", "/api/articles/1", 405, "method not allowed: only GET and HEAD"),
    ("POST", "/feeds/all.atom", 405, "method not allowed: only GET and HEAD"),
    ("DELETE", "/", 405, "method not allowed: only GET and HEAD"),
]


@pytest.mark.parametrize(("method", "path", "status", "error"), REFUSALS)
def test_every_bad_request_gets_its_4xx_as_one_line_of_json(
    served: Served, method: str, path: str, status: int, error: str
) -> None:
    answer = served.server.request(path, method)
    assert answer.status == status, answer.body
    assert answer.headers["content-type"] == "application/json"
    assert b"\n" not in answer.body.strip()
    document = json.loads(answer.body)
    assert list(document) == ["error"] and document["error"].startswith(error)
    assert b"Traceback" not in answer.body
    if status == 405:
        assert "GET" in answer.headers["allow"]


def chromium() -> webdriver.Chrome:
    """Debian's chromium through its chromedriver (selenium-manager never runs, so nothing is
    downloaded), headless, and unable to reach anything but 127.0.0.1: every name resolves
    to nothing and every other address goes to a closed loopback proxy port. JavaScript is
    off for pages, which need none (the driver's own commands still work)."""
    options = Options()
    options.binary_location = "/usr/bin/chromium"
    options.add_experimental_option(
        "prefs", {"profile.managed_default_content_settings.javascript": 2}
    )
    for argument in (
        "--headless=new",
        "--no-sandbox",
        "--disable-gpu",
        "--disable-dev-shm-usage",
        "--window-size=1200,900",
        "--host-resolver-rules=MAP * ~NOTFOUND , EXCLUDE 127.0.0.1",
        "--proxy-server=http://127.0.0.1:9",
        "--proxy-bypass-list=127.0.0.1",
        "--disable-background-networking",
        "--disable-component-update",
        "--disable-sync",
        "--no-first-run",
    ):
        options.add_argument(argument)
    return webdriver.Chrome(
        options=options, service=Service(executable_path="/usr/bin/chromedriver")
    )


def png_size(data: bytes) -> tuple[int, int]:
    """Width and height of a PNG (signature and IHDR chunk checked)."""
    assert data[:8] == b"\x89PNG\r\n\x1a\n" and data[12:16] == b"IHDR"
    width, height = struct.unpack(">II", data[16:24])
    return int(width), int(height)


def screenshot(driver: webdriver.Chrome, folder: Path, name: str, *, publish: bool) -> bytes:
    """Save and check a screenshot; `publish` also copies it to $SYNDICATE_SCREENSHOT_DIR."""
    path = folder / name
    assert driver.save_screenshot(str(path))
    data = path.read_bytes()
    width, height = png_size(data)
    assert width >= 800 and height >= 600 and len(data) > 20_000  # a rendered page, not blank
    if publish and (target := os.environ.get(SCREENSHOT_DIR)):
        shutil.copyfile(path, Path(target) / name)
    return data


@pytest.mark.parametrize("served", ["sqlite"], indirect=True)
def test_a_browser_follows_the_listing_to_an_attributed_article(
    served: Served, tmp_path: Path
) -> None:
    articles = stored(served)
    copy, base = the_copy(articles), served.server.base_url
    driver = chromium()
    try:
        driver.get(f"{base}/")
        assert driver.find_element(By.TAG_NAME, "h1").text == "Latest articles"
        listed = driver.find_elements(By.CSS_SELECTOR, "main li a")
        assert len(listed) == min(len(articles), 50)
        assert {a.get_attribute("href") for a in listed} <= {
            f"{base}/articles/{a.id}" for a in articles
        }
        screenshot(driver, tmp_path, "serve-index.png", publish=False)

        link = driver.find_element(By.CSS_SELECTOR, f'main li a[href="/articles/{copy.id}"]')
        assert link.text == copy.article.title
        link.click()
        WebDriverWait(driver, 10).until(expected_conditions.url_to_be(f"{base}/articles/{copy.id}"))
        assert driver.find_element(By.TAG_NAME, "h1").text == copy.article.title
        page = words(driver.find_element(By.TAG_NAME, "article").text)
        assert words(copy.article.text.split("\n")[0])[:80] in page
        assert f"Originally published by El Comercio: {copy.original_url}." in page
        cells = {
            row.find_element(By.TAG_NAME, "th").text: row.find_element(By.TAG_NAME, "td").text
            for row in driver.find_elements(By.CSS_SELECTOR, "table tr")
        }
        assert cells["original publisher"] == "El Comercio"
        assert cells["credit"] == "Source: Elcomercio"
        assert cells["original here"] == f"article {copy.original_article_id}"
        links = driver.find_elements(By.CSS_SELECTOR, f'article a[href="{copy.original_url}"]')
        # The line under the title, then the credit paragraph: both lead to the original.
        assert [a.text for a in links] == ["Original by El Comercio", copy.original_url]
        fetched = driver.find_element(By.CSS_SELECTOR, f'article a[href="{copy.article.url}"]')
        assert fetched.text == f"Read it at {copy.article.site_name}"
        screenshot(driver, tmp_path, "serve-article.png", publish=True)
    finally:
        driver.quit()


def store_new(served: Served, number: int) -> int:
    """Store one more article the way a crawl does (the processing path), while serving."""
    url, body = numbered_page(number)
    page = FetchedPage(url, url, 200, {"Content-Type": "text/html"}, body, datetime.now(UTC))
    with session_scope(served.engine) as session:
        outcome = process_page(session, page, ELCOMERCIO_RULES, publishers(served.sources))
    assert outcome.outcome == "new" and outcome.article_id is not None, outcome.reason
    return outcome.article_id


def test_api_pages_through_everything_while_articles_arrive(served: Served) -> None:
    at_start = [a.id for a in stored(served)]
    assert len(at_start) > 20  # several pages of 10
    seen: list[int] = []
    added: list[int] = []
    path = "/api/articles?limit=10"
    while True:
        page = json.loads(ok(served.server.request(path)))
        assert len(page["articles"]) <= 10
        seen += [article["id"] for article in page["articles"]]
        if page["next"] is None:
            break
        added += [store_new(served, 1000 + len(added) + n) for n in range(2)]
        path = f"/api/articles?limit=10&cursor={page['next']}"
    assert len(seen) == len(set(seen))  # no repeats
    assert seen == [a.id for a in stored(served)]  # no gaps: everything, in id order
    assert set(at_start) <= set(seen) and set(added) <= set(seen)
    assert len(added) >= 4  # articles really arrived while it paged
