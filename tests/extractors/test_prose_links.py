"""A short paragraph in a box of its own keeps its words when it holds an inline link, and so
does a short box set like the body's own blocks."""

from __future__ import annotations

import lxml.html
import pytest

from extractors.extraction import extract
from extractors.prose_links import unwrap_prose_links
from tests.support.devset import load_devset

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


WIDGET = "text-widget clearfix"
CREDITS = (
    "<p>Rose gold worn with longer earrings.</p><p>Earrings: Leaf Combo</p>"
    '<p>Hoops: <a href="https://shop.example/stella-hoops">Stella Hoops</a></p>'
)


def _widgets(short_class: str, credits: str = CREDITS) -> str:
    long = f'<div class="{WIDGET}"><p>{LONG}</p><p>{LONG}</p></div>'
    return f'{long}<div class="{short_class}">{credits}</div>{long}'


def test_short_box_set_like_the_body_blocks_loses_its_links() -> None:
    html = _unwrapped(_widgets(WIDGET))
    assert "<p>Hoops: Stella Hoops</p>" in html


@pytest.mark.parametrize(
    ("short_class", "credits"),
    [
        # a class no long block of the page has
        ("shop-box", CREDITS),
        # one paragraph: a line, not a run of the body's paragraphs
        (WIDGET, '<p>Hoops: <a href="https://shop.example/stella-hoops">Stella Hoops</a></p>'),
        # links over a quarter of the box's text: a box of links
        (
            WIDGET,
            '<p>Shop <a href="/a">Stella Hoops</a></p><p><a href="/b">Leaf Combo earrings</a></p>',
        ),
    ],
)
def test_other_short_boxes_keep_their_links(short_class: str, credits: str) -> None:
    assert "<a " in _unwrapped(_widgets(short_class, credits))


def test_product_lines_in_a_page_builder_text_widget_stay_on_the_real_page() -> None:
    # novalanalove.com (Elementor): the last text widget holds a caption and three credit
    # lines, one of them linked; precision mode deleted the widget whole.
    page = next(p for p in load_devset() if p.id == "trafilatura-cache-novalanalove.com.ear-candy")
    text = extract(page.html(), page.url).text
    assert "Rosegold kombiniert mit längeren Ohrringen (:" in text
    assert "Kreole: Stella Hoops" in text


def test_a_long_script_of_the_same_class_makes_no_body_block() -> None:
    script = f'<div class="{WIDGET}"><script>var tracking = "{"x" * 480}";</script></div>'
    html = _unwrapped(f'{script}<div class="{WIDGET}">{CREDITS}</div>{script}')
    assert "<a " in html
