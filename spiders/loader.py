"""Scrapy's spider loader for syndicate: one spider per source file (`scrapy list` lists them)."""

from __future__ import annotations

import builtins
import logging

import scrapy
from scrapy.settings import BaseSettings

from spiders.registry import load_catalog
from spiders.source_spider import SourceSpider, make_spider_class

logger = logging.getLogger(__name__)


class SourceSpiderLoader:
    """Implements Scrapy's SpiderLoaderProtocol over the source catalog."""

    def __init__(self, settings: BaseSettings) -> None:
        catalog = load_catalog(strict=False)  # a broken operator file stops only its source
        for problem in catalog.problems:
            logger.warning("source file skipped: %s", problem)
        self._spiders = {c.key: make_spider_class(c) for c in catalog.configs()}
        self._publishers = catalog.publishers()

    @classmethod
    def from_settings(cls, settings: BaseSettings) -> SourceSpiderLoader:
        return cls(settings)

    def load(self, spider_name: str) -> type[SourceSpider]:
        try:
            return self._spiders[spider_name]
        except KeyError:
            raise KeyError(f"Spider not found: {spider_name}") from None

    def list(self) -> list[str]:
        return sorted(self._spiders)

    def find_by_request(self, request: scrapy.Request) -> builtins.list[str]:
        """Sources whose site serves the URL (`scrapy parse URL` and `scrapy fetch` use this)."""
        publisher = self._publishers.by_url(request.url)
        return [publisher.key] if publisher else []
