"""Politeness and wiring in the Scrapy settings every crawl starts from."""

from __future__ import annotations

import os
import subprocess
import sys

import pytest
from scrapy.settings import Settings

from syndicate.commands.crawl_cmd import SETTINGS_MODULE, crawl_settings


def test_crawls_are_polite_by_default() -> None:
    settings = Settings()
    settings.setmodule(SETTINGS_MODULE)
    assert settings.getbool("ROBOTSTXT_OBEY")
    assert settings.getbool("AUTOTHROTTLE_ENABLED")
    assert settings.getfloat("DOWNLOAD_DELAY") > 0
    agent = settings.get("USER_AGENT")
    assert agent.startswith("syndicate/")
    assert f"+{settings.get('SYNDICATE_CONTACT_URL')})" in agent
    assert settings.get("SPIDER_LOADER_CLASS") == "spiders.loader.SourceSpiderLoader"


def test_the_operator_contact_url_comes_from_the_environment() -> None:
    code = f"import {SETTINGS_MODULE} as s; print(s.USER_AGENT)"
    env = {**os.environ, "SYNDICATE_CONTACT_URL": "https://news.example/crawler"}
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    assert result.stdout.strip().endswith("(+https://news.example/crawler)")


@pytest.mark.parametrize("value", [None, "", "postgresql+psycopg://crawler@db.example/news"])
def test_scrapy_crawl_uses_the_same_default_database_as_the_cli(value: str | None) -> None:
    code = (
        f"import {SETTINGS_MODULE} as s; from storage.database import database_url; "
        "print(s.SYNDICATE_DATABASE_URL); print(database_url())"
    )
    env = {k: v for k, v in os.environ.items() if k != "SYNDICATE_DATABASE_URL"}
    if value is not None:
        env["SYNDICATE_DATABASE_URL"] = value
    result = subprocess.run(
        [sys.executable, "-c", code], env=env, capture_output=True, text=True, check=True
    )
    scrapy_default, cli_default = result.stdout.splitlines()
    assert scrapy_default == cli_default == (value or "sqlite:///syndicate.db")


def test_crawl_options_override_the_project_settings() -> None:
    settings = crawl_settings(database="sqlite:///x.db", limit=5, since=None, refresh=True)
    assert settings.get("SYNDICATE_DATABASE_URL") == "sqlite:///x.db"
    assert settings.getint("SYNDICATE_LIMIT") == 5
    assert settings.getbool("SYNDICATE_REFRESH")
    assert settings.get("SYNDICATE_SINCE") is None
