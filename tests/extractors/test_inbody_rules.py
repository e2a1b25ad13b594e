"""In-body boilerplate rules: what goes (with its reason) and what must stay."""

from __future__ import annotations

import pytest

from extractors.article import Article
from extractors.extraction import extract
from tests.support.html_pages import article_page

URL = "https://news.example/2024/05/budget-talks/"


def _extract(*paragraphs: str, lang: str = "en") -> Article:
    return extract(article_page(*paragraphs, lang=lang).encode(), URL)


@pytest.mark.parametrize(
    ("block", "reason"),
    [
        ('<b>READ ALSO:</b> <a href="/x">Who were the actors found dead?</a>', "teaser"),
        ('<strong>LEE TAMBIÉN:</strong> <a href="/y">El Congreso aprueba la ley</a>', "teaser"),
        ("Lea también: Los precios del cobre suben por tercera semana", "teaser"),
        ("MIRA: La espectacular celebración de los argentinos | VIDEO", "teaser"),
        ("MÁS EN MUNDO: La turbulencia que dejó 36 heridos en un vuelo", "teaser"),
        (
            "MORE IN WORLD: The terrifying turbulence on a Hawaiian Airlines flight | VIDEOS",
            "teaser",
        ),
        ("SIGHT: The spectacular celebration of the Argentines | VIDEOS AND PHOTOS", "teaser"),
        ("TE PUEDE INTERESAR", "teaser"),
        ("VIDEO RECOMENDADO", "teaser"),
        ("globalhappenings news.jpg", "image file name"),
        ("IMG_2041.JPG", "image file name"),
        ("Share this article:", "share prompt"),
        ("Compartir en Facebook", "share prompt"),
        ("Sign up for our morning newsletter and get the news in your inbox.", "newsletter"),
        ("Suscríbete a nuestro boletín y recibe las noticias en tu correo", "newsletter"),
        ("ADVERTISEMENT", "advertisement"),
        ("Publicidad", "advertisement"),
        ("© 2024 News Example. All rights reserved.", "copyright"),
        ("Follow her on Twitter @reporter.", "contact"),
        # German (extractors/rules/de.toml)
        ('<b>Lesen Sie auch:</b> <a href="/z">Bahn streicht Verbindungen</a>', "teaser"),
        ("Version zum Drucken | Per E-Mail versenden | Newsletter abonnieren", "share prompt"),
        ("Jetzt abonnieren", "newsletter"),
        ("Ist Ihnen dieser Artikel etwas wert?", "membership appeal"),
        ("Mehr Artikel aus dieser Rubrik gibt's hier: Wirtschaft", "section link"),
        ("Folgen Sie uns auf Twitter und Facebook", "contact"),
        ("Anzeige", "advertisement"),
        ("Beitragsbild: Titelseite der Zeitung vom 2.4.2019", "image caption credit"),
    ],
)
def test_boilerplate_block_is_removed_with_its_reason(block: str, reason: str) -> None:
    article = _extract(block)
    visible = block.rsplit(">", 2)[-2].split("<", maxsplit=1)[0] if "<" in block else block
    assert visible not in article.text
    assert any(reason in removed.reason for removed in article.removed), article.removed
    assert "The council met on Tuesday" in article.text


@pytest.mark.parametrize(
    "paragraph",
    [
        # Start with a teaser-like word but are sentences of the article.
        "Mira, el ministro explicó durante más de una hora por qué el presupuesto no alcanza "
        "para cubrir los gastos previstos en educación, salud y seguridad ciudadana este año.",
        "Read also the minutes of the previous session, the mayor said, because they show that "
        "the same proposal was rejected twice before the election and for the same reasons.",
        "Related: the minister said the policy, criticised across the region for years, would "
        "continue through 2025 despite the protests of farmers and transport unions.",
        "Source of the dispute was the 2019 decision to close the northern depot, which the "
        "unions say cost more than two hundred jobs in the valley and was never reviewed.",
        "Advertisement revenue fell by a third last year, the company said in its annual report.",
        "Lesen Sie auch die Stellungnahme des Ministers, sagte die Sprecherin, denn sie zeige, "
        "dass der Vorschlag schon zweimal abgelehnt worden sei.",
        "Teilen wollte der Bürgermeister die Einnahmen nicht, wie er am Dienstag im Rathaus sagte.",
        "Anzeige erstattet hat die Polizei bereits am Montag, nachdem Zeugen den Wagen gemeldet "
        "hatten.",
        "Jetzt registrieren sich auch die ersten Geflüchteten aus der Ukraine bei den Behörden.",
        "Die Ermittler durchsuchten auch ihr E-Mail-Postfach.",
        "Mit dem Geld unterstützen sie unabhängigen Journalismus in Belarus und Russland, sagte "
        "die Sprecherin.",
        "Folgen sie dem Trend auf Instagram, verlieren viele Nutzer Geld.",
        "Bild: „Kanzler plant Kabinettsumbau“",
        "Die Tafel ist spendenfinanziert.",
    ],
)
def test_real_paragraph_starting_like_boilerplate_stays(paragraph: str) -> None:
    article = _extract(paragraph)
    assert " ".join(paragraph.split()) in " ".join(article.text.split())
    assert all(paragraph[:30] not in removed.text for removed in article.removed)


@pytest.mark.parametrize(
    ("line", "publisher"),
    [
        ("Source: Reuters", "Reuters"),
        ("Fuente: EFE", "EFE"),
        ("(AFP)", "AFP"),
        ("Con información de AFP", "AFP"),
        ("This article was originally published on The Conversation.", "The Conversation"),
        (
            "This article was originally published by Futurism. Read the original article.",
            "Futurism",
        ),
        ("Source: St. Louis Post-Dispatch", "St. Louis Post-Dispatch"),
    ],
)
def test_credit_line_becomes_attribution(line: str, publisher: str) -> None:
    article = _extract(line)
    assert line not in article.text
    assert article.attribution.credit == line
    assert article.attribution.original_publisher == publisher
    assert article.attribution.publisher == "news.example"


def test_agency_dateline_is_credited_but_kept_in_the_lead() -> None:
    lead = "LIMA (EFE).- El Gobierno anunció este lunes un plan de inversión en carreteras del sur."
    html = article_page(lang="es").replace(
        "<div class='entry-content'>", f"<div class='entry-content'><p>{lead}</p>"
    )
    article = extract(html.encode(), URL)
    assert article.text.startswith(lead)
    assert article.attribution.original_publisher == "EFE"


@pytest.mark.parametrize(
    "label",
    [
        "<p><strong>TE PUEDE INTERESAR</strong></p>",
        "<h3>Noticias relacionadas</h3>",
        "<h2>Related stories</h2>",
        "<h2>More Must-Reads From The Guardian</h2>",
        "<h3>Das könnte Sie auch interessieren</h3>",
        "<h3>More videos from NPR</h3>",
    ],
)
def test_related_box_heading_and_its_items_go(label: str) -> None:
    items = "<ul><li>El Congreso aprueba la reforma de pensiones</li><li>Sube el precio del cobre</li></ul>"
    html = article_page(lang="es").replace("</div></article>", label + items + "</div></article>")
    article = extract(html.encode(), URL)
    assert "El Congreso aprueba" not in article.text
    assert "Sube el precio del cobre" not in article.text
    assert [r.reason for r in article.removed].count("teaser box: related links") == 3
    assert article.text.endswith("este año. 4")


@pytest.mark.parametrize(
    ("label", "items", "heading"),
    [
        # a related-links label, one headline, then the article's next subheading
        (
            "<p><b>Lesen Sie auch</b></p>",
            "<p>Bahn streicht Verbindungen</p>",
            "Was die Opposition fordert",
        ),
        # a subheading that starts like a box label, with the list the article gives under it
        ("", "", "More help from Washington"),
    ],
)
def test_subheading_after_a_box_label_or_like_one_stays(
    label: str, items: str, heading: str
) -> None:
    section = (
        f"{label}{items}<h2>{heading}</h2>"
        "<ul><li>Grants for the flooded farms</li><li>Loans for the rebuilt bridges</li></ul>"
    )
    html = article_page(lang="en").replace("</div></article>", section + "</div></article>")
    article = extract(html.encode(), URL)
    assert heading in article.text
    assert "Grants for the flooded farms" in article.text
    assert "Loans for the rebuilt bridges" in article.text


MEAL = (
    "Asparagus and eggs: one cup of asparagus, two poached eggs, half a cup of sweet potato "
    "and a teaspoon of olive oil, with black coffee or green tea."
)
LUNCH = (
    "Chicken zoodles: one cup of zucchini noodles, four ounces of cooked chicken, half a cup "
    "of edamame and a teaspoon of sesame oil, with a squeeze of lime."
)


def test_paragraphs_repeated_further_on_stay_as_the_article_repeats_them() -> None:
    article = _extract(
        "<b>Plan A</b>", MEAL, LUNCH, "<b>Plan B</b>", MEAL, LUNCH, "<b>Plan C</b>", MEAL
    )
    assert article.text.count("Asparagus and eggs") == 3
    assert article.text.count("Chicken zoodles") == 2


def test_a_paragraph_repeated_right_after_itself_is_said_once() -> None:
    article = _extract(LUNCH, MEAL, MEAL, "The plan ends with a rest day on Sunday.")
    assert article.text.count("Asparagus and eggs") == 1
    assert "rest day on Sunday" in article.text
