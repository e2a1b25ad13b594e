"""`syndicate demo [--db URL]`: crawl a local copy of real news pages into SQLite, offline.

A newcomer sees the whole pipeline in one command: discovery (feed, sitemaps,
robots.txt), fetching, extraction, validation, storage and the run record.
"""

from __future__ import annotations

import tempfile
from pathlib import Path
from typing import TYPE_CHECKING

import typer

from syndicate.commands.crawl_cmd import crawl_settings, report, run_crawls, usable_database
from syndicate.commands.db_cmd import DbOption
from syndicate.console import console

if TYPE_CHECKING:  # Scrapy, the local site and storage load when the demo runs
    from rich.table import Table
    from scrapy.settings import Settings


def register(app: typer.Typer) -> None:
    app.command("demo")(demo)


def demo(
    db: DbOption = None,
) -> None:
    """Serve saved pages on 127.0.0.1, crawl them into the database, print what was stored."""
    from spiders.registry import extra_source_dir
    from syndicate.demo import DEMO_KEY, demo_site, demo_source

    url = usable_database(db)
    site = demo_site()
    with tempfile.TemporaryDirectory() as folder, site.serve(), extra_source_dir(Path(folder)):
        Path(folder, f"{DEMO_KEY}.toml").write_text(demo_source(site.base_url), encoding="utf-8")
        typer.echo(
            f"Serving {len(site.pages)} saved pages as {site.base_url} "
            f"(through {site.address}); crawling…"
        )
        outcomes = run_crawls(demo_settings(url, site.address), [DEMO_KEY])
    if code := report(url, outcomes):
        raise typer.Exit(code)
    console().print(f"Stored articles of source {DEMO_KEY!r}:")
    console().print(stored_table(url))
    typer.echo(f"Stored in {url}. Next: syndicate runs {DEMO_KEY} --db {url}")


def demo_settings(database: str, proxy: str) -> Settings:
    """The crawl's settings: quick (no delays), quiet, every request through the demo server."""
    from syndicate.demo_proxy import demo_proxy_settings

    settings = crawl_settings(database=database, limit=0, since=None, refresh=True)
    quick = {"AUTOTHROTTLE_ENABLED": False, "DOWNLOAD_DELAY": 0, "LOG_LEVEL": "WARNING"}
    middlewares = settings.getdict("DOWNLOADER_MIDDLEWARES")
    settings.setdict(quick | demo_proxy_settings(proxy, middlewares), priority="cmdline")
    return settings


def stored_table(url: str) -> Table:
    from rich.table import Table

    from storage.database import make_engine, session_scope
    from storage.repository import articles_of_source
    from syndicate.demo import DEMO_KEY

    table = Table("title", "source", "published", "words", "publisher", "original publisher")
    engine = make_engine(url)
    with session_scope(engine) as session:
        for article in articles_of_source(session, DEMO_KEY):
            table.add_row(
                (article.title or "")[:60],
                article.source,
                article.published_at or "-",
                str(article.word_count),
                article.attribution.publisher or "-",
                article.attribution.original_publisher or "-",
            )
    engine.dispose()
    return table
