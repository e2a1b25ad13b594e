"""Jinja2 templates of the HTML pages (package data, read with importlib.resources)."""
