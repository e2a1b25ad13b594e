"""Canonical URLs: tracking parameters, fragments, AMP and mobile variants fold to one URL."""

from __future__ import annotations

import pytest

from extractors.extraction import extract
from extractors.urls import InvalidURLError, canonical_url
from tests.support.html_pages import article_page

ARTICLE = "https://elcomercio.pe/politica/congreso-aprueba-noticia/"


@pytest.mark.parametrize(
    "variant",
    [
        ARTICLE,
        "https://elcomercio.pe/politica/congreso-aprueba-noticia/?outputType=amp",
        "https://elcomercio.pe/politica/congreso-aprueba-noticia/amp/",
        "https://amp.elcomercio.pe/politica/congreso-aprueba-noticia/",
        "https://m.elcomercio.pe/politica/congreso-aprueba-noticia/#comentarios",
        "https://elcomercio.pe/amp/politica/congreso-aprueba-noticia/",
        "HTTPS://ElComercio.PE/politica/congreso-aprueba-noticia/?utm_source=tw&utm_medium=social",
        "https://elcomercio.pe/politica/congreso-aprueba-noticia/?fbclid=IwAR0x&gclid=Cj0K",
        "https://elcomercio.pe/politica/congreso-aprueba-noticia/?ref=ecr&dicbo=v2-ppm5bdi",
    ],
)
def test_variants_fold_to_one_url(variant: str) -> None:
    assert canonical_url(variant) == ARTICLE


@pytest.mark.parametrize(
    ("url", "expected"),
    [
        ("https://example.com/story?page=2&id=7", "https://example.com/story?id=7&page=2"),
        ("https://example.com/news/amp-lobby/", "https://example.com/news/amp-lobby/"),
        ("https://m.co/story", "https://m.co/story"),
        ("https://example.com/news/story.amp.html", "https://example.com/news/story.html"),
    ],
)
def test_meaningful_parts_are_kept(url: str, expected: str) -> None:
    assert canonical_url(url) == expected


@pytest.mark.parametrize("url", ["file:///tmp/page.html", "not a url", "https:///nohost"])
def test_non_web_urls_are_refused(url: str) -> None:
    with pytest.raises(InvalidURLError, match="not an absolute http"):
        canonical_url(url)


@pytest.mark.parametrize(
    "head",
    [
        '<meta property="og:image" content="http://[::1/x.jpg">',
        '<link rel="canonical" href="http://[::1/story">',
        '<meta property="og:url" content="https://[broken/">',
    ],
)
def test_one_broken_metadata_url_drops_that_field_not_the_article(head: str) -> None:
    url = "https://agg.example/nota/"
    article = extract(article_page(head=head).encode(), url)
    assert article.word_count > 40
    assert article.image is None
    assert article.canonical_url == url
