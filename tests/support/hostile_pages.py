"""Real El Comercio pages (tests/support/pagegen.py) carrying one XSS vector in every place a
publisher controls: the body (as text, inside a paragraph and as an element of its own), a
credit line and its link, the title, description, author, image and canonical declarations.

Metadata values are encoded for where they sit (attribute, JSON-LD string), so what the
extractor reads back is the vector itself; body vectors are raw markup, as a hostile page
would send them. The raw markup comes late in the body, so a vector that swallows the rest
of a page (an unclosed <style>) still leaves an article to extract.
"""

from __future__ import annotations

import html
import json
import re
from datetime import timedelta
from pathlib import Path

from storage.records import FetchedPage
from tests.support.pagegen import elcomercio_page, paragraphs, url_of
from tests.support.paths import FIXTURES
from tests.support.sources import T0

VECTORS_FILE = FIXTURES / "xss" / "vectors.txt"
PARAGRAPH_OPEN = '<p itemProp="description" class="story-contents__font-paragraph ">'
_JSON_ARTICLE_AUTHOR = '"author": {"@context": "http://schema.org/","@type":"Person","name":'


def load_vectors(path: Path = VECTORS_FILE) -> list[str]:
    """The corpus: one vector per line; "#" lines are comments."""
    lines = path.read_text(encoding="utf-8").splitlines()
    return [line for line in lines if line.strip() and not line.startswith("#")]


def title_mark(number: int) -> str:
    """How the number-th page's title starts, whatever the vector after it does."""
    return f"Titular XSS {number}"


def _attribute(value: str) -> str:
    return html.escape(value, quote=True)


def _json_string(value: str) -> str:
    """A JSON-LD string that cannot end its <script> element early ("<" as \\u003c)."""
    return json.dumps(value, ensure_ascii=False).replace("<", "\\u003c")


def _body(number: int, vector: str) -> list[str]:
    text = paragraphs(7000 + number)
    body = list(text)
    body[0] = f"{html.escape(vector)} {text[0]}"  # markup-like words, as text, first
    credited = html.escape(f"Agencia {number} {vector.replace(':', ' ')}")
    body[7] = f'Fuente: <a href="{_attribute(vector)}">{credited}</a>'
    body[8] = f"{text[8]} {vector} {text[8]}"  # inside a paragraph
    body[9] = f"{text[9]}</p>{vector}{PARAGRAPH_OPEN}{text[9]}"  # an element of its own
    return body


def _declarations(number: int, vector: str) -> list[tuple[str, str]]:
    """(pattern: the value's start as group 1, then the value; what the value becomes)."""
    titled = f"{title_mark(number)} {vector}"
    in_attribute = [
        ('<meta property="og:title" content="', titled),
        ('<meta name="twitter:title" content="', titled),
        ('<meta property="og:description" content="', vector),
        ('<meta name="description" lang="es" content="', vector),
        ('<meta name="author" content="', vector),
        ('<meta property="article:author" content="', vector),
        ('<meta property="og:image" content="', vector),
        ('<meta name="twitter:image" content="', vector),
        ('<meta property="og:url" content="', vector),
        ('<link rel="canonical" href="', vector),
    ]
    found = [(f'({re.escape(start)})[^"]*', _attribute(value)) for start, value in in_attribute]
    return [
        *found,
        (r'("headline":)"[^"]*"', _json_string(titled)),
        (f'({re.escape(_JSON_ARTICLE_AUTHOR)})"[^"]*"', _json_string(vector)),
        (r'(<h1 itemProp="name" class="sht__title">)[^<]*', html.escape(titled)),
    ]


def _replaced(text: str, pattern: str, value: str) -> str:
    """`text` with the value after each match of `pattern`'s group 1 set to `value`."""
    text, count = re.subn(pattern, lambda match: match.group(1) + value, text)
    if not count:
        raise ValueError(f"the template page no longer has {pattern!r}")
    return text


def hostile_page(number: int, vector: str) -> FetchedPage:
    """The number-th page (its own URL and words) with `vector` in every place."""
    slug = f"xss-vector-{number}-rmmn-noticia"
    text = elcomercio_page(slug, title_mark(number), _body(number, vector)).decode()
    for pattern, value in _declarations(number, vector):
        text = _replaced(text, pattern, value)
    url = url_of(slug)
    seen = T0 + timedelta(minutes=number)
    return FetchedPage(url, url, 200, {"Content-Type": "text/html"}, text.encode(), seen)
