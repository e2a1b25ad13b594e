"""Declared text fields are plain text: markup in a page's description or title is not passed on
to downstream sites (which might render it), but its words are."""

from __future__ import annotations

import pytest

from extractors.extraction import extract
from extractors.metadata import plain_text
from tests.support.pagegen import elcomercio_page, paragraphs, url_of


@pytest.mark.parametrize(
    ("declared", "plain"),
    [
        ("Hola <img src=x onerror=alert(1)> mundo", "Hola mundo"),
        ("&lt;b&gt;Budget&lt;/b&gt; passes &amp; more", "Budget passes & more"),
        ("<script>alert(1)</script>Texto", "Texto"),
        ("Costs <5% and a < b", "Costs <5% and a < b"),
        ("AT&amp;T", "AT&T"),
        ("<br/>", None),
        ("   ", None),
    ],
)
def test_plain_text(declared: str, plain: str | None) -> None:
    assert plain_text(declared) == plain


def test_an_extracted_description_has_no_markup() -> None:
    page = elcomercio_page("budget-noticia", "Congreso aprueba", paragraphs(2))
    evil = '<meta property="og:description" content="Lo &lt;img src=x onerror=alert(1)&gt; votado">'
    html = page.decode("utf-8").replace("<head>", "<head>" + evil, 1).encode("utf-8")
    article = extract(html, url_of("budget-noticia"))
    assert article.description == "Lo votado"
