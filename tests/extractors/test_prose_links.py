"""A short paragraph in a box of its own keeps its words when it holds an inline link."""

from __future__ import annotations

from extractors.extraction import extract

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
