"""A short paragraph in a box of its own keeps its words when it holds an inline link."""

from __future__ import annotations

import lxml.html
import pytest

from extractors.extraction import extract
from extractors.prose_links import unwrap_prose_links

URL = "https://news.example.com/2024/06/water-prices.html"

LONG = (
    "The regional water authority said on Monday that household bills would rise by an average "
    "of nine percent from July, the largest increase in more than a decade, blaming the cost of "
    "repairing pipes damaged during last winter's frosts and higher energy prices at its plants."
)


def _box(paragraph: str) -> str:
    return f'<div class="paragraph-block"><p>{paragraph}</p></div>'


LINKED = (
    "The full tariff table is published on "
    '<a href="https://water.example.org/tariffs">the authority\'s website</a> for every district.'
)

PAGE = f"""<html><head><title>Water bills to rise by nine percent</title></head><body>
<header><nav><a href="/">Home</a> <a href="/local">Local</a></nav></header>
<article><h1>Water bills to rise by nine percent</h1>
{_box(LONG)}
{_box(LONG.replace("The regional water authority said", "Consumer groups said"))}
{_box(LINKED)}
{_box(LONG.replace("The regional water authority said", "The minister said"))}
</article><footer>© Example News</footer></body></html>"""


def test_a_short_boxed_paragraph_with_an_inline_link_stays() -> None:
    article = extract(PAGE, URL)
    assert "The full tariff table is published on the authority's website for every district." in (
        article.text
    )
    assert article.text.index("Consumer groups said") < article.text.index("The full tariff")


def _unwrapped(body: str) -> str:
    tree = lxml.html.document_fromstring(f"<html><body>{body}</body></html>")
    unwrap_prose_links(tree)
    html: str = lxml.html.tostring(tree.find("body"), encoding="unicode")
    return html


SENTENCE = "The full tariff table for every district is published on"


def test_links_of_a_prose_paragraph_in_a_short_box_become_text() -> None:
    html = _unwrapped(f'<div><p>{SENTENCE} <a href="/t">the website</a>.</p></div>')
    assert html == f"<body><div><p>{SENTENCE} the website.</p></div></body>"


@pytest.mark.parametrize(
    "body",
    [
        # mostly link: a link line, judged by trafilatura as before
        '<div><p>See <a href="/t">the full tariff table for every district of the region</a></p></div>',
        # a box of 200 characters or more: not the short box trafilatura drops
        f'<div><p>{SENTENCE} <a href="/t">the website</a>.</p><p>{SENTENCE * 3}</p></div>',
        # not in a div
        f'<section><p>{SENTENCE} <a href="/t">the website</a>.</p></section>',
        # under eight words
        '<div><p>Tariffs: <a href="/t">website</a>.</p></div>',
    ],
)
def test_link_lines_long_boxes_and_other_parents_keep_their_links(body: str) -> None:
    assert "<a " in _unwrapped(body)
