"""Every crawl component gets its database from one setting, and steps aside without one;
a crawl migrates its database once, not once per component."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler
from sqlalchemy import select

import pipelines.database
from pipelines.database import open_database
from pipelines.incremental import IncrementalMiddleware
from pipelines.runs import CrawlRunRecorder
from pipelines.store import StorePipeline
from spiders.registry import load_catalog
from spiders.source_spider import make_spider_class
from storage.database import make_engine, session_scope, upgrade
from storage.models import Source
from syndicate.commands.crawl_cmd import usable_database

COMPONENTS = [IncrementalMiddleware, CrawlRunRecorder, StorePipeline]
SPIDER = make_spider_class(load_catalog().get("elcomercio"))


@pytest.mark.parametrize("component", COMPONENTS)
def test_components_read_the_database_url_setting(component: Any) -> None:
    crawler = get_crawler(SPIDER, {"SYNDICATE_DATABASE_URL": "sqlite:///x.db"})
    assert component.from_crawler(crawler).database_url == "sqlite:///x.db"


@pytest.mark.parametrize("component", COMPONENTS)
def test_components_are_left_out_when_no_database_is_set(component: Any) -> None:
    crawler = get_crawler(SPIDER, {"SYNDICATE_DATABASE_URL": ""})
    with pytest.raises(NotConfigured, match="SYNDICATE_DATABASE_URL is not set"):
        component.from_crawler(crawler)


def test_a_crawl_migrates_its_database_once(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    migrated: list[str] = []

    def counting_upgrade(url: str) -> None:
        migrated.append(url)
        upgrade(url)

    monkeypatch.setattr(pipelines.database, "upgrade", counting_upgrade)
    url = usable_database(f"sqlite:///{tmp_path / 'once.db'}")  # what `syndicate crawl` does
    rules = [config.rules() for config in load_catalog().configs()][:2]
    for source in rules:  # two spiders, each with a store pipeline and a run recorder
        for _component in ("store", "runs"):
            open_database(url, source).dispose()
    assert migrated == [url]
    engine = make_engine(url)
    with session_scope(engine) as session:
        assert {row.key for row in session.scalars(select(Source))} >= {r.key for r in rules}
    engine.dispose()
