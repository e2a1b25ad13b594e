"""The read-only syndication server (`syndicate serve`): JSON API, feeds and a small HTML site."""

from __future__ import annotations

from syndicate.web.app import create_app

__all__ = ["create_app"]
