"""The visible standfirst is kept first in the body; captions, capitals-labelled link boxes,
follow widgets and Spanish membership/channel promos are not body text.

Markup follows real news templates (lead paragraph classes, WordPress and CMS caption
wrappers, related-news boxes); each case fails if the rule it covers is removed.
"""

from __future__ import annotations

import pytest

from extractors.article import Article
from extractors.extraction import extract
from extractors.furniture import drop_furniture
from extractors.parsing import parse_html
from tests.support.html_pages import FILLER, RELLENO, article_page

URL = "https://news.example/2024/05/budget-talks/"
LEAD = "Councillors agree to raise spending on roads and schools next year"
PARAGRAPHS = "".join(f"<p>{FILLER} ({n})</p>" for n in range(4))


def _page(header: str, *, head: str = "", body: str = PARAGRAPHS) -> Article:
    html = (
        f"<!DOCTYPE html><html lang='en'><head><meta charset='utf-8'><title>Budget talks</title>"
        f"{head}</head><body><main><article>{header}"
        f"<div class='entry-content'>{body}</div></article></main></body></html>"
    )
    return extract(html.encode(), URL)


def _paragraphs(article: Article) -> list[str]:
    return article.text.split("\n\n")


@pytest.mark.parametrize(
    "header",
    [
        f"<h1>Budget talks</h1><p class='article-subtitle'>{LEAD}</p>",
        f"<h1>Budget talks</h1><div class='c-article__standfirst'>{LEAD}</div>",
        f"<h1>Budget talks</h1><span class='date'>5 May 2024</span><p class='preface'>{LEAD}</p>",
        f"<h1>Budget talks</h1><h2 itemprop='alternativeHeadline'>{LEAD}</h2>",
    ],
)
def test_lead_marked_by_the_page_comes_first(header: str) -> None:
    assert _paragraphs(_page(header))[0] == LEAD


def test_first_text_under_the_headline_equal_to_the_description_is_the_lead() -> None:
    head = f'<meta property="og:description" content="{LEAD}.">'
    article = _page(
        f"<h1>Budget talks</h1><div class='byline'>By Ann Lee</div><h2>{LEAD}</h2>", head=head
    )
    assert _paragraphs(article)[0] == LEAD


def test_text_equal_to_the_description_a_few_elements_below_the_headline_is_the_lead() -> None:
    # As on templates whose <h1> is the breadcrumb's last item: the visible headline, a
    # dateline and a source line come between it and the (unmarked) lead.
    head = f'<meta name="description" content="{LEAD}.">'
    header = (
        "<h1>Budget talks</h1><h2>Council budget talks end with a deal on roads</h2>"
        "<span>updated 5 May 2024, 15:43</span><span>Source: City Desk</span>"
        f"<p class='c-leadtext'>{LEAD}.</p>"
    )
    assert _paragraphs(_page(header, head=head))[0] == LEAD + "."
    assert LEAD not in _page(header).text  # without the description it is not the lead


@pytest.mark.parametrize(
    "header",
    [
        # In the headline's own header block: page furniture (the AEB gold leaves it out).
        f"<header><h1>Budget talks</h1><p class='standfirst'>{LEAD}</p></header>",
        f"<div class='article-hero'><h1>Budget talks</h1><p class='dek'>{LEAD}</p></div>",
        # A teaser of another story that happens to use a summary class.
        f"<h1>Budget talks</h1><div class='relatedContent'><p class='summary'>{LEAD}</p></div>",
        # Not marked, and not the page's description.
        f"<h1>Budget talks</h1><h2>{LEAD}</h2>",
    ],
)
def test_text_the_page_does_not_mark_as_its_lead_is_not_added(header: str) -> None:
    assert LEAD not in _page(header).text


def test_description_that_is_not_shown_is_never_added() -> None:
    head = f'<meta property="og:description" content="{LEAD}.">'
    assert LEAD not in _page("<h1>Budget talks</h1>", head=head).text


def test_lead_already_in_the_body_is_not_repeated() -> None:
    body = f"<p>{LEAD}, the mayor said on Tuesday.</p>{PARAGRAPHS}"
    article = _page(f"<h1>Budget talks</h1><p class='lead'>{LEAD}</p>", body=body)
    assert article.text.count(LEAD) == 1


CAPTION = "Firefighters work to contain the blaze near the village on Monday"
NEXT = "The fire started late on Sunday night near the motorway."


@pytest.mark.parametrize(
    "media",
    [
        # A video block with its caption outside any <figure>.
        f"<div class='media video-player'><img src='/a.jpg' alt=''>"
        f"<figcaption class='caption'><p class='inline'>{CAPTION}</p></figcaption></div>",
        f"<figure class='wp-block-image'><img src='/a.jpg' alt=''><figcaption>{CAPTION}"
        "</figcaption></figure>",
    ],
)
def test_photo_caption_is_not_body_text(media: str) -> None:
    article = extract(article_page(f"</p>{media}<p>{NEXT}").encode(), URL)
    assert CAPTION not in article.text
    assert NEXT in article.text


def test_figure_holding_a_long_text_is_kept() -> None:
    # Over sixty words: content set in a figure (a pull quote with a portrait), not a caption.
    quote = (
        "We were told the bridge would open in spring, and then in summer, and then nobody "
        "told us anything at all, so the families on the east bank kept driving forty minutes "
        "around the lake every morning to reach the schools, the clinic and the market, while "
        "the council kept approving new studies instead of finishing the work it had started."
    )
    tree = parse_html(
        f"<html><body><figure><img src='/a.jpg'><blockquote>{quote}</blockquote></figure>"
        f"<figure><img src='/b.jpg'><p>{CAPTION}</p></figure></body></html>"
    )
    drop_furniture(tree)
    assert quote in tree.text_content()
    assert CAPTION not in tree.text_content()


@pytest.mark.parametrize(
    "box",
    [
        "<h3>EN PORTADA</h3><ul><li><a href='/a'>El Congreso aprueba la reforma tributaria</a></li>"
        "<li><a href='/b'>Ministro renuncia tras escándalo de contratos</a></li></ul>",
        "<p><strong>ELSEWHERE ON THE SITE</strong></p><p><a href='/a'>Mayor opens the new bridge"
        "</a></p><p><a href='/b'>Schools close early for the summer</a></p>",
    ],
)
def test_capitals_label_over_a_list_of_links_goes_with_its_links(box: str) -> None:
    article = extract(article_page(f"</p>{box}<p>{NEXT}", lang="es").encode(), URL)
    for gone in ("EN PORTADA", "ELSEWHERE ON THE SITE", "reforma tributaria", "new bridge"):
        assert gone not in article.text
    assert NEXT in article.text


def test_capitals_heading_over_article_text_stays() -> None:
    section = f"<h2>LA ENTREVISTA</h2><p>{RELLENO} (5)</p><p>{RELLENO} (6)</p>"
    article = extract(article_page(f"</p>{section}<p>{NEXT}", lang="es").encode(), URL)
    assert "LA ENTREVISTA" in article.text
    assert f"{RELLENO} (5)" in article.text


@pytest.mark.parametrize(
    ("block", "reason"),
    [
        ("NOTAS RELACIONADAS", "teaser"),
        ("Nota relacionada: La secretaria que tumbó al contralor", "teaser"),
        ("Sigue esta categoría", "follow widget"),
        ("Política Sigue esta categoría", "follow widget"),
        ("Follow this topic", "follow widget"),
        ("¡HAZTE MIEMBRO DE NUESTRA COMUNIDAD Y APOYA EL PERIODISMO INDEPENDIENTE!", "newsletter"),
        (
            "Hacemos periodismo independiente desde hace 20 años. Tu aporte nos permite seguir "
            "investigando. Únete a nuestra comunidad.",
            "membership appeal",
        ),
        (
            "¿Ya sabías que tenemos un canal de Telegram? Únete para recibir las noticias más "
            "importantes del día.",
            "social channel promo",
        ),
        ("¡Mira lo que tiene nuestro canal de YouTube!", "social channel promo"),
        ("Check out our YouTube channel for more videos.", "social channel promo"),
        ("Puede escribirnos a redaccion@diario.example o por nuestras redes.", "contact"),
    ],
)
def test_promo_block_is_removed_with_its_reason(block: str, reason: str) -> None:
    article = extract(article_page(block, lang="es").encode(), URL)
    assert block not in article.text
    assert any(reason in removed.reason for removed in article.removed), article.removed
    assert RELLENO in article.text


def test_more_about_box_goes_with_its_headlines() -> None:
    box = (
        "</p><p><b>Más sobre Pedro Castillo</b></p><p>Castillo pide asilo en la embajada</p>"
        "<p>Fiscalía abre investigación contra el expresidente</p><p>"
        f"{RELLENO} (5)"
    )
    article = extract(article_page(box, lang="es").encode(), URL)
    assert "Más sobre Pedro Castillo" not in article.text
    assert "Fiscalía abre investigación" not in article.text
    assert f"{RELLENO} (5)" in article.text


@pytest.mark.parametrize(
    "paragraph",
    [
        "Sigue esta categoría de torneos juveniles la federación, que anunció cambios en el "
        "calendario de la próxima temporada.",
        "El director explicó que su diario, que publica en su canal de YouTube entrevistas "
        "semanales, ha crecido un tercio este año.",
        "Puede que el Congreso vote la reforma la próxima semana, según fuentes de la comisión.",
        "Follow the money, the prosecutor told the jury, and you will find who ordered the fire.",
    ],
)
def test_article_sentences_starting_like_a_promo_stay(paragraph: str) -> None:
    article = extract(article_page(paragraph, lang="es").encode(), URL)
    assert paragraph in article.text
