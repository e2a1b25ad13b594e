"""The page's structure decides the body: text outside <p> and paragraphs inside wrapper
blocks stay, in place and as paragraphs of their own, in both text and HTML.

Each case is one failure class of the "extraction generalisation" issue, on a small page
written the way news sites write them.
"""

from __future__ import annotations

import pytest
from lxml import etree

from extractors.blocks import blocks_from_tree
from extractors.extraction import extract
from tests.support.devset import load_devset

URL = "https://news.example.com/2024/05/story.html"

SECTIONS_WITHOUT_P = """<html><head><title>Cierre del centro de salud</title></head><body>
<nav><a href="/">Inicio</a> <a href="/local">Local</a></nav>
<article><h1>Cierre del centro de salud</h1>
<p>Los vecinos del barrio de San Blas llevan meses esperando una respuesta del ayuntamiento
sobre el cierre del centro de salud, que atendía a más de doce mil personas cada año.</p>
<p>La concejala de Sanidad aseguró ayer que el centro volverá a abrir en septiembre, aunque
no dio detalles sobre la plantilla ni sobre el presupuesto previsto para las obras.</p>
<h2>Qué dicen los vecinos</h2>
La asociación vecinal ha recogido más de tres mil firmas y prepara una concentración frente
a la junta municipal el próximo sábado por la mañana, según su presidenta.
<h2>Qué dice el ayuntamiento</h2>
El consistorio sostiene que el cierre es temporal y que los pacientes pueden acudir mientras
tanto al centro de salud de Canillejas, a quince minutos en autobús.
<p>Los sindicatos sanitarios han pedido una reunión urgente con la consejería para conocer el
calendario real de la reapertura y el destino de los profesionales.</p>
</article><footer>© Diario</footer></body></html>"""

SIBLING_BLOCKS = """<html><head><title>Rail strike halts trains across the north</title></head><body>
<header><nav><a href="/">Home</a> <a href="/news">News</a> <a href="/sport">Sport</a></nav></header>
<main><article><h1>Rail strike halts trains across the north</h1>
<div class="article-body">
<p>Train services across the north of England were cancelled on Tuesday as drivers walked out
for a third day, leaving thousands of commuters to find other ways to work.</p>
<p>The union said its members had rejected a pay offer that fell short of inflation, and that
further action would follow unless the operators returned to the table.</p>
</div>
<div class="ad-slot"><a href="https://ads.example.net/click">Advertisement</a></div>
<div class="article-body">
<p>Operators said they had run a reduced timetable on the busiest routes and urged passengers
to check before travelling, warning that the last trains would leave early.</p>
<p>Local businesses in the city centre reported fewer customers than usual, and several
schools asked parents to keep children at home where they could not travel safely.</p>
</div>
</article></main>
<aside><h3>Most read</h3><ul><li><a href="/a">Story one</a></li></ul></aside>
<footer>© The Northern Daily</footer></body></html>"""


def _paragraphs(text: str) -> list[str]:
    return text.split("\n\n")


def test_text_after_a_heading_outside_any_paragraph_is_kept_in_place() -> None:
    article = extract(SECTIONS_WITHOUT_P, URL)
    paragraphs = _paragraphs(article.text)
    heading = paragraphs.index("Qué dicen los vecinos")
    assert paragraphs[heading + 1].startswith("La asociación vecinal ha recogido")
    after = paragraphs.index("Qué dice el ayuntamiento")
    assert paragraphs[after + 1].startswith("El consistorio sostiene que el cierre es temporal")
    assert "<h2>Qué dicen los vecinos</h2><p>La asociación vecinal" in article.html


def test_paragraphs_in_wrapper_blocks_between_ads_stay_separate_paragraphs() -> None:
    article = extract(SIBLING_BLOCKS, URL)
    paragraphs = _paragraphs(article.text)
    starts = ["Train services", "The union said", "Operators said", "Local businesses"]
    assert [i for i, p in enumerate(paragraphs) if p.startswith(tuple(starts))] == [0, 1, 2, 3]
    assert article.html.count("<p>") == len(paragraphs) == 4
    assert "Advertisement" not in article.text


def test_a_wrapper_element_of_any_name_gives_its_paragraphs_in_order() -> None:
    # trafilatura keeps a layout cell or an unknown wrapper as an element holding the <p>s
    body = etree.fromstring(
        "<body><p>Opening paragraph of the report.</p>"
        "<section><p>First paragraph in the wrapper.</p><head rend='h3'>Aftermath</head>"
        "<p>Second paragraph in the wrapper.</p></section>"
        "<div><p>Nested one.</p><div><p>Nested two.</p></div></div>"
        "Closing words standing after the last block.</body>"
    )
    blocks = blocks_from_tree(body)
    assert [(b.kind, b.text) for b in blocks] == [
        ("p", "Opening paragraph of the report."),
        ("p", "First paragraph in the wrapper."),
        ("h", "Aftermath"),
        ("p", "Second paragraph in the wrapper."),
        ("p", "Nested one."),
        ("p", "Nested two."),
        ("p", "Closing words standing after the last block."),
    ]
    assert blocks[2].level == 3


def test_link_text_set_outside_its_paragraph_stays_in_the_sentence() -> None:
    # trafilatura moves an inline link's text out of a <p> that stops mid-sentence
    body = etree.fromstring(
        '<body><p>Unter dem Namen "Aurora" hat Firefox einen neuen </p>Kanal mit Vorabversionen'
        "<p> von Firefox eingerichtet. Aurora ist die zweite von vier Stufen.</p>"
        "<p>Vorgelagert sind automatisch erstellte Nightly-Builds.</p></body>"
    )
    assert [b.text for b in blocks_from_tree(body)] == [
        'Unter dem Namen "Aurora" hat Firefox einen neuen Kanal mit Vorabversionen von Firefox'
        " eingerichtet. Aurora ist die zweite von vier Stufen.",
        "Vorgelagert sind automatisch erstellte Nightly-Builds.",
    ]


def test_a_word_left_between_blocks_is_not_a_paragraph() -> None:
    body = etree.fromstring(
        "<body><p>Si continúas leyendo en este dispositivo, no se podrá leer en el otro.</p>"
        "Flecha<p>Tu suscripción se está usando en otro dispositivo.</p></body>"
    )
    assert [b.text for b in blocks_from_tree(body)] == [
        "Si continúas leyendo en este dispositivo, no se podrá leer en el otro.",
        "Tu suscripción se está usando en otro dispositivo.",
    ]


LEAD_AFTER_PICTURE_BOX = """<html><head><title>Steam survey: Linux share ticks up</title></head><body>
<div id="main"><article class="full"><h1>Steam survey: Linux share ticks up</h1>
<div class="content">
<div style="float: left; padding: 0 10px 10px;"><img alt="VALVE" src="/valve.webp"></div>
With the start of a new month, Valve has published its software and hardware survey for the
month before, and the Linux share went up slightly on a percentage basis.
<br><br>For last month, the share of Steam users running Linux rose to 0.84%, a small increase
over April that is in line with what the survey has shown over the last year.
<br><br>Windows comes in at 95.9% for the month, while macOS lost a little ground compared with
the month before, according to the same survey published by Valve on Saturday.
</div></article></div>
<footer>Copyright Phoronix Media</footer></body></html>"""


def test_a_lead_written_after_a_picture_box_is_the_first_paragraph() -> None:
    article = extract(LEAD_AFTER_PICTURE_BOX, URL)
    paragraphs = _paragraphs(article.text)
    assert paragraphs[0].startswith("With the start of a new month, Valve has published")
    assert "Windows comes in at 95.9%" in article.text
    assert "<p>With the start of a new month" in article.html


@pytest.mark.parametrize(
    ("page_id", "lead"),
    [
        # the lead is div#articleBody's own text, before its <p>s (people.com)
        ("snacktory-people2", "David Fredericksen was driving his semi truck along I-10"),
        # the post is the text after a floated <img align="left"> in a table cell (ucoz blog)
        ("trafilatura-cache-schleifen.ucoz.de.briefe", "Es war gesagt, falls du zornig bist"),
    ],
)
def test_a_lead_written_as_bare_text_on_a_real_page_is_kept(page_id: str, lead: str) -> None:
    page = next(p for p in load_devset() if p.id == page_id)
    assert lead in extract(page.html(), page.url).text


def test_short_bare_text_between_blocks_stays_out_of_the_paragraphs() -> None:
    page = LEAD_AFTER_PICTURE_BOX.replace(
        "</div></article>",
        "<p>The next survey is due early next month, Valve said in a short note.</p>"
        "Share this</div></article>",
    )
    article = extract(page, URL)
    assert article.text.rstrip().endswith("Valve said in a short note.")
    assert "Share this" not in article.text
