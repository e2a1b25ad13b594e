"""Every crawl component gets its database from one setting, and steps aside without one."""

from __future__ import annotations

from typing import Any

import pytest
from scrapy.exceptions import NotConfigured
from scrapy.utils.test import get_crawler

from pipelines.incremental import IncrementalMiddleware
from pipelines.runs import CrawlRunRecorder
from pipelines.store import StorePipeline
from spiders.registry import load_catalog
from spiders.source_spider import make_spider_class

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
