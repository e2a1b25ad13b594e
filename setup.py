"""For `scrapyd-deploy` only: it runs `python setup.py bdist_egg` and writes a setup.py of its
own (another project name, every package) when none exists. Everything, including the `scrapy`
settings entry point scrapyd reads, is in pyproject.toml."""

from __future__ import annotations

from setuptools import setup  # type: ignore[import-untyped]  # setuptools 80 ships no types

setup()
